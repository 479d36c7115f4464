package io.jkevy.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EngineSmokeTest {
    @Test
    void setGetAndJournal() {
        EngineHarness h = new EngineHarness();
        long before = h.engine.journal().nextOffset();
        assertThat(h.simple("SET", "k", "v")).isEqualTo("OK");
        assertThat(h.bulk("GET", "k")).isEqualTo("v");
        assertThat(h.bulk("get", "missing")).isNull();
        // SELECT 0 + SET: two frames, the key's version is the SET's offset
        assertThat(h.engine.journal().nextOffset()).isEqualTo(before + 2);
        assertThat(h.engine.keyspace().db(0).version("k".getBytes())).isEqualTo(before + 1);
    }

    @Test
    void unknownCommandAndArity() {
        EngineHarness h = new EngineHarness();
        assertThat(h.error("NOPE", "a", "b")).isEqualTo("ERR unknown command 'NOPE', with args beginning with: 'a' 'b' ");
        assertThat(h.error("GET")).isEqualTo("ERR wrong number of arguments for 'get' command");
    }
}
