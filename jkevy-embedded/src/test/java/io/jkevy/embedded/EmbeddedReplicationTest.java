package io.jkevy.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Embedded stores in replication (spec/replication.md, "Embedded subscribers"): a store opened
 * as a replica of a primary (a real server process, or another store), and a store that is a
 * writer exposing a replication listener that a server process and other stores follow.
 */
class EmbeddedReplicationTest {

    static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long end = System.currentTimeMillis() + 20_000;
        while (!holds(cond)) {
            if (System.currentTimeMillis() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    /** The condition, where -LOADING (a replica loading its snapshot) counts as "not yet". */
    private static boolean holds(BooleanSupplier cond) {
        try {
            return cond.getAsBoolean();
        } catch (JedisDataException | JkevyException.LoadingException e) {
            if (!String.valueOf(e.getMessage()).startsWith("LOADING")) throw e;
            return false;
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void storeReplicatesFromStore() throws Exception {
        try (Store primary = Store.open(StoreConfig.builder().replicationListener(0).build())) {
            primary.set("before", "1");
            primary.hset("h", "f", "v");
            assertThat(primary.replicationPort()).isPositive();
            try (Store replica = Store.open(StoreConfig.builder().replicaOf("127.0.0.1", primary.replicationPort()).build())) {
                await("snapshot", () -> "1".equals(replica.get("before")));
                assertThat(replica.hget("h", "f")).isEqualTo("v");
                primary.set("after", "2");
                primary.atomically(tx -> {
                    tx.incr("n");
                    tx.rpush("l", "a", "b");
                    return null;
                });
                await("live frames", () -> "2".equals(replica.get("after")) && replica.llen("l") == 2);
                assertThat(replica.get("n")).isEqualTo("1");
                assertThatThrownBy(() -> replica.set("x", "y")).isInstanceOf(JkevyException.ReadOnlyException.class)
                        .hasMessageContaining("READONLY");
                assertThat(replica.get("x")).isNull();
                assertThat(replica.execute("ROLE").toString()).contains("slave");
                // WAIT on the writer counts the store replica's acknowledgements
                primary.set("w", "1");
                assertThat(primary.execute("WAIT", "1", "2000")).isEqualTo(new io.jkevy.resp.RespValue.Integer(1));
            }
        }
    }

    @Test
    void serverProcessReplicatesFromAnEmbeddedWriter(@TempDir Path dir) throws Exception {
        try (Store writer = Store.open(StoreConfig.builder().replicationListener(0).build())) {
            for (int i = 0; i < 100; i++) writer.set("k" + i, "v" + i);
            try (Proc server = new Proc(dir, "--port", Integer.toString(freePort()), "--replication.role", "replica",
                    "--replication.upstream", "127.0.0.1:" + writer.replicationPort(),
                    "--replication.listen_port", Integer.toString(freePort()));
                 Jedis j = server.client()) {
                await("server replica synced", () -> j.dbSize() == 100);
                writer.set("k100", "v100");
                writer.del("k0");
                await("live frames on the server", () -> "v100".equals(j.get("k100")) && j.get("k0") == null);
                assertThatThrownBy(() -> j.set("x", "1")).isInstanceOf(JedisDataException.class).hasMessageContaining("READONLY");
                assertThat(j.info("replication")).contains("role:slave").contains("master_link_status:up");
            }
        }
    }

    @Test
    void storeReplicatesFromServerProcess(@TempDir Path dir, @TempDir Path storeDir) throws Exception {
        int replPort = freePort();
        try (Proc server = new Proc(dir, "--port", Integer.toString(freePort()), "--replication.role", "primary",
                "--replication.listen_port", Integer.toString(replPort));
             Jedis j = server.client()) {
            j.set("a", "1");
            j.zadd("z", 1.5, "m");
            try (Store replica = Store.open(StoreConfig.builder().dataDir(storeDir).replicaOf("127.0.0.1", replPort).build())) {
                await("snapshot", () -> "1".equals(replica.get("a")));
                assertThat(replica.zscore("z", "m")).isEqualTo(1.5);
                j.set("b", "2");
                await("live", () -> "2".equals(replica.get("b")));
                assertThat(j.waitReplicas(1, 2000)).isEqualTo(1);
            }
            // reopened on its data directory, the store resumes: the writes in between arrive
            j.set("c", "3");
            try (Store replica = Store.open(StoreConfig.builder().dataDir(storeDir).replicaOf("127.0.0.1", replPort).build())) {
                await("resume", () -> "3".equals(replica.get("c")));
                assertThat(replica.get("a")).isEqualTo("1");
            }
            assertThat(String.join("\n", server.lines)).contains("resumes at offset");
        }
    }

    /** A jkevy server process (the server module is on the test classpath). */
    static final class Proc implements AutoCloseable {
        final Process p;
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        volatile int port = -1;

        Proc(Path dir, String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), "io.jkevy.server.Main",
                    "--dir", dir.toString(), "--bind", "127.0.0.1"));
            Collections.addAll(cmd, args);
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
                } catch (JedisDataException e) {
                    j.close();
                    if (System.currentTimeMillis() > end) throw e;
                    Thread.sleep(50);
                }
            }
        }

        @Override
        public void close() throws Exception {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
        }
    }
}
