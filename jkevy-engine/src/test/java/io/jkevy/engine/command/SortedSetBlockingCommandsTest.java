package io.jkevy.engine.command;

import io.jkevy.engine.BlockingTest.FakeConnection;
import io.jkevy.engine.EngineHarness;
import io.jkevy.engine.Session;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/** BZPOPMIN BZPOPMAX BZMPOP: immediate answers, waiting, serving, timeouts. */
class SortedSetBlockingCommandsTest {
    final EngineHarness h = new EngineHarness();

    String run(Session s, String... args) { return io.jkevy.engine.BlockingTest.run(h, s, args); }

    @Test
    void bzpopminAnswersAtOnceOrWaitsForZadd() {
        h.call("ZADD", "z", "1", "a", "2", "b");
        Session s = h.engine.openSession(new FakeConnection());
        assertThat(run(s, "BZPOPMIN", "none", "z", "0")).isEqualTo("*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n");
        assertThat(run(s, "BZPOPMAX", "z", "0")).isEqualTo("*3\r\n$1\r\nz\r\n$1\r\nb\r\n$1\r\n2\r\n");
        FakeConnection fc = new FakeConnection();
        Session w = h.engine.openSession(fc);
        assertThat(run(w, "BZPOPMIN", "z", "0")).isEmpty();
        h.call("ZADD", "z", "3.5", "c");
        assertThat(fc.delivered).containsExactly("*3\r\n$1\r\nz\r\n$1\r\nc\r\n$3\r\n3.5\r\n");
        assertThat(h.integer("EXISTS", "z")).isZero();
    }

    @Test
    void bzmpopTimesOutWithNullAndServesCount() {
        FakeConnection t = new FakeConnection();
        Session st = h.engine.openSession(t);
        run(st, "BZMPOP", "0.1", "1", "nothing", "MIN");
        t.timers.get(0).run();
        assertThat(t.delivered).containsExactly("*-1\r\n");

        FakeConnection fc = new FakeConnection();
        Session s = h.engine.openSession(fc);
        assertThat(run(s, "BZMPOP", "0", "2", "a", "b", "MAX", "COUNT", "2")).isEmpty();
        h.call("ZADD", "b", "1", "x", "2", "y", "3", "z");
        assertThat(fc.delivered).containsExactly(
                "*2\r\n$1\r\nb\r\n*2\r\n*2\r\n$1\r\nz\r\n$1\r\n3\r\n*2\r\n$1\r\ny\r\n$1\r\n2\r\n");
        assertThat(h.error("BZPOPMIN", "k", "-1")).isEqualTo("ERR timeout is negative");
    }
}
