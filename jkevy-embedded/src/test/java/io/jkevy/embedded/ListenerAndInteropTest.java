package io.jkevy.embedded;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Redis clients against the in-process listener; data shared with a real server process. */
class ListenerAndInteropTest {
    @TempDir Path dir;

    @Test
    void jedisAndLettuceTalkToTheEmbeddedStoreAndCloseClosesTheListener() {
        int port;
        try (Store store = Store.open()) {
            port = store.listen(0);
            assertThat(port).isPositive();
            store.set("from-api", "1");
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                assertThat(j.get("from-api")).isEqualTo("1");
                j.hset("h", "f", "v");
                assertThat(j.ping()).isEqualTo("PONG");
            }
            assertThat(store.hget("h", "f")).isEqualTo("v");
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                c.sync().set("from-lettuce", "2");
                assertThat(c.sync().get("from-api")).isEqualTo("1");
            } finally {
                client.shutdown();
            }
            assertThat(store.get("from-lettuce")).isEqualTo("2");
            assertThatThrownBy(() -> store.listen(0)).isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(() -> new Jedis("127.0.0.1", port).ping()).isInstanceOf(JedisConnectionException.class);
    }

    @Test
    void whatTheStoreWritesTheServerReadsAndTheOtherWayRound() throws Exception {
        StoreConfig cfg = StoreConfig.builder().dataDir(dir).build();
        try (Store store = Store.open(cfg)) {
            store.set("s", "embedded");
            store.hset("h", "f", "v");
            store.rpush("l", "a", "b");
            store.zadd("z", 1.5, "m");
            store.sadd("set", "x", "y");
            store.atomically(tx -> { tx.incr("n"); tx.incr("n"); return null; });
        }
        try (ServerProc server = new ServerProc(dir, "--port", "0", "--appendonly", "yes"); Jedis j = server.client()) {
            assertThat(j.get("s")).isEqualTo("embedded");
            assertThat(j.hget("h", "f")).isEqualTo("v");
            assertThat(j.lrange("l", 0, -1)).containsExactly("a", "b");
            assertThat(j.zscore("z", "m")).isEqualTo(1.5);
            assertThat(j.smembers("set")).containsExactlyInAnyOrder("x", "y");
            assertThat(j.get("n")).isEqualTo("2");
            j.set("s", "server");
            j.xadd("stream", redis.clients.jedis.StreamEntryID.NEW_ENTRY, java.util.Map.of("k", "v"));
            server.shutdown();
        }
        try (Store store = Store.open(cfg)) {
            assertThat(store.get("s")).isEqualTo("server");
            assertThat(store.xlen("stream")).isEqualTo(1);
            assertThat(store.get("n")).isEqualTo("2");
            assertThat(store.dbSize()).isEqualTo(7);
        }
    }
}
