package io.jkevy.server;

import io.jkevy.engine.Engine;
import io.jkevy.store.Clock;

import java.util.LinkedHashMap;
import java.util.Map;

/** An in-process server on a free loopback port, for client tests. */
public final class TestServer implements AutoCloseable {
    public final JkevyServer server;
    public final Engine engine;

    public TestServer() { this(Map.of()); }

    public TestServer(Map<String, String> extra) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("port", "0");
        s.put("bind", "127.0.0.1");
        s.put("threads", "2");
        s.putAll(extra);
        try {
            engine = Engine.create(s, Clock.SYSTEM, Main::registerServerKeys);
            server = new JkevyServer(engine, "127.0.0.1", 0, Integer.parseInt(engine.config().get("threads")), "defaults");
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() { return server.port(); }

    public String host() { return "127.0.0.1"; }

    @Override
    public void close() { server.stop(); }
}
