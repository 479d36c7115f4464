package io.jkevy.engine.command.set;

import io.jkevy.engine.CommandContext;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.type.set.SetValue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * SPOP and SRANDMEMBER. Randomness comes from the engine's seedable source only. SPOP's
 * effect is the deterministic write it made: {@code SREM key popped...} (in batches of
 * {@value #SREM_BATCH} members), or {@code DEL key} when the count covers the whole set.
 * SRANDMEMBER writes nothing.
 */
public final class SetRandom {
    private SetRandom() { }

    private static final String NOT_POSITIVE = "ERR value is out of range, must be positive";
    private static final String OUT_OF_RANGE =
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";
    static final int SREM_BATCH = 1024;
    private static final byte[] SREM = "SREM".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);

    private static IntSupplier rnd(CommandContext c) { return c.engine()::randomInt; }

    /** SPOP key [count]. */
    public static void spop(CommandContext c) {
        if (c.argc() > 3) throw c.syntax();
        if (c.argc() == 3) {
            spopCount(c);
            return;
        }
        byte[] key = c.arg(1);
        SetValue s = SetBasic.writeSet(c, key);
        if (s == null) {
            c.out().nullBulk();
            return;
        }
        byte[] m = s.popRandom(rnd(c));
        if (s.size() == 0) c.db().remove(key);
        c.propagate(SREM, key, m);
        c.touched(key);
        c.out().bulk(m);
    }

    private static void spopCount(CommandContext c) {
        long count = c.longArg(2);
        if (count < 0) throw CommandContext.error(NOT_POSITIVE);
        byte[] key = c.arg(1);
        SetValue s = SetBasic.writeSet(c, key);
        RespWriter w = c.out();
        if (s == null || count == 0) {
            w.setHeader(0);
            return;
        }
        popCount(c, key, s, count, w);
    }

    /**
     * Pops {@code min(count, size)} random members of {@code s} (stored at {@code key}),
     * replies them as a set and records the effect. Shaped for reuse by a blocking variant.
     */
    static void popCount(CommandContext c, byte[] key, SetValue s, long count, RespWriter w) {
        int size = s.size();
        if (count >= size) {
            SetBasic.replyMembers(w, s);
            c.db().remove(key);
            c.propagate(DEL, key);
            c.touched(key);
            return;
        }
        int n = (int) count;
        IntSupplier r = rnd(c);
        w.setHeader(n);
        List<byte[]> batch = new ArrayList<>(Math.min(n, SREM_BATCH) + 2);
        batch.add(SREM);
        batch.add(key);
        for (int i = 0; i < n; i++) {
            byte[] m = s.popRandom(r);
            w.bulk(m);
            batch.add(m);
            if (batch.size() == SREM_BATCH + 2) {
                c.propagate(batch.toArray(new byte[0][]));
                batch.subList(2, batch.size()).clear();
            }
        }
        if (batch.size() > 2) c.propagate(batch.toArray(new byte[0][]));
        c.touched(key);
    }

    /** SRANDMEMBER key [count]: a negative count allows repetitions. */
    public static void srandmember(CommandContext c) {
        if (c.argc() > 3) throw c.syntax();
        RespWriter w = c.out();
        if (c.argc() == 2) {
            SetValue s = SetBasic.readSet(c, c.arg(1));
            if (s == null) w.nullBulk();
            else w.bulk(s.random(rnd(c)));
            return;
        }
        long l = c.longArg(2);
        if (l == Long.MIN_VALUE) throw CommandContext.error(OUT_OF_RANGE);
        boolean unique = l >= 0;
        long count = Math.abs(l);
        SetValue s = SetBasic.readSet(c, c.arg(1));
        if (s == null || count == 0) {
            w.arrayHeader(0);
            return;
        }
        IntSupplier r = rnd(c);
        int size = s.size();
        if (!unique || count == 1) {
            // independent draws; the reply is streamed, never materialized
            w.arrayHeader(count);
            for (long i = 0; i < count; i++) w.bulk(s.random(r));
            return;
        }
        if (count >= size) {
            w.arrayHeader(size);
            s.forEach(w::bulk);
            return;
        }
        int n = (int) count;
        List<byte[]> chosen;
        if ((long) n * 3 > size) {
            // close to the whole set: drop random members from a copy of all of them
            chosen = s.members();
            while (chosen.size() > n) {
                int i = (int) (((r.getAsInt() & 0xffffffffL) * chosen.size()) >>> 32);
                int last = chosen.size() - 1;
                chosen.set(i, chosen.get(last));
                chosen.remove(last);
            }
        } else {
            // small sample of a big set: draw until n distinct members were seen
            Set<ByteBuffer> seen = new HashSet<>(n * 2);
            chosen = new ArrayList<>(n);
            while (chosen.size() < n) {
                byte[] m = s.random(r);
                if (seen.add(ByteBuffer.wrap(m))) chosen.add(m);
            }
        }
        w.arrayHeader(n);
        for (byte[] m : chosen) w.bulk(m);
    }

}
