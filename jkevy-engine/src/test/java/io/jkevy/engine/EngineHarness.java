package io.jkevy.engine;

import io.jkevy.resp.RespReplyParser;
import io.jkevy.resp.RespValue;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.Clock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * Runs commands against a fresh in-process engine and decodes the replies, for command unit
 * tests. Time is a settable clock ({@link #advance}), so expiry is tested without sleeping.
 */
public final class EngineHarness {
    public final Engine engine;
    public final Session session;
    private final RespWriter writer = new RespWriter();
    private long nowMillis = 1_700_000_000_000L;

    public EngineHarness() { this(16, 16); }

    public EngineHarness(int databases, int stripes) {
        Clock clock = () -> nowMillis;
        engine = new Engine(databases, stripes, clock);
        session = engine.openSession(Connection.NONE);
    }

    /** A second client of the same engine. */
    public EngineHarness.Client client() { return new Client(engine.openSession(Connection.NONE)); }

    public long now() { return nowMillis; }

    public void advance(long millis) { nowMillis += millis; }

    public RespValue call(String... args) { return callOn(session, writer, args); }

    public RespValue call(byte[]... args) { return callOn(session, writer, args); }

    /** The reply as a bulk string (UTF-8), null for a null reply; fails on any other type. */
    public String bulk(String... args) {
        RespValue v = call(args);
        if (v instanceof RespValue.Null) return null;
        if (v instanceof RespValue.Bulk b) return b.value() == null ? null : new String(b.value(), StandardCharsets.UTF_8);
        throw new AssertionError("expected a bulk reply to " + String.join(" ", args) + ", got " + v);
    }

    /** The reply as an integer; fails on any other type. */
    public long integer(String... args) {
        RespValue v = call(args);
        if (v instanceof RespValue.Integer i) return i.value();
        throw new AssertionError("expected an integer reply to " + String.join(" ", args) + ", got " + v);
    }

    /** The reply as an error message (without '-'); fails on any other type. */
    public String error(String... args) {
        RespValue v = call(args);
        if (v instanceof RespValue.Error e) return e.message();
        throw new AssertionError("expected an error reply to " + String.join(" ", args) + ", got " + v);
    }

    /** The reply as a simple string; fails on any other type. */
    public String simple(String... args) {
        RespValue v = call(args);
        if (v instanceof RespValue.SimpleString s) return s.value();
        throw new AssertionError("expected a simple-string reply to " + String.join(" ", args) + ", got " + v);
    }

    /** The raw reply bytes of one command, as a String (ISO-8859-1), for exact-bytes checks. */
    public String raw(String... args) {
        byte[][] argv = toBytes(args);
        ByteBuf buf = Unpooled.buffer();
        try {
            writer.target(buf);
            engine.execute(session, argv, writer);
            engine.flushStats(session);
            return buf.toString(StandardCharsets.ISO_8859_1);
        } finally {
            buf.release();
        }
    }

    /** Switches the harness session's reply protocol (as HELLO would). */
    public void protocol(int p) { writer.protocol(p); session.protocol(p); }

    static byte[][] toBytes(String... args) {
        byte[][] argv = new byte[args.length][];
        for (int i = 0; i < args.length; i++) argv[i] = args[i].getBytes(StandardCharsets.UTF_8);
        return argv;
    }

    RespValue callOn(Session s, RespWriter w, String... args) { return callOn(s, w, toBytes(args)); }

    RespValue callOn(Session s, RespWriter w, byte[]... argv) {
        ByteBuf buf = Unpooled.buffer();
        try {
            w.target(buf);
            engine.execute(s, argv, w);
            engine.flushStats(s);
            if (!buf.isReadable()) return null;        // suppressed (CLIENT REPLY OFF/SKIP)
            RespValue v = new RespReplyParser().parse(buf);
            if (buf.isReadable()) throw new AssertionError("more than one reply: " + buf.toString(StandardCharsets.ISO_8859_1));
            return v;
        } finally {
            buf.release();
        }
    }

    /** Another session on the same engine. */
    public final class Client {
        public final Session session;
        private final RespWriter w = new RespWriter();

        Client(Session s) { session = s; }

        public RespValue call(String... args) { return callOn(session, w, args); }
    }
}
