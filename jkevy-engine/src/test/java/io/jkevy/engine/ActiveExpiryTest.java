package io.jkevy.engine;

import io.jkevy.journal.Frames;
import io.jkevy.journal.Journal;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The active expiry cycle: keys whose TTL passed disappear through {@link Engine#cron()} alone,
 * with no client reading them, each one counted in stats and journaled as {@code DEL key} so a
 * replica drops it too.
 */
class ActiveExpiryTest {

    @Test
    void cronCollectsExpiredKeysWithoutReadsAndJournalsEachAsDel() {
        EngineHarness h = new EngineHarness(16, 4);           // new Engine(16, 4, settable clock)
        Set<String> volatileKeys = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String k = "key:" + i;
            if (i % 2 == 0) {
                assertThat(h.simple("SET", k, "v", "PX", "100")).isEqualTo("OK");
                volatileKeys.add(k);
            } else {
                assertThat(h.simple("SET", k, "v")).isEqualTo("OK");
            }
        }
        var db = h.engine.keyspace().db(0);
        assertThat(db.size()).isEqualTo(10_000);
        assertThat(db.volatileSize()).isEqualTo(5_000);
        long expiredBefore = h.engine.stats().expiredKeys.sum();
        long from = h.engine.journal().nextOffset();

        h.advance(200);                                       // every TTL is now in the past

        // from here on nothing but cron touches the keyspace
        List<Long> sizes = new ArrayList<>();
        int calls = 0;
        while (db.size() > 5_000) {
            long before = db.size();
            h.engine.cron();
            long after = db.size();
            assertThat(after).as("cron never adds keys").isLessThanOrEqualTo(before);
            sizes.add(after);
            assertThat(++calls).as("active expiry stalled at %d keys", after).isLessThan(10_000);
        }
        // progress: the first call already collected something (half the sampled keys are
        // stale, far above the 10% at which the cycle stops early)
        assertThat(sizes.get(0)).isLessThan(10_000);
        assertThat(db.size()).isEqualTo(5_000);
        assertThat(db.volatileSize()).isZero();
        assertThat(h.engine.stats().expiredKeys.sum() - expiredBefore).isEqualTo(5_000);

        // every removal is one DEL frame of exactly that key, each key once, nothing else
        // (the db never changed, so no SELECT is needed either)
        Set<String> deleted = new HashSet<>();
        long off = from;
        while (off < h.engine.journal().nextOffset()) {
            Journal.Read r = h.engine.journal().read(off, 1000);
            assertThat(r).isInstanceOf(Journal.Read.Frames.class);
            Journal.Read.Frames fr = (Journal.Read.Frames) r;
            for (byte[] f : fr.frames()) {
                assertThat(Frames.offsetOf(f)).isEqualTo(off++);
                byte[][] argv = Frames.decodeArgv(f);
                assertThat(argv.length).isEqualTo(2);
                assertThat(new String(argv[0], StandardCharsets.UTF_8)).isEqualTo("DEL");
                String key = new String(argv[1], StandardCharsets.UTF_8);
                assertThat(deleted.add(key)).as("DEL %s journaled twice", key).isTrue();
            }
            assertThat(fr.next()).isEqualTo(off);
        }
        assertThat(deleted).isEqualTo(volatileKeys);

        // more cron calls find nothing to do
        long next = h.engine.journal().nextOffset();
        for (int i = 0; i < 10; i++) h.engine.cron();
        assertThat(h.engine.journal().nextOffset()).isEqualTo(next);
        assertThat(db.size()).isEqualTo(5_000);

        // the persistent keys are all still there (reads are fine now that cron is done)
        for (int i = 1; i < 10_000; i += 2) assertThat(h.bulk("GET", "key:" + i)).isEqualTo("v");
        assertThat(h.bulk("GET", "key:0")).isNull();
        assertThat(h.engine.stats().expiredKeys.sum() - expiredBefore).isEqualTo(5_000);
    }

    @Test
    void cronLeavesKeysWhoseTimeHasNotCome() {
        EngineHarness h = new EngineHarness(16, 4);
        for (int i = 0; i < 1_000; i++) h.simple("SET", "k" + i, "v", "PX", "1000");
        h.advance(999);                                       // one millisecond short
        for (int i = 0; i < 20; i++) h.engine.cron();
        assertThat(h.engine.keyspace().db(0).size()).isEqualTo(1_000);
        assertThat(h.engine.stats().expiredKeys.sum()).isZero();
        h.advance(1);                                         // at == now: expired
        int calls = 0;
        while (h.engine.keyspace().db(0).size() > 0) {
            h.engine.cron();
            assertThat(++calls).isLessThan(10_000);
        }
        assertThat(h.engine.stats().expiredKeys.sum()).isEqualTo(1_000);
    }

    @Test
    void expiryInOtherDatabasesIsJournaledAfterASelect() {
        EngineHarness h = new EngineHarness(16, 4);
        h.simple("SELECT", "3");
        h.simple("SET", "a", "v", "PX", "10");
        h.simple("SELECT", "0");
        h.simple("SET", "b", "v");                           // the journal's last db is now 0
        long from = h.engine.journal().nextOffset();
        h.advance(10);
        for (int i = 0; i < 20 && h.engine.keyspace().db(3).size() > 0; i++) h.engine.cron();
        Journal.Read.Frames fr = (Journal.Read.Frames) h.engine.journal().read(from, 100);
        List<String> frames = new ArrayList<>();
        for (byte[] f : fr.frames()) {
            List<String> parts = new ArrayList<>();
            for (byte[] a : Frames.decodeArgv(f)) parts.add(new String(a, StandardCharsets.UTF_8));
            frames.add(String.join(" ", parts));
        }
        assertThat(frames).containsExactly("SELECT 3", "DEL a");
    }
}
