package io.jkevy.embedded;

/**
 * An error reply from the engine, as an exception. The subclass is chosen by the error's
 * prefix (the first word of a Redis error: {@code WRONGTYPE}, {@code OOM}, ...); anything
 * else, {@code ERR} included, is a plain {@code JkevyException}.
 */
public class JkevyException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String prefix;

    public JkevyException(String message) {
        super(message);
        int sp = message.indexOf(' ');
        this.prefix = sp < 0 ? message : message.substring(0, sp);
    }

    /** The error's first word, e.g. {@code ERR}, {@code WRONGTYPE}. */
    public String prefix() { return prefix; }

    /** The exception for an error reply's text (without the leading '-'). */
    public static JkevyException of(String message) {
        String p = message.contains(" ") ? message.substring(0, message.indexOf(' ')) : message;
        return switch (p) {
            case "WRONGTYPE" -> new WrongTypeException(message);
            case "OOM" -> new OomException(message);
            case "NOSCRIPT" -> new NoScriptException(message);
            case "BUSY" -> new BusyException(message);
            case "EXECABORT" -> new ExecAbortException(message);
            case "NOPERM" -> new NoPermException(message);
            case "READONLY" -> new ReadOnlyException(message);
            case "LOADING" -> new LoadingException(message);
            case "REVMISMATCH" -> new RevMismatchException(message);
            case "FEEDRESYNC" -> new FeedResyncException(message);
            default -> new JkevyException(message);
        };
    }

    /** {@code -WRONGTYPE}: the key holds another type. */
    public static final class WrongTypeException extends JkevyException {
        private static final long serialVersionUID = 1L;
        public WrongTypeException(String m) { super(m); }
    }

    /** {@code -OOM}: maxmemory reached under noeviction. */
    public static final class OomException extends JkevyException {
        private static final long serialVersionUID = 1L;
        public OomException(String m) { super(m); }
    }

    /** {@code -NOSCRIPT}: EVALSHA of an unknown script. */
    public static final class NoScriptException extends JkevyException {
        private static final long serialVersionUID = 1L;
        public NoScriptException(String m) { super(m); }
    }

    /** {@code -BUSY}: a script or function is running past busy-reply-threshold. */
    public static final class BusyException extends JkevyException {
        private static final long serialVersionUID = 1L;
        public BusyException(String m) { super(m); }
    }

    /** {@code -EXECABORT}: a transaction was discarded. */
    public static final class ExecAbortException extends JkevyException {
        private static final long serialVersionUID = 1L;
        public ExecAbortException(String m) { super(m); }
    }

    /** {@code -NOPERM}: ACL denied. */
    public static final class NoPermException extends JkevyException {
        private static final long serialVersionUID = 1L;
        public NoPermException(String m) { super(m); }
    }

    /** {@code -READONLY}: a write against a replica. */
    public static final class ReadOnlyException extends JkevyException {
        private static final long serialVersionUID = 1L;
        public ReadOnlyException(String m) { super(m); }
    }

    /** {@code -LOADING}: the dataset is still being loaded. */
    public static final class LoadingException extends JkevyException {
        private static final long serialVersionUID = 1L;
        public LoadingException(String m) { super(m); }
    }

    /** {@code -REVMISMATCH}: a compare-and-set found another version. */
    public static final class RevMismatchException extends JkevyException {
        private static final long serialVersionUID = 1L;
        public RevMismatchException(String m) { super(m); }
    }

    /** {@code -FEEDRESYNC}: a feed cursor can no longer be served. */
    public static final class FeedResyncException extends JkevyException {
        private static final long serialVersionUID = 1L;
        public FeedResyncException(String m) { super(m); }
    }
}
