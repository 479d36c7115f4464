package io.jkevy.engine.script;

import io.jkevy.engine.BlockingTest;
import io.jkevy.engine.EngineHarness;
import io.jkevy.engine.Session;
import io.jkevy.journal.Frames;
import io.jkevy.journal.Journal;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 3's rule for scripts: a key a script makes ready serves the clients blocked on it after
 * the script, whose effects come first in the journal; EVAL inside MULTI works too.
 */
class ScriptWakesBlockedTest {
    @Test
    void aKeyMadeReadyByAScriptServesItsWaitersAfterTheScript() {
        EngineHarness h = new EngineHarness();
        BlockingTest.FakeConnection conn = new BlockingTest.FakeConnection();
        Session waiter = h.engine.openSession(conn);
        assertThat(BlockingTest.run(h, waiter, "BLPOP", "jobs", "0")).isEmpty();
        assertThat(waiter.blocked()).isTrue();
        long before = h.engine.journal().nextOffset();
        // the script pushes two jobs and looks: the waiter must not have taken one yet
        assertThat(h.integer("EVAL", "redis.call('RPUSH', KEYS[1], 'a', 'b') return redis.call('LLEN', KEYS[1])", "1", "jobs"))
                .isEqualTo(2);
        assertThat(waiter.blocked()).isFalse();
        assertThat(conn.delivered).containsExactly("*2\r\n$4\r\njobs\r\n$1\r\na\r\n");
        assertThat(h.integer("LLEN", "jobs")).isEqualTo(1);
        List<String> journal = new ArrayList<>();
        for (byte[] f : ((Journal.Read.Frames) h.engine.journal().read(before, 100)).frames()) {
            byte[][] argv = Frames.decodeArgv(f);
            List<String> words = new ArrayList<>();
            for (byte[] a : argv) words.add(new String(a, StandardCharsets.UTF_8));
            journal.add(String.join(" ", words));
        }
        assertThat(journal).containsExactly("SELECT 0", "RPUSH jobs a b", "LPOP jobs");
    }

    @Test
    void evalInsideMultiRunsAtExecAndServesWaitersAfterIt() {
        EngineHarness h = new EngineHarness();
        BlockingTest.FakeConnection conn = new BlockingTest.FakeConnection();
        Session waiter = h.engine.openSession(conn);
        BlockingTest.run(h, waiter, "BLPOP", "q", "0");
        assertThat(h.simple("MULTI")).isEqualTo("OK");
        assertThat(h.simple("EVAL", "return redis.call('LPUSH', KEYS[1], ARGV[1])", "1", "q", "x")).isEqualTo("QUEUED");
        assertThat(h.simple("SET", "after", "1")).isEqualTo("QUEUED");
        assertThat(waiter.blocked()).isTrue();
        assertThat(h.raw("EXEC")).isEqualTo("*2\r\n:1\r\n+OK\r\n");
        assertThat(waiter.blocked()).isFalse();
        assertThat(conn.delivered).containsExactly("*2\r\n$1\r\nq\r\n$1\r\nx\r\n");
    }
}
