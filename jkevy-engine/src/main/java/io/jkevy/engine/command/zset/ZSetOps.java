package io.jkevy.engine.command.zset;

import io.jkevy.engine.Args;
import io.jkevy.engine.CommandContext;
import io.jkevy.store.Encodings;
import io.jkevy.store.TypedValue;
import io.jkevy.store.ValueType;
import io.jkevy.store.type.zset.ZSetValue;

import java.util.Arrays;
import java.util.Comparator;

/**
 * ZUNION ZINTER ZDIFF, their STORE forms, and ZINTERCARD. Inputs may be sorted sets or plain
 * sets (members scored 1.0, as Redis).
 */
public final class ZSetOps {
    private ZSetOps() { }


    private static final String WEIGHT = "ERR weight value is not a float";
    private static final String LIMIT_NEG = "ERR LIMIT can't be negative";

    private enum Op { UNION, INTER, DIFF }

    private enum Agg { SUM, MIN, MAX }

    /** One input: a sorted set (possibly empty for an absent key) and its weight. */
    private static final class Src {
        ZSetValue z;
        double weight = 1.0;

        int size() { return z == null ? 0 : z.size(); }
    }

    public static void zunion(CommandContext c) { generic(c, null, 1, Op.UNION, false); }

    public static void zinter(CommandContext c) { generic(c, null, 1, Op.INTER, false); }

    public static void zdiff(CommandContext c) { generic(c, null, 1, Op.DIFF, false); }

    public static void zunionstore(CommandContext c) { generic(c, c.arg(1), 2, Op.UNION, false); }

    public static void zinterstore(CommandContext c) { generic(c, c.arg(1), 2, Op.INTER, false); }

    public static void zdiffstore(CommandContext c) { generic(c, c.arg(1), 2, Op.DIFF, false); }

    public static void zintercard(CommandContext c) { generic(c, null, 1, Op.INTER, true); }

    private static void generic(CommandContext c, byte[] dst, int numkeysIdx, Op op, boolean cardOnly) {
        long setnum = c.longArg(numkeysIdx);
        if (setnum < 1) {
            throw CommandContext.error("ERR at least 1 input key is needed for '" + c.spec().name() + "' command");
        }
        if (setnum > c.argc() - (numkeysIdx + 1)) throw c.syntax();
        int n = (int) setnum;
        Src[] src = new Src[n];
        int j = numkeysIdx + 1;
        for (int i = 0; i < n; i++, j++) {
            src[i] = new Src();
            Object v = dst != null ? c.db().get(c.arg(j)) : lookupRead(c, c.arg(j));
            if (v == null) continue;
            if (v instanceof ZSetValue z) {
                src[i].z = z;
            } else if (v instanceof TypedValue tv && tv.type() == ValueType.SET) {
                src[i].z = fromSet(v, c.keyspace().encodings());
            } else {
                throw c.wrongType();
            }
        }
        Agg agg = Agg.SUM;
        boolean withScores = false;
        long limit = 0;
        while (j < c.argc()) {
            int remaining = c.argc() - j;
            if (op != Op.DIFF && !cardOnly && remaining >= n + 1 && c.argIs(j, "weights")) {
                j++;
                for (int i = 0; i < n; i++, j++) src[i].weight = Args.parseDouble(c.arg(j), WEIGHT);
            } else if (op != Op.DIFF && !cardOnly && remaining >= 2 && c.argIs(j, "aggregate")) {
                j++;
                if (c.argIs(j, "sum")) agg = Agg.SUM;
                else if (c.argIs(j, "min")) agg = Agg.MIN;
                else if (c.argIs(j, "max")) agg = Agg.MAX;
                else throw c.syntax();
                j++;
            } else if (dst == null && !cardOnly && c.argIs(j, "withscores")) {
                j++;
                withScores = true;
            } else if (cardOnly && remaining >= 2 && c.argIs(j, "limit")) {
                limit = ZArgs.rangeLong(c.arg(j + 1), 0, Long.MAX_VALUE, LIMIT_NEG);
                j += 2;
            } else {
                throw c.syntax();
            }
        }
        Encodings enc = c.keyspace().encodings();
        if (cardOnly) {
            c.out().integer(interCard(src, limit));
            return;
        }
        ZSetValue result = switch (op) {
            case UNION -> union(src, agg, enc);
            case INTER -> inter(src, agg, enc);
            case DIFF -> diff(src, enc);
        };
        if (dst != null) {
            if (result.size() > 0) {
                result.packIfFits(enc);
                c.db().put(dst, result);
                c.propagateAsIs(dst);
            } else if (c.db().remove(dst)) {
                c.propagateAsIs(dst);
            }
            c.out().integer(result.size());
            return;
        }
        int size = result.size();
        byte[][] m = new byte[size][];
        double[] s = new double[size];
        int i = 0;
        for (ZSetValue.Cursor cur = result.cursor(0, false); cur.valid(); cur.next(), i++) {
            m[i] = cur.member();
            s[i] = cur.score();
        }
        ZArgs.replyElements(c.out(), m, s, size, withScores);
    }

    private static Object lookupRead(CommandContext c, byte[] key) {
        Object v = c.db().get(key);
        if (v == null) c.miss();
        else c.hit();
        return v;
    }

    private static ZSetValue fromSet(Object set, Encodings enc) {
        ZSetValue z = ZSetValue.skiplist();
        ((io.jkevy.store.type.set.SetValue) set).forEach(m -> z.put(m, 1.0, enc));
        return z;
    }

    /** Redis's aggregation; SUM turns a NaN (inf + -inf) into 0, MIN/MAX keep the target on NaN. */
    private static double aggregate(Agg agg, double target, double v) {
        switch (agg) {
            case SUM -> {
                double r = target + v;
                return Double.isNaN(r) ? 0 : r;
            }
            case MIN -> { return v < target ? v : target; }
            default -> { return v > target ? v : target; }
        }
    }

    /** Smallest first, ties in argument order: the order in which scores are aggregated. */
    private static Src[] bySize(Src[] src) {
        Src[] s = src.clone();
        Arrays.sort(s, Comparator.comparingInt(Src::size));
        return s;
    }

    private static ZSetValue union(Src[] src, Agg agg, Encodings enc) {
        ZSetValue out = ZSetValue.skiplist();
        for (Src s : bySize(src)) {
            if (s.z == null) continue;
            for (ZSetValue.Cursor cur = s.z.cursor(0, false); cur.valid(); cur.next()) {
                double v = s.weight * cur.score();
                if (Double.isNaN(v)) v = 0; // inf * 0
                double have = out.score(cur.member());
                out.put(cur.member(), Double.isNaN(have) ? v : aggregate(agg, have, v), enc);
            }
        }
        return out;
    }

    private static ZSetValue inter(Src[] src, Agg agg, Encodings enc) {
        ZSetValue out = ZSetValue.skiplist();
        Src[] s = bySize(src);
        if (s[0].size() == 0) return out;
        outer:
        for (ZSetValue.Cursor cur = s[0].z.cursor(0, false); cur.valid(); cur.next()) {
            double score = s[0].weight * cur.score();
            if (Double.isNaN(score)) score = 0;
            for (int k = 1; k < s.length; k++) {
                double other = s[k].z.score(cur.member());
                if (Double.isNaN(other)) continue outer;
                // the other inputs' weighted scores are not NaN-cleaned, only the SUM result
                score = aggregate(agg, score, other * s[k].weight);
            }
            out.put(cur.member(), score, enc);
        }
        return out;
    }

    private static ZSetValue diff(Src[] src, Encodings enc) {
        ZSetValue out = ZSetValue.skiplist();
        if (src[0].size() == 0) return out;
        outer:
        for (ZSetValue.Cursor cur = src[0].z.cursor(0, false); cur.valid(); cur.next()) {
            for (int k = 1; k < src.length; k++) {
                if (src[k].z != null && src[k].z.contains(cur.member())) continue outer;
            }
            out.put(cur.member(), cur.score(), enc);
        }
        return out;
    }

    /** Size of the intersection, stopping at {@code limit} when it is positive. */
    private static long interCard(Src[] src, long limit) {
        Src[] s = bySize(src);
        if (s[0].size() == 0) return 0;
        long n = 0;
        outer:
        for (ZSetValue.Cursor cur = s[0].z.cursor(0, false); cur.valid(); cur.next()) {
            for (int k = 1; k < s.length; k++) {
                if (!s[k].z.contains(cur.member())) continue outer;
            }
            n++;
            if (limit > 0 && n >= limit) break;
        }
        return n;
    }
}
