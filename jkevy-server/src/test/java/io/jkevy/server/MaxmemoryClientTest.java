package io.jkevy.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hostile case through a real client: maxmemory 20mb and 100 MB of writes. Evicting
 * policies keep the server at the limit by evicting; noeviction refuses the writes with
 * -OOM once full, while reads keep working.
 */
class MaxmemoryClientTest extends JedisServerTestBase {
    static final long LIMIT = 20L * 1024 * 1024;
    static final int VALUE = 100 * 1024;
    static final int WRITES = 1000;             // 1000 x 100 KB = 100 MB

    @AfterEach
    void unlimit() {
        jedis.configSet("maxmemory", "0");
        jedis.configSet("maxmemory-policy", "noeviction");
        jedis.flushAll();
    }

    static long field(String info, String name) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(name + ":")) return Long.parseLong(line.substring(name.length() + 1));
        }
        throw new AssertionError("no " + name);
    }

    /** used_memory as maxmemory sees it (the journal backlog is not counted for eviction). */
    long counted() {
        String info = jedis.info("memory");
        return field(info, "used_memory") - field(info, "mem_not_counted_for_evict");
    }

    @ParameterizedTest
    @ValueSource(strings = {"allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-lfu",
            "volatile-random", "volatile-ttl"})
    void evictingPoliciesStayAtTheLimit(String policy) {
        jedis.configSet("maxmemory-policy", policy);
        jedis.configSet("maxmemory", "20mb");
        long evictedBefore = field(jedis.info("stats"), "evicted_keys");
        assertThat(jedis.configGet("maxmemory")).containsEntry("maxmemory", String.valueOf(LIMIT));
        byte[] value = new byte[VALUE];
        boolean volatilePolicy = policy.startsWith("volatile");
        long maxSeen = 0;
        for (int i = 0; i < WRITES; i++) {
            Arrays.fill(value, (byte) ('a' + i % 26));
            byte[] key = ("key:" + i).getBytes();
            String reply = volatilePolicy ? jedis.setex(key, 100_000 + i, value) : jedis.set(key, value);
            assertThat(reply).isEqualTo("OK");
            if (i % 50 == 0) maxSeen = Math.max(maxSeen, counted());
        }
        long used = counted();
        maxSeen = Math.max(maxSeen, used);
        // one write may land on top of the limit before the next command evicts
        assertThat(maxSeen).as(policy).isLessThanOrEqualTo(LIMIT + 2L * VALUE);
        assertThat(used).as(policy).isGreaterThan(LIMIT - 20L * VALUE);
        long keys = jedis.dbSize();
        assertThat(keys).as(policy).isBetween(150L, 210L);
        assertThat(field(jedis.info("stats"), "evicted_keys")).as(policy).isGreaterThanOrEqualTo(evictedBefore + WRITES - keys);
        // the most recent write survived (the victims are older keys)
        assertThat(jedis.get(("key:" + (WRITES - 1)).getBytes())).hasSize(VALUE);
        String dump = jedis.info("memory");
        assertThat(dump).contains("maxmemory:" + LIMIT + "\r\n", "maxmemory_policy:" + policy + "\r\n");
    }

    @Test
    void noevictionRefusesWritesOnceFull() {
        jedis.configSet("maxmemory-policy", "noeviction");
        jedis.configSet("maxmemory", "20mb");
        long evictedBefore = field(jedis.info("stats"), "evicted_keys");
        byte[] value = new byte[VALUE];
        int ok = 0, oom = 0;
        for (int i = 0; i < WRITES; i++) {
            try {
                jedis.set(("key:" + i).getBytes(), value);
                ok++;
            } catch (JedisDataException e) {
                assertThat(e.getMessage()).isEqualTo("OOM command not allowed when used memory > 'maxmemory'.");
                oom++;
            }
        }
        assertThat(ok).isBetween(190, 210);
        assertThat(oom).isEqualTo(WRITES - ok);
        assertThat(counted()).isLessThanOrEqualTo(LIMIT + VALUE);
        assertThat(field(jedis.info("stats"), "evicted_keys")).isEqualTo(evictedBefore);
        // reads, deletes and other non-denyoom commands still work
        assertThat(jedis.get(("key:0").getBytes())).hasSize(VALUE);
        assertThat(jedis.exists("key:1")).isTrue();
        assertThat(jedis.del("key:0", "key:1", "key:2")).isEqualTo(3);
        assertThat(jedis.set("small", "v")).isEqualTo("OK");
        assertThat(jedis.memoryUsage("key:5")).isBetween((long) VALUE, VALUE + 200L);
    }

    @Test
    void memoryCommandsAndObjectFreqThroughJedis() {
        jedis.set("k", "v".repeat(1000));
        assertThat(jedis.memoryUsage("k")).isBetween(1000L, 1100L);
        assertThat(jedis.memoryUsage("k", 0)).isEqualTo(jedis.memoryUsage("k"));
        assertThat(jedis.memoryUsage("missing")).isNull();
        java.util.Map<String, Object> stats = jedis.memoryStats();
        assertThat(stats).containsKeys("peak.allocated", "total.allocated", "keys.count", "dataset.bytes", "db.0");
        assertThat(stats.get("keys.count")).isEqualTo(1L);
        assertThat(jedis.memoryDoctor()).startsWith("Hi Sam");
        assertThatThrownBy(() -> jedis.objectFreq("k")).hasMessageStartingWith("ERR An LFU maxmemory policy is not selected");
        jedis.configSet("maxmemory-policy", "allkeys-lfu");
        jedis.set("fresh", "v");
        assertThat(jedis.objectFreq("fresh")).isEqualTo(5L);
        for (int i = 0; i < 200; i++) jedis.get("fresh");
        assertThat(jedis.objectFreq("fresh")).isGreaterThan(5L);
        String info = jedis.info("memory");
        assertThat(info).contains("maxmemory_policy:allkeys-lfu\r\n", "used_memory_dataset:", "mem_fragmentation_ratio:");
    }
}
