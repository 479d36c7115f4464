package io.jkevy.engine.tx;

import io.jkevy.engine.BlockingTest;
import io.jkevy.engine.EngineHarness;
import io.jkevy.engine.Session;
import io.jkevy.journal.Frames;
import io.jkevy.journal.Journal;
import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What EXEC leaves in the journal, and how it meets blocked clients. */
class TxJournalTest {
    final EngineHarness h = new EngineHarness();

    List<String> framesFrom(long offset) {
        Journal.Read r = h.engine.journal().read(offset, Integer.MAX_VALUE);
        List<String> out = new ArrayList<>();
        for (byte[] f : ((Journal.Read.Frames) r).frames()) {
            List<String> words = new ArrayList<>();
            for (byte[] a : Frames.decodeArgv(f)) words.add(new String(a, StandardCharsets.UTF_8));
            out.add(String.join(" ", words));
        }
        return out;
    }

    @Test
    void execEffectsAreOneAtomicGroup() {
        h.call("SET", "warm", "up");              // the journal's first frame selects db 0
        long from = h.engine.journal().nextOffset();
        h.call("MULTI");
        h.call("SET", "a", "1");
        h.call("GET", "a");
        h.call("INCR", "a");
        h.call("SET", "b", "x", "EX", "100");
        h.call("EXEC");
        assertThat(framesFrom(from)).containsExactly(
                "MULTI", "SET a 1", "INCR a", "SET b x PXAT " + (h.now() + 100_000), "EXEC");
    }

    @Test
    void execGroupExactFrameBytes() {
        h.call("SET", "warm", "up");              // offsets 1 (SELECT 0) and 2
        long from = h.engine.journal().nextOffset();
        assertThat(from).isEqualTo(3);
        h.call("MULTI");
        h.call("SET", "a", "1");
        h.call("DEL", "warm");
        h.call("EXEC");
        StringBuilder bytes = new StringBuilder();
        Journal.Read r = h.engine.journal().read(from, Integer.MAX_VALUE);
        for (byte[] f : ((Journal.Read.Frames) r).frames()) bytes.append(new String(f, StandardCharsets.ISO_8859_1));
        assertThat(bytes.toString()).isEqualTo(
                "*2\r\n:3\r\n*1\r\n$5\r\nMULTI\r\n"
                + "*2\r\n:4\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n"
                + "*2\r\n:5\r\n*2\r\n$3\r\nDEL\r\n$4\r\nwarm\r\n"
                + "*2\r\n:6\r\n*1\r\n$4\r\nEXEC\r\n");
    }

    @Test
    void everyWriteOfTheGroupCarriesTheGroupsVersion() {
        h.call("SET", "warm", "up");
        h.call("MULTI");
        h.call("SET", "a", "1");
        h.call("SET", "b", "1");
        h.call("EXEC");
        long last = h.engine.journal().nextOffset() - 1;    // the group's EXEC frame
        assertThat(h.engine.keyspace().db(0).version("a".getBytes())).isEqualTo(last);
        assertThat(h.engine.keyspace().db(0).version("b".getBytes())).isEqualTo(last);
    }

    @Test
    void singleWriteNeedsNoGroupAndReadOnlyExecNothing() {
        h.call("SET", "warm", "up");
        long from = h.engine.journal().nextOffset();
        h.call("MULTI");
        h.call("GET", "warm");
        h.call("EXEC");
        assertThat(framesFrom(from)).isEmpty();
        h.call("MULTI");
        h.call("SET", "a", "1");
        h.call("GET", "a");
        h.call("EXEC");
        assertThat(framesFrom(from)).containsExactly("SET a 1");
    }

    @Test
    void groupSpanningDatabasesSelectsInside() {
        h.call("SET", "warm", "up");
        long from = h.engine.journal().nextOffset();
        h.call("MULTI");
        h.call("SET", "a", "1");
        h.call("SELECT", "3");
        h.call("SET", "a", "3");
        h.call("SELECT", "0");
        h.call("EXEC");
        assertThat(framesFrom(from)).containsExactly("MULTI", "SET a 1", "SELECT 3", "SET a 3", "EXEC");
    }

    @Test
    void replayingTheJournalGivesTheSameData() {
        long first = h.engine.journal().nextOffset();
        h.call("MULTI");
        h.call("SET", "a", "1");
        h.call("RPUSH", "l", "x", "y", "z");
        h.call("LPOP", "l");
        h.call("SADD", "s", "m1", "m2");
        h.call("SPOP", "s");
        h.call("EXEC");
        h.call("MULTI");
        h.call("INCRBYFLOAT", "f", "1.5");
        h.call("EXPIRE", "a", "100");
        h.call("EXEC");
        // replay frame by frame, MULTI/EXEC included: a group is now a transaction again
        EngineHarness b = new EngineHarness();
        b.advance(h.now() - b.now());
        Journal.Read r = h.engine.journal().read(first, Integer.MAX_VALUE);
        for (byte[] f : ((Journal.Read.Frames) r).frames()) b.call(Frames.decodeArgv(f));
        assertThat(b.simple("DEBUG", "DIGEST")).isEqualTo(h.simple("DEBUG", "DIGEST")).isNotEqualTo("0".repeat(40));
    }

    @Test
    void flushAllInsideExecKeepsTheJournalInOrder() {
        h.call("SET", "old", "1");
        long gen = h.engine.journal().generation();
        long from = h.engine.journal().nextOffset();
        h.call("MULTI");
        h.call("SET", "a", "1");
        h.call("SET", "a2", "1");
        h.call("FLUSHALL");
        h.call("SET", "b", "2");
        assertThat(h.raw("EXEC")).isEqualTo("*4\r\n+OK\r\n+OK\r\n+OK\r\n+OK\r\n");
        assertThat(h.engine.journal().generation()).isNotEqualTo(gen);
        // the new generation starts from the empty dataset: only what came after FLUSHALL
        List<String> frames = framesFrom(h.engine.journal().backlogFirstOffset());
        assertThat(frames).noneMatch(f -> f.contains("SET a"));
        assertThat(frames).contains("SET b 2");
        assertThat(from).isLessThan(h.engine.journal().backlogFirstOffset());
        assertThat(h.call("KEYS", "*")).isEqualTo(new RespValue.Array(List.of(RespValue.Bulk.of("b"))));
    }

    @Test
    void blockedClientIsServedAfterTheWholeTransaction() {
        BlockingTest.FakeConnection fc = new BlockingTest.FakeConnection();
        Session a = h.engine.openSession(fc);
        h.call("SET", "warm", "up");
        assertThat(BlockingTest.run(h, a, "BLPOP", "l", "0")).isEmpty();
        assertThat(a.blocked()).isTrue();
        long from = h.engine.journal().nextOffset();
        h.call("MULTI");
        h.call("RPUSH", "l", "x");
        h.call("RPUSH", "l", "y");
        h.call("SET", "after", "1");
        assertThat(fc.delivered).isEmpty();
        assertThat(h.raw("EXEC")).isEqualTo("*3\r\n:1\r\n:2\r\n+OK\r\n");
        assertThat(fc.delivered).containsExactly("*2\r\n$1\r\nl\r\n$1\r\nx\r\n");
        assertThat(a.blocked()).isFalse();
        List<String> frames = framesFrom(from);
        assertThat(frames.subList(0, 5)).containsExactly("MULTI", "RPUSH l x", "RPUSH l y", "SET after 1", "EXEC");
        assertThat(frames).hasSize(6);
        assertThat(frames.get(5)).startsWith("LPOP l");
        assertThat(h.call("LRANGE", "l", "0", "-1")).isEqualTo(new RespValue.Array(List.of(RespValue.Bulk.of("y"))));
    }

    @Test
    void keyReadyOnlyInTheMiddleOfTheTransactionServesNobody() {
        BlockingTest.FakeConnection fc = new BlockingTest.FakeConnection();
        Session a = h.engine.openSession(fc);
        BlockingTest.run(h, a, "BLPOP", "l", "0");
        h.call("MULTI");
        h.call("RPUSH", "l", "x");
        h.call("DEL", "l");
        h.call("EXEC");
        assertThat(fc.delivered).isEmpty();
        assertThat(a.blocked()).isTrue();
        h.call("RPUSH", "l", "z");
        assertThat(fc.delivered).containsExactly("*2\r\n$1\r\nl\r\n$1\r\nz\r\n");
    }
}
