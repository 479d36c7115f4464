package io.jkevy.engine.memory;

import io.jkevy.engine.EngineHarness;
import io.jkevy.journal.Journal;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** maxmemory with each policy: who gets evicted, OOM when nothing can be, and the side effects. */
class EvictionTest {
    static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

    final EngineHarness h = new EngineHarness();

    /** The figure maxmemory is compared with. */
    long used() { return h.engine.memory().countedMemory(); }

    static String value(int n) { return "x".repeat(n); }

    /** Sets maxmemory to the current usage plus {@code headroom} bytes. */
    void limit(String policy, long headroom) {
        h.simple("CONFIG", "SET", "maxmemory-policy", policy);
        h.simple("CONFIG", "SET", "maxmemory", String.valueOf(used() + headroom));
    }

    long evicted() { return MemoryAccountingTest.field(h.bulk("INFO", "stats"), "evicted_keys"); }

    boolean exists(String k) { return h.integer("EXISTS", k) == 1; }

    @Test
    void noevictionRefusesWritesButServesReadsAndDeletes() {
        for (int i = 0; i < 100; i++) h.simple("SET", "k" + i, value(1000));
        limit("noeviction", 20_000);
        int written = 0;
        String err = null;
        for (int i = 0; i < 100 && err == null; i++) {
            var r = h.call("SET", "n" + i, value(1000));
            if (r instanceof io.jkevy.resp.RespValue.Error e) err = e.message();
            else written++;
        }
        assertThat(err).isEqualTo(OOM);
        assertThat(written).isBetween(10, 25);
        String stats = h.bulk("INFO", "stats");
        assertThat(stats).contains("total_eviction_exceeded_time:", "current_eviction_exceeded_time:");
        // reads and non-denyoom writes still work; nothing was evicted
        assertThat(h.bulk("GET", "k0")).hasSize(1000);
        assertThat(h.integer("DBSIZE")).isEqualTo(100 + written);
        assertThat(h.error("LPUSH", "l", "x")).isEqualTo(OOM);
        assertThat(h.error("HSET", "h", "f", "v")).isEqualTo(OOM);
        assertThat(h.integer("EXPIRE", "k1", "100")).isEqualTo(1);     // not denyoom
        assertThat(evicted()).isZero();
        // freeing memory lets writes through again
        for (int i = 0; i < 30; i++) h.integer("DEL", "k" + i);
        assertThat(h.simple("SET", "again", "v")).isEqualTo("OK");
        assertThat(MemoryAccountingTest.field(h.bulk("INFO", "stats"), "current_eviction_exceeded_time")).isZero();
        assertThat(h.bulk("INFO", "commandstats")).contains("cmdstat_set:").contains("rejected_calls=1");
    }

    @Test
    void allkeysRandomKeepsUsageUnderTheLimit() {
        limit("allkeys-random", 200_000);
        long max = h.engine.memory().maxmemory();
        for (int i = 0; i < 2000; i++) {
            assertThat(h.simple("SET", "k" + i, value(1000))).isEqualTo("OK");
            // one value past the limit, plus a key-table resize, as Redis overshoots by the last write
            assertThat(used()).isLessThanOrEqualTo(max + 4096);
        }
        assertThat(evicted()).isGreaterThan(1500);
        assertThat(h.integer("DBSIZE")).isBetween(100L, 200L);
    }

    @Test
    void volatilePoliciesNeverEvictPersistentKeys() {
        for (String policy : List.of("volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl")) {
            h.simple("FLUSHALL");
            h.simple("CONFIG", "SET", "maxmemory", "0");
            for (int i = 0; i < 100; i++) h.simple("SET", "keep" + i, value(1000));
            limit(policy, 60_000);
            for (int i = 0; i < 300; i++) {
                String reply = h.simple("SET", "t" + i, value(1000), "EX", "1000");
                assertThat(reply).as(policy).isEqualTo("OK");
            }
            for (int i = 0; i < 100; i++) assertThat(exists("keep" + i)).as(policy + " keep" + i).isTrue();
            long volatileLeft = h.engine.keyspace().db(0).volatileSize();
            assertThat(volatileLeft).as(policy).isBetween(20L, 80L);
            // persistent-only writes: volatile keys are evicted until none are left, then OOM
            String err = null;
            for (int i = 0; i < 200 && err == null; i++) {
                var r = h.call("SET", "p" + i, value(1000));
                if (r instanceof io.jkevy.resp.RespValue.Error e) err = e.message();
            }
            assertThat(err).as(policy).isEqualTo(OOM);
            assertThat(h.engine.keyspace().db(0).volatileSize()).as(policy).isZero();
            for (int i = 0; i < 100; i++) assertThat(exists("keep" + i)).as(policy).isTrue();
            h.simple("CONFIG", "SET", "maxmemory", "0");
        }
    }

    @Test
    void volatileTtlEvictsTheNearestExpiryFirst() {
        // 400 keys with TTLs 1000..400_000 s in random order of creation
        List<Integer> ttls = new ArrayList<>();
        for (int i = 1; i <= 400; i++) ttls.add(i);
        java.util.Collections.shuffle(ttls, new java.util.Random(7));
        for (int t : ttls) h.simple("SET", "t" + t, value(500), "EX", String.valueOf(t * 1000));
        limit("volatile-ttl", 0);
        // push 100 keys' worth out
        for (int i = 0; i < 100; i++) h.simple("SET", "n" + i, value(500), "EX", "10000000");
        int goneShort = 0, goneLong = 0;
        for (int t = 1; t <= 400; t++) {
            if (!exists("t" + t)) {
                if (t <= 150) goneShort++; else goneLong++;
            }
        }
        // with a pool of 16 and 5 samples a step the victims are overwhelmingly short-lived
        assertThat(goneShort + goneLong).isBetween(90, 110);
        assertThat(goneShort).isGreaterThan(4 * goneLong);
    }

    @Test
    void lruKeepsRecentlyReadKeys() {
        for (int i = 0; i < 400; i++) h.simple("SET", "k" + i, value(500));
        h.advance(100_000);
        h.engine.cron();
        for (int i = 0; i < 200; i++) h.bulk("GET", "k" + i);      // the hot half
        h.advance(10_000);
        h.engine.cron();
        limit("allkeys-lru", 0);
        for (int i = 0; i < 150; i++) h.simple("SET", "new" + i, value(500));
        int hotLeft = 0, coldLeft = 0;
        for (int i = 0; i < 400; i++) if (exists("k" + i)) {
            if (i < 200) hotLeft++; else coldLeft++;
        }
        assertThat(hotLeft).isGreaterThan(180);
        assertThat(coldLeft).isLessThan(100);
    }

    @Test
    void lfuKeepsFrequentlyReadKeysAndObjectFreqReportsTheCounter() {
        h.simple("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
        h.simple("SET", "probe", "v");
        assertThat(h.integer("OBJECT", "FREQ", "probe")).isEqualTo(5);    // new keys start at LFU_INIT_VAL
        byte[] payload = ((io.jkevy.resp.RespValue.Bulk) h.call("DUMP", "probe")).value();
        h.call("RESTORE".getBytes(), "restored".getBytes(), "0".getBytes(), payload, "FREQ".getBytes(), "100".getBytes());
        assertThat(h.integer("OBJECT", "FREQ", "restored")).isEqualTo(100);
        for (int i = 0; i < 400; i++) h.simple("SET", "k" + i, value(500));
        for (int round = 0; round < 30; round++) {
            for (int i = 0; i < 200; i++) h.bulk("GET", "k" + i);
        }
        assertThat(h.integer("OBJECT", "FREQ", "k0")).isGreaterThan(5);
        limit("allkeys-lfu", 0);
        for (int i = 0; i < 150; i++) h.simple("SET", "new" + i, value(500));
        int hotLeft = 0, coldLeft = 0;
        for (int i = 0; i < 400; i++) if (exists("k" + i)) {
            if (i < 200) hotLeft++; else coldLeft++;
        }
        assertThat(hotLeft).isGreaterThan(180);
        assertThat(coldLeft).isLessThan(120);
        // the counter decays with lfu-decay-time minutes of idleness
        long f = h.integer("OBJECT", "FREQ", "k0");
        h.advance(3 * 60_000);
        h.engine.keyspace().tick(h.now());
        assertThat(h.integer("OBJECT", "FREQ", "k0")).isEqualTo(Math.max(0, f - 3));
        h.simple("CONFIG", "SET", "lfu-decay-time", "0");
        assertThat(h.integer("OBJECT", "FREQ", "k0")).isEqualTo(f);
        h.simple("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
        assertThat(h.error("OBJECT", "FREQ", "k0")).startsWith("ERR An LFU maxmemory policy is not selected");
    }

    @Test
    void evictionIsJournaledAsDelAndReportedToTheListener() {
        List<String> heard = new ArrayList<>();
        h.engine.memory().evictionListener((db, key) -> heard.add(db + ":" + new String(key, StandardCharsets.UTF_8)));
        h.simple("SELECT", "2");
        for (int i = 0; i < 50; i++) h.simple("SET", "k" + i, value(1000));
        long from = h.engine.journal().nextOffset();
        limit("allkeys-lru", 0);
        h.simple("SET", "trigger", value(5000));
        assertThat(heard).isEmpty();                    // like Redis: eviction runs before a command
        h.simple("PING");
        assertThat(heard).isNotEmpty().allMatch(s -> s.startsWith("2:k"));
        Journal.Read read = h.engine.journal().read(from, Integer.MAX_VALUE);
        List<String> dels = new ArrayList<>();
        for (byte[] f : ((Journal.Read.Frames) read).frames()) {
            byte[][] argv = io.jkevy.journal.Frames.decodeArgv(f);
            if (new String(argv[0], StandardCharsets.US_ASCII).equals("DEL")) dels.add("2:" + new String(argv[1], StandardCharsets.UTF_8));
        }
        assertThat(dels).containsExactlyElementsOf(heard);
        assertThat(evicted()).isEqualTo(heard.size());
        for (String s : heard) assertThat(exists(s.substring(2))).isFalse();
    }

    @Test
    void aRoundCutShortLetsTheCommandRunAndTheCronContinues() {
        for (int i = 0; i < 200; i++) h.simple("SET", "k" + i, value(1000));
        h.simple("CONFIG", "SET", "maxmemory-eviction-tenacity", "0");   // no time at all: 16 keys a round
        h.simple("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
        h.simple("CONFIG", "SET", "maxmemory", String.valueOf(used() - 150_000));
        // allowed although still over (every command, INFO too, runs a round: read the counter directly)
        assertThat(h.simple("SET", "n", "v")).isEqualTo("OK");
        assertThat(h.engine.stats().evictedKeys.sum()).isEqualTo(16);
        h.engine.cron();
        assertThat(h.engine.stats().evictedKeys.sum()).isEqualTo(32);
        for (int i = 0; i < 20; i++) h.engine.cron();
        assertThat(used()).isLessThanOrEqualTo(h.engine.memory().maxmemory());
        assertThat(h.engine.stats().evictedKeys.sum()).isBetween(130L, 170L);
    }

    @Test
    void tenacityGivesATimeLimit() {
        MemoryManager m = h.engine.memory();
        h.simple("CONFIG", "SET", "maxmemory-eviction-tenacity", "10");
        assertThat(m.timeLimitNanos()).isEqualTo(500_000);
        h.simple("CONFIG", "SET", "maxmemory-eviction-tenacity", "0");
        assertThat(m.timeLimitNanos()).isZero();
        h.simple("CONFIG", "SET", "maxmemory-eviction-tenacity", "100");
        assertThat(m.timeLimitNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void nestedDenyoomCommandsAreRefusedWithoutEvicting() {
        for (int i = 0; i < 50; i++) h.simple("SET", "k" + i, value(1000));
        h.simple("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
        h.simple("CONFIG", "SET", "maxmemory", String.valueOf(used() - 10_000));   // already over
        io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.buffer();
        io.jkevy.resp.RespWriter w = new io.jkevy.resp.RespWriter();
        w.target(buf);
        var ks = h.engine.keyspace();
        ks.lockAll();                      // as EXEC or a script holds every stripe
        try {
            assertThat(h.engine.executeNested(h.session, new byte[][] {"SET".getBytes(), "x".getBytes(), "y".getBytes()}, w)).isNull();
            assertThat(h.engine.executeNested(h.session, new byte[][] {"GET".getBytes(), "k1".getBytes()}, w)).isNotNull();
        } finally {
            ks.unlockAll();
        }
        String replies = buf.toString(StandardCharsets.UTF_8);
        buf.release();
        assertThat(replies).startsWith("-" + OOM + "\r\n$1000\r\n");
        assertThat(h.integer("DBSIZE")).isLessThan(50);     // the next top-level command evicted
        assertThat(exists("x")).isFalse();
    }
}
