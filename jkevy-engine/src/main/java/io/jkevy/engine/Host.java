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

    /**
     * CONFIG REWRITE: writes the running configuration back to {@link #configFile()}.
     * Throws with the reason (shown after "ERR Rewriting config file: ") when it cannot.
     */
    default void rewriteConfig() throws java.io.IOException {
        throw new java.io.IOException("this host cannot rewrite its configuration");
    }

    Host NONE = new Host() {
        @Override public void shutdown() { }
        @Override public int port() { return 0; }
    };
}
