package io.jkevy.engine.command.server;

import io.jkevy.engine.Args;
import io.jkevy.engine.CommandContext;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.Db;
import io.jkevy.store.Keyspace;
import io.jkevy.store.TypedValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * DEBUG: the subcommands tools and test suites use. Registered {@code global}: it runs under
 * every stripe lock, so DIGEST and POPULATE see and change a still keyspace, and SLEEP
 * blocks the server as it does in Redis.
 */
public final class Debug {
    private Debug() { }

    private static final Logger log = LoggerFactory.getLogger(Debug.class);
    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
    static final String ZERO_DIGEST = "0000000000000000000000000000000000000000";

    public static void debug(CommandContext c) {
        String sub = c.argString(1).toLowerCase(java.util.Locale.ROOT);
        int n = c.argc();
        switch (sub) {
            case "help" -> CommandIntrospection.helpLines(c.out(), HELP);
            case "sleep" -> { if (n != 3) throw syntax(c); sleep(c); }
            case "object" -> { if (n != 3) throw syntax(c); object(c); }
            case "set-active-expire" -> {
                if (n != 3) throw syntax(c);
                c.engine().activeExpire(atoi(c.arg(2)) != 0);
                c.out().ok();
            }
            case "populate" -> { if (n < 3 || n > 5) throw syntax(c); populate(c); }
            case "protocol" -> { if (n != 3) throw syntax(c); protocol(c); }
            case "digest" -> {
                if (n != 2) throw syntax(c);
                c.out().simple(Digest.hex(Digest.dataset(c.keyspace(), c.now())));
            }
            case "digest-value" -> digestValue(c);
            case "log" -> {
                if (n != 3) throw syntax(c);
                log.warn("DEBUG LOG: {}", c.argString(2));
                c.out().ok();
            }
            case "reload" -> io.jkevy.engine.persist.PersistCommands.debugReload(c);
            default -> throw syntax(c);
        }
    }

    private static io.jkevy.engine.CommandError syntax(CommandContext c) {
        StringBuilder sb = new StringBuilder("ERR unknown subcommand or wrong number of arguments for '");
        byte[] s = c.arg(1);
        for (int i = 0; i < Math.min(128, s.length); i++) {
            char ch = (char) (s[i] & 0xff);
            sb.append(ch == '\r' || ch == '\n' ? ' ' : ch);
        }
        return CommandContext.error(sb.append("'. Try DEBUG HELP.").toString());
    }

    /** C's atoi: optional sign and leading digits, 0 when there are none. */
    private static long atoi(byte[] b) {
        int i = 0;
        while (i < b.length && Character.isWhitespace(b[i])) i++;
        boolean neg = false;
        if (i < b.length && (b[i] == '-' || b[i] == '+')) neg = b[i++] == '-';
        long v = 0;
        while (i < b.length && b[i] >= '0' && b[i] <= '9' && v < Integer.MAX_VALUE) v = v * 10 + (b[i++] - '0');
        return neg ? -v : v;
    }

    /** DEBUG SLEEP seconds: a float, parsed leniently like C's strtod (garbage = 0). */
    private static void sleep(CommandContext c) {
        double secs;
        try {
            secs = Double.parseDouble(c.argString(2).trim());
        } catch (NumberFormatException e) {
            secs = 0;
        }
        long nanos = (long) (secs * 1e9);
        if (nanos > 0) {
            try {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        c.out().ok();
    }

    /** DEBUG OBJECT key: Redis's one-line description (status reply). */
    private static void object(CommandContext c) {
        Db db = c.db();
        byte[] key = c.arg(2);
        Object v = db.peek(key);
        if (v == null) throw CommandContext.error("ERR no such key");
        Keyspace ks = c.keyspace();
        int access = db.accessTime(key);
        long idle = Math.max(0, ks.lruClock() - access);
        String encoding;
        long serialized;
        if (v instanceof byte[] b) {
            encoding = stringEncoding(b);
            serialized = serializedStringLength(b);
        } else {
            encoding = ((TypedValue) v).encoding();
            serialized = 0;            // no RDB encoder for this type yet
        }
        c.out().simple("Value at:0x" + Integer.toHexString(System.identityHashCode(v)) + " refcount:1 encoding:" + encoding
                + " serializedlength:" + serialized + " lru:" + (access & 0xFFFFFF) + " lru_seconds_idle:" + idle);
    }

    /** Redis's string encodings: int (a canonical 64-bit integer), embstr (<= 44 bytes), raw. */
    static String stringEncoding(byte[] b) {
        if (b.length <= 20 && Args.isLong(b)) return "int";
        return b.length <= 44 ? "embstr" : "raw";
    }

    /**
     * Bytes an RDB file would use for the string, without LZF compression: small integers as
     * 1/2/4-byte integers plus a type byte, else a length prefix (1, 2, 5 or 9 bytes) and the bytes.
     */
    static long serializedStringLength(byte[] b) {
        if (b.length <= 11 && Args.isLong(b)) {
            long v = Args.parseLong(b);
            if (v >= -128 && v <= 127) return 2;
            if (v >= -32768 && v <= 32767) return 3;
            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return 5;
        }
        long n = b.length;
        int prefix = n < 64 ? 1 : n < 16384 ? 2 : n <= 0xFFFFFFFFL ? 5 : 9;
        return prefix + n;
    }

    /**
     * DEBUG POPULATE count [prefix] [size]: creates prefix:N = value:N (zero-padded or cut to
     * {@code size} bytes when given) for N in [0, count), skipping keys that exist; each new
     * key is journaled as a SET.
     */
    private static void populate(CommandContext c) {
        long count = positive(c.arg(2));
        String prefix = c.argc() >= 4 ? c.argString(3) : "key";
        long size = c.argc() == 5 ? positive(c.arg(4)) : 0;
        if (size > Math.min(c.engine().limits().maxBulkLen(), Integer.MAX_VALUE - 8)) {
            throw CommandContext.error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        }
        Db db = c.db();
        for (long j = 0; j < count; j++) {
            byte[] key = (prefix + ":" + j).getBytes(StandardCharsets.UTF_8);
            if (db.exists(key)) continue;
            byte[] text = ("value:" + j).getBytes(StandardCharsets.US_ASCII);
            byte[] val = size == 0 ? text : Arrays.copyOf(text, (int) size);
            db.put(key, val);
            c.propagate(new byte[][] {SET, key, val});
            c.touched(key);
        }
        c.out().ok();
    }

    /** Redis's getPositiveLongFromObjectOrReply: an integer >= 0. */
    private static long positive(byte[] b) {
        long v = Args.parseLong(b);
        if (v < 0) throw CommandContext.error("ERR value is out of range, must be positive");
        return v;
    }

    /** DEBUG DIGEST-VALUE key ...: per-key value digests (zeros for missing keys), status replies. */
    private static void digestValue(CommandContext c) {
        Db db = c.db();
        RespWriter out = c.out();
        out.arrayHeader(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            Object v = db.peek(c.arg(i));
            out.simple(v == null ? ZERO_DIGEST : Digest.hex(Digest.value(v)));
        }
    }

    /** DEBUG PROTOCOL type: one sample reply of each RESP type, as Redis sends them. */
    private static void protocol(CommandContext c) {
        RespWriter out = c.out();
        String t = c.argString(2).toLowerCase(java.util.Locale.ROOT);
        switch (t) {
            case "string" -> out.bulk("Hello World");
            case "integer" -> out.integer(12345);
            case "double" -> out.doubleValue(3.141);
            case "bignum" -> out.bigNumber("1234567999999999999999999999999999999");
            case "null" -> out.nullBulk();
            case "array" -> { out.arrayHeader(3); for (int j = 0; j < 3; j++) out.integer(j); }
            case "set" -> { out.setHeader(3); for (int j = 0; j < 3; j++) out.integer(j); }
            case "map" -> { out.mapHeader(3); for (int j = 0; j < 3; j++) { out.integer(j); out.bool(j == 1); } }
            case "attrib" -> {
                if (out.protocol() >= 3) {
                    out.raw("|1\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.bulk("key-popularity");
                    out.arrayHeader(2);
                    out.bulk("key:123");
                    out.integer(90);
                }
                out.bulk("Some real reply following the attribute");
            }
            case "push" -> {
                if (out.protocol() < 3) throw CommandContext.error("ERR RESP2 is not supported by this command");
                out.pushHeader(2);
                out.bulk("server-cpu-usage");
                out.integer(42);
                out.bulk("Some real reply following the push reply");
            }
            case "verbatim" -> out.verbatim("txt", "This is a verbatim\nstring".getBytes(StandardCharsets.US_ASCII));
            case "true" -> out.bool(true);
            case "false" -> out.bool(false);
            default -> throw CommandContext.error("ERR Wrong protocol type name. Please use one of the following: "
                    + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
        }
    }

    private static final String[] HELP = {
        "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DIGEST",
        "    Output a hex signature representing the current DB content.",
        "DIGEST-VALUE <key> [<key> ...]",
        "    Output a hex signature of the values of all the specified keys.",
        "LOG <message>",
        "    Write <message> to the server log.",
        "OBJECT <key>",
        "    Show low level info about the <key> and associated value.",
        "POPULATE <count> [<prefix>] [<size>]",
        "    Create <count> string keys named key:<num>. If <prefix> is specified then",
        "    it is used instead of the 'key' prefix. Existing keys are skipped; each",
        "    created key is journaled as a SET. If <size> is specified, each value is",
        "    zero-padded or cut to <size> bytes.",
        "PROTOCOL <type>",
        "    Reply with a test value of the specified type. <type> can be: string,",
        "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
        "    true, false.",
        "RELOAD, LOADAOF",
        "    Not available: this build has no persistence yet.",
        "SET-ACTIVE-EXPIRE <0|1>",
        "    Setting it to 0 disables expiring keys in background when they are not",
        "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
        "    default.",
        "SLEEP <seconds>",
        "    Stop the server for <seconds>. Decimals allowed.",
        "HELP",
        "    Print this help.",
    };
}
