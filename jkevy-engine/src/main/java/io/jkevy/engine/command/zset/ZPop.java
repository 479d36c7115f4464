package io.jkevy.engine.command.zset;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.keys.ScanCommands;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.type.zset.ZSetValue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/** ZPOPMIN ZPOPMAX ZMPOP ZRANDMEMBER ZSCAN. */
public final class ZPop {
    private ZPop() { }

    private static final String POSITIVE = "ERR value is out of range, must be positive";
    private static final String NUMKEYS = "ERR numkeys should be greater than 0";
    private static final String COUNT = "ERR count should be greater than 0";

    /**
     * Pops up to {@code count} elements from the min (or max) end of the non-empty set at
     * {@code key}, deletes the key when emptied and records the effect as
     * {@code ZREM key members...}. Meant to be shared with the blocking variants.
     */
    public static ZRange.Result pop(CommandContext c, byte[] key, ZSetValue z, boolean max, long count) {
        int n = (int) Math.min(count, z.size());
        byte[][] m = new byte[n][];
        double[] s = new double[n];
        int i = 0;
        for (ZSetValue.Cursor cur = z.cursor(max ? z.size() - 1 : 0, max); i < n; cur.next(), i++) {
            m[i] = cur.member();
            s[i] = cur.score();
        }
        if (max) z.removeRange(z.size() - n, z.size());
        else z.removeRange(0, n);
        if (z.size() == 0) c.db().remove(key);
        byte[][] effect = new byte[n + 2][];
        effect[0] = "ZREM".getBytes(StandardCharsets.US_ASCII);
        effect[1] = key;
        System.arraycopy(m, 0, effect, 2, n);
        c.propagate(effect);
        c.touched(key);
        return new ZRange.Result(m, s, n);
    }

    public static void zpopmin(CommandContext c) { zpop(c, false); }

    public static void zpopmax(CommandContext c) { zpop(c, true); }

    /** ZPOPMIN|ZPOPMAX key [count] */
    private static void zpop(CommandContext c, boolean max) {
        if (c.argc() > 3) throw c.syntax();
        boolean hasCount = c.argc() == 3;
        long count = 1;
        if (hasCount) {
            count = ZArgs.rangeLong(c.arg(2), 0, Long.MAX_VALUE, POSITIVE);
            if (count == 0) {
                c.out().arrayHeader(0);
                return;
            }
        }
        byte[] key = c.arg(1);
        ZSetValue z = ZArgs.write(c, key);
        if (z == null) {
            c.out().arrayHeader(0);
            return;
        }
        ZRange.Result r = pop(c, key, z, max, count);
        RespWriter out = c.out();
        // RESP3 nests [member, score] pairs only when a count was given
        boolean nested = out.protocol() == 3 && hasCount;
        out.arrayHeader(nested ? r.n() : 2L * r.n());
        for (int i = 0; i < r.n(); i++) {
            if (nested) out.arrayHeader(2);
            out.bulk(r.members()[i]);
            ZReply.score(out, r.scores()[i]);
        }
    }

    /** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] */
    public static void zmpop(CommandContext c) { mpop(c, 1, -1); }

    /** BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count] */
    public static void bzmpop(CommandContext c) { mpop(c, 2, io.jkevy.engine.Args.blockingTimeoutMillis(c.arg(1))); }

    /**
     * ZMPOP with numkeys at {@code at}; with {@code timeoutMs >= 0} (BZMPOP) the client blocks
     * on all the keys instead of getting a null reply.
     */
    private static void mpop(CommandContext c, int at, long timeoutMs) {
        long numkeys = ZArgs.rangeLong(c.arg(at), 1, Long.MAX_VALUE, NUMKEYS);
        if (numkeys > c.argc() - at - 2) throw c.syntax(); // no room for MIN|MAX after the keys
        long whereIdx = at + 1 + numkeys;
        boolean max;
        if (c.argIs((int) whereIdx, "min")) max = false;
        else if (c.argIs((int) whereIdx, "max")) max = true;
        else throw c.syntax();
        long count = -1;
        for (int j = (int) whereIdx + 1; j < c.argc(); j++) {
            if (count == -1 && c.argIs(j, "count") && j + 1 < c.argc()) {
                count = ZArgs.rangeLong(c.arg(++j), 1, Long.MAX_VALUE, COUNT);
            } else {
                throw c.syntax();
            }
        }
        if (count == -1) count = 1;
        for (int k = at + 1; k < whereIdx; k++) {
            byte[] key = c.arg(k);
            ZSetValue z = ZArgs.write(c, key);
            if (z == null) continue;
            ZRange.Result r = pop(c, key, z, max, count);
            RespWriter out = c.out();
            out.arrayHeader(2);
            out.bulk(key);
            out.arrayHeader(r.n());
            for (int i = 0; i < r.n(); i++) {
                out.arrayHeader(2);
                out.bulk(r.members()[i]);
                ZReply.score(out, r.scores()[i]);
            }
            return;
        }
        if (timeoutMs >= 0) {
            c.block(java.util.Arrays.copyOfRange(c.argv(), at + 1, (int) whereIdx), timeoutMs, RespWriter::nullArray);
            return;
        }
        c.out().nullArray();
    }

    public static void bzpopmin(CommandContext c) { bzpop(c, false); }

    public static void bzpopmax(CommandContext c) { bzpop(c, true); }

    /** BZPOPMIN|BZPOPMAX key [key ...] timeout: [key, member, score] from the first non-empty set. */
    private static void bzpop(CommandContext c, boolean max) {
        long timeoutMs = io.jkevy.engine.Args.blockingTimeoutMillis(c.arg(c.argc() - 1));
        for (int k = 1; k < c.argc() - 1; k++) {
            byte[] key = c.arg(k);
            ZSetValue z = ZArgs.write(c, key);
            if (z == null) continue;
            ZRange.Result r = pop(c, key, z, max, 1);
            RespWriter out = c.out();
            out.arrayHeader(3);
            out.bulk(key);
            out.bulk(r.members()[0]);
            ZReply.score(out, r.scores()[0]);
            return;
        }
        c.block(java.util.Arrays.copyOfRange(c.argv(), 1, c.argc() - 1), timeoutMs, RespWriter::nullArray);
    }

    /** ZRANDMEMBER key [count [WITHSCORES]]: no effect (reads only). */
    public static void zrandmember(CommandContext c) {
        if (c.argc() >= 3) {
            long l = ZArgs.rangeLong(c.arg(2), -Long.MAX_VALUE, Long.MAX_VALUE, null);
            boolean withScores = false;
            if (c.argc() > 4 || (c.argc() == 4 && !c.argIs(3, "withscores"))) throw c.syntax();
            if (c.argc() == 4) {
                withScores = true;
                if (l < Long.MIN_VALUE / 2 || l > Long.MAX_VALUE / 2) throw CommandContext.error("ERR value is out of range");
            }
            withCount(c, l, withScores);
            return;
        }
        ZSetValue z = ZArgs.read(c, c.arg(1));
        if (z == null) {
            c.out().nullBulk();
            return;
        }
        c.out().bulk(z.memberAt(ThreadLocalRandom.current().nextInt(z.size())));
    }

    private static void withCount(CommandContext c, long count, boolean withScores) {
        ZSetValue z = ZArgs.read(c, c.arg(1));
        if (z == null || count == 0) {
            c.out().arrayHeader(0);
            return;
        }
        int size = z.size();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        if (count < 0) {
            // repetitions allowed: |count| independent picks
            long n = -count;
            RespWriter out = c.out();
            boolean nested = withScores && out.protocol() == 3;
            out.arrayHeader(withScores && !nested ? 2 * n : n);
            for (long i = 0; i < n; i++) {
                int r = rnd.nextInt(size);
                if (nested) out.arrayHeader(2);
                out.bulk(z.memberAt(r));
                if (withScores) ZReply.score(out, z.scoreAt(r));
            }
            return;
        }
        int n = (int) Math.min(count, size);
        int[] ranks = new int[size];
        for (int i = 0; i < size; i++) ranks[i] = i;
        if (n < size) {
            // partial Fisher-Yates: the first n slots become a uniform sample without repeats
            for (int i = 0; i < n; i++) {
                int j = i + rnd.nextInt(size - i);
                int t = ranks[i];
                ranks[i] = ranks[j];
                ranks[j] = t;
            }
        }
        byte[][] m = new byte[n][];
        double[] s = new double[n];
        if (n == size) {
            int i = 0;
            for (ZSetValue.Cursor cur = z.cursor(0, false); cur.valid(); cur.next(), i++) {
                m[i] = cur.member();
                s[i] = cur.score();
            }
        } else {
            for (int i = 0; i < n; i++) {
                m[i] = z.memberAt(ranks[i]);
                s[i] = z.scoreAt(ranks[i]);
            }
        }
        ZArgs.replyElements(c.out(), m, s, n, withScores);
    }

    /**
     * ZSCAN key cursor [MATCH pattern] [COUNT count]. Every call returns all (matching)
     * elements and cursor 0, which is what Redis does for listpack-encoded sets; for
     * skiplist-encoded sets Redis would page through its hash table instead.
     */
    public static void zscan(CommandContext c) {
        ScanCommands.parseCursor(c.arg(2));
        ZSetValue z = ZArgs.read(c, c.arg(1));
        RespWriter out = c.out();
        if (z == null) {
            // Redis answers an absent key before looking at the options
            ScanCommands.emptyReply(out);
            return;
        }
        ScanCommands.Options o = ScanCommands.Options.parse(c, 3, false);
        out.arrayHeader(2);
        out.bulk("0");
        int n = 0;
        byte[][] m = new byte[z.size()][];
        double[] s = new double[z.size()];
        for (ZSetValue.Cursor cur = z.cursor(0, false); cur.valid(); cur.next()) {
            if (!o.matches(cur.member())) continue;
            m[n] = cur.member();
            s[n++] = cur.score();
        }
        out.arrayHeader(2L * n);
        for (int i = 0; i < n; i++) {
            out.bulk(m[i]);
            out.bulk(ZReply.format(s[i]));
        }
    }
}
