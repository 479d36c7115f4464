package io.jkevy.engine.memory;

import io.jkevy.engine.EngineHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The estimate of each type and encoding against the heap growth the JVM measures after full
 * collections (about 20 MB of data each). Loose bounds: GC accounting is noisy, and the
 * point is that no type is off by a large factor.
 */
class EstimateAccuracyTest {
    @ParameterizedTest
    @ValueSource(strings = {"string", "hash-listpack", "hash-table", "list", "set-intset", "set-listpack", "set-table",
            "zset-listpack", "zset-skiplist", "stream"})
    void estimateTracksTheHeap(String kind) {
        EngineHarness h = new EngineHarness();
        long heap0 = MemoryAccountingTest.settledHeap();
        long data0 = h.engine.keyspace().memoryMeter().total() + h.engine.journal().backlogBytes();
        fill(h, kind);
        // the journal's backlog (effects of the writes, up to repl-backlog-size) is on the heap too
        long estimated = h.engine.keyspace().memoryMeter().total() + h.engine.journal().backlogBytes() - data0;
        long measured = MemoryAccountingTest.settledHeap() - heap0;
        double ratio = (double) estimated / measured;
        System.out.printf("estimate %-14s %,12d vs heap %,12d  ratio %.2f%n", kind, estimated, measured, ratio);
        assertThat(ratio).as(kind).isBetween(0.75, 1.25);
        assertThat(h.call("DBSIZE")).isNotNull();     // keeps the data reachable until measured
    }

    static void fill(EngineHarness h, String kind) {
        switch (kind) {
            case "string" -> {
                for (int i = 0; i < 60_000; i++) h.simple("SET", "key:" + i, "v".repeat(200 + i % 200));
            }
            case "hash-listpack" -> batch(h, 20_000, "HSET", 40, i -> List.of("f" + i, "value" + i));
            case "hash-table" -> batch(h, 100, "HSET", 2000, i -> List.of("field:" + i, "v".repeat(30 + i % 40)));
            case "list" -> batch(h, 100, "RPUSH", 5000, i -> List.of("element-" + i + "-" + "e".repeat(i % 40)));
            case "set-intset" -> batch(h, 1000, "SADD", 500, i -> List.of(String.valueOf(i * 31)));
            case "set-listpack" -> batch(h, 10_000, "SADD", 100, i -> List.of("m" + i));
            case "set-table" -> batch(h, 100, "SADD", 3000, i -> List.of("member:" + i + "-" + "m".repeat(i % 30)));
            case "zset-listpack" -> batch(h, 10_000, "ZADD", 100, i -> List.of(String.valueOf(i), "m" + i));
            case "zset-skiplist" -> batch(h, 50, "ZADD", 3000, i -> List.of(String.valueOf(i * 1.5), "member:" + i));
            case "stream" -> {
                for (int k = 0; k < 20; k++) {
                    for (int i = 0; i < 3000; i++) h.call("XADD", "s" + k, "*", "field", "value-" + i + "-" + "x".repeat(i % 50));
                }
            }
            default -> throw new IllegalArgumentException(kind);
        }
    }

    static void batch(EngineHarness h, int keys, String cmd, int perKey, java.util.function.IntFunction<List<String>> item) {
        for (int k = 0; k < keys; k++) {
            List<String> args = new ArrayList<>(List.of(cmd, cmd.toLowerCase() + ":" + k));
            for (int i = 0; i < perKey; i++) args.addAll(item.apply(i));
            h.call(args.toArray(String[]::new));
        }
    }
}
