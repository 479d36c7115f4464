package io.jkevy.embedded;

import io.jkevy.engine.Connection;
import io.jkevy.engine.Engine;
import io.jkevy.engine.Session;
import io.jkevy.resp.RespReplyParser;
import io.jkevy.resp.RespValue;
import io.jkevy.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Channels or patterns a {@link MessageListener} is subscribed to, through a subscriber of its
 * own on the engine's pub/sub hub (exactly what a SUBSCRIBE client is). Messages are handed to
 * the listener on the publishing thread, in publish order; keep the callback short. Close it
 * to unsubscribe.
 */
public final class Subscription implements AutoCloseable {
    /** Receives published messages. */
    @FunctionalInterface
    public interface MessageListener {
        void onMessage(String channel, byte[] message);

        /** A message that matched a pattern subscription; by default the same as a channel message. */
        default void onPatternMessage(String pattern, String channel, byte[] message) { onMessage(channel, message); }
    }

    private final Engine engine;
    private final Session session;
    private final boolean patterns;
    private volatile boolean closed;

    private Subscription(Engine engine, MessageListener listener, boolean patterns) {
        this.engine = engine;
        this.patterns = patterns;
        this.session = engine.internalSession(new Connection() {
            private final RespReplyParser parser = new RespReplyParser();

            @Override public void close() { }

            @Override public String remoteAddress() { return "embedded:subscriber"; }

            @Override public String localAddress() { return "embedded:0"; }

            @Override public synchronized void deliver(ByteBuf frames) {
                try {
                    RespValue v;
                    while (frames.isReadable() && (v = parser.parse(frames)) != null) dispatch(listener, v);
                } finally {
                    frames.release();
                }
            }
        });
    }

    private static String s(RespValue v) { return new String(((RespValue.Bulk) v).value(), StandardCharsets.UTF_8); }

    private static void dispatch(MessageListener l, RespValue v) {
        if (!(v instanceof RespValue.Array a) || a.elements() == null || a.elements().isEmpty()) return;
        List<RespValue> e = a.elements();
        String kind = s(e.get(0));
        if (kind.equals("message") && e.size() == 3) l.onMessage(s(e.get(1)), ((RespValue.Bulk) e.get(2)).value());
        else if (kind.equals("pmessage") && e.size() == 4) l.onPatternMessage(s(e.get(1)), s(e.get(2)), ((RespValue.Bulk) e.get(3)).value());
    }

    static Subscription open(Engine engine, MessageListener listener, boolean patterns, String... names) {
        if (names.length == 0) throw new IllegalArgumentException("name at least one channel or pattern");
        Subscription sub = new Subscription(engine, listener, patterns);
        String[] argv = new String[names.length + 1];
        argv[0] = patterns ? "PSUBSCRIBE" : "SUBSCRIBE";
        System.arraycopy(names, 0, argv, 1, names.length);
        sub.run(argv);
        return sub;
    }

    private void run(String... args) {
        byte[][] argv = Commands.bytes(args);
        ByteBuf buf = Unpooled.buffer(64);
        try {
            RespWriter w = new RespWriter();
            w.target(buf);
            synchronized (this) {
                engine.execute(session, argv, w);
            }
        } finally {
            buf.release();
        }
    }

    /** Unsubscribes from everything this subscription listens to. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        run(patterns ? "PUNSUBSCRIBE" : "UNSUBSCRIBE");
        engine.closeSession(session);
    }
}
