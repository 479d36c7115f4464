package io.jkevy.server;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MULTI/EXEC/WATCH through Jedis (RESP2) and Lettuce (RESP3 and RESP2), and under concurrency. */
class TransactionClientTest {
    static TestServer server;
    static RedisClient lettuce;
    Jedis jedis;

    @BeforeAll
    static void start() {
        server = new TestServer();
        lettuce = RedisClient.create(RedisURI.builder().withHost(server.host()).withPort(server.port())
                .withTimeout(Duration.ofSeconds(10)).build());
    }

    @AfterAll
    static void stop() {
        lettuce.shutdown();
        server.close();
    }

    @BeforeEach
    void connect() {
        jedis = new Jedis(server.host(), server.port());
        jedis.flushAll();
    }

    @AfterEach
    void disconnect() { jedis.close(); }

    Jedis newJedis() { return new Jedis(server.host(), server.port()); }

    // ---- Jedis ------------------------------------------------------------------------

    @Test
    void jedisTransactionRunsQueuedCommands() {
        Transaction t = jedis.multi();
        Response<String> set = t.set("a", "1");
        Response<Long> incr = t.incr("a");
        Response<String> get = t.get("a");
        Response<Long> push = t.rpush("l", "x", "y");
        List<Object> replies = t.exec();
        assertThat(replies).hasSize(4);
        assertThat(set.get()).isEqualTo("OK");
        assertThat(incr.get()).isEqualTo(2L);
        assertThat(get.get()).isEqualTo("2");
        assertThat(push.get()).isEqualTo(2L);
        assertThat(jedis.lrange("l", 0, -1)).containsExactly("x", "y");
    }

    @Test
    void jedisRuntimeErrorIsOneElementAndTheRestApplies() {
        jedis.set("s", "text");
        Transaction t = jedis.multi();
        Response<Long> bad = t.incr("s");
        Response<String> ok = t.set("t", "1");
        List<Object> replies = t.exec();
        assertThat(replies.get(0)).isInstanceOf(JedisDataException.class);
        assertThatThrownBy(bad::get).hasMessageContaining("ERR value is not an integer or out of range");
        assertThat(ok.get()).isEqualTo("OK");
        assertThat(jedis.get("t")).isEqualTo("1");
    }

    @Test
    void jedisWatchAbortsWhenAnotherClientWrites() {
        jedis.set("k", "1");
        jedis.watch("k");
        try (Jedis other = newJedis()) {
            other.set("k", "2");
        }
        Transaction t = jedis.multi();
        t.set("k", "mine");
        assertThat(t.exec()).isNull();
        assertThat(jedis.get("k")).isEqualTo("2");

        jedis.watch("k");
        t = jedis.multi();
        t.set("k", "mine");
        assertThat(t.exec()).containsExactly("OK");
        assertThat(jedis.get("k")).isEqualTo("mine");
    }

    @Test
    void jedisUnwatchAndDiscard() {
        jedis.watch("k", "j");
        jedis.set("k", "self");
        assertThat(jedis.unwatch()).isEqualTo("OK");
        Transaction t = jedis.multi();
        t.set("j", "1");
        assertThat(t.exec()).containsExactly("OK");

        t = jedis.multi();
        t.set("gone", "1");
        assertThat(t.discard()).isEqualTo("OK");
        assertThat(jedis.exists("gone")).isFalse();
    }

    @Test
    void jedisQueuingErrorAbortsWithExecAbort() {
        jedis.set("x", "0");
        assertThat(jedis.sendCommand(() -> "MULTI".getBytes())).isEqualTo("OK".getBytes());
        assertThatThrownBy(() -> jedis.sendCommand(() -> "NOSUCHCMD".getBytes()))
                .hasMessageContaining("ERR unknown command 'NOSUCHCMD'");
        assertThat(jedis.sendCommand(() -> "INCR".getBytes(), "x")).isEqualTo("QUEUED".getBytes());
        assertThatThrownBy(() -> jedis.sendCommand(() -> "EXEC".getBytes()))
                .hasMessage("EXECABORT Transaction discarded because of previous errors.");
        assertThat(jedis.get("x")).isEqualTo("0");
        assertThatThrownBy(() -> jedis.sendCommand(() -> "EXEC".getBytes())).hasMessage("ERR EXEC without MULTI");
    }

    @Test
    void disconnectInsideMultiDiscardsTheTransactionAndWatches() throws Exception {
        try (Jedis other = newJedis()) {
            other.watch("w");
            Transaction t = other.multi();
            t.set("never", "1");
            awaitWatchedKeys(1);
        }
        awaitWatchedKeys(0);
        assertThat(jedis.exists("never")).isFalse();
    }

    static void awaitWatchedKeys(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.engine.watches().watchedKeys() != n && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(server.engine.watches().watchedKeys()).isEqualTo(n);
    }

    // ---- Lettuce ----------------------------------------------------------------------

    @Test
    void lettuceResp3MultiExecAndWatch() {
        try (StatefulRedisConnection<String, String> c = lettuce.connect()) {
            RedisCommands<String, String> r = c.sync();
            r.set("k", "1");
            r.hset("h", "f", "v");
            assertThat(r.multi()).isEqualTo("OK");
            assertThat(r.incr("k")).isNull();         // queued: the value arrives with EXEC
            assertThat(r.hgetall("h")).isNull();
            assertThat(r.get("missing")).isNull();
            TransactionResult res = r.exec();
            assertThat(res.wasDiscarded()).isFalse();
            assertThat(res).hasSize(3);
            assertThat((Long) res.get(0)).isEqualTo(2L);
            assertThat(res.get(1).toString()).isEqualTo("{f=v}");
            Object missing = res.get(2);
            assertThat(missing).isNull();

            assertThat(r.watch("k")).isEqualTo("OK");
            try (StatefulRedisConnection<String, String> o = lettuce.connect()) {
                o.sync().del("k");
            }
            r.multi();
            r.set("k", "mine");
            assertThat(r.exec().wasDiscarded()).isTrue();
            assertThat(r.exists("k")).isZero();

            r.watch("k");
            assertThat(r.unwatch()).isEqualTo("OK");
            r.set("k", "self");
            r.multi();
            r.set("k", "mine");
            assertThat(r.exec().wasDiscarded()).isFalse();
            assertThat(r.get("k")).isEqualTo("mine");

            r.multi();
            r.set("k", "discarded");
            assertThat(r.discard()).isEqualTo("OK");
            assertThat(r.get("k")).isEqualTo("mine");
        }
    }

    @Test
    void lettuceResp2Exec() {
        try (RedisClient c2 = RedisClient.create(RedisURI.create("redis://" + server.host() + ":" + server.port()))) {
            c2.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
            try (StatefulRedisConnection<String, String> c = c2.connect()) {
                RedisCommands<String, String> r = c.sync();
                r.watch("k");
                r.set("k", "self");
                r.multi();
                r.set("k", "mine");
                assertThat(r.exec().wasDiscarded()).isTrue();
                r.multi();
                r.rpush("l", "a", "b");
                r.lrange("l", 0, -1);
                TransactionResult res = r.exec();
                assertThat((Long) res.get(0)).isEqualTo(2L);
                assertThat(res.get(1).toString()).isEqualTo("[a, b]");
            }
        }
    }

    // ---- concurrency ------------------------------------------------------------------

    /** Optimistic locking: every thread increments one counter with WATCH/GET/MULTI/SET/EXEC, retrying. */
    @Test
    void watchRaceCountsExactly() throws Exception {
        int threads = 8, each = 150;
        jedis.set("counter", "0");
        AtomicLong retries = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    try (Jedis j = newJedis()) {
                        go.await();
                        for (int i = 0; i < each; i++) {
                            while (true) {
                                j.watch("counter");
                                long v = Long.parseLong(j.get("counter"));
                                Transaction tx = j.multi();
                                tx.set("counter", Long.toString(v + 1));
                                if (tx.exec() != null) break;
                                retries.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : fs) f.get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(jedis.get("counter")).isEqualTo(Long.toString((long) threads * each));
        // with 8 racing threads some attempts must have lost (else WATCH was never exercised)
        assertThat(retries.get()).isPositive();
    }

    /** A concurrent reader never sees half of an EXEC that sets k1 and k2 to the same value. */
    @Test
    void readersNeverSeeAHalfAppliedExec() throws Exception {
        String[] pair = keysOnDifferentStripes();
        String k1 = pair[0], k2 = pair[1];
        jedis.set(k1, "0");
        jedis.set(k2, "0");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> readers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                readers.add(pool.submit(() -> {
                    try (Jedis j = newJedis()) {
                        while (!stop.get()) {
                            List<String> v = j.mget(k1, k2);
                            if (!v.get(0).equals(v.get(1))) return "MGET saw " + v;
                            // a single-key read in between the two must not see a mix either
                            String a = j.get(k1);
                            String b = j.get(k2);
                            if (Long.parseLong(b) < Long.parseLong(a)) return "GET saw k1=" + a + " then k2=" + b;
                            reads.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            try (Jedis w = newJedis()) {
                for (int i = 1; i <= 3000; i++) {
                    Transaction tx = w.multi();
                    tx.set(k1, Integer.toString(i));
                    tx.get(k1);               // some work between the two writes
                    tx.set(k2, Integer.toString(i));
                    assertThat(tx.exec()).hasSize(3);
                }
            }
            stop.set(true);
            for (Future<String> f : readers) assertThat(f.get(60, TimeUnit.SECONDS)).isNull();
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertThat(reads.get()).isPositive();
        assertThat(jedis.mget(k1, k2)).containsExactly("3000", "3000");
    }

    static String[] keysOnDifferentStripes() {
        var ks = server.engine.keyspace();
        String k1 = "iso:1";
        for (int i = 2; ; i++) {
            String k2 = "iso:" + i;
            if (ks.stripeOf(k2.getBytes()) != ks.stripeOf(k1.getBytes())) return new String[] {k1, k2};
        }
    }

    /** A client blocked on a list is served after the EXEC that pushed, with what the whole EXEC left. */
    @Test
    void blockedClientServedAfterExec() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Jedis blocked = newJedis()) {
            Future<List<String>> popped = pool.submit(() -> blocked.blpop(10, "q"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.engine.blockedClients() == 0 && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(server.engine.blockedClients()).isEqualTo(1);
            Transaction tx = jedis.multi();
            tx.rpush("q", "first");
            tx.rpush("q", "second");
            tx.lpop("q");
            assertThat(tx.exec()).containsExactly(1L, 2L, "first");
            assertThat(popped.get(10, TimeUnit.SECONDS)).containsExactly("q", "second");
            assertThat(jedis.exists("q")).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }
}
