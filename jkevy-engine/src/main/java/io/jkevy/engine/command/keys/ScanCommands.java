package io.jkevy.engine.command.keys;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.CommandTable;
import io.jkevy.engine.util.Glob;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.Db;
import io.jkevy.store.ValueType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** KEYS and SCAN: whole-keyspace iteration (both run under every stripe lock). */
public final class ScanCommands {
    private ScanCommands() { }

    private static final String INVALID_CURSOR = "ERR invalid cursor";

    public static void register(CommandTable t) {
        t.add("keys", 2, "readonly global", 0, 0, 0, "@keyspace @read @slow @dangerous", "generic", "1.0.0",
                "Find all keys matching the given pattern", ScanCommands::keys);
        t.add("scan", -2, "readonly global", 0, 0, 0, "@keyspace @read @slow", "generic", "2.8.0",
                "Incrementally iterate the keys space", ScanCommands::scan);
    }

    /** Every live key matching the glob; expired keys are skipped, not collected. */
    static void keys(CommandContext c) {
        byte[] pattern = c.arg(1);
        boolean all = pattern.length == 1 && pattern[0] == '*';
        Db db = c.db();
        List<byte[]> out = new ArrayList<>();
        long cursor = 0;
        do {
            cursor = db.scan(cursor, 1024, k -> {
                if (all || Glob.match(pattern, k, false)) out.add(k);
            });
        } while (cursor != 0);
        RespWriter w = c.out();
        w.arrayHeader(out.size());
        for (byte[] k : out) w.bulk(k);
    }

    /**
     * SCAN cursor [MATCH pattern] [COUNT n] [TYPE type]. The cursor is an unsigned 64-bit
     * decimal; MATCH and TYPE filter the keys a step collected (so a step may return fewer
     * than COUNT, even none, with a non-zero cursor). An unknown TYPE matches nothing.
     */
    static void scan(CommandContext c) {
        long cursor = parseCursor(c.arg(1));
        Options o = Options.parse(c, 2, true);
        long count = o.count();
        byte[] pattern = o.pattern();
        byte[] type = o.type();
        Db db = c.db();
        List<byte[]> keys = new ArrayList<>();
        long next = db.scan(cursor, (int) Math.min(count, Integer.MAX_VALUE), keys::add);
        // filter after the step: lookups may expire keys, which must not happen mid-iteration
        if (pattern != null || type != null) {
            String typeName = type == null ? null : new String(type, StandardCharsets.ISO_8859_1);
            List<byte[]> kept = new ArrayList<>(keys.size());
            for (byte[] k : keys) {
                if (pattern != null && !Glob.match(pattern, k, false)) continue;
                if (typeName != null) {
                    Object v = db.peek(k);
                    if (v == null || !ValueType.of(v).typeName().equalsIgnoreCase(typeName)) continue;
                }
                kept.add(k);
            }
            keys = kept;
        }
        RespWriter w = c.out();
        w.arrayHeader(2);
        w.bulk(Long.toUnsignedString(next));
        w.arrayHeader(keys.size());
        for (byte[] k : keys) w.bulk(k);
    }

    /**
     * The options every SCAN-family command takes: {@code [MATCH pattern] [COUNT n]}, plus
     * {@code [TYPE t]} for SCAN. A MATCH of {@code *} is no filter (pattern null).
     */
    public record Options(long count, byte[] pattern, byte[] type) {
        public static Options parse(CommandContext c, int from, boolean allowType) {
            long count = 10;
            byte[] pattern = null;
            byte[] type = null;
            for (int i = from; i < c.argc(); ) {
                int left = c.argc() - i;
                if (c.argIs(i, "count") && left >= 2) {
                    count = c.longArg(i + 1);
                    if (count < 1) throw c.syntax();
                    i += 2;
                } else if (c.argIs(i, "match") && left >= 2) {
                    byte[] p = c.arg(i + 1);
                    pattern = p.length == 1 && p[0] == '*' ? null : p;
                    i += 2;
                } else if (allowType && c.argIs(i, "type") && left >= 2) {
                    type = c.arg(i + 1);
                    i += 2;
                } else {
                    throw c.syntax();
                }
            }
            return new Options(count, pattern, type);
        }

        /** Whether {@code member} passes MATCH. */
        public boolean matches(byte[] member) { return pattern == null || Glob.match(pattern, member, false); }
    }

    /** The reply to a SCAN-family command on a missing key: cursor 0, no elements. */
    public static void emptyReply(RespWriter w) {
        w.arrayHeader(2);
        w.bulk("0");
        w.arrayHeader(0);
    }

    /**
     * Parses a cursor as C's strtoul does in Redis: the text up to the first NUL, no leading
     * space, optional sign (a '-' negates modulo 2^64), decimal digits, nothing after them;
     * the empty string is 0; beyond 2^64-1 is invalid.
     */
    public static long parseCursor(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        if (n == 0) return 0;
        int i = 0;
        int ch = b[0];
        if (ch == ' ' || (ch >= '\t' && ch <= '\r')) throw CommandContext.error(INVALID_CURSOR);
        boolean neg = false;
        if (ch == '+' || ch == '-') {
            neg = ch == '-';
            i++;
        }
        if (i == n) throw CommandContext.error(INVALID_CURSOR);
        long v = 0;
        for (; i < n; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) throw CommandContext.error(INVALID_CURSOR);
            // unsigned overflow check: v * 10 + d must stay below 2^64
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) throw CommandContext.error(INVALID_CURSOR);
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }
}
