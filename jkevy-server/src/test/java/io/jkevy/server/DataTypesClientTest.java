package io.jkevy.server;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.Tuple;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every data type through Jedis (RESP2) and Lettuce (RESP3), over loopback. */
class DataTypesClientTest extends JedisServerTestBase {
    @Test
    void hashes() {
        assertThat(jedis.hset("h", Map.of("a", "1", "b", "2"))).isEqualTo(2);
        assertThat(jedis.hget("h", "a")).isEqualTo("1");
        assertThat(jedis.hincrBy("h", "a", 5)).isEqualTo(6);
        assertThat(jedis.hgetAll("h")).containsEntry("a", "6").containsEntry("b", "2");
        assertThat(jedis.objectEncoding("h")).isEqualTo("listpack");
        for (int i = 0; i < 200; i++) jedis.hset("h", "f" + i, "v");
        assertThat(jedis.objectEncoding("h")).isEqualTo("hashtable");
        assertThat(jedis.hlen("h")).isEqualTo(202);
        jedis.set("s", "x");
        assertThatThrownBy(() -> jedis.hget("s", "a")).hasMessageStartingWith("WRONGTYPE");
    }

    @Test
    void lists() {
        assertThat(jedis.rpush("l", "a", "b", "c")).isEqualTo(3);
        assertThat(jedis.lrange("l", 0, -1)).containsExactly("a", "b", "c");
        assertThat(jedis.lpop("l")).isEqualTo("a");
        assertThat(jedis.lmove("l", "m", redis.clients.jedis.args.ListDirection.RIGHT,
                redis.clients.jedis.args.ListDirection.LEFT)).isEqualTo("c");
        assertThat(jedis.lpos("l", "b")).isZero();
        assertThat(jedis.type("l")).isEqualTo("list");
    }

    @Test
    void setsAndSortedSets() {
        jedis.sadd("s1", "1", "2", "3");
        jedis.sadd("s2", "2", "3", "4");
        assertThat(jedis.objectEncoding("s1")).isEqualTo("intset");
        assertThat(jedis.sinter("s1", "s2")).containsExactlyInAnyOrder("2", "3");
        assertThat(jedis.sunionstore("u", "s1", "s2")).isEqualTo(4);
        jedis.zadd("z", Map.of("a", 1.0, "b", 2.5, "c", 3.0));
        assertThat(jedis.zrangeWithScores("z", 0, -1)).extracting(Tuple::getElement).containsExactly("a", "b", "c");
        assertThat(jedis.zscore("z", "b")).isEqualTo(2.5);
        assertThat(jedis.zrank("z", "c")).isEqualTo(2);
        assertThat(jedis.zpopmin("z").getElement()).isEqualTo("a");
        assertThat(jedis.zcount("z", "-inf", "+inf")).isEqualTo(2);
    }

    @Test
    void streamsWithAConsumerGroup() {
        StreamEntryID id = jedis.xadd("st", StreamEntryID.NEW_ENTRY, Map.of("k", "v"));
        assertThat(jedis.xlen("st")).isEqualTo(1);
        jedis.xgroupCreate("st", "g", StreamEntryID.XGROUP_LAST_ENTRY, false);
        jedis.xadd("st", StreamEntryID.NEW_ENTRY, Map.of("k", "w"));
        List<Map.Entry<String, List<StreamEntry>>> got = jedis.xreadGroupAsMap("g", "c1",
                XReadGroupParams.xReadGroupParams().count(10), Map.of("st", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY))
                .entrySet().stream().toList();
        assertThat(got).hasSize(1);
        assertThat(got.get(0).getValue().get(0).getFields()).containsEntry("k", "w");
        assertThat(jedis.xpending("st", "g").getTotal()).isEqualTo(1);
        assertThat(jedis.xack("st", "g", got.get(0).getValue().get(0).getID())).isEqualTo(1);
        assertThat(id.getTime()).isPositive();
    }

    @Test
    void hyperLogLog() {
        for (int i = 0; i < 1000; i++) jedis.pfadd("hll", "e" + i);
        assertThat(jedis.pfcount("hll")).isBetween(980L, 1020L);
    }

    @Test
    void resp3ShapesThroughLettuce() {
        try (RedisClient client = RedisClient.create(RedisURI.builder().withHost(server.host()).withPort(server.port())
                .withTimeout(Duration.ofSeconds(10)).build());
             StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> r = c.sync();
            r.hset("lh", Map.of("x", "1", "y", "2"));
            assertThat(r.hgetall("lh")).containsEntry("x", "1").containsEntry("y", "2");
            r.sadd("ls", "a", "b");
            assertThat(r.smembers("ls")).containsExactlyInAnyOrder("a", "b");
            r.zadd("lz", 1.5, "m");
            List<ScoredValue<String>> zs = r.zrangeWithScores("lz", 0, -1);
            assertThat(zs).hasSize(1);
            assertThat(zs.get(0).getScore()).isEqualTo(1.5);
        }
    }
}
