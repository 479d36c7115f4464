package io.jkevy.engine.command;

/** Redis 7's error texts, verbatim (clients and test suites match on them). No leading '-'. */
public final class Errors {
    private Errors() { }

    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String SYNTAX = "ERR syntax error";
    public static final String OVERFLOW = "ERR increment or decrement would overflow";
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String OUT_OF_RANGE = "ERR index out of range";
    public static final String INVALID_DB = "ERR DB index is out of range";
    public static final String INVALID_EXPIRE = "ERR invalid expire time in '%s' command";
    public static final String STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
    public static final String BIT_OFFSET = "ERR bit offset is not an integer or out of range";
    public static final String BIT_VALUE = "ERR bit is not an integer or out of range";
    public static final String INCR_NAN = "ERR increment would produce NaN or Infinity";
    public static final String LOADING = "LOADING jkevy is loading the dataset in memory";

    public static String wrongArity(String name) {
        return "ERR wrong number of arguments for '" + name + "' command";
    }

    public static String invalidExpire(String cmd) {
        return "ERR invalid expire time in '" + cmd + "' command";
    }

    /** Redis 7's unknown-command error, quoting up to the first arguments. */
    public static String unknownCommand(byte[][] argv) {
        StringBuilder sb = new StringBuilder("ERR unknown command '");
        appendQuotedTrunc(sb, argv[0], 128);
        sb.append("', with args beginning with: ");
        int n = argv.length;
        int len = 0;
        for (int i = 1; i < n && len < 128; i++) {
            sb.append('\'');
            int before = sb.length();
            appendQuotedTrunc(sb, argv[i], 128 - len);
            len += sb.length() - before;
            sb.append("' ");
        }
        return sb.toString();
    }

    public static String unknownSubcommand(byte[] sub, String container) {
        StringBuilder sb = new StringBuilder("ERR unknown subcommand '");
        appendQuotedTrunc(sb, sub, 128);
        return sb.append("'. Try ").append(container.toUpperCase(java.util.Locale.ROOT)).append(" HELP.").toString();
    }

    private static void appendQuotedTrunc(StringBuilder sb, byte[] b, int max) {
        int n = Math.min(b.length, Math.max(0, max));
        for (int i = 0; i < n; i++) {
            char ch = (char) (b[i] & 0xff);
            sb.append(ch == '\r' || ch == '\n' ? ' ' : ch);
        }
    }
}
