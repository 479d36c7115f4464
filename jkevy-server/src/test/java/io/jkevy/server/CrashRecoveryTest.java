package io.jkevy.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ARCHITECTURE invariant 5 with real processes: a writer sends acknowledged writes while the
 * server is killed with SIGKILL at random moments; after each restart every write the fsync
 * policy promised is there.
 */
class CrashRecoveryTest {
    @TempDir Path dir;

    private static ServerProcess start(Path dir, String fsync) throws Exception {
        ServerProcess p = ServerProcess.start(dir, "--port", "0", "--bind", "127.0.0.1", "--threads", "2",
                "--appendonly", "yes", "--appendfsync", fsync, "--aof-segment-size", "1mb");
        assertThat(p.awaitReady(30_000)).as("output: %s", p.output()).isPositive();
        return p;
    }

    /** A client once the server has loaded its journal (-LOADING until then). */
    private static Jedis connect(ServerProcess p) throws InterruptedException {
        long end = System.currentTimeMillis() + 30_000;
        while (true) {
            Jedis j = new Jedis("127.0.0.1", p.port(), 5000);
            try {
                j.ping();
                return j;
            } catch (JedisDataException e) {
                j.close();
                if (!e.getMessage().startsWith("LOADING") || System.currentTimeMillis() > end) throw e;
                Thread.sleep(20);
            }
        }
    }

    /** Acknowledged writes: sequence number -> time acknowledged. */
    private record Run(ConcurrentSkipListMap<Long, Long> acked, long killedAt) { }

    private static Run writeUntilKilled(ServerProcess p, AtomicLong seq, Random r) throws Exception {
        ConcurrentSkipListMap<Long, Long> acked = new ConcurrentSkipListMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread[] writers = new Thread[3];
        for (int t = 0; t < writers.length; t++) {
            Jedis j = connect(p);
            writers[t] = Thread.ofPlatform().start(() -> {
                try (j) {
                    while (!stop.get()) {
                        long n = seq.incrementAndGet();
                        j.set("k:" + n, Long.toString(n));
                        acked.put(n, System.nanoTime());
                    }
                } catch (RuntimeException e) {
                    // the server died under us: whatever was not acknowledged may be lost
                }
            });
        }
        Thread.sleep(300 + r.nextInt(700));
        long killedAt = System.nanoTime();
        p.process.destroyForcibly();              // SIGKILL
        p.process.waitFor();
        stop.set(true);
        for (Thread w : writers) w.join(10_000);
        return new Run(acked, killedAt);
    }

    @Test
    void appendfsyncAlwaysLosesNoAcknowledgedWriteToKill9() throws Exception {
        Random r = new Random(7);
        AtomicLong seq = new AtomicLong();
        long total = 0;
        for (int round = 0; round < 5; round++) {
            ServerProcess p = start(dir, "always");
            Run run = writeUntilKilled(p, seq, r);
            total += run.acked.size();
            try (ServerProcess q = start(dir, "always"); Jedis j = connect(q)) {
                for (long n : run.acked.keySet()) {
                    assertThat(j.get("k:" + n)).as("round %d: acknowledged write %d", round, n).isEqualTo(Long.toString(n));
                }
                q.process.destroyForcibly();
                q.process.waitFor();
            }
        }
        assertThat(total).as("writes acknowledged across rounds").isGreaterThan(200);
        assertThat(Files.list(dir.resolve("appendonlydir")).count()).isGreaterThan(1);
    }

    @Test
    void killedDuringSnapshotsAndRewritesNothingAcknowledgedIsLost() throws Exception {
        Random r = new Random(23);
        AtomicLong seq = new AtomicLong();
        ServerProcess first = start(dir, "always");
        try (Jedis j = connect(first)) {
            var p = j.pipelined();
            for (int i = 0; i < 60_000; i++) p.set("pad:" + i, "x".repeat(100));     // snapshots take a while
            p.sync();
        }
        first.process.destroyForcibly();
        first.process.waitFor();
        for (int round = 0; round < 4; round++) {
            ServerProcess p = start(dir, "always");
            AtomicBoolean stop = new AtomicBoolean();
            Thread saver = Thread.ofPlatform().start(() -> {
                try (Jedis j = connect(p)) {
                    while (!stop.get()) {
                        try {
                            j.bgrewriteaof();
                        } catch (RuntimeException busy) {
                            // one already running
                        }
                        Thread.sleep(20);
                    }
                } catch (Exception ignored) {
                    // killed
                }
            });
            Run run = writeUntilKilled(p, seq, r);
            stop.set(true);
            saver.join(10_000);
            try (ServerProcess q = start(dir, "always"); Jedis j = connect(q)) {
                for (long n : run.acked.keySet()) {
                    assertThat(j.get("k:" + n)).as("round %d: acknowledged write %d", round, n).isEqualTo(Long.toString(n));
                }
                assertThat(j.get("pad:59999")).isNotNull();
                q.process.destroyForcibly();
                q.process.waitFor();
            }
        }
        try (var files = Files.list(dir.resolve("appendonlydir"))) {
            assertThat(files.map(f -> f.getFileName().toString())).as("snapshots were written between the kills")
                    .anyMatch(n -> n.endsWith(".snap"));
        }
    }

    @Test
    void appendfsyncEverysecLosesAtMostAboutTheLastSecond() throws Exception {
        Random r = new Random(11);
        AtomicLong seq = new AtomicLong();
        for (int round = 0; round < 3; round++) {
            ServerProcess p = start(dir, "everysec");
            Run run = writeUntilKilled(p, seq, r);
            assertThat(run.acked).isNotEmpty();
            try (ServerProcess q = start(dir, "everysec"); Jedis j = connect(q)) {
                long missingOld = 0;
                for (var e : run.acked.entrySet()) {
                    boolean old = run.killedAt - e.getValue() > 2_000_000_000L;
                    if (old && j.get("k:" + e.getKey()) == null) missingOld++;
                }
                assertThat(missingOld).as("round %d: writes acknowledged over 2 s before the kill that were lost", round).isZero();
                q.process.destroyForcibly();
                q.process.waitFor();
            }
        }
    }

    @Test
    void aCleanShutdownKeepsEverythingAndTheGeneration() throws Exception {
        ServerProcess p = start(dir, "everysec");
        try (Jedis j = connect(p)) {
            for (int i = 0; i < 500; i++) j.set("c:" + i, "v" + i);
            j.hset("h", "f", "v");
            j.rpush("l", "a", "b", "c");
            try { j.shutdown(); } catch (RuntimeException ignored) { }
        }
        assertThat(p.waitFor(20_000)).isTrue();
        try (ServerProcess q = start(dir, "everysec"); Jedis j = connect(q)) {
            assertThat(j.dbSize()).isEqualTo(502);
            assertThat(j.get("c:499")).isEqualTo("v499");
            assertThat(j.lrange("l", 0, -1)).containsExactly("a", "b", "c");
            assertThat(q.output()).anyMatch(l -> l.contains("kept (clean shutdown)"));
            q.process.destroyForcibly();
            q.process.waitFor();
        }
    }

    @Test
    void aCorruptJournalRefusesToStartAndSaysWhere() throws Exception {
        ServerProcess p = start(dir, "always");
        try (Jedis j = connect(p)) {
            for (int i = 0; i < 200; i++) j.set("x:" + i, "value-" + i);
        }
        p.process.destroyForcibly();
        p.process.waitFor();
        Path seg;
        try (var s = Files.list(dir.resolve("appendonlydir"))) {
            seg = s.filter(f -> f.getFileName().toString().endsWith(".seg")).sorted().findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(seg);
        b[300] ^= 0x11;
        Files.write(seg, b);
        try (ServerProcess q = ServerProcess.start(dir, "--port", "0", "--bind", "127.0.0.1", "--appendonly", "yes")) {
            assertThat(q.waitFor(30_000)).isTrue();
            assertThat(q.process.exitValue()).isNotZero();
            assertThat(String.join("\n", q.output())).contains(seg.getFileName().toString()).contains("corrupt at byte");
        }
    }
}
