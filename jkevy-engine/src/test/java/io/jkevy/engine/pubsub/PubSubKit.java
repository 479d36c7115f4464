package io.jkevy.engine.pubsub;

import io.jkevy.engine.Connection;
import io.jkevy.engine.Engine;
import io.jkevy.engine.Session;
import io.jkevy.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An engine with clients whose connections capture what other threads deliver to them, and
 * whose replies come back as raw RESP text ("|" stands for CRLF in expectations).
 */
final class PubSubKit {
    long now = 1_700_000_000_000L;
    final Engine engine = new Engine(16, 4, () -> now);

    Client client() { return new Client(); }

    /** Expected RESP text: '|' is CRLF. */
    static String r(String s) { return s.replace("|", "\r\n"); }

    static final class Capture implements Connection {
        final List<String> delivered = new ArrayList<>();
        boolean closed;

        @Override public void close() { closed = true; }

        @Override public String remoteAddress() { return "127.0.0.1:1"; }

        @Override public String localAddress() { return "127.0.0.1:6379"; }

        @Override public synchronized void deliver(ByteBuf b) {
            delivered.add(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
    }

    final class Client {
        final Capture conn = new Capture();
        final Session session = engine.openSession(conn);
        private final RespWriter w = new RespWriter();

        /** Runs one command; its reply stream (with any pushes written inline) as text. */
        String cmd(String... args) {
            byte[][] argv = new byte[args.length][];
            for (int i = 0; i < args.length; i++) argv[i] = args[i].getBytes(StandardCharsets.UTF_8);
            ByteBuf buf = Unpooled.buffer();
            try {
                w.target(buf);
                w.protocol(session.protocol());
                engine.execute(session, argv, w);
                return buf.toString(StandardCharsets.ISO_8859_1);
            } finally {
                buf.release();
            }
        }

        /** Everything delivered out of band since the last call, concatenated. */
        synchronized String take() {
            synchronized (conn) {
                String s = String.join("", conn.delivered);
                conn.delivered.clear();
                return s;
            }
        }

        Client resp3() {
            cmd("hello", "3");
            return this;
        }

        void close() { engine.closeSession(session); }

        long id() { return session.id(); }
    }
}
