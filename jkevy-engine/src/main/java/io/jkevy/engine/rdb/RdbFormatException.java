package io.jkevy.engine.rdb;

/** Malformed RDB-encoded data (a RESTORE payload that passed its checksum but does not parse). */
public final class RdbFormatException extends Exception {
    public RdbFormatException(String message) { super(message, null, false, false); }
}
