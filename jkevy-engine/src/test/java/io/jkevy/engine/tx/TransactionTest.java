package io.jkevy.engine.tx;

import io.jkevy.engine.EngineHarness;
import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** MULTI / EXEC / DISCARD and the queuing rules, reply bytes checked against Redis 7.0.15. */
class TransactionTest {
    final EngineHarness h = new EngineHarness();

    @Test
    void queuedCommandsRunInOrderAtExec() {
        assertThat(h.raw("MULTI")).isEqualTo("+OK\r\n");
        assertThat(h.raw("SET", "a", "1")).isEqualTo("+QUEUED\r\n");
        assertThat(h.raw("INCR", "a")).isEqualTo("+QUEUED\r\n");
        assertThat(h.raw("GET", "a")).isEqualTo("+QUEUED\r\n");
        // nothing ran yet: another client still sees no key
        assertThat(h.client().call("EXISTS", "a")).isEqualTo(new RespValue.Integer(0));
        assertThat(h.raw("EXEC")).isEqualTo("*3\r\n+OK\r\n:2\r\n$1\r\n2\r\n");
        assertThat(h.bulk("GET", "a")).isEqualTo("2");
        assertThat(h.session.tx().inMulti()).isFalse();
    }

    @Test
    void emptyTransaction() {
        h.call("MULTI");
        assertThat(h.raw("EXEC")).isEqualTo("*0\r\n");
    }

    @Test
    void execAndDiscardWithoutMulti() {
        assertThat(h.error("EXEC")).isEqualTo("ERR EXEC without MULTI");
        assertThat(h.error("DISCARD")).isEqualTo("ERR DISCARD without MULTI");
    }

    @Test
    void nestedMultiIsAnErrorButDoesNotAbortTheTransaction() {
        // Redis 7.0.15: the error comes from MULTI's own body, not from the queuing checks
        h.call("MULTI");
        assertThat(h.error("MULTI")).isEqualTo("ERR MULTI calls can not be nested");
        h.call("SET", "a", "1");
        assertThat(h.raw("EXEC")).isEqualTo("*1\r\n+OK\r\n");
    }

    @Test
    void watchInsideMultiIsAnErrorButDoesNotAbortTheTransaction() {
        h.call("MULTI");
        assertThat(h.error("WATCH", "a")).isEqualTo("ERR WATCH inside MULTI is not allowed");
        h.call("SET", "a", "1");
        assertThat(h.raw("EXEC")).isEqualTo("*1\r\n+OK\r\n");
        assertThat(h.session.tx().watchedCount()).isZero();
    }

    @Test
    void unknownCommandWhileQueuingAbortsTheTransaction() {
        h.call("MULTI");
        assertThat(h.raw("SET", "a", "1")).isEqualTo("+QUEUED\r\n");
        assertThat(h.error("FOO", "x")).isEqualTo("ERR unknown command 'FOO', with args beginning with: 'x' ");
        assertThat(h.raw("SET", "b", "1")).isEqualTo("+QUEUED\r\n");
        assertThat(h.raw("EXEC")).isEqualTo("-EXECABORT Transaction discarded because of previous errors.\r\n");
        assertThat(h.integer("EXISTS", "a", "b")).isZero();
        assertThat(h.error("EXEC")).isEqualTo("ERR EXEC without MULTI");
    }

    @Test
    void wrongArityWhileQueuingAbortsTheTransaction() {
        h.call("MULTI");
        assertThat(h.error("GET")).isEqualTo("ERR wrong number of arguments for 'get' command");
        assertThat(h.raw("EXEC")).startsWith("-EXECABORT");
    }

    @Test
    void unknownSubcommandWhileQueuingAbortsTheTransaction() {
        h.call("MULTI");
        assertThat(h.error("CLIENT", "FOO")).startsWith("ERR unknown subcommand 'FOO'");
        assertThat(h.raw("EXEC")).startsWith("-EXECABORT");
    }

    @Test
    void unknownSubcommandOfACommandThatAlsoRunsBareAbortsTheTransaction() {
        h.call("MULTI");
        assertThat(h.raw("COMMAND", "COUNT")).isEqualTo("+QUEUED\r\n");
        assertThat(h.raw("COMMAND")).isEqualTo("+QUEUED\r\n");
        assertThat(h.error("COMMAND", "FOO")).isEqualTo("ERR unknown subcommand 'FOO'. Try COMMAND HELP.");
        assertThat(h.raw("EXEC")).startsWith("-EXECABORT");
    }

    @Test
    void noMultiCommandIsRefusedAndAbortsTheTransaction() {
        h.call("MULTI");
        assertThat(h.error("SHUTDOWN", "NOSAVE")).isEqualTo("ERR Command not allowed inside a transaction");
        assertThat(h.session.closing()).as("SHUTDOWN did not run").isFalse();
        assertThat(h.raw("EXEC")).startsWith("-EXECABORT");
    }

    @Test
    void runtimeErrorsAreElementsOfTheReplyAndNothingIsRolledBack() {
        h.call("SET", "s", "x");
        h.call("MULTI");
        h.call("INCR", "s");
        h.call("SET", "t", "1");
        h.call("LPUSH", "s", "v");
        assertThat(h.raw("EXEC")).isEqualTo("*3\r\n-ERR value is not an integer or out of range\r\n+OK\r\n"
                + "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
        assertThat(h.bulk("GET", "t")).isEqualTo("1");
        assertThat(h.bulk("GET", "s")).isEqualTo("x");
    }

    @Test
    void discardDropsTheQueue() {
        h.call("MULTI");
        h.call("SET", "z", "1");
        assertThat(h.raw("DISCARD")).isEqualTo("+OK\r\n");
        assertThat(h.bulk("GET", "z")).isNull();
        assertThat(h.error("EXEC")).isEqualTo("ERR EXEC without MULTI");
    }

    @Test
    void resetDiscardsTheTransaction() {
        h.call("MULTI");
        h.call("SET", "z", "1");
        assertThat(h.raw("RESET")).isEqualTo("+RESET\r\n");
        assertThat(h.error("EXEC")).isEqualTo("ERR EXEC without MULTI");
        assertThat(h.bulk("GET", "z")).isNull();
    }

    @Test
    void quitRunsAtOnceInsideMulti() {
        h.call("MULTI");
        assertThat(h.raw("QUIT")).isEqualTo("+OK\r\n");
        assertThat(h.session.closing()).isTrue();
    }

    @Test
    void unwatchIsQueuedLikeAnyOtherCommand() {
        h.call("MULTI");
        assertThat(h.raw("UNWATCH")).isEqualTo("+QUEUED\r\n");
        assertThat(h.raw("EXEC")).isEqualTo("*1\r\n+OK\r\n");
    }

    @Test
    void selectInsideTheTransactionStaysInEffect() {
        h.call("MULTI");
        h.call("SELECT", "1");
        h.call("SET", "z", "9");
        assertThat(h.raw("EXEC")).isEqualTo("*2\r\n+OK\r\n+OK\r\n");
        assertThat(h.bulk("GET", "z")).isEqualTo("9");
        h.call("SELECT", "0");
        assertThat(h.bulk("GET", "z")).isNull();
    }

    @Test
    void blockingCommandInsideMultiAnswersAtOnce() {
        h.call("MULTI");
        h.call("BLPOP", "l", "0");
        assertThat(h.raw("EXEC")).isEqualTo("*1\r\n*-1\r\n");
        assertThat(h.session.blocked()).isFalse();
    }

    @Test
    void resp3Replies() {
        h.protocol(3);
        h.call("HSET", "h", "f", "v");
        h.call("MULTI");
        h.call("HGETALL", "h");
        h.call("GET", "nope");
        assertThat(h.raw("EXEC")).isEqualTo("*2\r\n%1\r\n$1\r\nf\r\n$1\r\nv\r\n_\r\n");
        h.call("WATCH", "h");
        h.client().call("DEL", "h");
        h.call("MULTI");
        assertThat(h.raw("EXEC")).isEqualTo("_\r\n");
    }

    @Test
    void resp2AbortedExecIsTheNullArray() {
        h.call("WATCH", "k");
        h.client().call("SET", "k", "1");
        h.call("MULTI");
        h.call("PING");
        assertThat(h.raw("EXEC")).isEqualTo("*-1\r\n");
    }

    @Test
    void clientListShowsMultiStateAndDirtyWatch() {
        assertThat(h.bulk("CLIENT", "INFO")).contains(" flags=N ").contains(" multi=-1 ");
        h.call("WATCH", "k");
        h.client().call("SET", "k", "1");
        assertThat(h.bulk("CLIENT", "INFO")).contains(" flags=d ");
        h.call("MULTI");
        h.call("PING");
        h.call("PING");
        var other = h.client();
        String line = ((RespValue.Bulk) other.call("CLIENT", "LIST")).asString();
        assertThat(line).contains("id=" + h.session.id() + " ").contains(" flags=xd ").contains(" multi=2 ");
        h.call("DISCARD");
        assertThat(h.bulk("CLIENT", "INFO")).contains(" flags=N ").contains(" multi=-1 ");
    }

    @Test
    void commandMetadataMatchesRedis() {
        RespValue info = h.call("COMMAND", "INFO", "multi", "exec", "watch", "unwatch", "discard");
        String s = info.toString();
        assertThat(flags(h, "exec")).isEqualTo("[noscript, loading, stale, skip_slowlog]");
        assertThat(flags(h, "multi")).isEqualTo("[noscript, loading, stale, fast, allow_busy]");
        assertThat(flags(h, "watch")).isEqualTo("[noscript, loading, stale, fast, allow_busy]");
        assertThat(flags(h, "discard")).isEqualTo("[noscript, loading, stale, fast, allow_busy]");
        assertThat(flags(h, "unwatch")).isEqualTo("[noscript, loading, stale, fast, allow_busy]");
        assertThat(s).isNotEmpty();
        assertThat(h.call("COMMAND", "GETKEYS", "WATCH", "a", "b")).isEqualTo(
                new RespValue.Array(java.util.List.of(RespValue.Bulk.of("a"), RespValue.Bulk.of("b"))));
    }

    static String flags(EngineHarness h, String cmd) {
        RespValue.Array all = (RespValue.Array) h.call("COMMAND", "INFO", cmd);
        RespValue.Array one = (RespValue.Array) all.elements().get(0);
        RespValue.Array fl = (RespValue.Array) one.elements().get(2);
        return fl.elements().stream().map(v -> ((RespValue.SimpleString) v).value()).toList().toString();
    }

    @Test
    void clientPauseWriteHoldsAnExecThatWrites() {
        byte[][] exec = {"EXEC".getBytes()};
        byte[][] set = {"SET".getBytes(), "k".getBytes(), "v".getBytes()};
        h.call("MULTI");
        h.call("GET", "k");
        h.client().call("CLIENT", "PAUSE", "1000", "WRITE");
        assertThat(h.engine.pausedFor(h.session, exec)).as("read-only EXEC").isZero();
        assertThat(h.engine.pausedFor(h.session, set)).as("a write is held before it is queued").isEqualTo(1000);
        h.client().call("CLIENT", "UNPAUSE");
        h.call("SET", "k", "v");
        h.client().call("CLIENT", "PAUSE", "1000", "WRITE");
        assertThat(h.engine.pausedFor(h.session, exec)).isEqualTo(1000);
        assertThat(h.engine.pausedFor(h.session, new byte[][] {"DISCARD".getBytes()})).isZero();
        h.client().call("CLIENT", "UNPAUSE");
        assertThat(h.raw("EXEC")).isEqualTo("*2\r\n$-1\r\n+OK\r\n");
    }
}
