package io.jkevy.engine.tx;

import io.jkevy.engine.EngineHarness;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** ACL checks happen when a command is queued in MULTI (Redis flags the transaction) and again inside EXEC. */
class TxAclTest {
    @Test
    void aDeniedCommandWhileQueuingAbortsTheTransaction() {
        EngineHarness h = new EngineHarness();
        assertThat(h.simple("ACL", "SETUSER", "writer", "on", "nopass", "+@all", "-hset", "~*")).isEqualTo("OK");
        assertThat(h.simple("AUTH", "writer", "any")).isEqualTo("OK");
        assertThat(h.simple("MULTI")).isEqualTo("OK");
        assertThat(h.simple("SET", "a", "1")).isEqualTo("QUEUED");
        assertThat(h.error("HSET", "h", "f", "v")).startsWith("NOPERM");
        assertThat(h.error("EXEC")).startsWith("EXECABORT");
        assertThat(h.bulk("GET", "a")).isNull();
    }
}
