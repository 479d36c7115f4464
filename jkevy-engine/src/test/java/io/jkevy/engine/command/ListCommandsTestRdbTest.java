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

import static org.assertj.core.api.Assertions.assertThat;

/** DUMP/RESTORE of lists (RDB quicklist 2 of listpacks; plain list type on input). */
class ListCommandsTestRdbTest {
    static final HexFormat HEX = HexFormat.of();
    EngineHarness h;

    @BeforeEach
    void setUp() { h = new EngineHarness(); }

    static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    byte[] dump(String key) {
        RespValue v = h.call("DUMP", key);
        return ((RespValue.Bulk) v).value();
    }

    /** A payload from a body: appends RDB version 10 and the CRC-64. */
    static byte[] payload(String bodyHex) {
        byte[] body = HEX.parseHex(bodyHex + "0a00");
        long crc = Crc64.of(body);
        byte[] p = Arrays.copyOf(body, body.length + 8);
        for (int i = 0; i < 8; i++) p[body.length + i] = (byte) (crc >>> (8 * i));
        return p;
    }

    RespValue restore(String key, byte[] p) { return h.call(b("RESTORE"), b(key), b("0"), p); }

    @Test
    void dumpWritesQuicklist2OfListpacks() {
        h.integer("RPUSH", "k", "a", "12", "-5000");
        byte[] p = dump("k");
        // 12 = quicklist2, 1 node, container 2 (packed), string of 0x10 bytes: listpack
        // total 16, count 3; "a" = 81 61 02; 12 = 0c 01; -5000 = f1 78 ec 03; end ff.
        String body = "120102" + "10" + "10000000" + "0300" + "816102" + "0c01" + "f178ec03" + "ff";
        assertThat(HEX.formatHex(Arrays.copyOf(p, p.length - 10))).isEqualTo(body);
        assertThat(HEX.formatHex(Arrays.copyOfRange(p, p.length - 10, p.length - 8))).isEqualTo("0a00");
    }

    @Test
    void roundTripsBigListsAcrossNodes() {
        h.simple("CONFIG", "SET", "list-max-listpack-size", "5");
        List<String> args = new ArrayList<>(List.of("RPUSH", "k"));
        List<String> want = new ArrayList<>();
        String[] samples = {"x", "0", "127", "128", "-1", "4095", "-4096", "4096", "32767", "-32769", "8388607",
            "-8388609", "2147483647", "-2147483649", "9223372036854775807", "-9223372036854775808", "007", "-0",
            "+1", "y".repeat(63), "z".repeat(64), "w".repeat(4095), "v".repeat(4096), "", "9223372036854775808"};
        for (int i = 0; i < 3; i++) for (String s : samples) {
            args.add(s);
            want.add(s);
        }
        h.integer(args.toArray(new String[0]));
        byte[] p = dump("k");
        assertThat(restore("k2", p)).isEqualTo(new RespValue.SimpleString("OK"));
        List<String> got = new ArrayList<>();
        for (RespValue e : ((RespValue.Array) h.call("LRANGE", "k2", "0", "-1")).elements()) {
            got.add(new String(((RespValue.Bulk) e).value(), StandardCharsets.UTF_8));
        }
        assertThat(got).isEqualTo(want);
        assertThat(h.simple("TYPE", "k2")).isEqualTo("list");
    }

    @Test
    void restoresPlainListAndPlainNodes() {
        // type 1: 2 elements "ab", int8 7
        assertThat(restore("p", payload("01" + "02" + "026162" + "c007"))).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(h.bulk("LINDEX", "p", "0")).isEqualTo("ab");
        assertThat(h.bulk("LINDEX", "p", "1")).isEqualTo("7");
        // quicklist2 with one plain node "xyz"
        assertThat(restore("q", payload("12" + "01" + "01" + "0378797a"))).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(h.bulk("LINDEX", "q", "0")).isEqualTo("xyz");
    }

    @Test
    void rejectsMalformedListpacks() {
        // declared total 17 instead of 16
        String bad = "120102" + "10" + "11000000" + "0300" + "816102" + "0c01" + "f178ec03" + "ff";
        assertThat(restore("k", payload(bad))).isEqualTo(new RespValue.Error("ERR Bad data format"));
        // wrong backlen on "a"
        String badBack = "120102" + "0a" + "0a000000" + "0100" + "816103" + "ff";
        assertThat(restore("k", payload(badBack))).isEqualTo(new RespValue.Error("ERR Bad data format"));
        // element count mismatch
        String badCount = "120102" + "0a" + "0a000000" + "0200" + "816102" + "ff";
        assertThat(restore("k", payload(badCount))).isEqualTo(new RespValue.Error("ERR Bad data format"));
        assertThat(h.integer("EXISTS", "k")).isZero();
        String ok = "120102" + "0a" + "0a000000" + "0100" + "816102" + "ff";
        assertThat(restore("k", payload(ok))).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(h.bulk("LPOP", "k")).isEqualTo("a");
    }
}
