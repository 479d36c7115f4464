package io.jkevy.engine;

/**
 * Thrown by a command body to answer with an error reply (message without the leading '-').
 * Stackless: it is control flow on the error path, not a bug report. A body must throw it
 * before it changes anything, or record the effects of what it already changed.
 */
public final class CommandError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandError(String message) { super(message, null, false, false); }
}
