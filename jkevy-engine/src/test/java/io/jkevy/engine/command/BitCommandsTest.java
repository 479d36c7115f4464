package io.jkevy.engine.command;

import io.jkevy.engine.EngineHarness;
import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.jkevy.engine.command.StringCommandsTestSupport.effects;
import static io.jkevy.engine.command.StringCommandsTestSupport.mark;
import static io.jkevy.engine.command.StringCommandsTestSupport.putNonString;
import static io.jkevy.engine.command.StringCommandsTestSupport.ttlAt;
import static org.assertj.core.api.Assertions.assertThat;

class BitCommandsTest {
    static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    static final String SYNTAX = "ERR syntax error";
    static final String NOT_INT = "ERR value is not an integer or out of range";
    static final String BIT_OFFSET = "ERR bit offset is not an integer or out of range";

    EngineHarness h;

    @BeforeEach
    void setUp() { h = new EngineHarness(); }

    /** A string from raw byte values. */
    private void setBytes(String key, int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) b[i] = (byte) bytes[i];
        h.call("SET".getBytes(), key.getBytes(), b);
    }

    private List<Object> array(String... args) {
        RespValue v = h.call(args);
        List<Object> out = new ArrayList<>();
        for (RespValue e : ((RespValue.Array) v).elements()) {
            out.add(e instanceof RespValue.Integer i ? (Object) i.value() : null);
        }
        return out;
    }

    // ---- SETBIT / GETBIT -------------------------------------------------------------------

    @Test
    void setbitGetbit() {
        long m = mark(h);
        assertThat(h.integer("SETBIT", "k", "7", "1")).isEqualTo(0);
        assertThat(h.integer("SETBIT", "k", "7", "1")).isEqualTo(1);   // unchanged: no effect
        assertThat(h.bulk("GET", "k")).isEqualTo("\u0001");
        assertThat(h.integer("SETBIT", "k", "0", "1")).isEqualTo(0);
        assertThat(StringCommandsTestSupport.value(h, "k")).containsExactly((byte) 0x81);
        assertThat(h.integer("SETBIT", "k", "23", "0")).isEqualTo(0);   // grows with zeros
        assertThat(StringCommandsTestSupport.value(h, "k")).containsExactly((byte) 0x81, 0, 0);
        assertThat(h.integer("SETBIT", "k", "7", "0")).isEqualTo(1);
        assertThat(effects(h, m)).containsExactly("SETBIT k 7 1", "SETBIT k 0 1", "SETBIT k 23 0", "SETBIT k 7 0");
        assertThat(h.integer("GETBIT", "k", "0")).isEqualTo(1);
        assertThat(h.integer("GETBIT", "k", "7")).isEqualTo(0);
        assertThat(h.integer("GETBIT", "k", "100000")).isEqualTo(0);
        assertThat(h.integer("GETBIT", "nope", "0")).isEqualTo(0);
    }

    @Test
    void setbitErrors() {
        assertThat(h.error("SETBIT", "k", "-1", "1")).isEqualTo(BIT_OFFSET);
        assertThat(h.error("SETBIT", "k", "4294967296", "1")).isEqualTo(BIT_OFFSET);
        assertThat(h.error("SETBIT", "k", "abc", "1")).isEqualTo(BIT_OFFSET);
        assertThat(h.error("SETBIT", "k", "0", "2")).isEqualTo("ERR bit is not an integer or out of range");
        assertThat(h.error("SETBIT", "k", "0", "-1")).isEqualTo("ERR bit is not an integer or out of range");
        assertThat(h.error("SETBIT", "k", "0", "x")).isEqualTo("ERR bit is not an integer or out of range");
        assertThat(h.error("GETBIT", "k", "-1")).isEqualTo(BIT_OFFSET);
        assertThat(h.error("SETBIT", "k", "0")).isEqualTo("ERR wrong number of arguments for 'setbit' command");
        putNonString(h, "l");
        assertThat(h.error("SETBIT", "l", "0", "1")).isEqualTo(WRONGTYPE);
        assertThat(h.error("GETBIT", "l", "0")).isEqualTo(WRONGTYPE);
        assertThat(h.bulk("GET", "k")).isNull();
        // the last allowed offset (byte 512MB - 1) is accepted by the parser; a bigger one is not
        assertThat(h.error("GETBIT", "k", String.valueOf(512L * 1024 * 1024 * 8))).isEqualTo(BIT_OFFSET);
        assertThat(h.integer("GETBIT", "k", String.valueOf(512L * 1024 * 1024 * 8 - 1))).isEqualTo(0);
    }

    @Test
    void setbitKeepsTtl() {
        h.simple("SET", "k", "a", "EX", "100");
        h.integer("SETBIT", "k", "7", "0");
        assertThat(ttlAt(h, "k")).isEqualTo(h.now() + 100_000);
    }

    // ---- BITCOUNT --------------------------------------------------------------------------

    @Test
    void bitcount() {
        h.simple("SET", "k", "foobar");
        assertThat(h.integer("BITCOUNT", "k")).isEqualTo(26);
        assertThat(h.integer("BITCOUNT", "k", "0", "0")).isEqualTo(4);
        assertThat(h.integer("BITCOUNT", "k", "1", "1")).isEqualTo(6);
        assertThat(h.integer("BITCOUNT", "k", "1", "1", "BYTE")).isEqualTo(6);
        assertThat(h.integer("BITCOUNT", "k", "5", "30", "BIT")).isEqualTo(17);
        assertThat(h.integer("BITCOUNT", "k", "-2", "-1")).isEqualTo(7);
        assertThat(h.integer("BITCOUNT", "k", "-1", "-2")).isEqualTo(0);
        assertThat(h.integer("BITCOUNT", "k", "0", "-1", "bit")).isEqualTo(26);
        assertThat(h.integer("BITCOUNT", "k", "-100", "100")).isEqualTo(26);
        assertThat(h.integer("BITCOUNT", "k", "10", "20")).isEqualTo(0);
        assertThat(h.integer("BITCOUNT", "k", "3", "1")).isEqualTo(0);
        assertThat(h.integer("BITCOUNT", "nope")).isEqualTo(0);
        assertThat(h.integer("BITCOUNT", "nope", "0", "1")).isEqualTo(0);
        assertThat(h.error("BITCOUNT", "k", "0")).isEqualTo(SYNTAX);
        assertThat(h.error("BITCOUNT", "k", "0", "1", "WORD")).isEqualTo(SYNTAX);
        assertThat(h.error("BITCOUNT", "k", "0", "1", "BIT", "x")).isEqualTo(SYNTAX);
        assertThat(h.error("BITCOUNT", "k", "a", "1")).isEqualTo(NOT_INT);
        assertThat(h.error("BITCOUNT")).isEqualTo("ERR wrong number of arguments for 'bitcount' command");
        putNonString(h, "l");
        assertThat(h.error("BITCOUNT", "l")).isEqualTo(WRONGTYPE);
    }

    @Test
    void bitcountBitRangesMatchNaiveCount() {
        java.util.Random r = new java.util.Random(3);
        byte[] v = new byte[37];
        r.nextBytes(v);
        h.call("SET".getBytes(), "k".getBytes(), v);
        for (int round = 0; round < 300; round++) {
            int s = r.nextInt(320) - 20, e = r.nextInt(320) - 20;
            long total = v.length * 8L;
            long ss = s < 0 ? Math.max(0, total + s) : s, ee = e < 0 ? Math.max(0, total + e) : Math.min(e, total - 1);
            long want = 0;
            if (!(s < 0 && e < 0 && s > e)) {
                for (long b = ss; b <= ee; b++) want += (v[(int) (b >> 3)] >> (7 - (b & 7))) & 1;
            }
            assertThat(h.integer("BITCOUNT", "k", String.valueOf(s), String.valueOf(e), "BIT"))
                    .as("%d %d", s, e).isEqualTo(want);
        }
    }

    // ---- BITPOS ----------------------------------------------------------------------------

    @Test
    void bitpos() {
        setBytes("k", 0xff, 0xf0, 0x00);
        assertThat(h.integer("BITPOS", "k", "0")).isEqualTo(12);
        setBytes("k", 0x00, 0xff, 0xf0);
        assertThat(h.integer("BITPOS", "k", "1", "0")).isEqualTo(8);
        assertThat(h.integer("BITPOS", "k", "1", "2")).isEqualTo(16);
        assertThat(h.integer("BITPOS", "k", "1", "2", "-1", "BYTE")).isEqualTo(16);
        assertThat(h.integer("BITPOS", "k", "1", "7", "15", "BIT")).isEqualTo(8);
        assertThat(h.integer("BITPOS", "k", "1", "7", "-3", "BIT")).isEqualTo(8);
        setBytes("z", 0x00, 0x00, 0x00);
        assertThat(h.integer("BITPOS", "z", "1")).isEqualTo(-1);
        assertThat(h.integer("BITPOS", "nope", "1")).isEqualTo(-1);
        assertThat(h.integer("BITPOS", "nope", "0")).isEqualTo(0);
        // all ones: without an end the string is as if zero padded; with an end, -1
        setBytes("o", 0xff, 0xff, 0xff);
        assertThat(h.integer("BITPOS", "o", "0")).isEqualTo(24);
        assertThat(h.integer("BITPOS", "o", "0", "1")).isEqualTo(24);
        assertThat(h.integer("BITPOS", "o", "0", "0", "-1")).isEqualTo(-1);
        assertThat(h.integer("BITPOS", "o", "0", "0", "10", "BIT")).isEqualTo(-1);
        setBytes("p", 0xff, 0x7f);
        assertThat(h.integer("BITPOS", "p", "0", "0", "-1")).isEqualTo(8);
        assertThat(h.integer("BITPOS", "p", "0", "9", "15", "BIT")).isEqualTo(-1);
        assertThat(h.integer("BITPOS", "p", "0", "8", "15", "BIT")).isEqualTo(8);
        assertThat(h.integer("BITPOS", "p", "1", "5", "3")).isEqualTo(-1);
        h.simple("SET", "e", "");
        assertThat(h.integer("BITPOS", "e", "0")).isEqualTo(-1);
        assertThat(h.integer("BITPOS", "e", "1")).isEqualTo(-1);
    }

    @Test
    void bitposErrors() {
        h.simple("SET", "k", "a");
        assertThat(h.error("BITPOS", "k", "2")).isEqualTo("ERR The bit argument must be 1 or 0.");
        assertThat(h.error("BITPOS", "k", "x")).isEqualTo(NOT_INT);
        assertThat(h.error("BITPOS", "k", "1", "a")).isEqualTo(NOT_INT);
        assertThat(h.error("BITPOS", "k", "1", "0", "1", "NIBBLE")).isEqualTo(SYNTAX);
        assertThat(h.error("BITPOS", "k", "1", "0", "x", "NIBBLE")).isEqualTo(SYNTAX);
        assertThat(h.error("BITPOS", "k", "1", "0", "1", "BIT", "x")).isEqualTo(SYNTAX);
        assertThat(h.error("BITPOS", "k")).isEqualTo("ERR wrong number of arguments for 'bitpos' command");
        putNonString(h, "l");
        assertThat(h.error("BITPOS", "l", "1")).isEqualTo(WRONGTYPE);
    }

    // ---- BITOP -----------------------------------------------------------------------------

    @Test
    void bitop() {
        setBytes("a", 0xf0, 0xff);
        setBytes("b", 0x3c);
        long m = mark(h);
        assertThat(h.integer("BITOP", "AND", "d", "a", "b")).isEqualTo(2);
        assertThat(StringCommandsTestSupport.value(h, "d")).containsExactly(0x30, 0x00);
        assertThat(h.integer("BITOP", "or", "d", "a", "b", "missing")).isEqualTo(2);
        assertThat(StringCommandsTestSupport.value(h, "d")).containsExactly((byte) 0xfc, (byte) 0xff);
        assertThat(h.integer("BITOP", "XOR", "d", "a", "b")).isEqualTo(2);
        assertThat(StringCommandsTestSupport.value(h, "d")).containsExactly((byte) 0xcc, (byte) 0xff);
        assertThat(h.integer("BITOP", "NOT", "d", "a")).isEqualTo(2);
        assertThat(StringCommandsTestSupport.value(h, "d")).containsExactly(0x0f, 0x00);
        assertThat(h.integer("BITOP", "AND", "d", "a", "missing")).isEqualTo(2);
        assertThat(StringCommandsTestSupport.value(h, "d")).containsExactly(0, 0);
        assertThat(effects(h, m)).containsExactly("BITOP AND d a b", "BITOP or d a b missing", "BITOP XOR d a b",
                "BITOP NOT d a", "BITOP AND d a missing");
        // an empty result deletes the destination
        m = mark(h);
        assertThat(h.integer("BITOP", "OR", "d", "x", "y")).isEqualTo(0);
        assertThat(h.bulk("GET", "d")).isNull();
        assertThat(h.integer("BITOP", "OR", "d", "x", "y")).isEqualTo(0);
        assertThat(effects(h, m)).containsExactly("DEL d");
        // the destination's TTL is cleared
        h.simple("SET", "d", "x", "EX", "100");
        h.integer("BITOP", "NOT", "d", "a");
        assertThat(ttlAt(h, "d")).isZero();
    }

    @Test
    void bitopErrors() {
        h.simple("SET", "a", "x");
        assertThat(h.error("BITOP", "NAND", "d", "a")).isEqualTo(SYNTAX);
        assertThat(h.error("BITOP", "NOT", "d", "a", "a")).isEqualTo("ERR BITOP NOT must be called with a single source key.");
        assertThat(h.error("BITOP", "AND", "d")).isEqualTo("ERR wrong number of arguments for 'bitop' command");
        putNonString(h, "l");
        long m = mark(h);
        assertThat(h.error("BITOP", "AND", "d", "a", "l")).isEqualTo(WRONGTYPE);
        assertThat(h.bulk("GET", "d")).isNull();
        assertThat(effects(h, m)).isEmpty();
        // a non-string destination is simply replaced
        assertThat(h.integer("BITOP", "NOT", "l", "a")).isEqualTo(1);
    }

    // ---- BITFIELD --------------------------------------------------------------------------

    @Test
    void bitfieldBasics() {
        long m = mark(h);
        assertThat(array("BITFIELD", "k", "SET", "i8", "0", "100", "GET", "u4", "0")).containsExactly(0L, 6L);
        assertThat(array("BITFIELD", "k", "INCRBY", "i8", "0", "10", "GET", "i8", "0")).containsExactly(110L, 110L);
        assertThat(array("BITFIELD", "k", "SET", "u8", "#1", "255", "GET", "u8", "8")).containsExactly(0L, 255L);
        assertThat(array("BITFIELD", "k", "GET", "i8", "8", "GET", "u2", "100")).containsExactly(-1L, 0L);
        assertThat(StringCommandsTestSupport.value(h, "k")).containsExactly(110, (byte) 0xff);
        assertThat(effects(h, m)).containsExactly("BITFIELD k SET i8 0 100 GET u4 0", "BITFIELD k INCRBY i8 0 10 GET i8 0",
                "BITFIELD k SET u8 #1 255 GET u8 8");
        assertThat(array("BITFIELD", "k")).isEmpty();
        assertThat(array("BITFIELD", "nope", "GET", "u8", "0")).containsExactly(0L);
        assertThat(h.bulk("GET", "nope")).isNull();
    }

    @Test
    void bitfieldOverflow() {
        // wrap (default), sat, fail on signed and unsigned fields
        assertThat(array("BITFIELD", "k", "SET", "u2", "0", "3", "INCRBY", "u2", "0", "1")).containsExactly(0L, 0L);
        assertThat(array("BITFIELD", "k", "OVERFLOW", "SAT", "INCRBY", "u2", "0", "10")).containsExactly(3L);
        assertThat(array("BITFIELD", "k", "OVERFLOW", "SAT", "INCRBY", "u2", "0", "-10")).containsExactly(0L);
        long m = mark(h);
        assertThat(array("BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "-1")).containsExactly((Object) null);
        assertThat(effects(h, m)).isEmpty();
        assertThat(array("BITFIELD", "s", "SET", "i8", "0", "127", "INCRBY", "i8", "0", "1")).containsExactly(0L, -128L);
        assertThat(array("BITFIELD", "s", "OVERFLOW", "SAT", "INCRBY", "i8", "0", "-1000")).containsExactly(-128L);
        assertThat(array("BITFIELD", "s", "OVERFLOW", "SAT", "INCRBY", "i8", "0", "1000")).containsExactly(127L);
        assertThat(array("BITFIELD", "s", "OVERFLOW", "FAIL", "INCRBY", "i8", "0", "1", "OVERFLOW", "WRAP", "INCRBY", "i8", "0", "1"))
                .containsExactly(null, -128L);
        // SET values out of range follow the policy too
        assertThat(array("BITFIELD", "t", "SET", "u8", "0", "257", "GET", "u8", "0")).containsExactly(0L, 1L);
        assertThat(array("BITFIELD", "t", "OVERFLOW", "SAT", "SET", "u8", "0", "-1", "GET", "u8", "0")).containsExactly(1L, 255L);
        assertThat(array("BITFIELD", "t", "OVERFLOW", "SAT", "SET", "i8", "0", "-1000", "GET", "i8", "0")).containsExactly(-1L, -128L);
        assertThat(array("BITFIELD", "t", "OVERFLOW", "FAIL", "SET", "i4", "0", "8", "GET", "i4", "0")).containsExactly(null, -8L);
        // 64-bit fields
        // (raw: the test reply parser does not take Long.MIN_VALUE)
        assertThat(h.raw("BITFIELD", "w", "SET", "i64", "0", "9223372036854775807", "INCRBY", "i64", "0", "1"))
                .isEqualTo("*2\r\n:0\r\n:-9223372036854775808\r\n");
        assertThat(h.raw("BITFIELD", "w", "OVERFLOW", "SAT", "INCRBY", "i64", "0", "-1"))
                .isEqualTo("*1\r\n:-9223372036854775808\r\n");
        assertThat(array("BITFIELD", "w", "INCRBY", "i64", "0", "5", "OVERFLOW", "FAIL", "INCRBY", "i64", "0", "-10"))
                .containsExactly(-9223372036854775803L, null);
        assertThat(array("BITFIELD", "x", "SET", "u63", "0", "9223372036854775807", "GET", "u63", "0"))
                .containsExactly(0L, Long.MAX_VALUE);
        assertThat(array("BITFIELD", "x", "INCRBY", "u63", "0", "1")).containsExactly(0L);
        assertThat(array("BITFIELD", "x", "OVERFLOW", "SAT", "INCRBY", "u63", "0", "-5")).containsExactly(0L);
    }

    @Test
    void bitfieldUnalignedFields() {
        assertThat(array("BITFIELD", "k", "SET", "u5", "3", "21", "SET", "i11", "13", "-700", "GET", "u5", "3", "GET", "i11", "13"))
                .containsExactly(0L, 0L, 21L, -700L);
        assertThat(h.integer("GETBIT", "k", "3")).isEqualTo(1);
        assertThat(h.integer("GETBIT", "k", "4")).isEqualTo(0);
        assertThat(h.integer("STRLEN", "k")).isEqualTo(3);
    }

    @Test
    void bitfieldAllFailOnMissingKeyStillCreatesIt() {
        long m = mark(h);
        assertThat(array("BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "10")).containsExactly((Object) null);
        assertThat(StringCommandsTestSupport.value(h, "k")).containsExactly(0);
        assertThat(effects(h, m)).containsExactly("BITFIELD k OVERFLOW FAIL INCRBY u2 0 10");
    }

    @Test
    void bitfieldErrors() {
        String badType = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
        assertThat(h.error("BITFIELD", "k", "GET", "u64", "0")).isEqualTo(badType);
        assertThat(h.error("BITFIELD", "k", "GET", "i65", "0")).isEqualTo(badType);
        assertThat(h.error("BITFIELD", "k", "GET", "i0", "0")).isEqualTo(badType);
        assertThat(h.error("BITFIELD", "k", "GET", "x8", "0")).isEqualTo(badType);
        assertThat(h.error("BITFIELD", "k", "GET", "u", "0")).isEqualTo(badType);
        assertThat(h.error("BITFIELD", "k", "GET", "u8", "-1")).isEqualTo(BIT_OFFSET);
        assertThat(h.error("BITFIELD", "k", "GET", "u8", "#-1")).isEqualTo(BIT_OFFSET);
        assertThat(h.error("BITFIELD", "k", "GET", "u8", "x")).isEqualTo(BIT_OFFSET);
        assertThat(h.error("BITFIELD", "k", "GET", "u8", "4294967296")).isEqualTo(BIT_OFFSET);
        assertThat(h.error("BITFIELD", "k", "GET", "u8", "#536870912")).isEqualTo(BIT_OFFSET);
        assertThat(h.error("BITFIELD", "k", "GET", "u8")).isEqualTo(SYNTAX);
        assertThat(h.error("BITFIELD", "k", "SET", "u8", "0")).isEqualTo(SYNTAX);
        assertThat(h.error("BITFIELD", "k", "FOO")).isEqualTo(SYNTAX);
        assertThat(h.error("BITFIELD", "k", "OVERFLOW")).isEqualTo(SYNTAX);
        assertThat(h.error("BITFIELD", "k", "OVERFLOW", "CLAMP")).isEqualTo("ERR Invalid OVERFLOW type specified");
        assertThat(h.error("BITFIELD", "k", "SET", "u8", "0", "x")).isEqualTo(NOT_INT);
        assertThat(h.error("BITFIELD", "k", "INCRBY", "u8", "0", "1.5")).isEqualTo(NOT_INT);
        assertThat(h.error("BITFIELD")).isEqualTo("ERR wrong number of arguments for 'bitfield' command");
        assertThat(h.bulk("GET", "k")).isNull();
        putNonString(h, "l");
        assertThat(h.error("BITFIELD", "l", "GET", "u8", "0")).isEqualTo(WRONGTYPE);
        assertThat(h.error("BITFIELD", "l", "SET", "u8", "0", "1")).isEqualTo(WRONGTYPE);
    }

    @Test
    void bitfieldRo() {
        h.simple("SET", "k", "A");
        assertThat(array("BITFIELD_RO", "k", "GET", "u8", "0", "GET", "i4", "4")).containsExactly(65L, 1L);
        assertThat(array("BITFIELD_RO", "k", "OVERFLOW", "SAT", "GET", "u8", "0")).containsExactly(65L);
        assertThat(h.error("BITFIELD_RO", "k", "SET", "u8", "0", "1")).isEqualTo("ERR BITFIELD_RO only supports the GET subcommand");
        assertThat(h.error("BITFIELD_RO", "k", "INCRBY", "u8", "0", "1")).isEqualTo("ERR BITFIELD_RO only supports the GET subcommand");
        assertThat(h.error("BITFIELD_RO", "k", "SET", "x8", "0", "1")).startsWith("ERR Invalid bitfield type");
        assertThat(array("BITFIELD_RO", "k")).isEmpty();
        putNonString(h, "l");
        assertThat(h.error("BITFIELD_RO", "l", "GET", "u8", "0")).isEqualTo(WRONGTYPE);
    }

    @Test
    void bitfieldKeepsTtlAndRespectsExpiry() {
        h.simple("SET", "k", "a", "PX", "100");
        array("BITFIELD", "k", "SET", "u8", "0", "66");
        assertThat(h.bulk("GET", "k")).isEqualTo("B");
        assertThat(ttlAt(h, "k")).isEqualTo(h.now() + 100);
        h.advance(100);
        assertThat(array("BITFIELD", "k", "GET", "u8", "0")).containsExactly(0L);
    }
}
