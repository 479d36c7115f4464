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

    /** A jkevy server process on {@code dir} (the server module is on the test classpath). */
    private static final class ServerProc implements AutoCloseable {
        final Process p;
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        volatile int port = -1;

        ServerProc(Path dir) throws Exception {
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), "io.jkevy.server.Main",
                    "--dir", dir.toString(), "--port", "0", "--bind", "127.0.0.1", "--appendonly", "yes");
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Pattern ready = Pattern.compile("ready: port (\\d+)");
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                        Matcher m = ready.matcher(line);
                        if (m.find()) port = Integer.parseInt(m.group(1));
                    }
                } catch (Exception ignored) {
                    // process ended
                }
            });
            t.setDaemon(true);
            t.start();
            long end = System.currentTimeMillis() + 30_000;
            while (port < 0 && System.currentTimeMillis() < end && p.isAlive()) Thread.sleep(20);
            assertThat(port).as("server output %s", lines).isPositive();
        }

        Jedis client() throws InterruptedException {
            long end = System.currentTimeMillis() + 30_000;
            while (true) {
                Jedis j = new Jedis("127.0.0.1", port);
                try {
                    j.ping();
                    return j;
                } catch (JedisDataException e) {      // -LOADING
                    j.close();
                    if (System.currentTimeMillis() > end) throw e;
                    Thread.sleep(20);
                }
            }
        }

        void shutdown() throws Exception {
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                j.shutdown();
            } catch (JedisConnectionException ignored) {
                // the server closes the connection as it stops
            }
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        @Override public void close() {
            if (p.isAlive()) p.destroyForcibly();
        }
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
        try (ServerProc server = new ServerProc(dir); Jedis j = server.client()) {
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
