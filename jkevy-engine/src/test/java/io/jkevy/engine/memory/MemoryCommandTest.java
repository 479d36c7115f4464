package io.jkevy.engine.memory;

import io.jkevy.engine.EngineHarness;
import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** MEMORY USAGE / STATS / DOCTOR / MALLOC-STATS / PURGE / HELP. */
class MemoryCommandTest {
    final EngineHarness h = new EngineHarness();

    @Test
    void usageOfStringsAndMissingKeys() {
        h.simple("SET", "foo", "bar");
        // key 16+3 -> 24, value 24, slot share 32
        assertThat(h.integer("MEMORY", "USAGE", "foo")).isEqualTo(80);
        h.simple("SET", "big", "x".repeat(10_000));
        assertThat(h.integer("MEMORY", "USAGE", "big")).isBetween(10_000L, 10_100L);
        assertThat(h.raw("MEMORY", "USAGE", "missing")).isEqualTo("$-1\r\n");
        h.integer("EXPIRE", "foo", "100");
        assertThat(h.integer("MEMORY", "USAGE", "foo")).isEqualTo(91);     // a slot with a TTL costs more
    }

    @Test
    void usageArgumentsAreCheckedAsRedisDoes() {
        h.simple("SET", "foo", "bar");
        assertThat(h.error("MEMORY", "USAGE", "foo", "SAMPLES", "-1")).isEqualTo("ERR syntax error");
        assertThat(h.error("MEMORY", "USAGE", "foo", "SAMPLES", "x")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(h.error("MEMORY", "USAGE", "foo", "SAMPLES")).isEqualTo("ERR syntax error");
        assertThat(h.error("MEMORY", "USAGE", "foo", "bogus")).isEqualTo("ERR syntax error");
        assertThat(h.error("MEMORY", "USAGE")).isEqualTo("ERR wrong number of arguments for 'memory|usage' command");
        assertThat(h.error("MEMORY", "nope")).isEqualTo("ERR unknown subcommand 'nope'. Try MEMORY HELP.");
        assertThat(h.integer("MEMORY", "USAGE", "foo", "samples", "0")).isEqualTo(80);
    }

    @Test
    void samplesChangeTheEstimateOfMixedSizeElements() {
        // field sizes grow steeply along the table: a small sample misjudges, SAMPLES 0 is exact
        for (int i = 0; i < 2000; i++) h.integer("SADD", "s", "m" + i + "-" + "x".repeat(i % 997 == 0 ? 20_000 : 10));
        long exact = h.integer("MEMORY", "USAGE", "s", "SAMPLES", "0");
        long again = h.integer("MEMORY", "USAGE", "s", "SAMPLES", "0");
        assertThat(again).isEqualTo(exact);
        long all = 0;
        for (int i = 0; i < 2000; i++) all += io.jkevy.store.Heap.bytes(("m" + i + "-" + "x".repeat(i % 997 == 0 ? 20_000 : 10)).length());
        assertThat(exact).isGreaterThan(all);
        assertThat(h.integer("MEMORY", "USAGE", "s", "SAMPLES", "1")).isNotEqualTo(exact);
    }

    @Test
    void statsHasRedisFieldsAndPerDatabaseEntries() {
        for (int i = 0; i < 100; i++) h.simple("SET", "k" + i, "v".repeat(100));
        h.simple("SELECT", "4");
        h.simple("SET", "other", "v");
        Map<String, RespValue> m = map(h.call("MEMORY", "STATS"));
        assertThat(m.keySet()).containsSubsequence("peak.allocated", "total.allocated", "startup.allocated",
                "replication.backlog", "clients.slaves", "clients.normal", "db.0", "db.4", "overhead.total", "keys.count",
                "keys.bytes-per-key", "dataset.bytes", "dataset.percentage", "peak.percentage", "allocator.allocated",
                "fragmentation", "fragmentation.bytes");
        assertThat(m).doesNotContainKey("db.1");
        assertThat(num(m.get("keys.count"))).isEqualTo(101);
        assertThat(num(m.get("dataset.bytes"))).isEqualTo(h.engine.keyspace().memoryMeter().entryBytes());
        assertThat(num(m.get("total.allocated"))).isEqualTo(num(m.get("overhead.total")) + num(m.get("dataset.bytes")));
        Map<String, RespValue> db0 = map(m.get("db.0"));
        assertThat(db0.keySet()).containsExactly("overhead.hashtable.main", "overhead.hashtable.expires");
        assertThat(num(db0.get("overhead.hashtable.main"))).isEqualTo(h.engine.keyspace().db(0).tableBytes());
    }

    @Test
    void doctorSpeaksOnlyWithEnoughData() {
        assertThat(h.bulk("MEMORY", "DOCTOR")).startsWith("Hi Sam, this instance is empty or is using very little memory");
        for (int i = 0; i < 100; i++) h.simple("SET", "k" + i, "v".repeat(100_000));
        String report = h.bulk("MEMORY", "DOCTOR");
        assertThat(report).doesNotStartWith("Hi Sam, this instance is empty");
        h.simple("CONFIG", "SET", "maxmemory", "1mb");
        assertThat(h.bulk("MEMORY", "DOCTOR")).contains("Out of memory").contains("noeviction");
    }

    @Test
    void mallocStatsPurgeAndHelp() {
        String stats = h.bulk("MEMORY", "MALLOC-STATS");
        assertThat(stats).contains("heap: used=").contains("gc \"").startsWith("___ Begin JVM memory statistics ___");
        assertThat(h.simple("MEMORY", "PURGE")).isEqualTo("OK");
        String help = h.raw("MEMORY", "HELP");
        assertThat(help).startsWith("*14\r\n+MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n")
                .contains("+USAGE <key> [SAMPLES <count>]\r\n").endsWith("+HELP\r\n+    Prints this help.\r\n");
    }

    @Test
    void commandTableEntries() {
        String usage = h.raw("COMMAND", "INFO", "memory|usage");
        assertThat(usage).contains("memory|usage").contains("readonly").contains("@read");
        assertThat(h.raw("COMMAND", "INFO", "memory|stats")).contains("memory|stats");
    }

    static long num(RespValue v) {
        if (v instanceof RespValue.Integer i) return i.value();
        throw new AssertionError("not an integer: " + v);
    }

    static Map<String, RespValue> map(RespValue v) {
        Map<String, RespValue> m = new LinkedHashMap<>();
        List<RespValue> items;
        if (v instanceof RespValue.Array a) items = a.elements();
        else if (v instanceof RespValue.Map mm) items = mm.flattenedPairs();
        else throw new AssertionError("not a map: " + v);
        for (int i = 0; i < items.size(); i += 2) m.put(str(items.get(i)), items.get(i + 1));
        return m;
    }

    static String str(RespValue v) {
        if (v instanceof RespValue.Bulk b) return new String(b.value(), StandardCharsets.UTF_8);
        if (v instanceof RespValue.SimpleString s) return s.value();
        throw new AssertionError("not a string: " + v);
    }
}
