package io.jkevy.embedded;

import io.jkevy.embedded.junit.JkevyEndpoint;
import io.jkevy.embedded.junit.JkevyExtension;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import static org.assertj.core.api.Assertions.assertThat;

class JkevyExtensionTest {
    @Nested
    @ExtendWith(JkevyExtension.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class PerClass {
        @Test @Order(1)
        void aServerIsInjected(JkevyEndpoint redis) {
            try (Jedis j = new Jedis(redis.host(), redis.port())) {
                j.set("shared", "yes");
                assertThat(j.get("shared")).isEqualTo("yes");
            }
            assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
        }

        @Test @Order(2)
        void theSameServerServesTheWholeClass(JkevyEndpoint redis, Store store) {
            assertThat(store.get("shared")).isEqualTo("yes");
            assertThat(redis.store()).isSameAs(store);
        }
    }

    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class PerTest {
        @RegisterExtension
        final JkevyExtension redis = JkevyExtension.perTest();

        @Test @Order(1)
        void first(JkevyEndpoint e) {
            try (Jedis j = new Jedis(e.host(), e.port())) {
                j.set("only-here", "1");
            }
            assertThat(redis.endpoint()).isEqualTo(e);
        }

        @Test @Order(2)
        void secondStartsEmpty(JkevyEndpoint e) {
            try (Jedis j = new Jedis(e.host(), e.port())) {
                assertThat(j.get("only-here")).isNull();
                assertThat(j.dbSize()).isZero();
            }
        }
    }
}
