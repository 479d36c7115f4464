package io.jkevy.engine.command.zset;

import io.jkevy.engine.CommandContext;
import io.jkevy.store.Encodings;
import io.jkevy.store.type.zset.LexBound;
import io.jkevy.store.type.zset.ZSetValue;

/**
 * The range family: ZRANGE (rank, BYSCORE, BYLEX, REV, LIMIT, WITHSCORES), its legacy forms,
 * ZRANGESTORE, and ZREMRANGEBYRANK/SCORE/LEX.
 */
public final class ZRange {
    private ZRange() { }

    private static final String LIMIT_RANK = "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
    private static final String WITHSCORES_LEX = "ERR syntax error, WITHSCORES not supported in combination with BYLEX";

    private enum Kind { AUTO, RANK, SCORE, LEX }

    /** The selected elements, in reply order. */
    record Result(byte[][] members, double[] scores, int n) { }

    public static void zrange(CommandContext c) { generic(c, 1, Kind.AUTO, false, false); }

    public static void zrangestore(CommandContext c) { generic(c, 2, Kind.AUTO, false, true); }

    public static void zrevrange(CommandContext c) { generic(c, 1, Kind.RANK, true, false); }

    public static void zrangebyscore(CommandContext c) { generic(c, 1, Kind.SCORE, false, false); }

    public static void zrevrangebyscore(CommandContext c) { generic(c, 1, Kind.SCORE, true, false); }

    public static void zrangebylex(CommandContext c) { generic(c, 1, Kind.LEX, false, false); }

    public static void zrevrangebylex(CommandContext c) { generic(c, 1, Kind.LEX, true, false); }

    /**
     * @param keyIdx index of the source key; min/max follow it
     * @param kind   fixed by the legacy commands, AUTO for ZRANGE/ZRANGESTORE
     * @param fixedRev true for the ZREV* legacy commands (REV then is not an option)
     */
    private static void generic(CommandContext c, int keyIdx, Kind kind, boolean fixedRev, boolean store) {
        boolean rev = fixedRev, withScores = false, fixedDirection = kind != Kind.AUTO;
        long offset = 0, limit = -1;
        for (int j = keyIdx + 3; j < c.argc(); j++) {
            int left = c.argc() - j - 1;
            if (!store && c.argIs(j, "withscores")) {
                withScores = true;
            } else if (c.argIs(j, "limit") && left >= 2) {
                offset = c.longArg(j + 1);
                limit = c.longArg(j + 2);
                j += 2;
            } else if (!fixedDirection && c.argIs(j, "rev")) {
                rev = true;
            } else if (kind == Kind.AUTO && c.argIs(j, "byscore")) {
                kind = Kind.SCORE;
            } else if (kind == Kind.AUTO && c.argIs(j, "bylex")) {
                kind = Kind.LEX;
            } else {
                throw c.syntax();
            }
        }
        if (kind == Kind.AUTO) kind = Kind.RANK;
        if ((offset != 0 || limit != -1) && kind == Kind.RANK) throw CommandContext.error(LIMIT_RANK);
        if (withScores && kind == Kind.LEX) throw CommandContext.error(WITHSCORES_LEX);
        int minIdx = keyIdx + 1, maxIdx = keyIdx + 2;
        if (rev && kind != Kind.RANK) {
            minIdx = keyIdx + 2;
            maxIdx = keyIdx + 1;
        }
        long start = 0, end = 0;
        ZArgs.ScoreRange sr = null;
        LexBound[] lr = null;
        switch (kind) {
            case RANK -> {
                start = c.longArg(minIdx);
                end = c.longArg(maxIdx);
            }
            case SCORE -> sr = ZArgs.scoreRange(c.arg(minIdx), c.arg(maxIdx));
            default -> lr = ZArgs.lexRange(c.arg(minIdx), c.arg(maxIdx));
        }
        byte[] src = c.arg(keyIdx);
        ZSetValue z = ZArgs.read(c, src);
        Result r;
        if (z == null) {
            r = new Result(new byte[0][], new double[0], 0);
        } else if (kind == Kind.RANK) {
            r = byRank(z, start, end, rev);
        } else {
            int first, stop;
            if (kind == Kind.SCORE) {
                first = z.firstRankByScore(sr.min(), sr.minEx());
                stop = z.endRankByScore(sr.max(), sr.maxEx());
            } else {
                first = z.firstRankByLex(lr[0]);
                stop = z.endRankByLex(lr[1]);
            }
            r = slice(z, first, stop, rev, offset, limit);
        }
        if (store) {
            storeResult(c, c.arg(1), r);
        } else {
            ZArgs.replyElements(c.out(), r.members, r.scores, r.n, withScores);
        }
    }

    /** Elements at ranks [start, end] (Redis's index rules, negatives from the end). */
    static Result byRank(ZSetValue z, long start, long end, boolean rev) {
        long len = z.size();
        if (start < 0) start += len;
        if (end < 0) end += len;
        if (start < 0) start = 0;
        if (start > end || start >= len) return new Result(new byte[0][], new double[0], 0);
        if (end >= len) end = len - 1;
        int n = (int) (end - start + 1);
        byte[][] m = new byte[n][];
        double[] s = new double[n];
        int i = 0;
        for (ZSetValue.Cursor cur = z.cursor((int) (rev ? len - 1 - start : start), rev); i < n; cur.next(), i++) {
            m[i] = cur.member();
            s[i] = cur.score();
        }
        return new Result(m, s, n);
    }

    /**
     * The elements with ranks in [first, stop), walked ascending (or descending with rev),
     * skipping {@code offset} and taking at most {@code limit} (negative = no limit). A
     * negative offset selects nothing, as in Redis.
     */
    static Result slice(ZSetValue z, int first, int stop, boolean rev, long offset, long limit) {
        int avail = stop - first;
        if (avail <= 0 || offset < 0 || offset >= avail || limit == 0) return new Result(new byte[0][], new double[0], 0);
        long want = avail - offset;
        if (limit > 0 && limit < want) want = limit;
        int n = (int) want;
        byte[][] m = new byte[n][];
        double[] s = new double[n];
        int startRank = rev ? (int) (stop - 1 - offset) : (int) (first + offset);
        int i = 0;
        for (ZSetValue.Cursor cur = z.cursor(startRank, rev); i < n; cur.next(), i++) {
            m[i] = cur.member();
            s[i] = cur.score();
        }
        return new Result(m, s, n);
    }

    /** Stores the result at dst (replacing any value, clearing its TTL) or deletes dst when empty. */
    private static void storeResult(CommandContext c, byte[] dst, Result r) {
        if (r.n > 0) {
            Encodings enc = c.keyspace().encodings();
            ZSetValue out = ZSetValue.create(r.n, 0, enc);
            for (int i = 0; i < r.n; i++) out.put(r.members[i], r.scores[i], enc);
            c.db().put(dst, out);
            c.propagateAsIs(dst);
        } else if (c.db().remove(dst)) {
            c.propagateAsIs(dst);
        }
        c.out().integer(r.n);
    }

    // ---- removal by range -----------------------------------------------------------------

    public static void zremrangebyrank(CommandContext c) {
        long start = c.longArg(2), end = c.longArg(3);
        byte[] key = c.arg(1);
        ZSetValue z = ZArgs.write(c, key);
        if (z == null) {
            c.out().integer(0);
            return;
        }
        long len = z.size();
        if (start < 0) start += len;
        if (end < 0) end += len;
        if (start < 0) start = 0;
        if (start > end || start >= len) {
            c.out().integer(0);
            return;
        }
        if (end >= len) end = len - 1;
        removeRanks(c, key, z, (int) start, (int) end + 1);
    }

    public static void zremrangebyscore(CommandContext c) {
        ZArgs.ScoreRange r = ZArgs.scoreRange(c.arg(2), c.arg(3));
        byte[] key = c.arg(1);
        ZSetValue z = ZArgs.write(c, key);
        if (z == null) {
            c.out().integer(0);
            return;
        }
        removeRanks(c, key, z, z.firstRankByScore(r.min(), r.minEx()), z.endRankByScore(r.max(), r.maxEx()));
    }

    public static void zremrangebylex(CommandContext c) {
        LexBound[] r = ZArgs.lexRange(c.arg(2), c.arg(3));
        byte[] key = c.arg(1);
        ZSetValue z = ZArgs.write(c, key);
        if (z == null) {
            c.out().integer(0);
            return;
        }
        removeRanks(c, key, z, z.firstRankByLex(r[0]), z.endRankByLex(r[1]));
    }

    private static void removeRanks(CommandContext c, byte[] key, ZSetValue z, int from, int to) {
        int n = Math.max(0, to - from);
        if (n > 0) {
            z.removeRange(from, to);
            if (z.size() == 0) c.db().remove(key);
            c.propagateAsIs(key);
        }
        c.out().integer(n);
    }
}
