package io.jkevy.embedded;

import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreTest {
    final Store store = Store.open(StoreConfig.builder().expiry(StoreConfig.Expiry.MANUAL).build());

    @AfterEach
    void close() { store.close(); }

    @Test
    void strings() {
        assertThat(store.get("missing")).isNull();
        store.set("k", "v");
        assertThat(store.get("k")).isEqualTo("v");
        assertThat(store.get("k".getBytes())).isEqualTo("v".getBytes());
        assertThat(store.setIfAbsent("k", "other")).isFalse();
        assertThat(store.setIfAbsent("k2", "other")).isTrue();
        assertThat(store.mget("k", "nope", "k2")).containsExactly("v", null, "other");
        assertThat(store.incr("n")).isEqualTo(1);
        assertThat(store.incrBy("n", 41)).isEqualTo(42);
        assertThat(store.incrByFloat("f", 1.5)).isEqualTo(1.5);
        assertThat(store.append("k", "w")).isEqualTo(2);
        assertThat(store.strlen("k")).isEqualTo(2);
        byte[] binary = {0, (byte) 0xff, 13, 10};
        store.set("bin".getBytes(), binary);
        assertThat(store.get("bin".getBytes())).isEqualTo(binary);
        // the returned array is a copy: changing it changes nothing stored
        store.get("bin".getBytes())[0] = 9;
        assertThat(store.get("bin".getBytes())).isEqualTo(binary);
        assertThatThrownBy(() -> store.incr("k")).isInstanceOf(JkevyException.class)
                .hasMessage("ERR value is not an integer or out of range");
    }

    @Test
    void keysAndExpiry() throws Exception {
        store.set("t", "x", Duration.ofMillis(50));
        assertThat(store.pttl("t")).isBetween(1L, 50L);
        assertThat(store.pttl("none")).isEqualTo(-2);
        store.set("p", "x");
        assertThat(store.pttl("p")).isEqualTo(-1);
        assertThat(store.expire("p", Duration.ofSeconds(100))).isTrue();
        assertThat(store.persist("p")).isTrue();
        assertThat(store.type("p")).isEqualTo("string");
        assertThat(store.exists("p")).isTrue();
        Thread.sleep(80);
        store.tick();
        assertThat(store.exists("t")).isFalse();
        assertThat(store.rename("p", "q")).isTrue();
        assertThat(store.get("q")).isEqualTo("x");
        assertThatThrownBy(() -> store.rename("p", "r")).hasMessage("ERR no such key");
        assertThat(store.del("q", "none")).isEqualTo(1);
        assertThat(store.dbSize()).isZero();
        store.set("a", "1");
        store.set("b", "2");
        java.util.Iterator<byte[]> it = store.scanIterator("*");
        int n = 0;
        while (it.hasNext()) { it.next(); n++; }
        assertThat(n).isEqualTo(2);
        assertThat(store.config().expiry()).isEqualTo(StoreConfig.Expiry.MANUAL);
        store.flushAll();
        assertThat(store.dbSize()).isZero();
    }

    @Test
    void hashes() {
        assertThat(store.hset("h", "a", "1")).isEqualTo(1);
        Map<String, String> m = new LinkedHashMap<>();
        m.put("b", "2");
        m.put("c", "3");
        assertThat(store.hset("h", m)).isEqualTo(2);
        assertThat(store.hget("h", "b")).isEqualTo("2");
        assertThat(store.hget("h", "zz")).isNull();
        assertThat(store.hgetAll("h")).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"), Map.entry("c", "3"));
        assertThat(store.hincrBy("h", "a", 5)).isEqualTo(6);
        assertThat(store.hexists("h", "c")).isTrue();
        assertThat(store.hdel("h", "c", "zz")).isEqualTo(1);
        assertThat(store.hlen("h")).isEqualTo(2);
        assertThat(store.hkeys("h")).containsExactly("a", "b");
        assertThatThrownBy(() -> store.get("h")).isInstanceOf(JkevyException.WrongTypeException.class);
        assertThatThrownBy(() -> store.get("h".getBytes())).isInstanceOf(JkevyException.WrongTypeException.class);
    }

    @Test
    void lists() {
        assertThat(store.rpush("l", "a", "b", "c")).isEqualTo(3);
        assertThat(store.lpush("l", "z")).isEqualTo(4);
        assertThat(store.lrange("l", 0, -1)).containsExactly("z", "a", "b", "c");
        assertThat(store.lindex("l", -1)).isEqualTo("c");
        assertThat(store.lpop("l")).isEqualTo("z");
        assertThat(store.rpop("l")).isEqualTo("c");
        assertThat(store.llen("l")).isEqualTo(2);
        assertThat(store.lpop("nothing")).isNull();
    }

    @Test
    void blockingPopWaitsForAnotherThreadAndTimesOut() throws Exception {
        AtomicReference<String> got = new AtomicReference<>();
        Thread waiter = Thread.ofPlatform().start(() -> got.set(store.blpop("q", Duration.ofSeconds(10))));
        while (store.engine().blockedClients() == 0) Thread.sleep(5);
        store.rpush("q", "job-1");
        waiter.join(10_000);
        assertThat(got.get()).isEqualTo("job-1");
        long t0 = System.nanoTime();
        assertThat(store.blpop("q", Duration.ofMillis(100))).isNull();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(90_000_000L);
    }

    @Test
    void setsAndSortedSets() {
        assertThat(store.sadd("s", "a", "b", "a")).isEqualTo(2);
        assertThat(store.smembers("s")).containsExactlyInAnyOrder("a", "b");
        assertThat(store.sismember("s", "b")).isTrue();
        assertThat(store.srem("s", "b")).isEqualTo(1);
        assertThat(store.scard("s")).isEqualTo(1);
        assertThat(store.zadd("z", 2, "two")).isEqualTo(1);
        store.zadd("z", 1, "one");
        store.zadd("z", Double.POSITIVE_INFINITY, "top");
        assertThat(store.zscore("z", "two")).isEqualTo(2.0);
        assertThat(store.zscore("z", "top")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(store.zscore("z", "none")).isNull();
        assertThat(store.zincrby("z", 0.5, "one")).isEqualTo(1.5);
        assertThat(store.zrange("z", 0, -1)).containsExactly("one", "two", "top");
        assertThat(store.zrangeWithScores("z", 0, 0)).containsExactly(new Commands.ScoredMember("one", 1.5));
        assertThat(store.zrank("z", "two")).isEqualTo(1L);
        assertThat(store.zrank("z", "none")).isNull();
        assertThat(store.zrem("z", "top")).isEqualTo(1);
        assertThat(store.zcard("z")).isEqualTo(2);
    }

    @Test
    void streamsAndHyperLogLog() {
        String id = store.xadd("x", Map.of("f", "v"));
        assertThat(id).matches("\\d+-\\d+");
        store.xadd("x", Map.of("g", "w"));
        assertThat(store.xlen("x")).isEqualTo(2);
        List<Commands.StreamEntry> entries = store.xrange("x", "-", "+");
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).id()).isEqualTo(id);
        assertThat(entries.get(0).fields()).containsEntry("f", "v");
        for (int i = 0; i < 1000; i++) store.pfadd("hll", "e" + i);
        assertThat(store.pfcount("hll")).isBetween(980L, 1020L);
    }

    @Test
    void anyCommandThroughExecute() {
        RespValue v = store.execute("SET", "a", "1");
        assertThat(v).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(store.execute("OBJECT", "ENCODING", "a")).isInstanceOf(RespValue.Bulk.class);
        assertThat(store.execute("DBSIZE")).isEqualTo(new RespValue.Integer(1));
        assertThatThrownBy(() -> store.execute("NOSUCHCOMMAND")).isInstanceOf(JkevyException.class)
                .hasMessageStartingWith("ERR unknown command");
        assertThatThrownBy(() -> store.execute("GET")).hasMessage("ERR wrong number of arguments for 'get' command");
    }

    @Test
    void scanVisitsEveryKeyOnce() {
        for (int i = 0; i < 1000; i++) store.set("key:" + i, "v");
        store.set("other", "v");
        Set<String> seen = new HashSet<>();
        store.scan("key:*").forEach(k -> assertThat(seen.add(k)).as("duplicate %s", k).isTrue());
        assertThat(seen).hasSize(1000);
        assertThat(store.scan(null).count()).isEqualTo(1001);
    }

    @Test
    void atomicallyRunsAsOneUnitAndErrorsDoNotUndoEarlierCommands() {
        long n = store.atomically(tx -> {
            tx.set("a", "1");
            tx.incr("counter");
            return tx.incr("counter");
        });
        assertThat(n).isEqualTo(2);
        assertThatThrownBy(() -> store.atomically(tx -> {
            tx.set("b", "1");
            tx.hset("b", "f", "v");            // WRONGTYPE
            return null;
        })).isInstanceOf(JkevyException.WrongTypeException.class);
        assertThat(store.get("b")).isEqualTo("1");
        // blocking commands do not block inside a unit
        String popped = store.atomically(tx -> tx.blpop("empty", Duration.ofSeconds(5)));
        assertThat(popped).isNull();
        // the unit's writes are one atomic group in the journal
        long before = store.engine().journal().nextOffset();
        store.atomically(tx -> { tx.set("x", "1"); tx.set("y", "2"); return null; });
        io.jkevy.journal.Journal.Read r = store.engine().journal().read(before, 100);
        List<String> cmds = ((io.jkevy.journal.Journal.Read.Frames) r).frames().stream()
                .map(f -> new String(io.jkevy.journal.Frames.decodeArgv(f)[0])).toList();
        assertThat(cmds).containsExactly("MULTI", "SET", "SET", "EXEC");
    }

    @Test
    void maxmemoryEvictsOrRefusesAsConfigured() {
        byte[] value = new byte[10_000];
        try (Store lru = Store.open(StoreConfig.builder().maxmemory("2mb").evictionPolicy("allkeys-lru").build())) {
            for (int i = 0; i < 1000; i++) lru.set(("k" + i).getBytes(), value);      // 10 MB through a 2 MB store
            assertThat(lru.dbSize()).isBetween(10L, 300L);
            assertThat(lru.get("k999".getBytes())).isEqualTo(value);               // the newest survive
        }
        try (Store strict = Store.open(StoreConfig.builder().maxmemory("2mb").evictionPolicy("noeviction").build())) {
            assertThatThrownBy(() -> {
                for (int i = 0; i < 1000; i++) strict.set(("k" + i).getBytes(), value);
            }).isInstanceOf(JkevyException.OomException.class);
            assertThat(strict.get("k0".getBytes())).isEqualTo(value);              // reads still work
        }
    }

    @Test
    void aClosedStoreRefusesWork() {
        store.close();
        assertThatThrownBy(() -> store.get("a")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.set("a", "b")).isInstanceOf(IllegalStateException.class);
    }
}
