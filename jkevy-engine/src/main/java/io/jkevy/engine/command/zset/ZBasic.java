package io.jkevy.engine.command.zset;

import io.jkevy.engine.Args;
import io.jkevy.engine.CommandContext;
import io.jkevy.store.Encodings;
import io.jkevy.store.type.zset.LexBound;
import io.jkevy.store.type.zset.ZSetValue;

/** Point commands: ZADD ZINCRBY ZREM ZCARD ZSCORE ZMSCORE ZRANK ZREVRANK ZCOUNT ZLEXCOUNT. */
public final class ZBasic {
    private ZBasic() { }

    private static final String XX_NX = "ERR XX and NX options at the same time are not compatible";
    private static final String GT_LT_NX = "ERR GT, LT, and/or NX options at the same time are not compatible";
    private static final String INCR_PAIR = "ERR INCR option supports a single increment-element pair";

    private static final int NX = 1, XX = 2, GT = 4, LT = 8, CH = 16, INCR = 32;

    /** ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...] */
    public static void zadd(CommandContext c) {
        int flags = 0;
        int i = 2;
        for (; i < c.argc(); i++) {
            if (c.argIs(i, "nx")) flags |= NX;
            else if (c.argIs(i, "xx")) flags |= XX;
            else if (c.argIs(i, "gt")) flags |= GT;
            else if (c.argIs(i, "lt")) flags |= LT;
            else if (c.argIs(i, "ch")) flags |= CH;
            else if (c.argIs(i, "incr")) flags |= INCR;
            else break;
        }
        add(c, i, flags);
    }

    /** ZINCRBY key increment member: ZADD INCR with one pair. */
    public static void zincrby(CommandContext c) {
        add(c, 2, INCR);
    }

    private static void add(CommandContext c, int scoreIdx, int flags) {
        int elements = c.argc() - scoreIdx;
        if (elements % 2 != 0 || elements == 0) throw c.syntax();
        elements /= 2;
        if ((flags & NX) != 0 && (flags & XX) != 0) throw CommandContext.error(XX_NX);
        int gtLtNx = Integer.bitCount(flags & (GT | LT | NX));
        if (gtLtNx > 1) throw CommandContext.error(GT_LT_NX);
        boolean incr = (flags & INCR) != 0;
        if (incr && elements > 1) throw CommandContext.error(INCR_PAIR);
        double[] scores = new double[elements];
        for (int j = 0; j < elements; j++) scores[j] = Args.parseDouble(c.arg(scoreIdx + 2 * j));

        byte[] key = c.arg(1);
        ZSetValue z = ZArgs.write(c, key);
        Encodings enc = c.keyspace().encodings();
        boolean created = false;
        int added = 0, updated = 0, processed = 0;
        double last = 0;
        if (z == null && (flags & XX) == 0) {
            z = ZSetValue.create(1, c.arg(scoreIdx + 1).length, enc);
            created = true;
        }
        if (z != null) {
            for (int j = 0; j < elements; j++) {
                byte[] m = c.arg(scoreIdx + 2 * j + 1);
                double s = scores[j];
                double cur = z.score(m);
                if (Double.isNaN(cur)) {
                    if ((flags & XX) != 0) continue;
                    z.put(m, s, enc);
                    added++;
                } else {
                    if ((flags & NX) != 0) continue;
                    if (incr) {
                        s += cur;
                        // only reachable with one pair: nothing has been changed yet
                        if (Double.isNaN(s)) throw CommandContext.error(ZArgs.NAN_RESULT);
                    }
                    if (((flags & LT) != 0 && s >= cur) || ((flags & GT) != 0 && s <= cur)) continue;
                    if (s != cur) {
                        z.put(m, s, enc);
                        updated++;
                    }
                }
                processed++;
                last = s;
            }
            if (created && z.size() > 0) c.db().put(key, z);
            if (added + updated > 0) c.propagateAsIs(key);
        }
        if (incr) {
            if (processed > 0) ZReply.score(c.out(), last);
            else c.out().nullBulk();
        } else {
            c.out().integer((flags & CH) != 0 ? added + updated : added);
        }
    }

    /** ZREM key member [member ...] */
    public static void zrem(CommandContext c) {
        byte[] key = c.arg(1);
        ZSetValue z = ZArgs.write(c, key);
        if (z == null) {
            c.out().integer(0);
            return;
        }
        int removed = 0;
        for (int i = 2; i < c.argc() && z.size() > 0; i++) if (z.remove(c.arg(i))) removed++;
        if (removed > 0) {
            if (z.size() == 0) c.db().remove(key);
            c.propagateAsIs(key);
        }
        c.out().integer(removed);
    }

    public static void zcard(CommandContext c) {
        ZSetValue z = ZArgs.read(c, c.arg(1));
        c.out().integer(z == null ? 0 : z.size());
    }

    public static void zscore(CommandContext c) {
        ZSetValue z = ZArgs.read(c, c.arg(1));
        double s = z == null ? Double.NaN : z.score(c.arg(2));
        if (Double.isNaN(s)) c.out().nullBulk();
        else ZReply.score(c.out(), s);
    }

    public static void zmscore(CommandContext c) {
        ZSetValue z = ZArgs.read(c, c.arg(1));
        c.out().arrayHeader(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            double s = z == null ? Double.NaN : z.score(c.arg(i));
            if (Double.isNaN(s)) c.out().nullBulk();
            else ZReply.score(c.out(), s);
        }
    }

    public static void zrank(CommandContext c) { rank(c, false); }

    public static void zrevrank(CommandContext c) { rank(c, true); }

    /** Z[REV]RANK key member [WITHSCORE] (WITHSCORE as Redis 7.2 added it). */
    private static void rank(CommandContext c, boolean rev) {
        boolean withScore = false;
        if (c.argc() > 4) throw CommandContext.error(io.jkevy.engine.command.Errors.wrongArity(c.spec().name()));
        if (c.argc() == 4) {
            if (!c.argIs(3, "withscore")) throw c.syntax();
            withScore = true;
        }
        ZSetValue z = ZArgs.read(c, c.arg(1));
        int r = z == null ? -1 : z.rank(c.arg(2));
        if (r < 0) {
            if (withScore) c.out().nullArray();
            else c.out().nullBulk();
            return;
        }
        long shown = rev ? z.size() - 1 - r : r;
        if (withScore) {
            c.out().arrayHeader(2);
            c.out().integer(shown);
            ZReply.score(c.out(), z.scoreAt(r));
        } else {
            c.out().integer(shown);
        }
    }

    /** ZCOUNT key min max */
    public static void zcount(CommandContext c) {
        ZArgs.ScoreRange r = ZArgs.scoreRange(c.arg(2), c.arg(3));
        ZSetValue z = ZArgs.read(c, c.arg(1));
        if (z == null) {
            c.out().integer(0);
            return;
        }
        int a = z.firstRankByScore(r.min(), r.minEx()), b = z.endRankByScore(r.max(), r.maxEx());
        c.out().integer(Math.max(0, b - a));
    }

    /** ZLEXCOUNT key min max */
    public static void zlexcount(CommandContext c) {
        LexBound[] r = ZArgs.lexRange(c.arg(2), c.arg(3));
        ZSetValue z = ZArgs.read(c, c.arg(1));
        if (z == null) {
            c.out().integer(0);
            return;
        }
        int a = z.firstRankByLex(r[0]), b = z.endRankByLex(r[1]);
        c.out().integer(Math.max(0, b - a));
    }
}
