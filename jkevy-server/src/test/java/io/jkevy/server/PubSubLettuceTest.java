package io.jkevy.server;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** RESP3 pub/sub and client-side caching (push invalidations) through Lettuce. */
class PubSubLettuceTest {
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
    void resp3PubSubReceivesMessagesAndStillRunsCommands() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
             StatefulRedisConnection<String, String> pub = client.connect()) {
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override public void message(String channel, String message) { got.add(channel + ":" + message); }

                @Override public void message(String pattern, String channel, String message) {
                    got.add(pattern + "|" + channel + ":" + message);
                }
            });
            sub.sync().subscribe("c1");
            sub.sync().psubscribe("p.*");
            // RESP3: a subscribed connection may run any command
            pub.sync().set("k", "v");
            assertThat(sub.sync().get("k")).isEqualTo("v");
            assertThat(sub.sync().ping()).isEqualTo("PONG");
            assertThat(pub.sync().publish("c1", "hello")).isEqualTo(1);
            assertThat(pub.sync().publish("p.x", "world")).isEqualTo(1);
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("c1:hello");
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("p.*|p.x:world");
            assertThat(pub.sync().pubsubNumsub("c1")).containsEntry("c1", 1L);
            sub.sync().unsubscribe("c1");
            assertThat(pub.sync().publish("c1", "again")).isZero();
        }
    }

    @Test
    void trackingInvalidationArrivesAsAPush() throws Exception {
        BlockingQueue<PushMessage> pushes = new LinkedBlockingQueue<>();
        try (StatefulRedisConnection<String, String> t = client.connect();
             StatefulRedisConnection<String, String> w = client.connect()) {
            t.addListener(pushes::add);
            RedisCommands<String, String> r = t.sync();
            w.sync().set("tk", "1");
            assertThat(r.clientTracking(TrackingArgs.Builder.enabled())).isEqualTo("OK");
            assertThat(r.get("tk")).isEqualTo("1");
            w.sync().set("tk", "2");
            PushMessage m = pushes.poll(10, TimeUnit.SECONDS);
            assertThat(m).isNotNull();
            assertThat(m.getType()).isEqualTo("invalidate");
            List<Object> content = m.getContent(StringCodec.UTF8::decodeKey);
            assertThat(content.get(1)).isEqualTo(List.of("tk"));
            // not read since: nothing more
            w.sync().set("tk", "3");
            assertThat(pushes.poll(200, TimeUnit.MILLISECONDS)).isNull();
            // BCAST with a prefix
            r.clientTracking(TrackingArgs.Builder.enabled(false));
            r.clientTracking(TrackingArgs.Builder.enabled().bcast().prefixes("user:"));
            w.sync().set("user:1", "x");
            w.sync().set("order:1", "x");
            PushMessage b = pushes.poll(10, TimeUnit.SECONDS);
            assertThat(b.getContent(StringCodec.UTF8::decodeKey).get(1)).isEqualTo(List.of("user:1"));
            assertThat(pushes.poll(200, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void lettuceClientSideCacheIsInvalidated() throws Exception {
        Map<String, String> local = new ConcurrentHashMap<>();
        try (StatefulRedisConnection<String, String> t = client.connect();
             StatefulRedisConnection<String, String> w = client.connect()) {
            w.sync().set("cached", "v1");
            CacheFrontend<String, String> cache = ClientSideCaching.enable(CacheAccessor.forMap(local), t,
                    TrackingArgs.Builder.enabled());
            assertThat(cache.get("cached")).isEqualTo("v1");
            assertThat(local).containsEntry("cached", "v1");
            w.sync().set("cached", "v2");
            for (int i = 0; i < 500 && local.containsKey("cached"); i++) Thread.sleep(10);
            assertThat(local).doesNotContainKey("cached");
            assertThat(cache.get("cached")).isEqualTo("v2");
            cache.close();
        }
    }

    @Test
    void keyspaceEventsOverResp3() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
             StatefulRedisConnection<String, String> w = client.connect()) {
            w.sync().configSet("notify-keyspace-events", "Kl");
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override public void message(String channel, String message) { got.add(channel + " " + message); }
            });
            sub.sync().subscribe("__keyspace@0__:mylist");
            w.sync().rpush("mylist", "a", "b");
            w.sync().lpop("mylist");
            w.sync().set("mylist2", "x");
            w.sync().lpop("mylist");
            List<String> all = new ArrayList<>();
            for (int i = 0; i < 3; i++) all.add(got.poll(10, TimeUnit.SECONDS));
            assertThat(all).containsExactly("__keyspace@0__:mylist rpush", "__keyspace@0__:mylist lpop",
                    "__keyspace@0__:mylist lpop");   // "del" is class g, not enabled
            assertThat(got.poll(200, TimeUnit.MILLISECONDS)).isNull();
        } finally {
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                c.sync().configSet("notify-keyspace-events", "");
            }
        }
    }
}
