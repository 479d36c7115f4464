package io.jkevy.engine.command;

import io.jkevy.engine.EngineHarness;
import io.jkevy.engine.command.hll.Hll;
import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static io.jkevy.engine.command.StringCommandsTestSupport.effects;
import static io.jkevy.engine.command.StringCommandsTestSupport.mark;
import static io.jkevy.engine.command.StringCommandsTestSupport.putNonString;
import static io.jkevy.engine.command.StringCommandsTestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;

class HyperLogLogCommandsTest {
    static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    static final String NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    static final String CORRUPT = "INVALIDOBJ Corrupted HLL object detected";

    EngineHarness h;

    @BeforeEach
    void setUp() { h = new EngineHarness(); }

    private static String sha1(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
    }

    private static byte[] hex(String s) { return HexFormat.of().parseHex(s); }

    private void set(String key, byte[] v) { h.call("SET".getBytes(), key.getBytes(), v); }

    /** PFADD e:1..e:n in batches of 1000, as the reference run against redis-server 7.0.15 did. */
    private void fill(String key, int n) {
        for (int i = 1; i <= n; i += 1000) {
            List<String> a = new ArrayList<>(List.of("PFADD", key));
            for (int j = i; j <= Math.min(n, i + 999); j++) a.add("e:" + j);
            h.call(a.toArray(String[]::new));
        }
    }

    // Reference values from redis-server 7.0.15: n, PFCOUNT, length of GET, SHA-1 of GET before
    // PFCOUNT, SHA-1 of GET after PFCOUNT (cardinality cached in the header), encoding.
    static final Object[][] REFERENCE = {
        {1, 1, 21, "2e05cae483c2a32d165f40028299a1cd4663e0f2", "d6d3e8ff4789f0184b358a4b6f0a76a7aaf9e2bb", "sparse"},
        {10, 10, 48, "dc9c9730f97cd8a9183fd459b9fef7b0a05f7a22", "d966109f2f8e9ef025378483407229fb8632db1a", "sparse"},
        {100, 100, 279, "955db4fc9dfcdf5b4b6d0d0f9d3014be8e18109d", "aca0f5ba9dc60e9ae137eb8ccab287f3657b718e", "sparse"},
        {500, 500, 1047, "fbe777f997356b0457b8ae756f42144cf738fe6f", "11b1c44d0b0e86eb30ad29ad217f5dfa9ab6ed11", "sparse"},
        {1000, 995, 1881, "34fd9631ee4eca0b4c99dd9c0534bff5e423361d", "9696d1dc647b9aab310f95f8e55be674328fccc7", "sparse"},
        {2000, 1983, 12304, "32b51f83cd9ec60985eb8b77c49f8a7acee1cbee", "fa920cecddee28a7cbed9c6928bb8766a680b5e4", "dense"},
        {5000, 5029, 12304, "aff75e70bd038ac3fe54a3f67ed0f7ce1686f88c", "3b30a2d74fc91bae07d5ee4b324487b589a93a3f", "dense"},
        {10000, 10078, 12304, "d2168b87cf7705444369fbc77167a0d35bad83e8", "b0bdc3653cc31c51decfc3a209b9d7e6a07ce887", "dense"},
        {50000, 49946, 12304, "6c99aea40a1e125c43e7785c6499fad4c2c4211e", "43c64e9c73a7972e26c9a92ca1cc5e788425c5d5", "dense"},
        {100000, 100342, 12304, "97c71b17a4e06c30db3300be306782d78fbb6326", "f8ffa71d1533a91d033b530e75bbf6f1bf648590", "dense"},
    };

    @Test
    void bytesAndCountsEqualRedis() throws Exception {
        for (Object[] r : REFERENCE) {
            int n = (Integer) r[0];
            String k = "h" + n;
            fill(k, n);
            byte[] before = value(h, k);
            assertThat(before.length).as("len %d", n).isEqualTo(r[2]);
            assertThat(sha1(before)).as("bytes %d", n).isEqualTo(r[3]);
            assertThat(h.integer("PFCOUNT", k)).as("count %d", n).isEqualTo(((Integer) r[1]).longValue());
            assertThat(sha1(value(h, k))).as("cached %d", n).isEqualTo(r[4]);
            assertThat(h.simple("PFDEBUG", "ENCODING", k)).isEqualTo(r[5]);
        }
    }

    @Test
    void oneElementPerCallAndMergeEqualRedis() throws Exception {
        for (int i = 1; i <= 3000; i++) h.call("PFADD", "one", "x" + i);
        assertThat(sha1(value(h, "one"))).isEqualTo("55dec931b031cc0b242165126e0a35b545b15ae5");
        assertThat(h.integer("PFCOUNT", "one")).isEqualTo(2985);
        fill("h100", 100);
        fill("h1000", 1000);
        fill("h10", 10);
        fill("h500", 500);
        assertThat(h.integer("PFCOUNT", "h100", "h1000", "one", "nokey")).isEqualTo(3962);
        assertThat(h.simple("PFMERGE", "m", "h100", "h1000", "one")).isEqualTo("OK");
        assertThat(h.integer("PFCOUNT", "m")).isEqualTo(3962);
        assertThat(sha1(value(h, "m"))).isEqualTo("1b4a36241f2283308d55f89af8d0a633da5cd201");
        assertThat(h.simple("PFDEBUG", "ENCODING", "m")).isEqualTo("dense");
        // all-sparse sources stay sparse; the result has the same bytes as h500 (h10 is a subset)
        assertThat(h.simple("PFMERGE", "m2", "h10", "h500")).isEqualTo("OK");
        assertThat(sha1(value(h, "m2"))).isEqualTo("fbe777f997356b0457b8ae756f42144cf738fe6f");
        assertThat(h.simple("PFDEBUG", "ENCODING", "m2")).isEqualTo("sparse");
    }

    @Test
    void readsAValueWrittenByRedis() {
        // GET of "PFADD h10 e:1 .. e:10; PFCOUNT h10" from redis-server 7.0.15 (cache valid: 10)
        byte[] v = hex("48594c4c010000000a0000000000000040a2844822804663804491804627804ac48443458047ff8046ef8045de804337");
        set("r", v);
        assertThat(h.integer("PFCOUNT", "r")).isEqualTo(10);
        assertThat(h.simple("PFDEBUG", "DECODE", "r")).isEqualTo("Z:163 v:2,1 Z:2083 v:1,1 Z:1636 v:1,1 Z:1170 v:1,1 Z:1576 v:1,1 Z:2757 v:2,1 Z:838 v:1,1 Z:2048 v:1,1 Z:1776 v:1,1 Z:1503 v:1,1 Z:824");
        v[8] = 99;                       // a wrong but valid cache is returned as-is
        set("r2", v.clone());
        assertThat(h.integer("PFCOUNT", "r2")).isEqualTo(99);
        v[15] |= (byte) 0x80;            // invalid cache: estimated from the registers
        set("r3", v);
        assertThat(h.integer("PFCOUNT", "r3")).isEqualTo(10);
        assertThat(h.integer("PFADD", "r3", "e:1", "e:10")).isEqualTo(0);
        assertThat(h.integer("PFADD", "r3", "e:11")).isEqualTo(1);
        assertThat(h.integer("PFCOUNT", "r3")).isEqualTo(11);
    }

    @Test
    void pfaddReplyAndEffects() {
        long m = mark(h);
        assertThat(h.integer("PFADD", "k")).isEqualTo(1);           // created
        assertThat(value(h, "k")).containsExactly(hex("48594c4c01000000000000000000008" + "07fff"));
        assertThat(h.integer("PFADD", "k")).isEqualTo(0);           // exists, nothing added
        assertThat(h.integer("PFADD", "k", "a", "b", "c")).isEqualTo(1);
        assertThat(h.integer("PFADD", "k", "a", "b")).isEqualTo(0);
        assertThat(value(h, "k")).containsExactly(hex("48594c4c01000000000000000000008060f38050b1844bfb80425a"));
        assertThat(h.integer("PFCOUNT", "k")).isEqualTo(3);
        assertThat(value(h, "k")).containsExactly(hex("48594c4c01000000030000000000000060f38050b1844bfb80425a"));
        assertThat(h.integer("PFCOUNT", "k")).isEqualTo(3);         // cached: no write, no effect
        assertThat(effects(h, m)).containsExactly("PFADD k", "PFADD k a b c", "PFCOUNT k");
    }

    @Test
    void pfaddKeepsTtlAndTypeErrors() {
        h.integer("PFADD", "k", "a");
        h.integer("PEXPIRE", "k", "100000");
        h.integer("PFADD", "k", "zz", "yy");
        assertThat(h.integer("PTTL", "k")).isPositive();
        h.simple("SET", "s", "foo");
        assertThat(h.error("PFADD", "s", "a")).isEqualTo(NOT_HLL);
        assertThat(h.error("PFCOUNT", "s")).isEqualTo(NOT_HLL);
        assertThat(h.error("PFCOUNT", "k", "s")).isEqualTo(NOT_HLL);
        assertThat(h.error("PFMERGE", "d", "s")).isEqualTo(NOT_HLL);
        assertThat(h.integer("EXISTS", "d")).isEqualTo(0);
        putNonString(h, "l");
        assertThat(h.error("PFADD", "l", "a")).isEqualTo(WRONGTYPE);
        assertThat(h.error("PFCOUNT", "l")).isEqualTo(WRONGTYPE);
        assertThat(h.error("PFDEBUG", "ENCODING", "l")).isEqualTo(WRONGTYPE);
        // a dense header with the wrong length, an unknown encoding, a short string
        byte[] bad = new byte[Hll.DENSE_SIZE - 1];
        System.arraycopy("HYLL".getBytes(), 0, bad, 0, 4);
        set("bad", bad);
        assertThat(h.error("PFCOUNT", "bad")).isEqualTo(NOT_HLL);
        set("enc", hex("48594c4c02000000000000000000000000"));
        assertThat(h.error("PFADD", "enc", "x")).isEqualTo(NOT_HLL);
        set("short", "HYLL".getBytes());
        assertThat(h.error("PFCOUNT", "short")).isEqualTo(NOT_HLL);
        assertThat(h.error("PFADD")).startsWith("ERR wrong number of arguments");
        assertThat(h.error("PFCOUNT")).startsWith("ERR wrong number of arguments");
        assertThat(h.error("PFMERGE")).startsWith("ERR wrong number of arguments");
        assertThat(h.error("PFDEBUG", "ENCODING")).startsWith("ERR wrong number of arguments");
    }

    @Test
    void corruptSparseValues() {
        // ZERO runs covering 16384 - 1 registers only: structurally a valid header, bad body
        byte[] shortRun = hex("48594c4c01000000000000000000008" + "05fff");
        set("c", shortRun);
        assertThat(h.error("PFCOUNT", "c")).isEqualTo(CORRUPT);
        assertThat(h.error("PFCOUNT", "c", "c")).isEqualTo(CORRUPT);
        assertThat(h.error("PFMERGE", "d", "c")).isEqualTo(CORRUPT);
        assertThat(h.error("PFDEBUG", "TODENSE", "c")).isEqualTo(CORRUPT);
        assertThat(h.error("PFDEBUG", "GETREG", "c")).isEqualTo(CORRUPT);
        long m = mark(h);
        // register index of most elements is beyond the covered range
        // (PFADDs landing in the covered range succeed, as in Redis)
        String err = null;
        byte[] before = null;
        for (int i = 0; i < 50 && err == null; i++) {
            before = value(h, "c");
            RespValue r = h.call("PFADD", "c", "e" + i);
            if (r instanceof RespValue.Error e) err = e.message();
        }
        assertThat(err).isEqualTo(CORRUPT);
        assertThat(value(h, "c")).isEqualTo(before);   // a failed PFADD changes nothing
        assertThat(effects(h, m)).allMatch(e -> e.startsWith("PFADD c e"));
        m = mark(h);
        // a valid cache is trusted even over corrupt registers, as Redis does
        byte[] cached = hex("48594c4c01000000070000000000000" + "05fff");
        set("c2", cached);
        assertThat(h.integer("PFCOUNT", "c2")).isEqualTo(7);
        assertThat(effects(h, m)).containsExactly("SET c2 " + new String(cached, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void pfcountMissingAndMultiKeyDoesNotWrite() {
        assertThat(h.integer("PFCOUNT", "nokey")).isEqualTo(0);
        assertThat(h.integer("EXISTS", "nokey")).isEqualTo(0);
        h.integer("PFADD", "a", "1", "2", "3");
        h.integer("PFADD", "b", "3", "4");
        long m = mark(h);
        byte[] before = value(h, "a");
        assertThat(h.integer("PFCOUNT", "a", "b", "nokey")).isEqualTo(4);
        assertThat(value(h, "a")).isEqualTo(before);
        assertThat(effects(h, m)).isEmpty();
    }

    @Test
    void pfmergeEffectsAndDestAsSource() {
        h.integer("PFADD", "a", "1", "2", "3");
        h.integer("PFADD", "d", "9");
        long m = mark(h);
        assertThat(h.simple("PFMERGE", "d", "a", "missing")).isEqualTo("OK");
        assertThat(h.integer("PFCOUNT", "d")).isEqualTo(4);
        assertThat(h.simple("PFMERGE", "e")).isEqualTo("OK");
        assertThat(value(h, "e")).containsExactly(hex("48594c4c01000000000000000000008" + "07fff"));
        assertThat(effects(h, m)).containsExactly("PFMERGE d a missing", "PFCOUNT d", "PFMERGE e");
        h.simple("SET", "s", "x");
        assertThat(h.error("PFMERGE", "s", "a")).isEqualTo(NOT_HLL);
    }

    @Test
    void sparseBecomesDenseAtConfiguredLimit() {
        h.simple("CONFIG", "SET", "hll-sparse-max-bytes", "100");
        int i = 0;
        do {
            h.integer("PFADD", "k", "el" + i++);
            if (value(h, "k").length < Hll.DENSE_SIZE) assertThat(value(h, "k").length).isLessThanOrEqualTo(100);
        } while (h.simple("PFDEBUG", "ENCODING", "k").equals("sparse"));
        assertThat(value(h, "k")).hasSize(Hll.DENSE_SIZE);
        assertThat(i).isEqualTo(29);   // redis-server 7.0.15 converts at the same element
        assertThat(h.integer("PFCOUNT", "k")).isEqualTo(i);
    }

    @Test
    void pfdebug() {
        h.integer("PFADD", "k", "a", "b", "c");
        assertThat(h.error("PFDEBUG", "ENCODING", "nokey")).isEqualTo("ERR The specified key does not exist");
        assertThat(h.error("PFDEBUG", "FOO", "k")).isEqualTo("ERR Unknown PFDEBUG subcommand 'FOO'");
        assertThat(h.simple("PFDEBUG", "decode", "k")).isEqualTo("Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603");
        long m = mark(h);
        RespValue regs = h.call("PFDEBUG", "GETREG", "k");
        List<RespValue> el = ((RespValue.Array) regs).elements();
        assertThat(el).hasSize(16384);
        assertThat(el.get(8436)).isEqualTo(new RespValue.Integer(1));
        assertThat(el.get(8436 + 1 + 4274)).isEqualTo(new RespValue.Integer(2));
        assertThat(el.get(0)).isEqualTo(new RespValue.Integer(0));
        assertThat(h.simple("PFDEBUG", "ENCODING", "k")).isEqualTo("dense");
        assertThat(h.error("PFDEBUG", "DECODE", "k")).isEqualTo("ERR HLL encoding is not sparse");
        assertThat(h.integer("PFDEBUG", "TODENSE", "k")).isEqualTo(0);
        h.integer("PFADD", "k2", "a");
        assertThat(h.integer("PFDEBUG", "TODENSE", "k2")).isEqualTo(1);
        assertThat(h.integer("PFCOUNT", "k")).isEqualTo(3);
        assertThat(effects(h, m)).containsExactly("PFDEBUG GETREG k", "PFADD k2 a", "PFDEBUG TODENSE k2", "PFCOUNT k");
        assertThat(h.simple("PFSELFTEST")).isEqualTo("OK");
    }

    @Test
    void errorRateAcrossCardinalities() {
        // standard error 1.04 / sqrt(16384) = 0.81%; the mean absolute error over many HLLs
        // must be close to it, and no single estimate beyond 5 standard errors
        int[] sizes = {1000, 10_000, 50_000, 200_000};
        for (int n : sizes) {
            double sumErr = 0;
            int trials = 8;
            for (int t = 0; t < trials; t++) {
                Hll hll = Hll.empty();
                for (int i = 0; i < n; i++) hll.add(("t" + t + ":" + i).getBytes(), 3000);
                double err = Math.abs(hll.count() - n) / (double) n;
                assertThat(err).as("n=%d trial=%d", n, t).isLessThan(5 * 0.0081);
                sumErr += err;
            }
            assertThat(sumErr / trials).as("mean error n=%d", n).isLessThan(0.015);
        }
    }

    // PFDEBUG DECODE from redis-server 7.0.15 after PFADD of the first L letters of the alphabet
    // into an empty key: {L, register index, register value}. Covers every tail length of the hash.
    static final int[][] HASH_REFERENCE = {
        {0, 5938, 2},
        {1, 12711, 2},
        {2, 719, 1},
        {3, 9474, 1},
        {4, 11070, 8},
        {5, 3726, 4},
        {6, 13647, 2},
        {7, 5634, 2},
        {8, 1383, 1},
        {9, 6903, 1},
        {10, 12228, 1},
        {11, 14121, 1},
        {12, 9695, 5},
        {13, 9157, 1},
        {14, 5697, 2},
        {15, 12377, 4},
        {16, 9328, 1},
        {17, 4271, 1},
        {18, 14275, 2},
        {19, 11774, 1},
        {20, 2760, 4},
    };

    @Test
    void hashMatchesRedis() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz";
        for (int[] r : HASH_REFERENCE) {
            int pos = Hll.position(alphabet.substring(0, r[0]).getBytes());
            assertThat(pos & 0xffff).as("index, length %d", r[0]).isEqualTo(r[1]);
            assertThat(pos >>> 16).as("value, length %d", r[0]).isEqualTo(r[2]);
            h.call("DEL", "t");
            h.integer("PFADD", "t", alphabet.substring(0, r[0]));
            assertThat(h.simple("PFDEBUG", "DECODE", "t"))
                    .isEqualTo("Z:" + r[1] + " v:" + r[2] + ",1 Z:" + (16384 - r[1] - 1));
        }
    }
}
