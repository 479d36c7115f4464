package io.jkevy.store;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * KeyTable against a HashMap model. The key pool is small and a third of it shares one home
 * slot in every capacity up to 64 (the last slot, so the cluster wraps to slot 0): that forces
 * long probe runs, wrap-around clusters and backward shifts across the array end. Bulk
 * inserts and removals push the table through growth and shrinking.
 */
class KeyTableModelTest {

    /** Hash low bits all ones: home = capacity - 1 for capacities up to 64, cap-1 or cap/2-1 at 128. */
    static final List<String> COLLIDING = findKeys("c", 24, h -> (h & 63) == 63);
    static final List<String> POOL = buildPool();

    static List<String> findKeys(String prefix, int n, java.util.function.IntPredicate p) {
        List<String> out = new ArrayList<>();
        for (int i = 0; out.size() < n; i++) {
            String k = prefix + i;
            if (p.test(Hashing.hash(bytes(k)))) out.add(k);
        }
        return out;
    }

    private static List<String> buildPool() {
        List<String> pool = new ArrayList<>(COLLIDING);
        for (int i = 0; i < 40; i++) pool.add("k" + i);
        pool.add("");                       // the empty key is a legal key
        return pool;
    }

    static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    /** What the model remembers of one entry. */
    static final class Entry {
        Object value;
        long version;
        long expire;
    }

    enum Kind { INSERT, REMOVE, FIND, SET_EXPIRE, SET_VERSION, BULK_INSERT, BULK_REMOVE, CLEAR }

    record Op(Kind kind, int key, long arg) { }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(30, Kind.INSERT),
                net.jqwik.api.Tuple.of(20, Kind.REMOVE),
                net.jqwik.api.Tuple.of(10, Kind.FIND),
                net.jqwik.api.Tuple.of(15, Kind.SET_EXPIRE),
                net.jqwik.api.Tuple.of(8, Kind.SET_VERSION),
                net.jqwik.api.Tuple.of(4, Kind.BULK_INSERT),
                net.jqwik.api.Tuple.of(4, Kind.BULK_REMOVE),
                net.jqwik.api.Tuple.of(1, Kind.CLEAR));
        Arbitrary<Integer> keys = Arbitraries.integers().between(0, POOL.size() - 1);
        // expiry 0 (clear) is frequent so volatileCount goes both up and down
        Arbitrary<Long> args = Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(1, 1000));
        Arbitrary<Op> op = Combinators.combine(kinds, keys, args).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(300);
    }

    @Property(tries = 400)
    void agreesWithHashMapAfterEveryStep(@ForAll("ops") List<Op> ops) {
        KeyTable t = new KeyTable();
        Map<String, Entry> model = new HashMap<>();
        long nextValue = 0;
        for (Op op : ops) {
            String key = POOL.get(op.key());
            switch (op.kind()) {
                case INSERT -> insert(t, model, key, "v" + nextValue++);
                case REMOVE -> remove(t, model, key);
                case FIND -> {
                    int slot = t.find(bytes(key), Hashing.hash(bytes(key)));
                    assertThat(slot >= 0).as("find %s", key).isEqualTo(model.containsKey(key));
                }
                case SET_EXPIRE -> {
                    int slot = t.find(bytes(key), Hashing.hash(bytes(key)));
                    if (slot >= 0) {
                        t.setExpire(slot, op.arg());
                        model.get(key).expire = op.arg();
                    }
                }
                case SET_VERSION -> {
                    int slot = t.find(bytes(key), Hashing.hash(bytes(key)));
                    if (slot >= 0) {
                        t.setVersion(slot, op.arg() + 1);
                        model.get(key).version = op.arg() + 1;
                    }
                }
                case BULK_INSERT -> {
                    // up to 40 consecutive pool keys: crosses the 3/4 growth threshold
                    for (int i = 0; i < 40; i++) insert(t, model, POOL.get((op.key() + i) % POOL.size()), "b" + nextValue++);
                }
                case BULK_REMOVE -> {
                    // remove all but a few keys, checking after each removal: crosses 1/8 (shrink)
                    List<String> present = new ArrayList<>(model.keySet());
                    present.sort(null);
                    int keep = (int) (op.arg() % 4);
                    for (int i = keep; i < present.size(); i++) {
                        remove(t, model, present.get(i));
                        check(t, model);
                    }
                }
                case CLEAR -> {
                    t.clear();
                    model.clear();
                    assertThat(t.capacity()).isEqualTo(KeyTable.MIN_CAPACITY);
                }
            }
            check(t, model);
        }
    }

    private static void insert(KeyTable t, Map<String, Entry> model, String key, Object value) {
        // a fresh array each time: equality must be by content, not identity
        int slot = t.insert(bytes(key), Hashing.hash(bytes(key)));
        Entry e = model.get(key);
        if (e == null) {
            // a new entry starts with no value, version 0 and no TTL
            assertThat(t.valueAt(slot)).isNull();
            assertThat(t.versionAt(slot)).isZero();
            assertThat(t.expireAt(slot)).isZero();
            assertThat(t.accessAt(slot)).isZero();
            e = new Entry();
            model.put(key, e);
        } else {
            // an existing entry keeps everything; the insert just finds it
            assertThat(t.valueAt(slot)).isSameAs(e.value);
            assertThat(t.versionAt(slot)).isEqualTo(e.version);
            assertThat(t.expireAt(slot)).isEqualTo(e.expire);
        }
        t.setValue(slot, value);
        e.value = value;
    }

    private static void remove(KeyTable t, Map<String, Entry> model, String key) {
        int slot = t.find(bytes(key), Hashing.hash(bytes(key)));
        if (slot < 0) {
            assertThat(model).doesNotContainKey(key);
            return;
        }
        t.removeAt(slot);
        model.remove(key);
    }

    /** Full agreement plus the structural invariants the probe and scan code rely on. */
    static void check(KeyTable t, Map<String, Entry> model) {
        assertThat(t.size()).isEqualTo(model.size());
        long vol = model.values().stream().filter(e -> e.expire != 0).count();
        assertThat(t.volatileCount()).as("volatileCount").isEqualTo((int) vol);
        int cap = t.capacity();
        assertThat(Integer.bitCount(cap)).isEqualTo(1);
        // load bounds: at most 3/4 (a null always ends a probe), and shrinking keeps at least 1/8
        assertThat(t.size()).isLessThanOrEqualTo(cap / 4 * 3);
        assertThat(cap <= 2 * KeyTable.MIN_CAPACITY || t.size() * 8 >= cap)
                .as("shrunk: size %d cap %d", t.size(), cap).isTrue();
        for (Map.Entry<String, Entry> me : model.entrySet()) {
            byte[] k = bytes(me.getKey());
            int slot = t.find(k, Hashing.hash(k));
            assertThat(slot).as("find %s", me.getKey()).isGreaterThanOrEqualTo(0);
            assertThat(t.keyAt(slot)).isEqualTo(k);
            assertThat(t.valueAt(slot)).isSameAs(me.getValue().value);
            assertThat(t.versionAt(slot)).isEqualTo(me.getValue().version);
            assertThat(t.expireAt(slot)).isEqualTo(me.getValue().expire);
        }
        Set<String> seen = new HashSet<>();
        t.forEach((tab, slot) -> {
            String k = new String(tab.keyAt(slot), StandardCharsets.UTF_8);
            assertThat(seen.add(k)).as("duplicate %s", k).isTrue();
            assertThat(model).containsKey(k);
            // linear-probing invariant: no empty slot between the key's home and its slot
            int m = cap - 1;
            for (int i = Hashing.hash(tab.keyAt(slot)) & m; i != slot; i = (i + 1) & m) {
                assertThat(tab.keyAt(i)).as("gap before %s", k).isNotNull();
            }
        });
        assertThat(seen).hasSize(model.size());
    }

    @Example
    void collidingKeysReallyShareAHome() {
        // guards the premise of the pool: otherwise the property tests nothing about clusters
        for (String k : COLLIDING) assertThat(Hashing.hash(bytes(k)) & 7).isEqualTo(7);
    }

    @Example
    void backwardShiftAcrossTheWrapKeepsEveryKeyFindable() {
        // five keys with home 7 in a capacity-8 table occupy slots 7,0,1,2,3; removing each in
        // turn must shift the rest back across the array end and keep them findable
        for (int victim = 0; victim < 5; victim++) {
            KeyTable t = new KeyTable();
            Map<String, Entry> model = new HashMap<>();
            for (int i = 0; i < 5; i++) insert(t, model, COLLIDING.get(i), "v" + i);
            assertThat(t.capacity()).isEqualTo(8);
            remove(t, model, COLLIDING.get(victim));
            check(t, model);
            // after every removal the cluster must be contiguous from the home slot
            assertThat(t.keyAt(7)).isNotNull();
        }
    }

    @Example
    void removalShiftsAMixedClusterCorrectly() {
        // a cluster that mixes homes: colliding keys (home 7) and keys homed at 0 that sit behind
        // them. Removing the head at 7 may move home-7 keys back but must never move a home-0 key
        // into slot 7 (that would put it before its home).
        List<String> home0 = findKeys("z", 2, h -> (h & 7) == 0);
        KeyTable t = new KeyTable();
        Map<String, Entry> model = new HashMap<>();
        insert(t, model, COLLIDING.get(0), "a");   // slot 7
        insert(t, model, home0.get(0), "b");       // slot 0
        insert(t, model, COLLIDING.get(1), "c");   // slot 1
        insert(t, model, home0.get(1), "d");       // slot 2
        check(t, model);
        remove(t, model, COLLIDING.get(0));
        check(t, model);
        assertThat(new String(t.keyAt(7), StandardCharsets.UTF_8)).isEqualTo(COLLIDING.get(1));
    }

    @Example
    void growsAndShrinks() {
        KeyTable t = new KeyTable();
        Map<String, Entry> model = new HashMap<>();
        for (int i = 0; i < 1000; i++) insert(t, model, "g" + i, i);
        assertThat(t.capacity()).isEqualTo(2048);         // 1000 > 3/4 of 1024
        for (int i = 0; i < 1000; i++) {
            remove(t, model, "g" + i);
            if (i % 97 == 0) check(t, model);
        }
        check(t, model);
        assertThat(t.capacity()).isEqualTo(2 * KeyTable.MIN_CAPACITY);
    }

    @Example
    void ttlSurvivesResizeAndClearingTtlsDropsTheArrayLazily() {
        KeyTable t = new KeyTable();
        Map<String, Entry> model = new HashMap<>();
        insert(t, model, "a", "1");
        int s = t.find(bytes("a"), Hashing.hash(bytes("a")));
        t.setExpire(s, 123);
        model.get("a").expire = 123;
        for (int i = 0; i < 100; i++) insert(t, model, "x" + i, i);   // several resizes
        check(t, model);
        s = t.find(bytes("a"), Hashing.hash(bytes("a")));
        t.setExpire(s, 0);
        model.get("a").expire = 0;
        for (int i = 0; i < 100; i++) remove(t, model, "x" + i);       // resizes without TTLs
        check(t, model);
        // setting a TTL again after the expiry array may have been dropped
        s = t.find(bytes("a"), Hashing.hash(bytes("a")));
        t.setExpire(s, 5);
        model.get("a").expire = 5;
        check(t, model);
        // clearing an absent TTL on a table without TTLs is a no-op
        KeyTable u = new KeyTable();
        int us = u.insert(bytes("b"), Hashing.hash(bytes("b")));
        u.setExpire(us, 0);
        assertThat(u.volatileCount()).isZero();
        assertThat(u.expireAt(us)).isZero();
    }
}
