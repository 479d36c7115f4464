package io.jkevy.engine;

/** The network side of a {@link Session}, supplied by whoever owns the socket. */
public interface Connection {
    /** Close after the replies already written are flushed. */
    void close();

    /** "ip:port" of the peer. */
    String remoteAddress();

    /** "ip:port" of the local end. */
    String localAddress();

    /** Bytes queued for output and not yet written to the socket. */
    default long outputBufferBytes() { return 0; }

    Connection NONE = new Connection() {
        @Override public void close() { }
        @Override public String remoteAddress() { return "127.0.0.1:0"; }
        @Override public String localAddress() { return "127.0.0.1:0"; }
    };
}
