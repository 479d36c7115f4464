package io.jkevy.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrencyAndLeakTest {
    @TempDir Path dir;

    @Test
    void countersIncrementedByManyThreadsSumExactly() throws Exception {
        try (Store store = Store.open()) {
            int threads = 8, each = 5000;
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                ts.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < each; i++) {
                        store.incr("total");
                        store.hincrBy("per-thread", "t" + id, 1);
                        if (i % 100 == 0) store.set("t" + id + ":" + i, "x");
                    }
                }));
            }
            for (Thread t : ts) t.join();
            assertThat(store.get("total")).isEqualTo(Long.toString((long) threads * each));
            for (int t = 0; t < threads; t++) assertThat(store.hget("per-thread", "t" + t)).isEqualTo(Integer.toString(each));
        }
    }

    @Test
    void lockFreeGetsNeverSeeATornOrStaleMixOfValues() throws Exception {
        try (Store store = Store.open()) {
            byte[] a = "a".repeat(100).getBytes(), b = "b".repeat(3000).getBytes();
            for (int i = 0; i < 64; i++) store.set(("k" + i).getBytes(), a);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong bad = new AtomicLong(), reads = new AtomicLong();
            List<Thread> ts = new ArrayList<>();
            ts.add(Thread.ofPlatform().start(() -> {
                int i = 0;
                while (!stop.get()) {
                    byte[] key = ("k" + (i++ & 63)).getBytes();
                    store.set(key, (i & 1) == 0 ? a : b);
                    if (i % 97 == 0) store.set(("grow" + i).getBytes(), a);     // table resizes under the readers
                }
            }));
            for (int r = 0; r < 2; r++) {
                ts.add(Thread.ofPlatform().start(() -> {
                    while (!stop.get()) {
                        byte[] v = store.get(("k" + ThreadLocalRandom.current().nextInt(64)).getBytes());
                        reads.incrementAndGet();
                        if (!(java.util.Arrays.equals(v, a) || java.util.Arrays.equals(v, b))) bad.incrementAndGet();
                    }
                }));
            }
            Thread.sleep(1500);
            stop.set(true);
            for (Thread t : ts) t.join();
            assertThat(reads.get()).isGreaterThan(10_000);
            assertThat(bad.get()).isZero();
        }
    }

    @Test
    void transactionsAreAtomicUnderConcurrentTransfers() throws Exception {
        try (Store store = Store.open()) {
            int accounts = 10;
            for (int a = 0; a < accounts; a++) store.set("acct:" + a, "1000");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong badSums = new AtomicLong(), checks = new AtomicLong();
            Thread auditor = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    long sum = store.atomically(tx -> {
                        long s = 0;
                        for (int a = 0; a < accounts; a++) s += Long.parseLong(tx.get("acct:" + a));
                        return s;
                    });
                    if (sum != accounts * 1000L) badSums.incrementAndGet();
                    checks.incrementAndGet();
                }
            });
            List<Thread> movers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                movers.add(Thread.ofPlatform().start(() -> {
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    for (int i = 0; i < 3000; i++) {
                        int from = r.nextInt(accounts), to = r.nextInt(accounts);
                        long amount = r.nextInt(50);
                        store.atomically(tx -> {
                            tx.incrBy("acct:" + from, -amount);
                            tx.incrBy("acct:" + to, amount);
                            return null;
                        });
                    }
                }));
            }
            for (Thread m : movers) m.join();
            stop.set(true);
            auditor.join();
            assertThat(checks.get()).isPositive();
            assertThat(badSums.get()).isZero();
            long total = 0;
            for (int a = 0; a < accounts; a++) total += Long.parseLong(store.get("acct:" + a));
            assertThat(total).isEqualTo(accounts * 1000L);
        }
    }

    private static Set<String> jkevyThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("jkevy") || n.contains("EventLoop") || n.contains("epoll"))
                .collect(Collectors.toSet());
    }

    private static long openFiles() throws Exception {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @Test
    void closeReleasesEveryThreadAndFile() throws Exception {
        // one full cycle first: class loading and the JDK's and Netty's one-time resources
        cycle(dir.resolve("warm"));
        Thread.sleep(200);
        Set<String> threadsBefore = jkevyThreads();
        long filesBefore = openFiles();
        for (int i = 0; i < 5; i++) cycle(dir.resolve("d" + i));
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline && (!jkevyThreads().equals(threadsBefore) || openFiles() > filesBefore)) {
            Thread.sleep(50);
        }
        assertThat(jkevyThreads()).isEqualTo(threadsBefore);
        assertThat(openFiles()).isLessThanOrEqualTo(filesBefore);
    }

    private static void cycle(Path d) throws Exception {
        {
            try (Store s = Store.open(StoreConfig.builder().dataDir(d).build())) {
                int port = s.listen(0);
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                    j.set("k", "v");
                }
                s.blpop("never", java.time.Duration.ofMillis(10));
            }
        }
    }
}
