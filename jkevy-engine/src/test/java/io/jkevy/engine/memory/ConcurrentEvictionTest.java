package io.jkevy.engine.memory;

import io.jkevy.engine.EngineHarness;
import io.jkevy.resp.RespValue;
import io.jkevy.store.Heap;
import io.jkevy.store.KeyTable;
import io.jkevy.store.Keyspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several clients writing strings, hashes and lists at once over maxmemory: no deadlock
 * between eviction (one stripe at a time) and multi-key commands, usage bounded, and the
 * running totals equal to a recount of every entry afterwards.
 */
class ConcurrentEvictionTest {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void writersAndEvictionKeepConsistentTotals() throws Exception {
        EngineHarness h = new EngineHarness();
        h.simple("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
        long limit = h.engine.memory().countedMemory() + 500_000;
        h.simple("CONFIG", "SET", "maxmemory", String.valueOf(limit));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            EngineHarness.Client c = h.client();
            int seed = t;
            threads.add(new Thread(() -> {
                Random r = new Random(seed);
                try {
                    for (int i = 0; i < 3000; i++) {
                        String k = "k" + r.nextInt(2000);
                        RespValue v = switch (r.nextInt(6)) {
                            case 0 -> c.call("SET", k, "x".repeat(r.nextInt(2000)));
                            case 1 -> c.call("HSET", "h" + k, "f" + r.nextInt(50), "v".repeat(r.nextInt(300)));
                            case 2 -> c.call("RPUSH", "l" + k, "e".repeat(r.nextInt(200)));
                            case 3 -> c.call("MSET", k, "a", "k" + r.nextInt(2000), "b".repeat(500));
                            case 4 -> c.call("RENAME", k, "k" + r.nextInt(2000));
                            default -> c.call("DEL", k, "h" + k);
                        };
                        if (v instanceof RespValue.Error e && !e.message().startsWith("ERR no such key")) {
                            throw new AssertionError(e.message());
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) t.join();
        assertThat(failure.get()).isNull();
        h.simple("PING");                 // one more gate pass after the last write
        assertThat(h.engine.memory().countedMemory()).isLessThanOrEqualTo(limit);
        assertThat(h.bulk("INFO", "stats")).doesNotContain("evicted_keys:0\r\n");

        // recount: recorded sizes sum to the totals, and each equals a fresh estimate
        Keyspace ks = h.engine.keyspace();
        long recorded = 0, tables = 0;
        for (int d = 0; d < ks.databases(); d++) {
            for (int s = 0; s < ks.stripes(); s++) {
                KeyTable t = ks.db(d).stripeTable(s);
                tables += t.arrayBytes();
                for (int slot = 0; slot < t.capacity(); slot++) {
                    byte[] k = t.keyAt(slot);
                    if (k == null) continue;
                    long fresh = Heap.align(Heap.bytes(k.length) + Heap.valueBytes(t.valueAt(slot), Heap.ACCOUNTING_SAMPLES));
                    assertThat(t.sizeAt(slot)).isEqualTo(fresh);
                    recorded += t.sizeAt(slot);
                }
            }
        }
        assertThat(ks.memoryMeter().entryBytes()).isEqualTo(recorded);
        assertThat(ks.memoryMeter().tableBytes()).isEqualTo(tables);
    }
}
