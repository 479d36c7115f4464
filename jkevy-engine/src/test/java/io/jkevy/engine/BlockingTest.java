package io.jkevy.engine;

import io.jkevy.engine.command.CommandTable;
import io.jkevy.resp.RespReplyParser;
import io.jkevy.resp.RespValue;
import io.jkevy.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blocking machinery with a minimal blocking command registered for the test: TBPOP key...
 * timeout-ms pops (GETs and DELs) the first existing string key, or blocks on all of them.
 */
public class BlockingTest {
    /** A connection that records what is delivered to it and runs scheduled tasks on demand. */
    public static final class FakeConnection implements Connection {
        public final List<String> delivered = new ArrayList<>();
        public final List<Runnable> timers = new ArrayList<>();
        int resumes;
        boolean closed;

        @Override public void close() { closed = true; }

        @Override public String remoteAddress() { return "127.0.0.1:1"; }

        @Override public String localAddress() { return "127.0.0.1:6379"; }

        @Override public void deliver(ByteBuf reply) {
            delivered.add(reply.toString(StandardCharsets.ISO_8859_1));
            reply.release();
        }

        @Override public void resume() { resumes++; }

        @Override public Runnable schedule(long delayMillis, Runnable task) {
            timers.add(task);
            return () -> timers.remove(task);
        }
    }

    EngineHarness h;

    @BeforeEach
    void setUp() {
        h = new EngineHarness();
        h.engine.commands().add(CommandTable.spec("tbpop", -3, "write blocking", 1, -2, 1, "@write @blocking", "generic",
                "0.0.0", "test pop", c -> {
                    for (int i = 1; i < c.argc() - 1; i++) {
                        Object v = c.db().get(c.arg(i));
                        if (v instanceof byte[] b) {
                            c.db().remove(c.arg(i));
                            c.propagate("DEL".getBytes(StandardCharsets.US_ASCII), c.arg(i));
                            c.touched(c.arg(i));
                            c.out().arrayHeader(2);
                            c.out().bulk(c.arg(i));
                            c.out().bulk(b);
                            return;
                        }
                    }
                    byte[][] keys = java.util.Arrays.copyOfRange(c.argv(), 1, c.argc() - 1);
                    c.block(keys, c.longArg(c.argc() - 1), out -> out.nullArray());
                }));
    }

    /** Runs a command on a session with its own connection; returns the immediate reply bytes. */
    public static String run(EngineHarness h, Session s, String... args) {
        ByteBuf buf = Unpooled.buffer();
        try {
            RespWriter w = new RespWriter();
            w.target(buf);
            byte[][] argv = EngineHarness.toBytes(args);
            h.engine.execute(s, argv, w);
            return buf.toString(StandardCharsets.ISO_8859_1);
        } finally {
            buf.release();
        }
    }

    String run(Session s, String... args) { return run(h, s, args); }

    @Test
    void servesImmediatelyWhenDataIsThere() {
        FakeConnection fc = new FakeConnection();
        Session s = h.engine.openSession(fc);
        h.call("SET", "a", "1");
        assertThat(run(s, "TBPOP", "a", "0")).isEqualTo("*2\r\n$1\r\na\r\n$1\r\n1\r\n");
        assertThat(s.blocked()).isFalse();
    }

    @Test
    void blockedClientsAreServedInFifoOrderByTheWriter() {
        FakeConnection c1 = new FakeConnection(), c2 = new FakeConnection();
        Session s1 = h.engine.openSession(c1), s2 = h.engine.openSession(c2);
        assertThat(run(s1, "TBPOP", "k", "0")).isEmpty();
        assertThat(run(s2, "TBPOP", "k", "0")).isEmpty();
        assertThat(s1.blocked()).isTrue();
        assertThat(s2.blocked()).isTrue();
        assertThat(h.engine.blockedClients()).isEqualTo(2);
        long before = h.engine.journal().nextOffset();

        h.call("SET", "k", "first");
        assertThat(c1.delivered).containsExactly("*2\r\n$1\r\nk\r\n$5\r\nfirst\r\n");
        assertThat(c1.resumes).isEqualTo(1);
        assertThat(c2.delivered).isEmpty();
        assertThat(s1.blocked()).isFalse();
        assertThat(s2.blocked()).isTrue();
        // the served pop is journaled as the write it made, right after the SET
        List<String> frames = new ArrayList<>();
        var r = (io.jkevy.journal.Journal.Read.Frames) h.engine.journal().read(before, 10);
        for (byte[] f : r.frames()) frames.add(String.join(" ", decode(f)));
        assertThat(frames).containsExactly("SELECT 0", "SET k first", "DEL k");   // first write of a fresh journal

        h.call("SET", "k", "second");
        assertThat(c2.delivered).containsExactly("*2\r\n$1\r\nk\r\n$6\r\nsecond\r\n");
        assertThat(h.engine.blockedClients()).isZero();
        assertThat(h.call("EXISTS", "k")).isEqualTo(new RespValue.Integer(0));
    }

    @Test
    void blockOnSeveralKeysIsServedOnceByWhicheverComesFirst() {
        FakeConnection fc = new FakeConnection();
        Session s = h.engine.openSession(fc);
        run(s, "TBPOP", "x", "y", "0");
        h.call("SET", "y", "v");
        assertThat(fc.delivered).containsExactly("*2\r\n$1\r\ny\r\n$1\r\nv\r\n");
        h.call("SET", "x", "w");                       // no longer blocked: x stays
        assertThat(fc.delivered).hasSize(1);
        assertThat(h.bulk("GET", "x")).isEqualTo("w");
    }

    @Test
    void timeoutAnswersWithTheCommandsTimeoutReply() {
        FakeConnection fc = new FakeConnection();
        Session s = h.engine.openSession(fc);
        run(s, "TBPOP", "t", "150");
        assertThat(fc.timers).hasSize(1);
        fc.timers.get(0).run();
        assertThat(fc.delivered).containsExactly("*-1\r\n");
        assertThat(s.blocked()).isFalse();
        h.call("SET", "t", "late");
        assertThat(fc.delivered).hasSize(1);
        assertThat(h.bulk("GET", "t")).isEqualTo("late");
    }

    @Test
    void clientUnblockWithTimeoutOrError() {
        FakeConnection a = new FakeConnection(), b = new FakeConnection();
        Session sa = h.engine.openSession(a), sb = h.engine.openSession(b);
        run(sa, "TBPOP", "u", "0");
        run(sb, "TBPOP", "u", "0");
        assertThat(h.integer("CLIENT", "UNBLOCK", Long.toString(sa.id()))).isEqualTo(1);
        assertThat(a.delivered).containsExactly("*-1\r\n");
        assertThat(h.integer("CLIENT", "UNBLOCK", Long.toString(sb.id()), "ERROR")).isEqualTo(1);
        assertThat(b.delivered).containsExactly("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n");
        assertThat(h.integer("CLIENT", "UNBLOCK", Long.toString(sb.id()))).isZero();
        assertThat(h.error("CLIENT", "UNBLOCK", "1", "MAYBE")).isEqualTo("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
    }

    @Test
    void disconnectedBlockedClientLeavesNothingBehind() {
        FakeConnection fc = new FakeConnection();
        Session s = h.engine.openSession(fc);
        run(s, "TBPOP", "gone", "0");
        h.engine.closeSession(s);
        assertThat(h.engine.blockedClients()).isZero();
        h.call("SET", "gone", "kept");
        assertThat(fc.delivered).isEmpty();
        assertThat(h.bulk("GET", "gone")).isEqualTo("kept");
    }

    @Test
    void blockedClientsShowInInfo() {
        Session s = h.engine.openSession(new FakeConnection());
        run(s, "TBPOP", "i", "0");
        assertThat(h.bulk("INFO", "clients")).contains("blocked_clients:1");
    }

    @Test
    void xreadBlockOnDollarGetsOnlyTheNewEntry() {
        h.call("XADD", "s", "1-0", "f", "old");
        FakeConnection fc = new FakeConnection();
        Session s = h.engine.openSession(fc);
        assertThat(run(s, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")).isEmpty();
        assertThat(s.blocked()).isTrue();
        h.call("XADD", "s", "2-0", "f", "new");
        assertThat(fc.delivered).containsExactly(
                "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$3\r\nnew\r\n");
        assertThat(s.blocked()).isFalse();
    }

    @Test
    void xreadBlockTimesOutWithNull() {
        FakeConnection fc = new FakeConnection();
        Session s = h.engine.openSession(fc);
        run(s, "XREAD", "BLOCK", "50", "STREAMS", "nothing", "0");
        assertThat(fc.timers).hasSize(1);
        fc.timers.get(0).run();
        assertThat(fc.delivered).containsExactly("*-1\r\n");
    }

    @Test
    void xreadgroupBlockIsServedAndRecordsThePendingEntry() {
        h.call("XGROUP", "CREATE", "g", "grp", "$", "MKSTREAM");
        FakeConnection fc = new FakeConnection();
        Session s = h.engine.openSession(fc);
        assertThat(run(s, "XREADGROUP", "GROUP", "grp", "alice", "BLOCK", "0", "STREAMS", "g", ">")).isEmpty();
        h.call("XADD", "g", "5-0", "k", "v");
        assertThat(fc.delivered).hasSize(1);
        assertThat(fc.delivered.get(0)).contains("5-0");
        assertThat(h.call("XPENDING", "g", "grp").toString()).contains("alice");
    }

    static String[] decode(byte[] frame) {
        byte[][] argv = io.jkevy.journal.Frames.decodeArgv(frame);
        String[] out = new String[argv.length];
        for (int i = 0; i < argv.length; i++) out[i] = new String(argv[i], StandardCharsets.UTF_8);
        return out;
    }

    @SuppressWarnings("unused")
    private static RespValue parse(String s) {
        ByteBuf b = Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
        try {
            return new RespReplyParser().parse(b);
        } finally {
            b.release();
        }
    }
}
