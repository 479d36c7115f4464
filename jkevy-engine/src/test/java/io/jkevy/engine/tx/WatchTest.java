package io.jkevy.engine.tx;

import io.jkevy.engine.EngineHarness;
import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WATCH: which changes between WATCH and EXEC make EXEC answer the null array, each case
 * checked against redis-server 7.0.15 (see docs/transactions.md).
 */
class WatchTest {
    final EngineHarness h = new EngineHarness();
    final EngineHarness.Client other = h.client();

    /** MULTI; PING; EXEC on the harness session: true when it ran, false when aborted. */
    boolean execRuns() {
        h.call("MULTI");
        h.call("PING");
        String r = h.raw("EXEC");
        if (r.equals("*1\r\n+PONG\r\n")) return true;
        assertThat(r).isEqualTo("*-1\r\n");
        return false;
    }

    @Test
    void untouchedKeyLetsExecRun() {
        h.call("SET", "k", "1");
        assertThat(h.raw("WATCH", "k", "j")).isEqualTo("+OK\r\n");
        other.call("GET", "k");
        other.call("SET", "unrelated", "1");
        assertThat(execRuns()).isTrue();
    }

    @Test
    void writeByAnotherClientAbortsExec() {
        h.call("SET", "k", "1");
        h.call("WATCH", "k");
        other.call("INCR", "k");
        assertThat(execRuns()).isFalse();
        assertThat(h.bulk("GET", "k")).isEqualTo("2");
    }

    @Test
    void abortedExecRunsNothing() {
        h.call("WATCH", "k");
        other.call("SET", "k", "theirs");
        h.call("MULTI");
        h.call("SET", "k", "mine");
        assertThat(h.raw("EXEC")).isEqualTo("*-1\r\n");
        assertThat(h.bulk("GET", "k")).isEqualTo("theirs");
    }

    @Test
    void writeBySameClientOutsideTheTransactionAbortsExec() {
        h.call("WATCH", "k");
        h.call("SET", "k", "1");
        assertThat(execRuns()).isFalse();
    }

    @Test
    void writeThatLeavesTheSameValueStillCounts() {
        h.call("SET", "k", "1");
        h.call("WATCH", "k");
        other.call("SET", "k", "1");
        assertThat(execRuns()).isFalse();
    }

    @Test
    void absentKeyCreatedThenDeletedAbortsExec() {
        h.call("WATCH", "k");
        other.call("SET", "k", "1");
        other.call("DEL", "k");
        assertThat(execRuns()).isFalse();
    }

    @Test
    void deletingAnAbsentKeyOrAFailedWriteChangesNothing() {
        h.call("SET", "s", "x");
        h.call("WATCH", "k", "s");
        other.call("DEL", "k");
        other.call("LPUSH", "s", "v");          // WRONGTYPE: no write
        other.call("INCR", "s");                // not an integer: no write
        assertThat(execRuns()).isTrue();
    }

    @Test
    void keyInAnotherDatabaseIsADifferentKey() {
        h.call("WATCH", "k");
        other.call("SELECT", "1");
        other.call("SET", "k", "1");
        assertThat(execRuns()).isTrue();
    }

    @Test
    void watchFollowsTheDatabaseSelectedAtWatchTime() {
        h.call("SELECT", "2");
        h.call("WATCH", "k");
        h.call("SELECT", "0");
        other.call("SELECT", "2");
        other.call("SET", "k", "1");
        assertThat(execRuns()).isFalse();
    }

    @Test
    void renameOntoAWatchedKeyAndAwayFromIt() {
        h.call("SET", "a", "1");
        h.call("WATCH", "b");
        other.call("RENAME", "a", "b");
        assertThat(execRuns()).isFalse();
        h.call("WATCH", "b");
        other.call("RENAME", "b", "c");
        assertThat(execRuns()).isFalse();
    }

    @Test
    void expiryOfAWatchedKeyAbortsExecEvenBeforeItIsCollected() {
        h.call("SET", "k", "1", "PX", "100");
        h.call("WATCH", "k");
        h.advance(200);
        assertThat(execRuns()).isFalse();
    }

    @Test
    void expiryCollectedLazilyOrActivelyAbortsExec() {
        h.call("SET", "k", "1", "PX", "100");
        h.call("WATCH", "k");
        h.advance(200);
        other.call("GET", "k");
        assertThat(execRuns()).isFalse();

        h.call("SET", "k", "1", "PX", "100");
        h.call("WATCH", "k");
        h.advance(200);
        for (int i = 0; i < 5; i++) h.engine.cron();
        assertThat(h.integer("DBSIZE")).isZero();
        assertThat(execRuns()).isFalse();
    }

    @Test
    void settingAnExpiryIsAWrite() {
        h.call("SET", "k", "1");
        h.call("WATCH", "k");
        other.call("EXPIRE", "k", "100");
        assertThat(execRuns()).isFalse();
    }

    @Test
    void keyAlreadyExpiredAtWatchCountsAsAbsent() {
        h.call("SET", "k", "1", "PX", "50");
        h.advance(100);
        h.call("WATCH", "k");
        assertThat(execRuns()).as("still uncollected").isTrue();

        h.call("SET", "k", "1", "PX", "50");
        h.advance(100);
        h.call("WATCH", "k");
        other.call("GET", "k");                 // collects it: no logical change
        assertThat(execRuns()).isTrue();

        h.call("SET", "k", "1", "PX", "50");
        h.advance(100);
        h.call("WATCH", "k");
        other.call("SET", "k", "2");
        assertThat(execRuns()).isFalse();
    }

    @Test
    void watchDoesNotCollectAnExpiredKey() {
        h.call("SET", "k", "1", "PX", "50");
        h.advance(100);
        long before = h.engine.journal().nextOffset();
        h.call("WATCH", "k");
        assertThat(h.engine.journal().nextOffset()).isEqualTo(before);
        assertThat(h.integer("DBSIZE")).isEqualTo(1);
    }

    @Test
    void flushAllAbortsOnlyWhenTheWatchedKeyExisted() {
        h.call("WATCH", "k");
        other.call("FLUSHALL");
        assertThat(execRuns()).isTrue();

        h.call("SET", "k", "1");
        h.call("WATCH", "k");
        other.call("FLUSHALL");
        assertThat(execRuns()).isFalse();

        h.call("SET", "k", "1", "PX", "50");
        h.advance(100);
        h.call("WATCH", "k");
        other.call("FLUSHALL");
        assertThat(execRuns()).as("expired at WATCH").isTrue();
    }

    @Test
    void flushDbAbortsWhenTheWatchedKeyExisted() {
        h.call("SET", "k", "1");
        h.call("WATCH", "k");
        other.call("FLUSHDB");
        assertThat(execRuns()).isFalse();

        other.call("SELECT", "1");
        other.call("SET", "k", "1");
        h.call("WATCH", "k");
        other.call("FLUSHDB");                  // db 1: not the watched key
        assertThat(execRuns()).isTrue();
    }

    @Test
    void swapDbAbortsWhenEitherSideHasTheKey() {
        h.call("WATCH", "k");
        other.call("SWAPDB", "0", "1");
        assertThat(execRuns()).as("absent on both sides").isTrue();

        other.call("SELECT", "1");
        other.call("SET", "k", "1");
        h.call("WATCH", "k");
        other.call("SWAPDB", "0", "1");
        assertThat(execRuns()).as("brought in").isFalse();

        h.call("WATCH", "k");                   // k is in db 0 now
        other.call("SWAPDB", "0", "1");
        assertThat(execRuns()).as("swapped out").isFalse();
    }

    @Test
    void swapDbWithTheSameVersionOnBothSidesStillAborts() {
        // one EXEC wrote k in db 0 and db 1: same journal group, same version
        h.call("MULTI");
        h.call("SET", "k", "a");
        h.call("SELECT", "1");
        h.call("SET", "k", "b");
        h.call("SELECT", "0");
        h.call("EXEC");
        h.call("WATCH", "k");
        other.call("SWAPDB", "0", "1");
        assertThat(execRuns()).isFalse();
    }

    @Test
    void swappedOutAndBackUnchangedStillAborts() {
        h.call("SET", "k", "1");
        h.call("WATCH", "k");
        other.call("SWAPDB", "0", "1");
        other.call("SWAPDB", "0", "1");
        assertThat(h.bulk("GET", "k")).isEqualTo("1");
        assertThat(execRuns()).isFalse();
    }

    @Test
    void liveKeySwappedInThenExpiredStillAborts() {
        other.call("SELECT", "1");
        other.call("SET", "k", "1", "PX", "50");
        h.call("WATCH", "k");
        other.call("SWAPDB", "0", "1");
        h.advance(100);
        assertThat(execRuns()).isFalse();
    }

    @Test
    void expiredKeySwappedInAndBackOutChangesNothing() {
        other.call("SELECT", "1");
        other.call("SET", "k", "1", "PX", "50");
        h.advance(100);
        h.call("WATCH", "k");
        other.call("SWAPDB", "0", "1");
        other.call("SWAPDB", "0", "1");
        assertThat(execRuns()).isTrue();
    }

    @Test
    void expiredKeySwappedInOrOutChangesNothing() {
        other.call("SELECT", "1");
        other.call("SET", "k", "1", "PX", "50");
        h.advance(100);
        h.call("WATCH", "k");
        other.call("SWAPDB", "0", "1");
        assertThat(execRuns()).as("swapped in").isTrue();
        h.call("WATCH", "k");                   // db 0 holds the expired k now
        other.call("SWAPDB", "0", "1");
        assertThat(execRuns()).as("swapped out").isTrue();
    }

    @Test
    void unwatchExecDiscardAndResetForgetWatches() {
        h.call("WATCH", "k");
        h.call("SET", "k", "1");
        assertThat(h.raw("UNWATCH")).isEqualTo("+OK\r\n");
        assertThat(execRuns()).as("after UNWATCH").isTrue();

        h.call("WATCH", "k");
        assertThat(execRuns()).isTrue();
        h.call("SET", "k", "2");
        assertThat(execRuns()).as("EXEC unwatched").isTrue();

        h.call("WATCH", "k");
        h.call("MULTI");
        h.call("DISCARD");
        h.call("SET", "k", "3");
        assertThat(execRuns()).as("DISCARD unwatched").isTrue();

        h.call("WATCH", "k");
        h.call("RESET");
        h.call("SET", "k", "4");
        assertThat(execRuns()).as("RESET unwatched").isTrue();

        h.call("WATCH", "k");
        other.call("SET", "k", "5");
        assertThat(execRuns()).as("aborted EXEC").isFalse();
        other.call("SET", "k", "6");
        assertThat(execRuns()).as("the aborted EXEC unwatched too").isTrue();
        assertThat(h.engine.watches().any()).isFalse();
    }

    @Test
    void unwatchQueuedInsideMultiComesTooLate() {
        h.call("WATCH", "k");
        other.call("SET", "k", "1");
        h.call("MULTI");
        h.call("UNWATCH");
        assertThat(h.raw("EXEC")).isEqualTo("*-1\r\n");
    }

    @Test
    void watchingTwiceKeepsTheFirstWatch() {
        h.call("WATCH", "k");
        other.call("SET", "k", "1");
        h.call("WATCH", "k", "k");
        assertThat(h.session.tx().watchedCount()).isEqualTo(1);
        assertThat(execRuns()).isFalse();
    }

    @Test
    void theTransactionsOwnWritesDoNotAbortItButAbortOtherWatchers() {
        var w2 = h.client();
        w2.call("WATCH", "k");
        h.call("WATCH", "k");
        h.call("MULTI");
        h.call("SET", "k", "mine");
        assertThat(h.raw("EXEC")).isEqualTo("*1\r\n+OK\r\n");
        w2.call("MULTI");
        w2.call("SET", "k", "theirs");
        assertThat(w2.call("EXEC")).isEqualTo(new RespValue.Array(null));
        assertThat(h.bulk("GET", "k")).isEqualTo("mine");
    }

    @Test
    void disconnectDropsTheSessionsWatches() {
        var w2 = h.client();
        w2.call("WATCH", "a", "b");
        w2.call("MULTI");
        assertThat(h.engine.watches().watchedKeys()).isEqualTo(2);
        h.engine.closeSession(w2.session);
        assertThat(h.engine.watches().watchedKeys()).isZero();
        assertThat(h.engine.watches().any()).isFalse();
        assertThat(w2.session.tx().inMulti()).isFalse();
    }
}
