package io.jkevy.store;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The key tables' running memory totals against a recount, and the LFU counter's arithmetic. */
class MemoryAccountingStoreTest {

    static long expectedEntries(Map<String, byte[]> model) {
        long n = 0;
        for (Map.Entry<String, byte[]> e : model.entrySet()) {
            n += Heap.bytes(e.getKey().getBytes(StandardCharsets.UTF_8).length) + Heap.bytes(e.getValue().length);
        }
        return n;
    }

    static long expectedArrays(KeyTable t, boolean ttlArray) {
        int cap = t.capacity();
        return 2 * Heap.refs(cap) + Heap.longs(cap) + 2 * Heap.ints(cap) + (ttlArray ? Heap.longs(cap) : 0);
    }

    @Property(tries = 60)
    void totalsMatchARecountAfterAnyOperations(@ForAll @IntRange(min = 1, max = 1_000_000) int seed) {
        MemoryMeter meter = new MemoryMeter();
        KeyTable t = new KeyTable(meter);
        Map<String, byte[]> model = new HashMap<>();
        Random r = new Random(seed);
        boolean ttlArray = false;
        for (int step = 0; step < 400; step++) {
            String k = "k" + r.nextInt(120);
            byte[] key = k.getBytes(StandardCharsets.UTF_8);
            int h = Hashing.hash(key);
            switch (r.nextInt(5)) {
                case 0, 1 -> {
                    byte[] v = new byte[r.nextInt(r.nextBoolean() ? 30 : 3000)];
                    int slot = t.insert(key, h);
                    t.setValue(slot, v);
                    if (r.nextInt(4) == 0) {
                        t.setExpire(slot, 1000 + r.nextInt(1000));
                        ttlArray = true;
                    }
                    model.put(k, v);
                }
                case 2 -> {
                    int slot = t.find(key, h);
                    if (slot >= 0) t.removeAt(slot);
                    model.remove(k);
                }
                case 3 -> {
                    // an in-place change the table only learns of through measure()
                    int slot = t.find(key, h);
                    if (slot >= 0) {
                        byte[] v = new byte[r.nextInt(500)];
                        model.put(k, v);
                        t.setValue(slot, v);
                        t.measure(slot);
                    }
                }
                default -> {
                    if (r.nextInt(40) == 0) {
                        t.clear();
                        model.clear();
                        ttlArray = false;
                    }
                }
            }
            assertThat(meter.entryBytes()).isEqualTo(t.entryBytes()).isEqualTo(expectedEntries(model));
            if (t.volatileCount() == 0 && !ttlArray) assertThat(meter.tableBytes()).isEqualTo(expectedArrays(t, false));
            assertThat(meter.tableBytes()).isEqualTo(t.arrayBytes());
            if (t.arrayBytes() != expectedArrays(t, false)) assertThat(t.arrayBytes()).isEqualTo(expectedArrays(t, true));
        }
        t.clear();
        assertThat(meter.entryBytes()).isZero();
        assertThat(meter.tableBytes()).isEqualTo(expectedArrays(t, false));
    }

    @Test
    void dbTotalsFollowPutsRemovesAndLazyExpiry() {
        long[] now = {1_000_000};
        Keyspace ks = new Keyspace(2, 4, () -> now[0]);
        MemoryMeter m = ks.memoryMeter();
        long empty = m.total();
        Db db = ks.db(1);
        db.put("a".getBytes(), new byte[100]);
        db.put("b".getBytes(), new byte[100], now[0] + 10);
        assertThat(m.entryBytes()).isEqualTo(2 * (Heap.bytes(1) + Heap.bytes(100)));
        assertThat(db.entryBytes()).isEqualTo(m.entryBytes());
        assertThat(db.recordedSize("a".getBytes())).isEqualTo(Heap.bytes(1) + Heap.bytes(100));
        now[0] += 20;
        assertThat(db.get("b".getBytes())).isNull();            // lazily expired: subtracted
        assertThat(m.entryBytes()).isEqualTo(Heap.bytes(1) + Heap.bytes(100));
        db.putKeepTtl("a".getBytes(), new byte[5000]);
        assertThat(m.entryBytes()).isEqualTo(Heap.bytes(1) + Heap.bytes(5000));
        db.remove("a".getBytes());
        assertThat(m.entryBytes()).isZero();
        db.clear();
        assertThat(m.total()).isEqualTo(empty);
    }

    @Test
    void lfuCounterStartsDecaysAndGrowsLogarithmically() {
        int t0 = 1_700_000_000;
        int s = Lfu.fresh(t0);
        assertThat(Lfu.decayed(s, t0, 1)).isEqualTo(Lfu.INIT);
        assertThat(Lfu.decayed(s, t0 + 3 * 60, 1)).isEqualTo(Lfu.INIT - 3);
        assertThat(Lfu.decayed(s, t0 + 30 * 60, 1)).isZero();
        assertThat(Lfu.decayed(s, t0 + 4 * 60, 2)).isEqualTo(Lfu.INIT - 2);
        assertThat(Lfu.decayed(s, t0 + 4 * 60, 0)).isEqualTo(Lfu.INIT);   // decay off
        // at or below INIT every hit counts; above it, hits count with probability 1/((c-5)*f+1)
        assertThat(Lfu.decayed(Lfu.touch(s, t0, 10, 1, 0.999), t0, 1)).isEqualTo(Lfu.INIT + 1);
        int c6 = Lfu.touch(s, t0, 10, 1, 0.0);
        assertThat(Lfu.decayed(Lfu.touch(c6, t0, 10, 1, 0.2), t0, 1)).isEqualTo(6);      // p = 1/11
        assertThat(Lfu.decayed(Lfu.touch(c6, t0, 10, 1, 0.05), t0, 1)).isEqualTo(7);
        int max = Lfu.of(255, t0);
        assertThat(Lfu.decayed(Lfu.touch(max, t0, 0, 1, 0.0), t0, 1)).isEqualTo(255);
        // a million hits with factor 10 stay well below saturation, 100 hits barely move it
        Random r = new Random(1);
        int c = s;
        for (int i = 0; i < 100; i++) c = Lfu.touch(c, t0, 10, 1, r.nextDouble());
        assertThat(Lfu.decayed(c, t0, 1)).isBetween(7, 12);
        // the minute clock wraps at 16 bits
        int late = Lfu.fresh(t0 + 65535 * 60);
        assertThat(Lfu.decayed(late, t0 + 65536 * 60 + 2 * 60, 1)).isEqualTo(Lfu.INIT - 3);
    }
}
