package io.jkevy.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Blocking commands over real connections: served across event-loop threads, timed out, pipelined behind. */
class BlockingClientTest {
    static TestServer server;

    @BeforeAll
    static void start() { server = new TestServer(); }

    @AfterAll
    static void stop() { server.close(); }

    static Jedis client() { return new Jedis(server.host(), server.port(), 10_000); }

    @Test
    void blpopIsServedByAPushFromAnotherConnection() throws Exception {
        try (Jedis waiter = client(); Jedis pusher = client()) {
            CompletableFuture<List<String>> f = CompletableFuture.supplyAsync(() -> waiter.blpop(5, "jobs"), r -> new Thread(r).start());   // BLPOP jobs 5
            awaitBlocked(1);
            assertThat(f).isNotDone();
            pusher.rpush("jobs", "job-1");
            assertThat(f.get(5, TimeUnit.SECONDS)).containsExactly("jobs", "job-1");
            assertThat(pusher.exists("jobs")).isFalse();
            // the waiter's connection carries on normally afterwards
            assertThat(waiter.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void subSecondTimeoutAnswersNull() {
        try (Jedis j = client()) {
            long t0 = System.nanoTime();
            var r = j.blpop(0.2, "never");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r).isNull();
            assertThat(ms).isBetween(150L, 2000L);
        }
    }

    @Test
    void xreadBlockIsServedByXadd() throws Exception {
        try (Jedis reader = client(); Jedis writer = client()) {
            writer.xadd("events", redis.clients.jedis.StreamEntryID.NEW_ENTRY, java.util.Map.of("a", "1"));
            CompletableFuture<Object> f = CompletableFuture.supplyAsync(() -> reader.sendCommand(
                    redis.clients.jedis.Protocol.Command.XREAD, "BLOCK", "5000", "STREAMS", "events", "$"), r -> new Thread(r).start());
            awaitBlocked(1);
            writer.xadd("events", redis.clients.jedis.StreamEntryID.NEW_ENTRY, java.util.Map.of("b", "2"));
            Object reply = f.get(5, TimeUnit.SECONDS);
            assertThat(redis.clients.jedis.util.SafeEncoder.encodeObject(reply).toString()).contains("b").doesNotContain("a, 1");
        }
    }

    @Test
    void disconnectingWhileBlockedLeavesNothingBehind() throws Exception {
        Jedis j = client();
        CompletableFuture<List<String>> f = CompletableFuture.supplyAsync(() -> {
            try {
                return j.blpop(0, "orphan");
            } catch (Exception e) {
                return null;
            }
        }, r -> new Thread(r).start());
        awaitBlocked(1);
        j.disconnect();
        long end = System.currentTimeMillis() + 5000;
        while (server.engine.blockedClients() > 0 && System.currentTimeMillis() < end) Thread.sleep(10);
        assertThat(server.engine.blockedClients()).isZero();
        try (Jedis other = client()) {
            other.rpush("orphan", "kept");
            assertThat(other.lrange("orphan", 0, -1)).containsExactly("kept");
        }
        f.cancel(true);
    }

    @Test
    void severalWaitersAreServedFirstComeFirstServedAndTheRestTimeOut() throws Exception {
        Jedis[] waiters = {client(), client(), client()};
        try (Jedis pusher = client()) {
            List<CompletableFuture<List<String>>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < waiters.length; i++) {
                Jedis w = waiters[i];
                // a thread each: the common pool may have a single worker on two cores
                fs.add(CompletableFuture.supplyAsync(() -> w.brpop(2, "queue"), r -> new Thread(r).start()));
                awaitBlocked(i + 1);                      // block strictly one after the other
            }
            pusher.lpush("queue", "a", "b");              // two elements for three waiters
            assertThat(fs.get(0).get(5, TimeUnit.SECONDS)).containsExactly("queue", "a");
            assertThat(fs.get(1).get(5, TimeUnit.SECONDS)).containsExactly("queue", "b");
            assertThat(fs.get(2).get(5, TimeUnit.SECONDS)).as("third waiter times out").isNull();
            assertThat(server.engine.blockedClients()).isZero();
        } finally {
            for (Jedis w : waiters) w.close();
        }
    }

    @Test
    void bzpopminThroughLettuceResp3() throws Exception {
        try (io.lettuce.core.RedisClient rc = io.lettuce.core.RedisClient.create(
                io.lettuce.core.RedisURI.create("redis://" + server.host() + ":" + server.port()));
             var conn = rc.connect(); Jedis pusher = client()) {
            var f = conn.async().bzpopmin(5, "zq");
            awaitBlocked(1);
            pusher.zadd("zq", 4.5, "m");
            var kv = f.get(5, TimeUnit.SECONDS);
            assertThat(kv.getKey()).isEqualTo("zq");
            assertThat(kv.getValue().getValue()).isEqualTo("m");
            assertThat(kv.getValue().getScore()).isEqualTo(4.5);
        }
    }

    static void awaitBlocked(int n) throws InterruptedException {
        long end = System.currentTimeMillis() + 5000;
        while (server.engine.blockedClients() < n && System.currentTimeMillis() < end) Thread.sleep(5);
        assertThat(server.engine.blockedClients()).isEqualTo(n);
    }
}
