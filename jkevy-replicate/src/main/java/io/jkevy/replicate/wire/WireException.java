package io.jkevy.replicate.wire;

/** A hard protocol error on the replication link: drop it and handshake again. */
public final class WireException extends Exception {
    private static final long serialVersionUID = 1L;

    public WireException(String message) { super(message); }
}
