package io.jkevy.resp;

/**
 * A protocol violation. The message is the complete error reply text without the leading
 * {@code '-'}, ready for {@code RespWriter.error(getMessage())}; after it the connection must be
 * closed because the stream position is no longer trustworthy.
 *
 * <p>No stack trace is captured: these are thrown on hostile input and must stay cheap.
 */
public final class RespProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RespProtocolException(String message) {
        super(message, null, false, false);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
