package io.jkevy.engine;

/**
 * What the engine asks of the process that embeds it. The server module implements it with
 * Netty and signals; the embedded store with its own lifecycle.
 */
public interface Host {
    /** Stop accepting work and exit cleanly (SHUTDOWN). */
    void shutdown();

    /** The TCP port clients use, 0 when there is none. */
    int port();

    /** Where the configuration came from, for INFO ("file /path" or "defaults"). */
    default String configFile() { return ""; }

    Host NONE = new Host() {
        @Override public void shutdown() { }
        @Override public int port() { return 0; }
    };
}
