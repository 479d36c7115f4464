package io.jkevy.store;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Db and Keyspace: lazy expiry, TTL rules, SCAN across stripes, swap, randomKey, stripes. */
class DbKeyspaceTest {

    static final long T0 = 1_700_000_000_000L;

    /** A keyspace on a settable clock that records every expiry report as "db:key". */
    static final class Fixture {
        final AtomicLong now = new AtomicLong(T0);
        final List<String> expired = new ArrayList<>();
        final Keyspace ks;

        Fixture(int dbs, int stripes) {
            ks = new Keyspace(dbs, stripes, now::get);
            ks.expiryListener((db, key) -> expired.add(db + ":" + str(key)));
        }

        Db db(int i) { return ks.db(i); }
    }

    static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    static String str(byte[] b) { return new String(b, StandardCharsets.UTF_8); }

    // ---- lazy expiry -------------------------------------------------------------------------

    /** Each accessor must treat a key whose time passed as absent and report it exactly once. */
    @Example
    void lazyExpiryReportsExactlyOncePerAccessor() {
        Map<String, Consumer<Db>> accessors = new HashMap<>();
        accessors.put("get", d -> assertThat(d.get(b("k"))).isNull());
        accessors.put("peek", d -> assertThat(d.peek(b("k"))).isNull());
        accessors.put("exists", d -> assertThat(d.exists(b("k"))).isFalse());
        accessors.put("expireAt", d -> assertThat(d.expireAt(b("k"))).isEqualTo(-1));
        accessors.put("version", d -> assertThat(d.version(b("k"))).isZero());
        accessors.put("accessTime", d -> assertThat(d.accessTime(b("k"))).isEqualTo(-1));
        accessors.put("remove", d -> assertThat(d.remove(b("k"))).isFalse());
        accessors.put("setExpire", d -> assertThat(d.setExpire(b("k"), T0 + 99_999)).isFalse());
        for (Map.Entry<String, Consumer<Db>> a : accessors.entrySet()) {
            Fixture f = new Fixture(16, 4);
            Db d = f.db(5);
            d.put(b("k"), b("v"), T0 + 100);
            d.setVersion(b("k"), 42);
            f.now.set(T0 + 99);
            assertThat(d.exists(b("k"))).as(a.getKey()).isTrue();          // one ms before: alive
            assertThat(f.expired).isEmpty();
            f.now.set(T0 + 100);                                           // at == now: dead
            a.getValue().accept(d);
            assertThat(f.expired).as(a.getKey()).containsExactly("5:k");
            assertThat(d.size()).as(a.getKey()).isZero();
            assertThat(d.volatileSize()).isZero();
            // once collected it is simply absent: no second report from any accessor
            for (Consumer<Db> other : accessors.values()) other.accept(d);
            assertThat(f.expired).as(a.getKey()).hasSize(1);
        }
    }

    @Example
    void expiredButUncollectedKeysCountInSizeUntilTouched() {
        Fixture f = new Fixture(1, 1);
        Db d = f.db(0);
        d.put(b("a"), b("1"), T0 + 10);
        d.put(b("b"), b("2"));
        f.now.addAndGet(1000);
        assertThat(d.size()).isEqualTo(2);            // as Redis's DBSIZE
        assertThat(d.get(b("b"))).isEqualTo(b("2"));
        assertThat(d.get(b("a"))).isNull();
        assertThat(d.size()).isEqualTo(1);
        assertThat(f.expired).containsExactly("0:a");
    }

    @Example
    void getTouchesAccessTimeButPeekDoesNot() {
        Fixture f = new Fixture(1, 4);
        Db d = f.db(0);
        f.ks.tick(T0);
        d.put(b("k"), b("v"));
        int t0 = d.accessTime(b("k"));
        assertThat(t0).isEqualTo((int) (T0 / 1000));
        f.ks.tick(T0 + 5000);
        d.peek(b("k"));
        assertThat(d.accessTime(b("k"))).isEqualTo(t0);
        d.get(b("k"));
        assertThat(d.accessTime(b("k"))).isEqualTo(t0 + 5);
    }

    // ---- TTL rules ---------------------------------------------------------------------------

    @Example
    void putReplacesTtlAndPutKeepTtlKeepsIt() {
        Fixture f = new Fixture(1, 4);
        Db d = f.db(0);
        d.put(b("k"), b("1"), T0 + 500);
        assertThat(d.expireAt(b("k"))).isEqualTo(T0 + 500);
        assertThat(d.volatileSize()).isEqualTo(1);

        d.putKeepTtl(b("k"), b("2"));                         // KEEPTTL / APPEND / INCR
        assertThat(d.get(b("k"))).isEqualTo(b("2"));
        assertThat(d.expireAt(b("k"))).isEqualTo(T0 + 500);

        d.put(b("k"), b("3"), T0 + 900);                      // a new TTL replaces the old
        assertThat(d.expireAt(b("k"))).isEqualTo(T0 + 900);
        assertThat(d.volatileSize()).isEqualTo(1);

        d.put(b("k"), b("4"));                                // a plain SET clears the TTL
        assertThat(d.expireAt(b("k"))).isZero();
        assertThat(d.volatileSize()).isZero();

        d.putKeepTtl(b("new"), b("x"));                       // absent: created without TTL
        assertThat(d.expireAt(b("new"))).isZero();
        assertThat(d.size()).isEqualTo(2);

        assertThat(d.setExpire(b("new"), T0 + 10)).isTrue();
        assertThat(d.volatileSize()).isEqualTo(1);
        assertThat(d.setExpire(b("new"), 0)).isTrue();        // PERSIST
        assertThat(d.volatileSize()).isZero();
        assertThat(d.setExpire(b("absent"), T0 + 10)).isFalse();
        assertThat(f.expired).isEmpty();
    }

    @Example
    void putKeepTtlOnExpiredKeyReportsItAndCreatesAPersistentKey() {
        Fixture f = new Fixture(2, 4);
        Db d = f.db(1);
        d.put(b("k"), b("old"), T0 + 1);
        d.setVersion(b("k"), 7);
        f.now.set(T0 + 1);
        d.putKeepTtl(b("k"), b("new"));
        assertThat(f.expired).containsExactly("1:k");
        assertThat(d.get(b("k"))).isEqualTo(b("new"));
        assertThat(d.expireAt(b("k"))).isZero();             // the dead key's TTL is not inherited
        assertThat(d.version(b("k"))).isZero();               // nor its version
        assertThat(d.volatileSize()).isZero();
        assertThat(d.size()).isEqualTo(1);
    }

    @Example
    void versionsAreKeptPerKey() {
        Fixture f = new Fixture(1, 4);
        Db d = f.db(0);
        d.put(b("k"), b("v"));
        d.setVersion(b("k"), 11);
        assertThat(d.version(b("k"))).isEqualTo(11);
        d.setVersion(b("absent"), 12);                        // ignored, nothing created
        assertThat(d.exists(b("absent"))).isFalse();
        assertThat(d.size()).isEqualTo(1);
        d.put(b("k"), b("w"));                                // the caller sets versions, put keeps it
        assertThat(d.version(b("k"))).isEqualTo(11);
        d.remove(b("k"));
        assertThat(d.version(b("k"))).isZero();
    }

    // ---- SCAN across stripes ---------------------------------------------------------------

    @Property(tries = 150)
    void scanCoversEveryKeyExactlyOnceOnAStaticKeyspace(
            @ForAll("stripeCounts") int stripes,
            @ForAll @IntRange(min = 0, max = 2000) int n,
            @ForAll @IntRange(min = 1, max = 200) int count) {
        Fixture f = new Fixture(2, stripes);
        Db d = f.db(1);
        for (int i = 0; i < n; i++) d.put(b("key:" + i), b("v"));
        f.db(0).put(b("other-db"), b("v"));                   // must not leak into db 1's scan
        Map<String, Integer> seen = new HashMap<>();
        long cursor = 0;
        int calls = 0;
        do {
            cursor = d.scan(cursor, count, k -> seen.merge(str(k), 1, Integer::sum));
            assertThat(cursor).isNotNegative();
            assertThat(++calls).as("scan did not terminate").isLessThan(100_000);
        } while (cursor != 0);
        assertThat(seen).hasSize(n);
        assertThat(seen.values()).allMatch(c -> c == 1);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Integer> stripeCounts() { return net.jqwik.api.Arbitraries.of(1, 4, 64); }

    @Example
    void scanStepsHonourCountAndSkipExpiredKeys() {
        for (int stripes : new int[] {1, 4, 64}) {
            Fixture f = new Fixture(1, stripes);
            Db d = f.db(0);
            for (int i = 0; i < 300; i++) d.put(b("live" + i), b("v"));
            for (int i = 0; i < 100; i++) d.put(b("dead" + i), b("v"), T0 + 1);
            f.now.set(T0 + 1);
            Set<String> seen = new HashSet<>();
            long cursor = 0;
            int calls = 0;
            do {
                cursor = d.scan(cursor, 10, k -> seen.add(str(k)));
                calls++;
            } while (cursor != 0);
            assertThat(seen).hasSize(300).allMatch(k -> k.startsWith("live"));
            // COUNT is a hint but steps are not wildly under it: 400 entries at >= 10 per step
            assertThat(calls).as("stripes %d", stripes).isLessThanOrEqualTo(41 + stripes);
            // skipped, not collected: SCAN does not write
            assertThat(f.expired).isEmpty();
            assertThat(d.size()).isEqualTo(400);
        }
    }

    @Example
    void scanOfEmptyDbEndsImmediately() {
        for (int stripes : new int[] {1, 4, 64}) {
            Fixture f = new Fixture(1, stripes);
            assertThat(f.db(0).scan(0, 10, k -> { throw new AssertionError(); })).isZero();
        }
    }

    // ---- swap, randomKey, stripes ---------------------------------------------------------

    @Example
    void swapExchangesDatabasesAndTheirIndices() {
        Fixture f = new Fixture(4, 4);
        Db zero = f.db(0), two = f.db(2);
        zero.put(b("a"), b("in0"), T0 + 10);
        two.put(b("b"), b("in2"));
        f.ks.lockAll();
        try {
            f.ks.swap(0, 2);
        } finally {
            f.ks.unlockAll();
        }
        assertThat(f.db(0)).isSameAs(two);
        assertThat(f.db(2)).isSameAs(zero);
        assertThat(f.db(0).index()).isZero();
        assertThat(f.db(2).index()).isEqualTo(2);
        assertThat(f.db(0).get(b("b"))).isEqualTo(b("in2"));
        assertThat(f.db(0).exists(b("a"))).isFalse();
        // a key expiring after the swap is reported under its new database number
        f.now.set(T0 + 10);
        assertThat(f.db(2).get(b("a"))).isNull();
        assertThat(f.expired).containsExactly("2:a");
        f.ks.swap(1, 1);                                      // swapping a db with itself is harmless
        assertThat(f.db(1).index()).isEqualTo(1);
    }

    @Example
    void randomKeySkipsAndCollectsExpiredKeys() {
        Fixture f = new Fixture(1, 1);
        Db d = f.db(0);
        for (int i = 0; i < 50; i++) d.put(b("dead" + i), b("v"), T0 + 5);
        d.put(b("alive"), b("v"));
        f.now.set(T0 + 5);
        Random r = new Random(1);
        // one stripe: each attempt either collects a dead key or returns the live one, so 51
        // attempts (of 100) are enough whatever the randomness
        assertThat(d.randomKey(r::nextInt)).isEqualTo(b("alive"));
        assertThat(f.expired).allMatch(e -> e.startsWith("0:dead")).doesNotHaveDuplicates();

        Fixture g = new Fixture(1, 4);
        Db e = g.db(0);
        for (int i = 0; i < 30; i++) e.put(b("dead" + i), b("v"), T0 + 5);
        g.now.set(T0 + 5);
        assertThat(e.randomKey(new Random(2)::nextInt)).isNull();
        assertThat(g.expired).hasSize(30).doesNotHaveDuplicates();
        assertThat(e.size()).isZero();
        assertThat(e.randomKey(new Random(3)::nextInt)).isNull();
    }

    @Property(tries = 20)
    void randomKeyNeverReturnsAnExpiredKey(@ForAll("stripeCounts") int stripes, @ForAll long seed) {
        Fixture f = new Fixture(1, stripes);
        Db d = f.db(0);
        for (int i = 0; i < 200; i++) d.put(b("k" + i), b("v"), i % 2 == 0 ? T0 + 5 : 0);
        f.now.set(T0 + 5);
        Random r = new Random(seed);
        for (int i = 0; i < 200; i++) {
            byte[] k = d.randomKey(r::nextInt);
            assertThat(k).isNotNull();
            int n = Integer.parseInt(str(k).substring(1));
            assertThat(n % 2).as("returned an expired key %s", str(k)).isEqualTo(1);
        }
    }

    @Property(tries = 30)
    void stripeOfIsTheTableTheKeyLandsIn(@ForAll("stripeCounts") int stripes, @ForAll @LongRange(min = 0, max = 1000) long salt) {
        Fixture f = new Fixture(1, stripes);
        Db d = f.db(0);
        for (int i = 0; i < 300; i++) {
            byte[] k = b("s" + salt + ":" + i);
            d.put(k, b("v"));
            int s = f.ks.stripeOf(k);
            assertThat(s).isBetween(0, stripes - 1);
            for (int t = 0; t < stripes; t++) {
                boolean here = d.stripeTable(t).find(k, Hashing.hash(k)) >= 0;
                assertThat(here).as("key %d in stripe %d (stripeOf %d)", i, t, s).isEqualTo(t == s);
            }
        }
        long total = 0;
        for (int t = 0; t < stripes; t++) total += d.stripeTable(t).size();
        assertThat(total).isEqualTo(300);
    }

    @Example
    void manyStripesSpreadKeys() {
        // the stripe comes from the high hash bits: 64 stripes over 10,000 keys all get some
        Fixture f = new Fixture(1, 64);
        int[] per = new int[64];
        for (int i = 0; i < 10_000; i++) per[f.ks.stripeOf(b("spread" + i))]++;
        for (int c : per) assertThat(c).isGreaterThan(50);
    }

    @Example
    void constructorRejectsBadStripeCounts() {
        assertThatThrownBy(() -> new Keyspace(1, 3, () -> 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Keyspace(1, 512, () -> 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Keyspace(1, 256, () -> 0).stripes()).isEqualTo(256);
    }

    @Example
    void lockStripesTakesDistinctStripesOnceAndUnlocksThem() {
        Fixture f = new Fixture(1, 8);
        int[] st = {1, 1, 3, 7, 7, 7};
        f.ks.lockStripes(st, st.length);
        f.ks.lockAll();
        assertThat(f.ks.holdsAll()).isTrue();
        f.ks.unlockAll();
        f.ks.unlockStripes(st, st.length);
        // a reentrant lock taken twice would still be held here
        Thread probe = new Thread(() -> {
            f.ks.lockAll();
            f.ks.unlockAll();
        });
        probe.setDaemon(true);                                // never keeps the test JVM alive
        probe.start();
        try {
            probe.join(5000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(probe.isAlive()).as("a stripe stayed locked").isFalse();
        assertThat(f.ks.holdsAll()).isFalse();
    }

    @Example
    void keyspaceExpireStepCoversEveryDatabaseOfTheStripe() {
        Fixture f = new Fixture(3, 1);
        f.db(0).put(b("a"), b("v"), T0 + 1);
        f.db(2).put(b("b"), b("v"), T0 + 1);
        f.db(2).put(b("c"), b("v"), T0 + 1000);
        long r = f.ks.expireStep(0, T0 + 1, 64);
        assertThat(r & 0xffffffffL).isEqualTo(2);
        // c is seen unless the one re-look after a removal used up the slot budget it sat in
        assertThat(r >>> 32).isBetween(2L, 3L);
        assertThat(f.expired).containsExactlyInAnyOrder("0:a", "2:b");
        assertThat(f.db(2).exists(b("c"))).isTrue();
    }
}
