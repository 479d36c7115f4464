package io.jkevy.engine.command.zset;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.CommandError;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.TypedValue;
import io.jkevy.store.ValueType;
import io.jkevy.store.type.zset.LexBound;
import io.jkevy.store.type.zset.ZSetValue;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/** Lookups, range parsing and reply shapes shared by the sorted-set commands. */
public final class ZArgs {
    private ZArgs() { }

    public static final String SCORE_RANGE = "ERR min or max is not a float";
    public static final String LEX_RANGE = "ERR min or max not valid string range item";
    public static final String NAN_RESULT = "ERR resulting score is not a number (NaN)";

    /** The sorted set at {@code key} for a read (counts hit/miss), null when absent. */
    public static ZSetValue read(CommandContext c, byte[] key) {
        Object v = c.db().get(key);
        if (v == null) {
            c.miss();
            return null;
        }
        c.hit();
        if (v instanceof ZSetValue z) return z;
        throw c.wrongType();
    }

    /** The sorted set at {@code key} for a write (no stats), null when absent. */
    public static ZSetValue write(CommandContext c, byte[] key) {
        Object v = c.db().get(key);
        if (v == null) return null;
        if (v instanceof ZSetValue z) return z;
        throw c.wrongType();
    }

    static boolean isZSetOrSet(Object v) {
        return v instanceof TypedValue tv && (tv.type() == ValueType.ZSET || tv.type() == ValueType.SET);
    }

    /** A score interval; bounds are inclusive unless flagged exclusive. */
    public record ScoreRange(double min, boolean minEx, double max, boolean maxEx) { }

    /** Parses Redis's score bounds ("(1.5", "-inf", "+inf", "3"); throws SCORE_RANGE. */
    public static ScoreRange scoreRange(byte[] min, byte[] max) {
        boolean minEx = min.length > 0 && min[0] == '(';
        boolean maxEx = max.length > 0 && max[0] == '(';
        double lo = strtod(min, minEx ? 1 : 0);
        double hi = strtod(max, maxEx ? 1 : 0);
        if (Double.isNaN(lo) || Double.isNaN(hi)) throw CommandContext.error(SCORE_RANGE);
        return new ScoreRange(lo, minEx, hi, maxEx);
    }

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern HEX = Pattern.compile("[+-]?0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)([pP][+-]?\\d+)?");

    /**
     * C's strtod over the rest of {@code b} from {@code from}, requiring it to consume
     * everything, as Redis's range parser does; NaN when it would not (or yields NaN). As
     * with strtod an empty text is 0 and leading whitespace is skipped.
     */
    static double strtod(byte[] b, int from) {
        String s = new String(b, from, b.length - from, StandardCharsets.ISO_8859_1);
        if (s.isEmpty()) return 0;
        int i = 0;
        while (i < s.length() && " \t\n\u000b\f\r".indexOf(s.charAt(i)) >= 0) i++;
        s = s.substring(i);
        if (s.isEmpty()) return Double.NaN;
        String l = s.toLowerCase(Locale.ROOT);
        String u = l.startsWith("+") || l.startsWith("-") ? l.substring(1) : l;
        boolean neg = l.startsWith("-");
        if (u.equals("inf") || u.equals("infinity")) return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        try {
            if (DECIMAL.matcher(s).matches()) return Double.parseDouble(s);
            if (HEX.matcher(s).matches()) return Double.parseDouble(l.contains("p") ? s : s + "p0");
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** Parses a lexicographic range; throws LEX_RANGE. */
    public static LexBound[] lexRange(byte[] min, byte[] max) {
        LexBound lo = LexBound.parse(min), hi = LexBound.parse(max);
        if (lo == null || hi == null) throw CommandContext.error(LEX_RANGE);
        return new LexBound[] {lo, hi};
    }

    /**
     * Writes members (and scores) as Redis's range replies do: RESP2 a flat array, RESP3 with
     * scores an array of [member, score] pairs.
     */
    public static void replyElements(RespWriter out, byte[][] members, double[] scores, int n, boolean withScores) {
        boolean nested = withScores && out.protocol() == 3;
        out.arrayHeader(withScores && !nested ? 2L * n : n);
        for (int i = 0; i < n; i++) {
            if (nested) out.arrayHeader(2);
            out.bulk(members[i]);
            if (withScores) ZReply.score(out, scores[i]);
        }
    }

    /** Parses a long like Redis's getRangeLongFromObjectOrReply with a custom message for both failures. */
    static long rangeLong(byte[] arg, long min, long max, String msg) {
        long v;
        try {
            v = io.jkevy.engine.Args.parseLong(arg);
        } catch (CommandError e) {
            throw CommandContext.error(msg == null ? io.jkevy.engine.command.Errors.NOT_INTEGER : msg);
        }
        if (v < min || v > max) {
            throw CommandContext.error(msg != null ? msg
                    : "ERR value is out of range, value must between " + min + " and " + max);
        }
        return v;
    }
}
