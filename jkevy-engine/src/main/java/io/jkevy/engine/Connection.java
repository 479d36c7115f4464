package io.jkevy.engine;

/** The network side of a {@link Session}, supplied by whoever owns the socket. */
public interface Connection {
    /** Close after the replies already written are flushed. */
    void close();

    /** "ip:port" of the peer. */
    String remoteAddress();

    /** "ip:port" of the local end. */
    String localAddress();

    /**
     * Sends reply bytes produced on another thread — a blocked client served by the writer
     * that made its key ready, or timed out. Takes ownership of {@code reply}; safe from any
     * thread, and ordered before anything the connection's own thread writes afterwards.
     */
    default void deliver(io.netty.buffer.ByteBuf reply) { reply.release(); }

    /** The session is no longer blocked: continue with the input that waited behind it. */
    default void resume() { }

    /**
     * Runs {@code task} on the connection's thread after {@code delayMillis}; returns an
     * action that cancels it (blocking-command timeouts).
     */
    default Runnable schedule(long delayMillis, Runnable task) { return () -> { }; }

    /** Bytes queued for output and not yet written to the socket. */
    default long outputBufferBytes() { return 0; }

    Connection NONE = new Connection() {
        @Override public void close() { }
        @Override public String remoteAddress() { return "127.0.0.1:0"; }
        @Override public String localAddress() { return "127.0.0.1:0"; }
    };
}
