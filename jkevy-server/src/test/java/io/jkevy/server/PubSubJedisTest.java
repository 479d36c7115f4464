package io.jkevy.server;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pub/sub and keyspace notifications through Jedis (RESP2 subscribed mode). */
class PubSubJedisTest extends JedisServerTestBase {

    /** Collects every message and pattern message; counts subscriptions. */
    static final class Recorder extends JedisPubSub {
        final List<String> got = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch subscribed;
        final CountDownLatch done;
        final String last;

        Recorder(int subscriptions, String last) {
            subscribed = new CountDownLatch(subscriptions);
            done = new CountDownLatch(1);
            this.last = last;
        }

        @Override public void onMessage(String channel, String message) {
            got.add(channel + ":" + message);
            if (message.equals(last)) { done.countDown(); unsubscribe(); punsubscribe(); }
        }

        @Override public void onPMessage(String pattern, String channel, String message) {
            got.add(pattern + "|" + channel + ":" + message);
            if (message.equals(last)) { done.countDown(); unsubscribe(); punsubscribe(); }
        }

        @Override public void onSubscribe(String channel, int n) { subscribed.countDown(); }

        @Override public void onPSubscribe(String pattern, int n) { subscribed.countDown(); }
    }

    @Test
    void subscribePublishAndPatterns() throws Exception {
        Recorder r = new Recorder(3, "end");
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try (Jedis sub = new Jedis(server.host(), server.port())) {
            Future<?> f = ex.submit(() -> {
                sub.psubscribe(r, "news.*", "h?llo");
            });
            assertThat(awaitPatterns(2)).isTrue();
            jedis.publish("news.tech", "a");
            jedis.publish("hallo", "b");
            jedis.publish("nothing", "c");
            assertThat(jedis.pubsubNumPat()).isEqualTo(2);
            jedis.publish("news.end", "end");
            assertThat(r.done.await(10, TimeUnit.SECONDS)).isTrue();
            f.get(10, TimeUnit.SECONDS);
            assertThat(r.got).containsExactly("news.*|news.tech:a", "h?llo|hallo:b", "news.*|news.end:end");
            assertThat(jedis.pubsubNumPat()).isZero();
        } finally {
            ex.shutdownNow();
        }
    }

    private boolean awaitPatterns(long n) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            if (jedis.pubsubNumPat() == n) return true;
            Thread.sleep(10);
        }
        return false;
    }

    @Test
    void fanOutToFiftySubscribersInOrder() throws Exception {
        int subscribers = 50, messages = 300;
        ExecutorService ex = Executors.newFixedThreadPool(subscribers);
        List<Recorder> recs = new ArrayList<>();
        List<Jedis> conns = new ArrayList<>();
        try {
            for (int i = 0; i < subscribers; i++) {
                Recorder r = new Recorder(1, "m" + (messages - 1));
                Jedis j = new Jedis(server.host(), server.port());
                recs.add(r);
                conns.add(j);
                ex.submit(() -> j.subscribe(r, "fan"));
            }
            for (Recorder r : recs) assertThat(r.subscribed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(jedis.pubsubNumSub("fan")).containsEntry("fan", (long) subscribers);
            for (int m = 0; m < messages; m++) assertThat(jedis.publish("fan", "m" + m)).isEqualTo(subscribers);
            List<String> want = new ArrayList<>();
            for (int m = 0; m < messages; m++) want.add("fan:m" + m);
            for (Recorder r : recs) {
                assertThat(r.done.await(20, TimeUnit.SECONDS)).isTrue();
                assertThat(r.got).containsExactlyElementsOf(want);
            }
        } finally {
            ex.shutdownNow();
            for (Jedis j : conns) j.close();
        }
    }

    @Test
    void subscribedModeRejectsOtherCommandsAndPingAnswersPong() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send("SUBSCRIBE a\r\n");
            c.readUntil(":1\r\n");
            c.send("GET a\r\n");
            String err = "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n";
            assertThat(c.readUntil(err)).endsWith(err);
            c.send("PING\r\n");
            assertThat(c.readUntil("pong\r\n$0\r\n\r\n")).endsWith("*2\r\n$4\r\npong\r\n$0\r\n\r\n");
            c.send("UNSUBSCRIBE\r\nPING\r\n");
            assertThat(c.readUntil("+PONG\r\n")).endsWith("*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:0\r\n+PONG\r\n");
        }
    }

    @Test
    void clientListShowsSubscriptionCountsAndPubsubType() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send("SUBSCRIBE a b\r\nPSUBSCRIBE p*\r\n");
            c.readUntil("p*\r\n:3\r\n");
            String list = jedis.clientList();
            assertThat(list).contains("flags=P db=0 sub=2 psub=1 ssub=0");
            assertThat(jedis.clientList(redis.clients.jedis.args.ClientType.PUBSUB)).contains("sub=2 psub=1");
        }
        // the disconnect dropped the subscriptions
        for (int i = 0; i < 200 && jedis.pubsubNumPat() != 0; i++) Thread.sleep(10);
        assertThat(jedis.pubsubNumPat()).isZero();
        assertThat(jedis.pubsubNumSub("a")).containsEntry("a", 0L);
    }

    @Test
    void keyspaceNotifications() throws Exception {
        jedis.configSet("notify-keyspace-events", "KEA");
        Recorder r = new Recorder(1, "end");
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try (Jedis sub = new Jedis(server.host(), server.port())) {
            ex.submit(() -> sub.psubscribe(r, "__keyevent@0__:*"));
            assertThat(r.subscribed.await(10, TimeUnit.SECONDS)).isTrue();
            jedis.set("k", "v");
            jedis.expire("k", 100);
            jedis.rename("k", "k2");
            jedis.lpush("l", "a");
            jedis.rpop("l");
            jedis.hset("h", "f", "v");
            jedis.zadd("z", 1, "m");
            jedis.del("k2", "missing", "h", "z");
            jedis.set("last", "x");
            jedis.getDel("last");
            jedis.publish("__keyevent@0__:marker", "end");
            assertThat(r.done.await(10, TimeUnit.SECONDS)).isTrue();
            String p = "__keyevent@0__:*|__keyevent@0__:";
            assertThat(r.got).containsExactly(p + "set:k", p + "expire:k", p + "rename_from:k", p + "rename_to:k2",
                    p + "lpush:l", p + "rpop:l", p + "del:l", p + "hset:h", p + "zadd:z",
                    p + "del:k2", p + "del:h", p + "del:z", p + "set:last", p + "del:last", p + "marker:end");
        } finally {
            jedis.configSet("notify-keyspace-events", "");
            ex.shutdownNow();
        }
    }

    @Test
    void unknownPubsubSubcommand() {
        assertThatThrownBy(() -> jedis.sendCommand(redis.clients.jedis.Protocol.Command.PUBSUB, "nope"))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR unknown subcommand 'nope'. Try PUBSUB HELP.");
    }

    @Test
    void slowSubscriberIsClosedByThePubsubOutputLimit() throws Exception {
        jedis.configSet("client-output-buffer-limit", "pubsub 256kb 0 0");
        try (RawClient slow = new RawClient(server.port())) {
            slow.socket.setReceiveBufferSize(4096);
            slow.send("SUBSCRIBE flood\r\n");
            slow.readUntil(":1\r\n");
            String big = "x".repeat(64 * 1024);
            // the subscriber reads nothing more: its output backs up past the pubsub hard limit
            for (int i = 0; i < 600 && jedis.pubsubNumSub("flood").get("flood") > 0; i++) jedis.publish("flood", big);
            assertThat(jedis.pubsubNumSub("flood")).containsEntry("flood", 0L);
            // a normal client is not held to the pubsub class
            jedis.set("k", big);
            assertThat(jedis.get("k")).hasSize(big.length());
        } finally {
            jedis.configSet("client-output-buffer-limit", "pubsub 32mb 8mb 60");
        }
    }
}
