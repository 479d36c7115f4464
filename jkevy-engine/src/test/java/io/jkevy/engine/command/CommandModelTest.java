package io.jkevy.engine.command;

import io.jkevy.engine.EngineHarness;
import io.jkevy.resp.RespValue;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Long random command sequences through the dispatcher, checked reply by reply against plain
 * Java models, with the compact-encoding thresholds lowered so that every type converts
 * mid-sequence (and keeps shrinking and growing after it converted).
 */
class CommandModelTest {
    static final int STEPS = 1500;

    static EngineHarness harness() {
        EngineHarness h = new EngineHarness(16, 4);
        h.call("CONFIG", "SET", "hash-max-listpack-entries", "6");
        h.call("CONFIG", "SET", "set-max-intset-entries", "6");
        h.call("CONFIG", "SET", "set-max-listpack-entries", "6");
        h.call("CONFIG", "SET", "zset-max-listpack-entries", "6");
        h.call("CONFIG", "SET", "list-max-listpack-size", "3");
        return h;
    }

    static String member(Random r) {
        return r.nextInt(3) == 0 ? Integer.toString(r.nextInt(20)) : "m" + r.nextInt(20);
    }

    static long integer(RespValue v) { return ((RespValue.Integer) v).value(); }

    static String str(RespValue v) {
        if (v instanceof RespValue.Null) return null;
        byte[] b = ((RespValue.Bulk) v).value();
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    static List<String> strings(RespValue v) {
        List<String> out = new ArrayList<>();
        List<RespValue> els = v instanceof RespValue.Array a ? a.elements()
                : v instanceof RespValue.Set s ? s.elements() : ((RespValue.Map) v).flattenedPairs();
        for (RespValue e : els) out.add(str(e));
        return out;
    }

    @Property(tries = 12)
    void hashesMatchAMap(@ForAll @IntRange(min = 1, max = 1_000_000) int seed) {
        EngineHarness h = harness();
        Random r = new Random(seed);
        Map<String, String> model = new HashMap<>();
        for (int i = 0; i < STEPS; i++) {
            String f = member(r), v = "v" + r.nextInt(5);
            switch (r.nextInt(6)) {
                case 0, 1 -> assertThat(integer(h.call("HSET", "h", f, v))).isEqualTo(model.put(f, v) == null ? 1 : 0);
                case 2 -> assertThat(integer(h.call("HDEL", "h", f))).isEqualTo(model.remove(f) == null ? 0 : 1);
                case 3 -> assertThat(str(h.call("HGET", "h", f))).isEqualTo(model.get(f));
                case 4 -> assertThat(integer(h.call("HLEN", "h"))).isEqualTo(model.size());
                default -> {
                    List<String> flat = strings(h.call("HGETALL", "h"));
                    Map<String, String> got = new HashMap<>();
                    for (int j = 0; j < flat.size(); j += 2) got.put(flat.get(j), flat.get(j + 1));
                    assertThat(got).isEqualTo(model);
                }
            }
            if (model.size() > 6) assertThat(h.bulk("OBJECT", "ENCODING", "h")).isEqualTo("hashtable");
        }
    }

    @Property(tries = 12)
    void setsMatchAHashSet(@ForAll @IntRange(min = 1, max = 1_000_000) int seed) {
        EngineHarness h = harness();
        Random r = new Random(seed);
        Set<String> model = new HashSet<>();
        for (int i = 0; i < STEPS; i++) {
            String m = member(r);
            switch (r.nextInt(5)) {
                case 0, 1 -> assertThat(integer(h.call("SADD", "s", m))).isEqualTo(model.add(m) ? 1 : 0);
                case 2 -> assertThat(integer(h.call("SREM", "s", m))).isEqualTo(model.remove(m) ? 1 : 0);
                case 3 -> assertThat(integer(h.call("SISMEMBER", "s", m))).isEqualTo(model.contains(m) ? 1 : 0);
                default -> assertThat(new HashSet<>(strings(h.call("SMEMBERS", "s")))).isEqualTo(model);
            }
            assertThat(integer(h.call("SCARD", "s"))).isEqualTo(model.size());
            if (model.size() > 6) assertThat(h.bulk("OBJECT", "ENCODING", "s")).isEqualTo("hashtable");
        }
    }

    @Property(tries = 12)
    void listsMatchALinkedList(@ForAll @IntRange(min = 1, max = 1_000_000) int seed) {
        EngineHarness h = harness();
        Random r = new Random(seed);
        LinkedList<String> model = new LinkedList<>();
        for (int i = 0; i < STEPS; i++) {
            String m = member(r);
            switch (r.nextInt(7)) {
                case 0 -> { model.addFirst(m); assertThat(integer(h.call("LPUSH", "l", m))).isEqualTo(model.size()); }
                case 1 -> { model.addLast(m); assertThat(integer(h.call("RPUSH", "l", m))).isEqualTo(model.size()); }
                case 2 -> assertThat(str(h.call("LPOP", "l"))).isEqualTo(model.pollFirst());
                case 3 -> assertThat(str(h.call("RPOP", "l"))).isEqualTo(model.pollLast());
                case 4 -> {
                    int idx = r.nextInt(12) - 6;
                    int real = idx < 0 ? model.size() + idx : idx;
                    String expect = real >= 0 && real < model.size() ? model.get(real) : null;
                    assertThat(str(h.call("LINDEX", "l", Integer.toString(idx)))).isEqualTo(expect);
                }
                case 5 -> assertThat(integer(h.call("LLEN", "l"))).isEqualTo(model.size());
                default -> assertThat(strings(h.call("LRANGE", "l", "0", "-1"))).isEqualTo(model);
            }
        }
    }

    @Property(tries = 12)
    void sortedSetsMatchAnOrderedModel(@ForAll @IntRange(min = 1, max = 1_000_000) int seed) {
        EngineHarness h = harness();
        Random r = new Random(seed);
        Map<String, Integer> scores = new HashMap<>();
        Comparator<String> order = Comparator.<String>comparingInt(scores::get).thenComparing(Comparator.naturalOrder());
        for (int i = 0; i < STEPS; i++) {
            String m = member(r);
            int sc = r.nextInt(10);
            switch (r.nextInt(6)) {
                case 0, 1 -> assertThat(integer(h.call("ZADD", "z", Integer.toString(sc), m)))
                        .isEqualTo(scores.put(m, sc) == null ? 1 : 0);
                case 2 -> assertThat(integer(h.call("ZREM", "z", m))).isEqualTo(scores.remove(m) == null ? 0 : 1);
                case 3 -> {
                    Integer s = scores.get(m);
                    assertThat(str(h.call("ZSCORE", "z", m))).isEqualTo(s == null ? null : Integer.toString(s));
                }
                case 4 -> {
                    TreeSet<String> sorted = new TreeSet<>(order);
                    sorted.addAll(scores.keySet());
                    RespValue v = h.call("ZRANK", "z", m);
                    if (!scores.containsKey(m)) assertThat(str(v)).isNull();               // RESP2 null bulk
                    else assertThat(integer(v)).isEqualTo(sorted.headSet(m).size());
                }
                default -> {
                    List<String> sorted = new ArrayList<>(scores.keySet());
                    sorted.sort(order);
                    assertThat(strings(h.call("ZRANGE", "z", "0", "-1"))).isEqualTo(sorted);
                }
            }
            assertThat(integer(h.call("ZCARD", "z"))).isEqualTo(scores.size());
            if (scores.size() > 6) assertThat(h.bulk("OBJECT", "ENCODING", "z")).isEqualTo("skiplist");
        }
    }

    @Property(tries = 12)
    void streamsMatchASortedMap(@ForAll @IntRange(min = 1, max = 1_000_000) int seed) {
        EngineHarness h = new EngineHarness(16, 4);
        h.call("CONFIG", "SET", "stream-node-max-entries", "4");        // many nodes, split and emptied
        Random r = new Random(seed);
        java.util.TreeMap<Long, String> model = new java.util.TreeMap<>();
        long nextMs = 1;
        for (int i = 0; i < STEPS; i++) {
            switch (r.nextInt(6)) {
                case 0, 1 -> {
                    nextMs += 1 + r.nextInt(3);
                    String v = "v" + r.nextInt(100);
                    assertThat(str(h.call("XADD", "x", nextMs + "-0", "f", v))).isEqualTo(nextMs + "-0");
                    model.put(nextMs, v);
                }
                case 2 -> {
                    long id = 1 + r.nextInt((int) nextMs);
                    assertThat(integer(h.call("XDEL", "x", id + "-0"))).isEqualTo(model.remove(id) == null ? 0 : 1);
                }
                case 3 -> {
                    long a = r.nextInt((int) nextMs + 1), b = a + r.nextInt(20);
                    List<String> got = new ArrayList<>();
                    RespValue v = h.call("XRANGE", "x", a + "-0", b + "-0");
                    if (!(v instanceof RespValue.Array arr) || arr.elements() == null) throw new AssertionError("XRANGE reply " + v);
                    for (RespValue e : arr.elements()) {
                        List<RespValue> entry = ((RespValue.Array) e).elements();
                        List<String> fv = strings(entry.get(1));
                        got.add(str(entry.get(0)) + "=" + fv.get(1));
                    }
                    List<String> expect = new ArrayList<>();
                    model.subMap(a, true, b, true).forEach((ms, val) -> expect.add(ms + "-0=" + val));
                    assertThat(got).isEqualTo(expect);
                }
                case 4 -> {
                    if (r.nextInt(10) == 0 && model.size() > 3) {
                        int keep = model.size() - 2;
                        assertThat(integer(h.call("XTRIM", "x", "MAXLEN", Integer.toString(keep)))).isEqualTo(2);
                        model.pollFirstEntry();
                        model.pollFirstEntry();
                    }
                }
                default -> assertThat(integer(h.call("XLEN", "x"))).isEqualTo(model.size());
            }
        }
    }
}
