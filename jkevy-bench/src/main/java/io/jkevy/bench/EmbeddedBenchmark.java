package io.jkevy.bench;

import io.jkevy.embedded.Store;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Embedded GET/SET/HSET/ZADD against a {@code ConcurrentHashMap<byte-wrapper, byte[]>} baseline
 * and against the same commands through Jedis over the store's loopback listener. Run from 1
 * and 2 threads with {@code -t 1} / {@code -t 2} (bench/jmh.sh does both).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xmn32m", "-Xmx2g"})
public class EmbeddedBenchmark {
    static final int KEYS = 100_000;

    /** The byte[] key wrapper a hand-rolled cache would use (equals/hashCode by content). */
    static final class Key {
        final byte[] b;
        final int h;

        Key(byte[] b) { this.b = b; this.h = Arrays.hashCode(b); }

        @Override public boolean equals(Object o) { return o instanceof Key k && Arrays.equals(b, k.b); }

        @Override public int hashCode() { return h; }
    }

    static byte[][] keys() {
        byte[][] k = new byte[KEYS][];
        for (int i = 0; i < KEYS; i++) k[i] = String.format("key:%012d", i).getBytes(StandardCharsets.US_ASCII);
        return k;
    }

    static final byte[] VALUE = "x".repeat(32).getBytes(StandardCharsets.US_ASCII);

    @State(Scope.Benchmark)
    public static class Shared {
        byte[][] keys;
        ConcurrentHashMap<Key, byte[]> map;
        Store store;
        int port;

        @Setup(Level.Trial)
        public void setup() {
            keys = keys();
            map = new ConcurrentHashMap<>();
            store = Store.open(io.jkevy.embedded.StoreConfig.builder().set("lock-stripes", System.getProperty("stripes", "16")).build());
            for (byte[] k : keys) {
                map.put(new Key(k), VALUE);
                store.set(k, VALUE);
            }
            port = store.listen(0);
        }

        @TearDown(Level.Trial)
        public void close() { store.close(); }
    }

    @State(Scope.Thread)
    public static class Client {
        Jedis jedis;

        @Setup(Level.Trial)
        public void setup(Shared s) { jedis = new Jedis("127.0.0.1", s.port); }

        @TearDown(Level.Trial)
        public void close() { jedis.close(); }
    }

    static byte[] anyKey(Shared s) { return s.keys[ThreadLocalRandom.current().nextInt(KEYS)]; }

    @Benchmark
    public byte[] chmGet(Shared s) { return s.map.get(new Key(anyKey(s))); }

    @Benchmark
    public byte[] chmPut(Shared s) { return s.map.put(new Key(anyKey(s)), VALUE); }

    @Benchmark
    public byte[] embeddedGet(Shared s) { return s.store.get(anyKey(s)); }

    @Benchmark
    public void embeddedSet(Shared s) { s.store.set(anyKey(s), VALUE); }

    @Benchmark
    public long embeddedHset(Shared s) {
        int i = ThreadLocalRandom.current().nextInt(KEYS);
        return s.store.execute("HSET".getBytes(), ("h:" + (i & 1023)).getBytes(), s.keys[i], VALUE) == null ? 0 : 1;
    }

    @Benchmark
    public long embeddedZadd(Shared s) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return s.store.zadd("zset".getBytes(), r.nextInt(1_000_000), s.keys[r.nextInt(KEYS)]);
    }

    @Benchmark
    public byte[] jedisGet(Shared s, Client c) { return c.jedis.get(anyKey(s)); }

    @Benchmark
    public String jedisSet(Shared s, Client c) { return c.jedis.set(anyKey(s), VALUE); }

    @Benchmark
    public long jedisHset(Shared s, Client c) {
        int i = ThreadLocalRandom.current().nextInt(KEYS);
        return c.jedis.hset(("h:" + (i & 1023)).getBytes(), s.keys[i], VALUE);
    }

    @Benchmark
    public long jedisZadd(Shared s, Client c) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return c.jedis.zadd("zset".getBytes(), r.nextInt(1_000_000), s.keys[r.nextInt(KEYS)]);
    }
}
