package io.jkevy.server;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.ClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server-core commands through Lettuce (RESP3 by default: it opens with HELLO 3). */
class LettuceClientTest {
    static TestServer server;
    static RedisClient client;

    @BeforeAll
    static void start() {
        server = new TestServer();
        client = RedisClient.create(RedisURI.builder().withHost(server.host()).withPort(server.port())
                .withTimeout(Duration.ofSeconds(10)).build());
    }

    @AfterAll
    static void stop() {
        client.shutdown();
        server.close();
    }

    @Test
    void resp3SessionWorks() {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> r = c.sync();
            r.flushall();
            assertThat(c.getOptions().getConfiguredProtocolVersion()).isIn(ProtocolVersion.RESP3, null);
            assertThat(r.set("k", "v", SetArgs.Builder.ex(100))).isEqualTo("OK");
            assertThat(r.get("k")).isEqualTo("v");
            assertThat(r.get("missing")).isNull();
            assertThat(r.ttl("k")).isBetween(99L, 100L);
            assertThat(r.incrbyfloat("f", 1.25)).isEqualTo(1.25);
            assertThat(r.mget("k", "missing")).hasSize(2);
            assertThat(r.exists("k", "k", "missing")).isEqualTo(2);
            assertThat(r.configGet("maxclients")).containsEntry("maxclients", "10000");
            assertThat(r.info("keyspace")).contains("db0:keys=2");
            assertThat(r.clientGetname()).isNull();
            assertThatThrownBy(() -> r.incr("k")).hasMessageContaining("ERR value is not an integer or out of range");
        }
    }

    @Test
    void resp2SessionWorks() {
        try (RedisClient c2 = RedisClient.create(RedisURI.create("redis://" + server.host() + ":" + server.port()))) {
            c2.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
            try (StatefulRedisConnection<String, String> c = c2.connect()) {
                RedisCommands<String, String> r = c.sync();
                r.set("r2", "v");
                assertThat(r.get("r2")).isEqualTo("v");
                assertThat(r.del("r2")).isEqualTo(1);
            }
        }
    }

    @Test
    void asyncPipelineAndScan() throws Exception {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisAsyncCommands<String, String> a = c.async();
            c.setAutoFlushCommands(false);
            List<RedisFuture<String>> fs = new ArrayList<>();
            for (int i = 0; i < 2000; i++) fs.add(a.set("lk:" + i, "v" + i));
            c.flushCommands();
            for (RedisFuture<String> f : fs) assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("OK");
            c.setAutoFlushCommands(true);
            RedisCommands<String, String> r = c.sync();
            Set<String> seen = new HashSet<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> k = r.scan(cursor, ScanArgs.Builder.matches("lk:*").limit(100));
                seen.addAll(k.getKeys());
                cursor = k;
            } while (!cursor.isFinished());
            assertThat(seen).hasSize(2000);
        }
    }
}
