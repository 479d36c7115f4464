package io.jkevy.engine.command.hash;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.HashCommands;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.type.hash.HashValue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * HRANDFIELD key [count [WITHVALUES]]. Read-only and journals nothing. Reply shapes as Redis
 * 7: without count a bulk (null when the key is absent); with count an array (empty when the
 * key is absent), and WITHVALUES adds each value after its field in RESP2 or makes each
 * element a [field, value] pair in RESP3.
 */
public final class HashRandom {
    private HashRandom() { }

    private static final long LONG_MAX = Long.MAX_VALUE;

    public static void hrandfield(CommandContext c) {
        if (c.argc() >= 3) {
            long count = c.longArg(2);
            if (count < -LONG_MAX) {
                throw CommandContext.error("ERR value is out of range, value must between " + -LONG_MAX + " and " + LONG_MAX);
            }
            boolean withValues = false;
            if (c.argc() > 4 || (c.argc() == 4 && !c.argIs(3, "withvalues"))) throw c.syntax();
            if (c.argc() == 4) {
                withValues = true;
                // count * 2 reply elements must not overflow
                if (count < -LONG_MAX / 2 || count > LONG_MAX / 2) throw CommandContext.error("ERR value is out of range");
            }
            withCount(c, count, withValues);
            return;
        }
        HashValue h = HashCommands.read(c, c.arg(1));
        if (h == null) {
            c.out().nullBulk();
            return;
        }
        c.out().bulk(h.fieldAt(h.randomToken(ThreadLocalRandom.current())));
    }

    private static void withCount(CommandContext c, long l, boolean withValues) {
        HashValue h = HashCommands.read(c, c.arg(1));
        RespWriter w = c.out();
        if (h == null || l == 0) {
            w.arrayHeader(0);
            return;
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        boolean pairs = withValues && w.protocol() >= 3;
        long count = Math.abs(l);
        int size = h.size();
        if (l < 0 || count == 1) {
            // repetitions allowed: independent uniform picks
            header(w, count, withValues, pairs);
            for (long i = 0; i < count; i++) emit(w, h, h.randomToken(r), withValues, pairs);
            return;
        }
        if (count >= size) {
            header(w, size, withValues, pairs);
            for (int t = h.first(); t >= 0; t = h.next(t)) emit(w, h, t, withValues, pairs);
            return;
        }
        int n = (int) count;
        int[] picked;
        if (count * 3 > size) {
            // a large share: partial Fisher-Yates over every position, O(size)
            int[] all = new int[size];
            int k = 0;
            for (int t = h.first(); t >= 0; t = h.next(t)) all[k++] = t;
            for (int i = 0; i < n; i++) {
                int j = i + r.nextInt(size - i);
                int tmp = all[i];
                all[i] = all[j];
                all[j] = tmp;
            }
            picked = java.util.Arrays.copyOf(all, n);
        } else {
            // a small share: rejection sampling, expected O(count) picks
            Set<Integer> seen = new HashSet<>(n * 2);
            picked = new int[n];
            int k = 0;
            while (k < n) {
                int t = h.randomToken(r);
                if (seen.add(t)) picked[k++] = t;
            }
        }
        header(w, n, withValues, pairs);
        for (int t : picked) emit(w, h, t, withValues, pairs);
    }

    private static void header(RespWriter w, long n, boolean withValues, boolean pairs) {
        w.arrayHeader(withValues && !pairs ? n * 2 : n);
    }

    private static void emit(RespWriter w, HashValue h, int t, boolean withValues, boolean pairs) {
        if (pairs) w.arrayHeader(2);
        w.bulk(h.fieldAt(t));
        if (withValues) w.bulk(h.valueAt(t));
    }

}
