package io.jkevy.embedded;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class PubSubListenerTest {
    @Test
    void listenersGetMessagesFromTheApiAndFromRedisClients() throws Exception {
        try (Store store = Store.open()) {
            List<String> got = new CopyOnWriteArrayList<>();
            Subscription news = store.subscribe((ch, msg) -> got.add(ch + "=" + new String(msg, StandardCharsets.UTF_8)), "news", "alerts");
            Subscription all = store.psubscribe(new Subscription.MessageListener() {
                @Override public void onMessage(String channel, byte[] message) { got.add("never"); }

                @Override public void onPatternMessage(String pattern, String channel, byte[] message) {
                    got.add(pattern + ":" + channel + "=" + new String(message, StandardCharsets.UTF_8));
                }
            }, "n*");
            assertThat(store.publish("news", "one")).isEqualTo(2);
            assertThat(store.publish("alerts", "two")).isEqualTo(1);
            int port = store.listen(0);
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                assertThat(j.publish("news", "three")).isEqualTo(2);
                assertThat(j.pubsubNumSub("news")).containsEntry("news", 1L);
            }
            assertThat(got).containsExactly("news=one", "n*:news=one", "alerts=two", "news=three", "n*:news=three");
            news.close();
            assertThat(store.publish("news", "four")).isEqualTo(1);
            all.close();
            assertThat(store.publish("news", "five")).isZero();
            assertThat(got).hasSize(6);
        }
    }
}
