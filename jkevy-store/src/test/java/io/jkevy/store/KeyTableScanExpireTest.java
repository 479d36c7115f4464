package io.jkevy.store;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** SCAN coverage (static and under resizes), randomSlot, and the active-expiry step. */
class KeyTableScanExpireTest {

    static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    static String str(byte[] b) { return new String(b, StandardCharsets.UTF_8); }

    static int insert(KeyTable t, String k) { return t.insert(bytes(k), Hashing.hash(bytes(k))); }

    static boolean remove(KeyTable t, String k) {
        int s = t.find(bytes(k), Hashing.hash(bytes(k)));
        if (s < 0) return false;
        t.removeAt(s);
        return true;
    }

    // ---- SCAN ------------------------------------------------------------------------------

    @Property(tries = 200)
    void staticScanReturnsEveryKeyExactlyOnceAndEndsAtZero(
            @ForAll @IntRange(min = 0, max = 600) int n, @ForAll @IntRange(min = 1, max = 40) int count) {
        KeyTable t = new KeyTable();
        for (int i = 0; i < n; i++) insert(t, "s" + i);
        Map<String, Integer> seen = new HashMap<>();
        long cursor = 0;
        int calls = 0;
        do {
            int before = seen.values().stream().mapToInt(Integer::intValue).sum();
            cursor = t.scan(cursor, count, (tab, slot) -> seen.merge(str(tab.keyAt(slot)), 1, Integer::sum));
            int given = seen.values().stream().mapToInt(Integer::intValue).sum() - before;
            // a step stops as soon as it gave `count`; only the last step may give fewer
            if (cursor != 0) assertThat(given).isGreaterThanOrEqualTo(count);
            assertThat(cursor).isBetween(0L, (long) t.capacity() - 1);
            assertThat(++calls).as("scan did not terminate").isLessThanOrEqualTo(t.capacity() + 1);
        } while (cursor != 0);
        assertThat(seen).hasSize(n);
        // with no resize between calls every home slot is visited exactly once
        assertThat(seen.values()).allMatch(c -> c == 1);
    }

    @Example
    void scanOfEmptyTableIsDone() {
        KeyTable t = new KeyTable();
        assertThat(t.scan(0, 10, (tab, s) -> { throw new AssertionError("visited"); })).isZero();
        insert(t, "a");
        remove(t, "a");
        assertThat(t.scan(5, 10, (tab, s) -> { throw new AssertionError("visited"); })).isZero();
    }

    /**
     * Between SCAN calls, churn keys are added and removed in bursts large enough to grow
     * the table several times and shrink it back. Every stable key (present for the whole
     * scan) must still be returned, and nothing that never existed may be.
     */
    @Property(tries = 300)
    void scanUnderGrowthAndShrinkReturnsEveryStableKey(
            @ForAll @IntRange(min = 1, max = 40) int stable,
            @ForAll @IntRange(min = 1, max = 8) int count,
            @ForAll("churn") List<Integer> churn) {
        KeyTable t = new KeyTable();
        Set<String> stableKeys = new HashSet<>();
        Deque<String> churnPresent = new ArrayDeque<>();
        Set<String> everPresent = new HashSet<>();
        int nextChurn = 0;
        // interleave stable and churn keys at the start so both share clusters
        for (int i = 0; i < stable; i++) {
            String k = "stable" + i;
            insert(t, k);
            stableKeys.add(k);
            everPresent.add(k);
            String c = "churn" + nextChurn++;
            insert(t, c);
            churnPresent.add(c);
            everPresent.add(c);
        }
        Set<String> returned = new HashSet<>();
        long cursor = 0;
        int step = 0;
        do {
            cursor = t.scan(cursor, count, (tab, slot) -> returned.add(str(tab.keyAt(slot))));
            if (cursor == 0) break;
            // each burst once, then a quiet table so the scan finishes in bounded time
            int delta = step < churn.size() ? churn.get(step) : 0;
            if (delta > 0) {
                for (int i = 0; i < delta; i++) {
                    String c = "churn" + nextChurn++;
                    insert(t, c);
                    churnPresent.add(c);
                    everPresent.add(c);
                }
            } else {
                // alternate removing oldest and newest so removals hit all parts of the table
                for (int i = 0; i < -delta && !churnPresent.isEmpty(); i++) {
                    String c = (i & 1) == 0 ? churnPresent.pollFirst() : churnPresent.pollLast();
                    assertThat(remove(t, c)).isTrue();
                }
            }
            assertThat(++step).as("scan did not terminate").isLessThan(100_000);
        } while (true);
        // plain set checks: AssertJ's containsAll is quadratic on the large churn sets
        for (String k : stableKeys) assertThat(returned.contains(k)).as("stable key %s missed", k).isTrue();
        for (String k : returned) assertThat(everPresent.contains(k)).as("returned unknown %s", k).isTrue();
    }

    @Provide
    Arbitrary<List<Integer>> churn() {
        // big bursts (grow by several doublings, shrink back) mixed with small ones
        Arbitrary<Integer> burst = Arbitraries.oneOf(
                Arbitraries.integers().between(-600, 600),
                Arbitraries.integers().between(-5, 5));
        return burst.list().ofMinSize(0).ofMaxSize(30);
    }

    @Example
    void scanAcrossAShrinkFromLargeToSmall() {
        // deterministic: the scan starts on a 2048-slot table and finishes on a 32-slot one
        KeyTable t = new KeyTable();
        for (int i = 0; i < 5; i++) insert(t, "stable" + i);
        for (int i = 0; i < 1500; i++) insert(t, "big" + i);
        assertThat(t.capacity()).isEqualTo(2048);         // 1505 keys <= 3/4 of 2048
        Set<String> returned = new HashSet<>();
        long cursor = t.scan(0, 50, (tab, slot) -> returned.add(str(tab.keyAt(slot))));
        for (int i = 0; i < 1500; i++) remove(t, "big" + i);
        assertThat(t.capacity()).isEqualTo(32);           // 5 keys: 5 * 8 >= 32 stops shrinking
        while (cursor != 0) cursor = t.scan(cursor, 1, (tab, slot) -> returned.add(str(tab.keyAt(slot))));
        for (int i = 0; i < 5; i++) assertThat(returned).contains("stable" + i);
    }

    @Example
    void scanAcrossAGrowthFromSmallToLarge() {
        KeyTable t = new KeyTable();
        for (int i = 0; i < 5; i++) insert(t, "stable" + i);
        Set<String> returned = new HashSet<>();
        long cursor = t.scan(0, 1, (tab, slot) -> returned.add(str(tab.keyAt(slot))));
        for (int i = 0; i < 1500; i++) insert(t, "big" + i);
        while (cursor != 0) cursor = t.scan(cursor, 7, (tab, slot) -> returned.add(str(tab.keyAt(slot))));
        for (int i = 0; i < 5; i++) assertThat(returned).contains("stable" + i);
    }

    // ---- randomSlot ------------------------------------------------------------------------

    @Property(tries = 100)
    void randomSlotAlwaysLandsOnAKeyAndCanReachEveryKey(@ForAll @IntRange(min = 0, max = 300) int n) {
        KeyTable t = new KeyTable();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < n; i++) {
            insert(t, "r" + i);
            keys.add("r" + i);
        }
        if (n == 0) {
            assertThat(t.randomSlot(12345)).isEqualTo(-1);
            return;
        }
        Set<String> found = new HashSet<>();
        // every residue of r modulo the capacity, plus negative and large r
        for (int r = -t.capacity(); r < t.capacity(); r++) {
            int s = t.randomSlot(r);
            assertThat(t.keyAt(s)).isNotNull();
            found.add(str(t.keyAt(s)));
        }
        assertThat(t.keyAt(t.randomSlot(Integer.MIN_VALUE))).isNotNull();
        assertThat(t.keyAt(t.randomSlot(Integer.MAX_VALUE))).isNotNull();
        assertThat(found).isEqualTo(keys);
    }

    // ---- active expiry ---------------------------------------------------------------------

    /**
     * A table with keys that are due (at <= now), not yet due, and without TTL. Repeated
     * bounded steps must remove exactly the due keys, report each once with the right db,
     * never examine more than maxSlots slots per call, and keep the table consistent.
     */
    @Property(tries = 200)
    void expireStepRemovesExactlyTheDueKeys(
            @ForAll @IntRange(min = 0, max = 400) int n,
            @ForAll @IntRange(min = 1, max = 64) int maxSlots,
            @ForAll long seed) {
        Random rnd = new Random(seed);
        long now = 1_000;
        KeyTable t = new KeyTable();
        Map<String, KeyTableModelTest.Entry> model = new HashMap<>();
        Set<String> due = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String k = "e" + i;
            int s = insert(t, k);
            KeyTableModelTest.Entry e = new KeyTableModelTest.Entry();
            e.value = "v" + i;
            t.setValue(s, e.value);
            // boundary values on purpose: now is due, now + 1 is not
            long at = switch (rnd.nextInt(5)) {
                case 0 -> 0;
                case 1 -> now;
                case 2 -> now + 1;
                case 3 -> 1 + rnd.nextInt((int) now);
                default -> now + 1 + rnd.nextInt(1000);
            };
            t.setExpire(s, at);
            e.expire = at;
            model.put(k, e);
            if (at != 0 && at <= now) due.add(k);
        }
        List<String> reported = new ArrayList<>();
        int calls = 0;
        while (!due.isEmpty() || calls == 0) {
            int before = reported.size();
            long r = t.expireStep(now, maxSlots, 3, (db, key) -> {
                assertThat(db).isEqualTo(3);
                reported.add(str(key));
            });
            int seen = (int) (r >>> 32), expired = (int) r;
            int got = reported.size() - before;
            assertThat(expired).isEqualTo(got);
            // bounded work: never more than maxSlots slots examined, so no more removed or seen
            assertThat(seen).isLessThanOrEqualTo(maxSlots);
            assertThat(expired).isLessThanOrEqualTo(seen);
            for (int i = before; i < reported.size(); i++) {
                String k = reported.get(i);
                assertThat(due.remove(k)).as("reported %s which was not due (or twice)", k).isTrue();
                model.remove(k);
            }
            KeyTableModelTest.check(t, model);
            assertThat(++calls).as("expiry made no progress").isLessThan(100_000);
        }
        assertThat(reported).doesNotHaveDuplicates();
        // nothing due remains, so further steps remove nothing
        long r = t.expireStep(now, t.capacity(), 3, (db, key) -> { throw new AssertionError("expired " + str(key)); });
        assertThat((int) r).isZero();
    }

    @Example
    void oneStepRemovesAtMostMaxSlotsKeys() {
        KeyTable t = new KeyTable();
        for (int i = 0; i < 1000; i++) t.setExpire(insert(t, "d" + i), 5);
        int[] n = {0};
        long r = t.expireStep(10, 16, 0, (db, k) -> n[0]++);
        assertThat(n[0]).isBetween(1, 16);
        assertThat((int) r).isEqualTo(n[0]);
        assertThat(t.size()).isEqualTo(1000 - n[0]);
        // successive steps make progress until everything is gone
        int calls = 0;
        while (t.size() > 0) {
            int before = t.size();
            t.expireStep(10, 16, 0, (db, k) -> n[0]++);
            assertThat(before - t.size()).isBetween(0, 16);
            assertThat(++calls).isLessThan(10_000);
        }
        assertThat(n[0]).isEqualTo(1000);
        assertThat(t.volatileCount()).isZero();
    }

    @Example
    void aStepReexaminesTheSlotABackwardShiftRefilled() {
        // two due keys homed at slot 0 sit in slots 0 and 1; removing the first shifts the
        // second into slot 0, under the hand. Two slots of budget must collect both: the step
        // looks at slot 0 again instead of moving on to the now-empty slot 1.
        List<String> home0 = KeyTableModelTest.findKeys("h", 2, h -> (h & 7) == 0);
        KeyTable t = new KeyTable();
        for (String k : home0) t.setExpire(insert(t, k), 5);
        assertThat(t.capacity()).isEqualTo(8);
        List<String> got = new ArrayList<>();
        long r = t.expireStep(5, 2, 0, (db, k) -> got.add(str(k)));
        assertThat(got).containsExactlyElementsOf(home0);
        assertThat((int) r).isEqualTo(2);
        assertThat(t.size()).isZero();
    }

    @Example
    void expireStepOnTableWithoutTtlsDoesNothing() {
        KeyTable t = new KeyTable();
        for (int i = 0; i < 10; i++) insert(t, "p" + i);
        assertThat(t.expireStep(Long.MAX_VALUE, 100, 0, (db, k) -> { throw new AssertionError(); })).isZero();
        assertThat(t.size()).isEqualTo(10);
    }
}
