package io.jkevy.engine.command;

import io.jkevy.engine.BlockingTest.FakeConnection;
import io.jkevy.engine.EngineHarness;
import io.jkevy.engine.Session;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP: immediate answers, waiting, serving, timeouts, effects. */
class ListBlockingCommandsTest {
    final EngineHarness h = new EngineHarness();

    String run(Session s, String... args) { return io.jkevy.engine.BlockingTest.run(h, s, args); }

    /** The journaled effects since {@code offset}, without SELECT frames. */
    List<String> effectsSince(long offset) {
        List<String> out = new ArrayList<>();
        var r = (io.jkevy.journal.Journal.Read.Frames) h.engine.journal().read(offset, 100);
        for (byte[] f : r.frames()) {
            List<String> a = new ArrayList<>();
            for (byte[] x : io.jkevy.journal.Frames.decodeArgv(f)) a.add(new String(x, StandardCharsets.UTF_8));
            if (!a.get(0).equals("SELECT")) out.add(String.join(" ", a));
        }
        return out;
    }

    @Test
    void blpopAnswersAtOnceWhenAListHasElements() {
        h.call("RPUSH", "b", "x", "y");
        Session s = h.engine.openSession(new FakeConnection());
        long off = h.engine.journal().nextOffset();
        assertThat(run(s, "BLPOP", "a", "b", "0")).isEqualTo("*2\r\n$1\r\nb\r\n$1\r\nx\r\n");
        assertThat(run(s, "BRPOP", "b", "0")).isEqualTo("*2\r\n$1\r\nb\r\n$1\r\ny\r\n");
        assertThat(effectsSince(off)).containsExactly("LPOP b", "RPOP b");
        assertThat(h.integer("EXISTS", "b")).isZero();
    }

    @Test
    void blpopWaitsAndIsServedByTheNextPushInFifoOrder() {
        FakeConnection c1 = new FakeConnection(), c2 = new FakeConnection();
        Session s1 = h.engine.openSession(c1), s2 = h.engine.openSession(c2);
        assertThat(run(s1, "BLPOP", "q", "0")).isEmpty();
        assertThat(run(s2, "BRPOP", "q", "0")).isEmpty();
        long off = h.engine.journal().nextOffset();
        h.call("RPUSH", "q", "one", "two", "three");
        assertThat(c1.delivered).containsExactly("*2\r\n$1\r\nq\r\n$3\r\none\r\n");
        assertThat(c2.delivered).containsExactly("*2\r\n$1\r\nq\r\n$5\r\nthree\r\n");
        assertThat(h.call("LRANGE", "q", "0", "-1").toString()).contains("two");
        assertThat(effectsSince(off)).containsExactly("RPUSH q one two three", "LPOP q", "RPOP q");
    }

    @Test
    void timeoutRepliesNullAndRejectsBadTimeouts() {
        FakeConnection fc = new FakeConnection();
        Session s = h.engine.openSession(fc);
        run(s, "BLPOP", "none", "0.05");
        assertThat(fc.timers).hasSize(1);
        fc.timers.get(0).run();
        assertThat(fc.delivered).containsExactly("*-1\r\n");
        assertThat(h.error("BLPOP", "k", "-1")).isEqualTo("ERR timeout is negative");
        assertThat(h.error("BLPOP", "k", "abc")).isEqualTo("ERR timeout is not a float or out of range");
        h.call("SET", "str", "v");
        assertThat(h.error("BLPOP", "str", "0")).startsWith("WRONGTYPE");
    }

    @Test
    void blmoveAndBrpoplpushMoveWhenServed() {
        FakeConnection fc = new FakeConnection();
        Session s = h.engine.openSession(fc);
        assertThat(run(s, "BLMOVE", "src", "dst", "LEFT", "RIGHT", "0")).isEmpty();
        long off = h.engine.journal().nextOffset();
        h.call("LPUSH", "src", "v");
        assertThat(fc.delivered).containsExactly("$1\r\nv\r\n");
        assertThat(h.call("LRANGE", "dst", "0", "-1").toString()).contains("v");
        assertThat(effectsSince(off)).containsExactly("LPUSH src v", "LMOVE src dst LEFT RIGHT");
        h.call("RPUSH", "src2", "a", "b");
        assertThat(run(s, "BRPOPLPUSH", "src2", "dst2", "0")).isEqualTo("$1\r\nb\r\n");
        FakeConnection t = new FakeConnection();
        Session st = h.engine.openSession(t);
        run(st, "BRPOPLPUSH", "empty", "d", "1");
        t.timers.get(0).run();
        assertThat(t.delivered).containsExactly("$-1\r\n");
    }

    @Test
    void blmpopPopsCountFromTheFirstReadyKey() {
        FakeConnection fc = new FakeConnection();
        Session s = h.engine.openSession(fc);
        assertThat(run(s, "BLMPOP", "0", "2", "l1", "l2", "RIGHT", "COUNT", "2")).isEmpty();
        long off = h.engine.journal().nextOffset();
        h.call("RPUSH", "l2", "a", "b", "c");
        assertThat(fc.delivered).containsExactly("*2\r\n$2\r\nl2\r\n*2\r\n$1\r\nc\r\n$1\r\nb\r\n");
        assertThat(effectsSince(off)).containsExactly("RPUSH l2 a b c", "RPOP l2 2");
        assertThat(h.error("BLMPOP", "0", "0", "k", "LEFT")).isEqualTo("ERR numkeys should be greater than 0");
    }

    @Test
    void aChainOfBlmovesIsServedInTurn() {
        FakeConnection a = new FakeConnection(), b = new FakeConnection();
        Session sa = h.engine.openSession(a), sb = h.engine.openSession(b);
        run(sb, "BLPOP", "stage2", "0");                       // waits for what the BLMOVE delivers
        run(sa, "BLMOVE", "stage1", "stage2", "LEFT", "LEFT", "0");
        h.call("RPUSH", "stage1", "item");
        assertThat(a.delivered).containsExactly("$4\r\nitem\r\n");
        assertThat(b.delivered).containsExactly("*2\r\n$6\r\nstage2\r\n$4\r\nitem\r\n");
        assertThat(h.integer("EXISTS", "stage1", "stage2")).isZero();
    }
}
