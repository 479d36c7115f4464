package io.jkevy.engine.command;

import io.jkevy.engine.EngineHarness;
import io.jkevy.engine.rdb.Crc64;
import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DUMP/RESTORE of sets. Golden payloads were produced by redis-server 7.0.15's DUMP; the
 * payloads jkevy writes for them were checked to RESTORE in that server.
 */
class SetRdbTest {
    static final HexFormat HEX = HexFormat.of();
    EngineHarness h;

    @BeforeEach
    void setUp() { h = new EngineHarness(); }

    static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    byte[] dump(String key) { return ((RespValue.Bulk) h.call("DUMP", key)).value(); }

    /** A payload from a body: appends RDB version 10 and the CRC-64. */
    static byte[] payload(String bodyHex) {
        byte[] body = HEX.parseHex(bodyHex + "0a00");
        long crc = Crc64.of(body);
        byte[] p = Arrays.copyOf(body, body.length + 8);
        for (int i = 0; i < 8; i++) p[body.length + i] = (byte) (crc >>> (8 * i));
        return p;
    }

    RespValue restore(String key, byte[] p) { return h.call(b("RESTORE"), b(key), b("0"), p); }

    String err(byte[] p) { return ((RespValue.Error) restore("k", p)).message(); }

    Set<String> members(String key) {
        Set<String> out = new TreeSet<>();
        for (RespValue v : ((RespValue.Array) h.call("SMEMBERS", key)).elements()) {
            out.add(new String(((RespValue.Bulk) v).value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void intsetsDumpByteForByteAsRedis() {
        h.integer("SADD", "a", "2", "-3", "1");
        assertThat(HEX.formatHex(dump("a"))).isEqualTo("0b0e0200000003000000fdff010002000a00d1b78ed9bc07c27f");
        h.integer("SADD", "b", "70000", "1");
        assertThat(HEX.formatHex(dump("b"))).isEqualTo("0b10040000000200000001000000701101000a002735436efd6656c4");
        h.integer("SADD", "c", "1", "5000000000", "-2");
        assertThat(HEX.formatHex(dump("c")))
            .isEqualTo("0b200800000003000000feffffffffffffff010000000000000000f2052a010000000a0059ea0fd8a4867d2f");
    }

    @Test
    void redisIntsetPayloadsRestoreAsIntsets() {
        assertThat(restore("c", HEX.parseHex(
            "0b200800000003000000feffffffffffffff010000000000000000f2052a010000000a0059ea0fd8a4867d2f")))
            .isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(members("c")).containsExactlyInAnyOrder("-2", "1", "5000000000");
        assertThat(h.bulk("OBJECT", "ENCODING", "c")).isEqualTo("intset");
        assertThat(h.integer("SISMEMBER", "c", "5000000000")).isEqualTo(1);
    }

    @Test
    void redisPlainSetPayloadRestores() {
        // redis-server's DUMP of SADD ss a b (hashtable in 7.0): type 2, 2 members "b", "a"
        assertThat(restore("ss", HEX.parseHex("0202016201610a0075d99d835ef85f65"))).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(members("ss")).containsExactly("a", "b");
        assertThat(h.bulk("OBJECT", "ENCODING", "ss")).isEqualTo("listpack");
    }

    @Test
    void listpackSetsDumpAsPlainSetsInInsertionOrder() {
        h.integer("SADD", "k", "x", "12", "yy");
        assertThat(h.bulk("OBJECT", "ENCODING", "k")).isEqualTo("listpack");
        byte[] p = dump("k");
        // type 2, 3 members: "x", 12 as int8 (c0 0c), "yy"
        assertThat(HEX.formatHex(Arrays.copyOf(p, p.length - 10))).isEqualTo("02" + "03" + "0178" + "c00c" + "027979");
        assertThat(restore("k2", p)).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(members("k2")).containsExactlyInAnyOrder("x", "12", "yy");
        assertThat(h.bulk("OBJECT", "ENCODING", "k2")).isEqualTo("listpack");
    }

    @Test
    void hashtableSetsRoundTrip() {
        List<String> args = new ArrayList<>(List.of("SADD", "k"));
        Set<String> want = new TreeSet<>();
        for (int i = 0; i < 300; i++) {
            String m = "member-" + i + "-" + "z".repeat(i % 40);
            args.add(m);
            want.add(m);
        }
        h.integer(args.toArray(new String[0]));
        assertThat(h.bulk("OBJECT", "ENCODING", "k")).isEqualTo("hashtable");
        byte[] p = dump("k");
        assertThat(p[0]).isEqualTo((byte) 2);
        restore("k2", p);
        assertThat(members("k2")).isEqualTo(want);
        assertThat(h.bulk("OBJECT", "ENCODING", "k2")).isEqualTo("hashtable");
    }

    @Test
    void bigIntsetsRestoreAsHashtablesPastTheDefaultLimit() {
        h.simple("CONFIG", "SET", "set-max-intset-entries", "1000");
        List<String> args = new ArrayList<>(List.of("SADD", "k"));
        for (int i = 0; i < 600; i++) args.add(Integer.toString(i * 7 - 1000));
        h.integer(args.toArray(new String[0]));
        assertThat(h.bulk("OBJECT", "ENCODING", "k")).isEqualTo("intset");
        byte[] p = dump("k");
        assertThat(p[0]).isEqualTo((byte) 11);
        restore("k2", p);
        assertThat(h.integer("SCARD", "k2")).isEqualTo(600);
        assertThat(h.integer("SISMEMBER", "k2", "-1000")).isEqualTo(1);
        assertThat(h.integer("SISMEMBER", "k2", "3193")).isEqualTo(1);
        assertThat(h.bulk("OBJECT", "ENCODING", "k2")).isEqualTo("hashtable");
    }

    @Test
    void plainSetsOfIntegersRestoreAsIntsets() {
        // type 2 with members 5, 3 (int-encoded strings)
        restore("k", payload("02" + "02" + "c005" + "c003"));
        assertThat(h.bulk("OBJECT", "ENCODING", "k")).isEqualTo("intset");
        assertThat(members("k")).containsExactly("3", "5");
    }

    @Test
    void listpackSetPayloadsOfRedis72Restore() {
        // type 20: listpack of "a", 7, "bc": total 16 bytes, 3 entries
        String lp = "10000000" + "0300" + "816102" + "0701" + "82626303" + "ff";
        assertThat(restore("k", payload("14" + "10" + lp))).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(members("k")).containsExactlyInAnyOrder("a", "7", "bc");
        assertThat(h.bulk("OBJECT", "ENCODING", "k")).isEqualTo("listpack");
    }

    @Test
    void malformedPayloadsAreRejected() {
        String bad = "ERR Bad data format";
        assertThat(err(payload("02" + "02" + "0161" + "0161"))).isEqualTo(bad);
        assertThat(err(payload("02" + "00"))).isEqualTo(bad);
        // intset not ascending: 2, 1
        assertThat(err(payload("0b0c" + "02000000" + "02000000" + "0200" + "0100"))).isEqualTo(bad);
        // intset width 3
        assertThat(err(payload("0b0c" + "03000000" + "01000000" + "010000" + "00"))).isEqualTo(bad);
        // intset count says 2, holds 1
        assertThat(err(payload("0b0a" + "02000000" + "02000000" + "0100"))).isEqualTo(bad);
        // empty intset
        assertThat(err(payload("0b08" + "02000000" + "00000000"))).isEqualTo(bad);
        // type 20 with a duplicate
        assertThat(err(payload("14" + "0d" + "0d000000" + "0200" + "816102" + "816102" + "ff"))).isEqualTo(bad);
        assertThat(h.integer("EXISTS", "k")).isZero();
    }
}
