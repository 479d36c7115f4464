package io.jkevy.engine.command;

import io.jkevy.engine.EngineHarness;
import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.jkevy.engine.command.StringCommandsTestSupport.effects;
import static io.jkevy.engine.command.StringCommandsTestSupport.mark;
import static io.jkevy.engine.command.StringCommandsTestSupport.putNonString;
import static io.jkevy.engine.command.StringCommandsTestSupport.ttlAt;
import static org.assertj.core.api.Assertions.assertThat;

class StringCommandsTest {
    static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    static final String SYNTAX = "ERR syntax error";
    static final String NOT_INT = "ERR value is not an integer or out of range";

    EngineHarness h;

    @BeforeEach
    void setUp() { h = new EngineHarness(); }

    // ---- GET / SET ------------------------------------------------------------------------

    @Test
    void getAndPlainSet() {
        long m = mark(h);
        assertThat(h.bulk("GET", "k")).isNull();
        assertThat(h.simple("SET", "k", "v")).isEqualTo("OK");
        assertThat(h.bulk("GET", "k")).isEqualTo("v");
        assertThat(effects(h, m)).containsExactly("SET k v");
        assertThat(h.engine.stats().keyspaceHits.sum()).isEqualTo(1);
        assertThat(h.engine.stats().keyspaceMisses.sum()).isEqualTo(1);
        putNonString(h, "l");
        assertThat(h.error("GET", "l")).isEqualTo(WRONGTYPE);
        assertThat(h.error("GET")).isEqualTo("ERR wrong number of arguments for 'get' command");
        assertThat(h.error("SET", "k")).isEqualTo("ERR wrong number of arguments for 'set' command");
        assertThat(h.raw("GET", "nope")).isEqualTo("$-1\r\n");
        h.protocol(3);
        assertThat(h.raw("GET", "nope")).isEqualTo("_\r\n");
    }

    @Test
    void setClearsTtlUnlessKeepTtl() {
        h.simple("SET", "k", "v", "EX", "100");
        assertThat(ttlAt(h, "k")).isEqualTo(h.now() + 100_000);
        long m = mark(h);
        h.simple("SET", "k", "v2", "KEEPTTL");
        assertThat(ttlAt(h, "k")).isEqualTo(h.now() + 100_000);
        h.simple("SET", "k", "v3");
        assertThat(ttlAt(h, "k")).isZero();
        assertThat(effects(h, m)).containsExactly("SET k v2 KEEPTTL", "SET k v3");
    }

    @Test
    void setExpireOptionsJournalAbsolutePxat() {
        long now = h.now();
        long m = mark(h);
        h.simple("SET", "a", "1", "EX", "10");
        h.simple("SET", "b", "1", "px", "1500");
        h.simple("SET", "c", "1", "EXAT", String.valueOf(now / 1000 + 20));
        h.simple("SET", "d", "1", "PXAT", String.valueOf(now + 30));
        assertThat(effects(h, m)).containsExactly(
                "SET a 1 PXAT " + (now + 10_000), "SET b 1 PXAT " + (now + 1500),
                "SET c 1 PXAT " + (now / 1000 + 20) * 1000, "SET d 1 PXAT " + (now + 30));
        assertThat(ttlAt(h, "b")).isEqualTo(now + 1500);
        h.advance(1500);
        assertThat(h.bulk("GET", "b")).isNull();
        assertThat(h.bulk("GET", "a")).isEqualTo("1");
    }

    @Test
    void setNxXx() {
        long m = mark(h);
        assertThat(h.call("SET", "k", "v", "XX")).isEqualTo(new RespValue.Bulk(null));
        assertThat(h.simple("SET", "k", "v", "NX")).isEqualTo("OK");
        assertThat(h.call("SET", "k", "w", "NX")).isEqualTo(new RespValue.Bulk(null));
        assertThat(h.simple("SET", "k", "w", "XX")).isEqualTo("OK");
        assertThat(h.bulk("GET", "k")).isEqualTo("w");
        assertThat(effects(h, m)).containsExactly("SET k v", "SET k w");
        // an expired key does not count as existing
        h.simple("SET", "e", "1", "PX", "10");
        h.advance(10);
        assertThat(h.simple("SET", "e", "2", "NX")).isEqualTo("OK");
    }

    @Test
    void setGet() {
        assertThat(h.bulk("SET", "k", "v", "GET")).isNull();
        assertThat(h.bulk("SET", "k", "w", "GET")).isEqualTo("v");
        // NX GET allowed since 7.0: replies the old value, sets nothing
        long m = mark(h);
        assertThat(h.bulk("SET", "k", "x", "NX", "GET")).isEqualTo("w");
        assertThat(h.bulk("GET", "k")).isEqualTo("w");
        assertThat(effects(h, m)).isEmpty();
        assertThat(h.bulk("SET", "n", "x", "XX", "GET")).isNull();
        assertThat(h.bulk("GET", "n")).isNull();
        putNonString(h, "l");
        m = mark(h);
        assertThat(h.error("SET", "l", "x", "GET")).isEqualTo(WRONGTYPE);
        assertThat(effects(h, m)).isEmpty();
        assertThat(h.error("SET", "l", "x", "GET", "EX", "0")).isEqualTo("ERR invalid expire time in 'set' command");
        // without GET a non-string is simply overwritten
        assertThat(h.simple("SET", "l", "x")).isEqualTo("OK");
        m = mark(h);
        assertThat(h.bulk("SET", "k", "y", "GET", "EX", "5")).isEqualTo("w");
        assertThat(effects(h, m)).containsExactly("SET k y PXAT " + (h.now() + 5000));
    }

    @Test
    void setSyntaxAndConflicts() {
        for (String[] a : List.of(
                new String[] {"SET", "k", "v", "NX", "XX"},
                new String[] {"SET", "k", "v", "XX", "NX"},
                new String[] {"SET", "k", "v", "EX", "10", "PX", "10"},
                new String[] {"SET", "k", "v", "PX", "10", "EXAT", "10"},
                new String[] {"SET", "k", "v", "EXAT", "10", "PXAT", "10"},
                new String[] {"SET", "k", "v", "KEEPTTL", "EX", "10"},
                new String[] {"SET", "k", "v", "PX", "10", "KEEPTTL"},
                new String[] {"SET", "k", "v", "EX"},
                new String[] {"SET", "k", "v", "PERSIST"},
                new String[] {"SET", "k", "v", "foo"},
                new String[] {"SET", "k", "v", "EX", "abc", "NX", "XX"})) {
            assertThat(h.error(a)).as(String.join(" ", a)).isEqualTo(SYNTAX);
        }
        assertThat(h.bulk("GET", "k")).isNull();
        assertThat(h.error("SET", "k", "v", "EX", "abc")).isEqualTo(NOT_INT);
        assertThat(h.error("SET", "k", "v", "EX", "0")).isEqualTo("ERR invalid expire time in 'set' command");
        assertThat(h.error("SET", "k", "v", "PX", "-5")).isEqualTo("ERR invalid expire time in 'set' command");
        assertThat(h.error("SET", "k", "v", "EX", "9223372036854775807")).isEqualTo("ERR invalid expire time in 'set' command");
        assertThat(h.error("SET", "k", "v", "PX", "9223372036854775807")).isEqualTo("ERR invalid expire time in 'set' command");
        assertThat(h.bulk("SET", "k", "v", "NX", "nx", "GET", "get")).isNull();   // repeats are fine
    }

    @Test
    void setRepeatedFlagsAndCaseInsensitivity() {
        assertThat(h.simple("set", "k", "v", "nx", "NX")).isEqualTo("OK");
        assertThat(h.simple("SET", "k", "v", "keepttl", "KEEPTTL")).isEqualTo("OK");
        assertThat(h.simple("SET", "k", "v", "ex", "10", "EX", "20")).isEqualTo("OK");
        assertThat(ttlAt(h, "k")).isEqualTo(h.now() + 20_000);
    }

    @Test
    void setWithPastAbsoluteExpireLeavesKeyAbsent() {
        long m = mark(h);
        assertThat(h.simple("SET", "k", "v", "PXAT", "1")).isEqualTo("OK");
        assertThat(h.bulk("GET", "k")).isNull();
        assertThat(effects(h, m)).isEmpty();
        h.simple("SET", "k", "v");
        m = mark(h);
        assertThat(h.simple("SET", "k", "w", "EXAT", "1")).isEqualTo("OK");
        assertThat(h.bulk("GET", "k")).isNull();
        assertThat(effects(h, m)).containsExactly("DEL k");
        h.simple("SET", "k", "v");
        assertThat(h.bulk("SET", "k", "w", "PXAT", String.valueOf(h.now()), "GET")).isEqualTo("v");
        assertThat(h.bulk("GET", "k")).isNull();
    }

    // ---- SETNX / SETEX / PSETEX / GETSET / GETDEL / GETEX ----------------------------------

    @Test
    void setnx() {
        long m = mark(h);
        assertThat(h.integer("SETNX", "k", "v")).isEqualTo(1);
        assertThat(h.integer("SETNX", "k", "w")).isEqualTo(0);
        assertThat(h.bulk("GET", "k")).isEqualTo("v");
        assertThat(effects(h, m)).containsExactly("SETNX k v");
        assertThat(h.error("SETNX", "k")).isEqualTo("ERR wrong number of arguments for 'setnx' command");
    }

    @Test
    void setexAndPsetex() {
        long now = h.now();
        long m = mark(h);
        assertThat(h.simple("SETEX", "k", "10", "v")).isEqualTo("OK");
        assertThat(h.simple("PSETEX", "p", "250", "v")).isEqualTo("OK");
        assertThat(effects(h, m)).containsExactly("SET k v PXAT " + (now + 10_000), "SET p v PXAT " + (now + 250));
        assertThat(h.error("SETEX", "k", "0", "v")).isEqualTo("ERR invalid expire time in 'setex' command");
        assertThat(h.error("PSETEX", "k", "-1", "v")).isEqualTo("ERR invalid expire time in 'psetex' command");
        assertThat(h.error("SETEX", "k", "x", "v")).isEqualTo(NOT_INT);
        assertThat(h.error("SETEX", "k", "10")).isEqualTo("ERR wrong number of arguments for 'setex' command");
        h.advance(250);
        assertThat(h.bulk("GET", "p")).isNull();
        assertThat(h.bulk("GET", "k")).isEqualTo("v");
        putNonString(h, "l");
        assertThat(h.simple("SETEX", "l", "5", "v")).isEqualTo("OK");   // overwrites any type
    }

    @Test
    void getset() {
        h.simple("SET", "k", "v", "EX", "100");
        long m = mark(h);
        assertThat(h.bulk("GETSET", "k", "w")).isEqualTo("v");
        assertThat(ttlAt(h, "k")).isZero();
        assertThat(h.bulk("GETSET", "n", "x")).isNull();
        assertThat(effects(h, m)).containsExactly("SET k w", "SET n x");
        putNonString(h, "l");
        assertThat(h.error("GETSET", "l", "x")).isEqualTo(WRONGTYPE);
    }

    @Test
    void getdel() {
        h.simple("SET", "k", "v");
        long m = mark(h);
        assertThat(h.bulk("GETDEL", "k")).isEqualTo("v");
        assertThat(h.bulk("GETDEL", "k")).isNull();
        assertThat(h.bulk("GET", "k")).isNull();
        assertThat(effects(h, m)).containsExactly("DEL k");
        putNonString(h, "l");
        assertThat(h.error("GETDEL", "l")).isEqualTo(WRONGTYPE);
        assertThat(h.error("GETDEL", "a", "b")).isEqualTo("ERR wrong number of arguments for 'getdel' command");
    }

    @Test
    void getex() {
        long now = h.now();
        h.simple("SET", "k", "v");
        long m = mark(h);
        assertThat(h.bulk("GETEX", "k")).isEqualTo("v");
        assertThat(effects(h, m)).isEmpty();
        assertThat(h.bulk("GETEX", "k", "EX", "10")).isEqualTo("v");
        assertThat(ttlAt(h, "k")).isEqualTo(now + 10_000);
        assertThat(h.bulk("GETEX", "k", "PX", "500")).isEqualTo("v");
        assertThat(h.bulk("GETEX", "k", "EXAT", String.valueOf(now / 1000 + 50))).isEqualTo("v");
        assertThat(h.bulk("GETEX", "k", "PXAT", String.valueOf(now + 70))).isEqualTo("v");
        assertThat(h.bulk("GETEX", "k", "PERSIST")).isEqualTo("v");
        assertThat(ttlAt(h, "k")).isZero();
        assertThat(h.bulk("GETEX", "k", "PERSIST")).isEqualTo("v");    // no TTL: no effect
        assertThat(effects(h, m)).containsExactly(
                "PEXPIREAT k " + (now + 10_000), "PEXPIREAT k " + (now + 500),
                "PEXPIREAT k " + (now / 1000 + 50) * 1000, "PEXPIREAT k " + (now + 70), "PERSIST k");
        m = mark(h);
        assertThat(h.bulk("GETEX", "k", "PXAT", "1")).isEqualTo("v");
        assertThat(h.bulk("GET", "k")).isNull();
        assertThat(effects(h, m)).containsExactly("DEL k");
        assertThat(h.bulk("GETEX", "missing", "EX", "10")).isNull();
    }

    @Test
    void getexErrors() {
        h.simple("SET", "k", "v");
        assertThat(h.error("GETEX", "k", "EX", "10", "PX", "10")).isEqualTo(SYNTAX);
        assertThat(h.error("GETEX", "k", "PERSIST", "EX", "10")).isEqualTo(SYNTAX);
        assertThat(h.error("GETEX", "k", "EX", "10", "PERSIST")).isEqualTo(SYNTAX);
        assertThat(h.error("GETEX", "k", "KEEPTTL")).isEqualTo(SYNTAX);
        assertThat(h.error("GETEX", "k", "NX")).isEqualTo(SYNTAX);
        assertThat(h.error("GETEX", "k", "GET")).isEqualTo(SYNTAX);
        assertThat(h.error("GETEX", "k", "EX")).isEqualTo(SYNTAX);
        assertThat(h.error("GETEX", "k", "EX", "0")).isEqualTo("ERR invalid expire time in 'getex' command");
        assertThat(h.error("GETEX", "k", "PX", "x")).isEqualTo(NOT_INT);
        assertThat(h.error("GETEX")).isEqualTo("ERR wrong number of arguments for 'getex' command");
        putNonString(h, "l");
        assertThat(h.error("GETEX", "l", "PERSIST")).isEqualTo(WRONGTYPE);
    }

    // ---- MGET / MSET / MSETNX --------------------------------------------------------------

    @Test
    void mgetMset() {
        long m = mark(h);
        assertThat(h.simple("MSET", "a", "1", "b", "2")).isEqualTo("OK");
        putNonString(h, "l");
        RespValue r = h.call("MGET", "a", "b", "c", "l");
        assertThat(r).isEqualTo(new RespValue.Array(List.of(RespValue.Bulk.of("1"), RespValue.Bulk.of("2"),
                new RespValue.Bulk(null), new RespValue.Bulk(null))));
        assertThat(effects(h, m)).containsExactly("MSET a 1 b 2");
        assertThat(h.error("MSET", "a", "1", "b")).isEqualTo("ERR wrong number of arguments for 'mset' command");
        assertThat(h.error("MSET", "a")).isEqualTo("ERR wrong number of arguments for 'mset' command");
        assertThat(h.error("MGET")).isEqualTo("ERR wrong number of arguments for 'mget' command");
        h.simple("SET", "t", "x", "EX", "10");
        h.simple("MSET", "t", "y");
        assertThat(ttlAt(h, "t")).isZero();
        // versions of every written key are stamped
        assertThat(h.engine.keyspace().db(0).version("b".getBytes())).isPositive();
    }

    @Test
    void msetnx() {
        long m = mark(h);
        assertThat(h.integer("MSETNX", "a", "1", "b", "2")).isEqualTo(1);
        assertThat(h.integer("MSETNX", "c", "3", "a", "9")).isEqualTo(0);
        assertThat(h.bulk("GET", "c")).isNull();
        assertThat(h.bulk("GET", "a")).isEqualTo("1");
        assertThat(effects(h, m)).containsExactly("MSETNX a 1 b 2");
        assertThat(h.error("MSETNX", "a", "1", "b")).isEqualTo("ERR wrong number of arguments for 'msetnx' command");
    }

    // ---- APPEND / STRLEN / GETRANGE / SETRANGE ---------------------------------------------

    @Test
    void appendAndStrlen() {
        long m = mark(h);
        assertThat(h.integer("APPEND", "k", "ab")).isEqualTo(2);
        assertThat(h.integer("APPEND", "k", "cde")).isEqualTo(5);
        assertThat(h.bulk("GET", "k")).isEqualTo("abcde");
        assertThat(h.integer("STRLEN", "k")).isEqualTo(5);
        assertThat(h.integer("STRLEN", "nope")).isEqualTo(0);
        assertThat(effects(h, m)).containsExactly("APPEND k ab", "APPEND k cde");
        h.simple("SET", "t", "x", "EX", "100");
        h.integer("APPEND", "t", "y");
        assertThat(ttlAt(h, "t")).isEqualTo(h.now() + 100_000);
        putNonString(h, "l");
        assertThat(h.error("APPEND", "l", "x")).isEqualTo(WRONGTYPE);
        assertThat(h.error("STRLEN", "l")).isEqualTo(WRONGTYPE);
        assertThat(h.integer("APPEND", "e", "")).isEqualTo(0);
        assertThat(h.bulk("GET", "e")).isEqualTo("");
    }

    @Test
    void appendTooLong() {
        h.engine.limits().maxBulkLen(1024 * 1024);
        h.call("SETRANGE", "k", String.valueOf(1024 * 1024 - 2), "ab");
        assertThat(h.integer("STRLEN", "k")).isEqualTo(1024 * 1024);
        assertThat(h.error("APPEND", "k", "x")).isEqualTo("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    }

    @Test
    void getrange() {
        h.simple("SET", "k", "This is a string");
        assertThat(h.bulk("GETRANGE", "k", "0", "3")).isEqualTo("This");
        assertThat(h.bulk("GETRANGE", "k", "-3", "-1")).isEqualTo("ing");
        assertThat(h.bulk("GETRANGE", "k", "0", "-1")).isEqualTo("This is a string");
        assertThat(h.bulk("GETRANGE", "k", "10", "100")).isEqualTo("string");
        assertThat(h.bulk("GETRANGE", "k", "-100", "3")).isEqualTo("This");
        assertThat(h.bulk("GETRANGE", "k", "5", "3")).isEqualTo("");
        assertThat(h.bulk("GETRANGE", "k", "-1", "-5")).isEqualTo("");
        assertThat(h.bulk("GETRANGE", "k", "100", "200")).isEqualTo("");
        assertThat(h.bulk("GETRANGE", "k", "-9223372036854775808", "9223372036854775807")).isEqualTo("This is a string");
        assertThat(h.bulk("SUBSTR", "k", "0", "3")).isEqualTo("This");
        assertThat(h.raw("GETRANGE", "nope", "0", "-1")).isEqualTo("$0\r\n\r\n");
        h.simple("SET", "e", "");
        assertThat(h.bulk("GETRANGE", "e", "0", "-1")).isEqualTo("");
        assertThat(h.error("GETRANGE", "k", "a", "1")).isEqualTo(NOT_INT);
        assertThat(h.error("GETRANGE", "k", "1")).isEqualTo("ERR wrong number of arguments for 'getrange' command");
        putNonString(h, "l");
        assertThat(h.error("GETRANGE", "l", "0", "1")).isEqualTo(WRONGTYPE);
    }

    @Test
    void setrange() {
        long m = mark(h);
        assertThat(h.integer("SETRANGE", "k", "5", "ab")).isEqualTo(7);
        assertThat(h.bulk("GET", "k")).isEqualTo("\0\0\0\0\0ab");
        assertThat(h.integer("SETRANGE", "k", "0", "xyz")).isEqualTo(7);
        assertThat(h.bulk("GET", "k")).isEqualTo("xyz\0\0ab");
        assertThat(h.integer("SETRANGE", "k", "1", "")).isEqualTo(7);
        assertThat(h.integer("SETRANGE", "n", "1", "")).isEqualTo(0);
        assertThat(h.bulk("GET", "n")).isNull();
        assertThat(effects(h, m)).containsExactly("SETRANGE k 5 ab", "SETRANGE k 0 xyz");
        assertThat(h.error("SETRANGE", "k", "-1", "x")).isEqualTo("ERR offset is out of range");
        assertThat(h.error("SETRANGE", "k", "x", "x")).isEqualTo(NOT_INT);
        assertThat(h.error("SETRANGE", "k", "536870911", "ab")).isEqualTo("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        assertThat(h.error("SETRANGE", "z", "9223372036854775000", "ab"))
                .isEqualTo("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        putNonString(h, "l");
        assertThat(h.error("SETRANGE", "l", "0", "x")).isEqualTo(WRONGTYPE);
        assertThat(h.error("SETRANGE", "l", "0", "")).isEqualTo(WRONGTYPE);
        h.simple("SET", "t", "hello", "EX", "100");
        h.integer("SETRANGE", "t", "0", "J");
        assertThat(h.bulk("GET", "t")).isEqualTo("Jello");
        assertThat(ttlAt(h, "t")).isEqualTo(h.now() + 100_000);
    }

    @Test
    void mutationsNeverChangeAnEarlierStoredArray() {
        h.simple("SET", "k", "hello");
        byte[] before = StringCommandsTestSupport.value(h, "k");
        h.integer("SETRANGE", "k", "0", "J");
        h.integer("APPEND", "k", "!");
        assertThat(new String(before)).isEqualTo("hello");
        assertThat(h.bulk("GET", "k")).isEqualTo("Jello!");
    }

    // ---- INCR family -----------------------------------------------------------------------

    @Test
    void incrDecr() {
        long m = mark(h);
        assertThat(h.integer("INCR", "n")).isEqualTo(1);
        assertThat(h.integer("INCRBY", "n", "10")).isEqualTo(11);
        assertThat(h.integer("DECR", "n")).isEqualTo(10);
        assertThat(h.integer("DECRBY", "n", "20")).isEqualTo(-10);
        assertThat(h.bulk("GET", "n")).isEqualTo("-10");
        assertThat(effects(h, m)).containsExactly("INCR n", "INCRBY n 10", "DECR n", "DECRBY n 20");
        h.simple("SET", "t", "5", "EX", "100");
        assertThat(h.integer("INCR", "t")).isEqualTo(6);
        assertThat(ttlAt(h, "t")).isEqualTo(h.now() + 100_000);
    }

    @Test
    void incrErrors() {
        h.simple("SET", "max", "9223372036854775807");
        h.simple("SET", "min", "-9223372036854775808");
        long m = mark(h);
        assertThat(h.error("INCR", "max")).isEqualTo("ERR increment or decrement would overflow");
        assertThat(h.error("DECR", "min")).isEqualTo("ERR increment or decrement would overflow");
        assertThat(h.error("INCRBY", "min", "-1")).isEqualTo("ERR increment or decrement would overflow");
        assertThat(h.integer("INCRBY", "min", "9223372036854775807")).isEqualTo(-1);
        assertThat(h.error("DECRBY", "n", "-9223372036854775808")).isEqualTo("ERR decrement would overflow");
        assertThat(h.bulk("GET", "max")).isEqualTo("9223372036854775807");
        for (String bad : List.of("abc", " 1", "1 ", "01", "+1", "-0", "1.5", "", "9223372036854775808")) {
            h.simple("SET", "s", bad);
            assertThat(h.error("INCR", "s")).as(bad).isEqualTo(NOT_INT);
        }
        assertThat(h.error("INCRBY", "n", "1.5")).isEqualTo(NOT_INT);
        assertThat(h.error("INCRBY", "n", "99999999999999999999")).isEqualTo(NOT_INT);
        assertThat(effects(h, m)).containsExactly("INCRBY min 9223372036854775807", "SET s abc", "SET s  1", "SET s 1 ",
                "SET s 01", "SET s +1", "SET s -0", "SET s 1.5", "SET s ", "SET s 9223372036854775808");
        putNonString(h, "l");
        assertThat(h.error("INCR", "l")).isEqualTo(WRONGTYPE);
        assertThat(h.error("INCRBYFLOAT", "l", "1")).isEqualTo(WRONGTYPE);
        assertThat(h.error("INCR")).isEqualTo("ERR wrong number of arguments for 'incr' command");
        assertThat(h.error("INCRBY", "n")).isEqualTo("ERR wrong number of arguments for 'incrby' command");
    }

    @Test
    void incrOnExpiredKeyStartsFromZero() {
        h.simple("SET", "n", "41", "PX", "10");
        h.advance(10);
        assertThat(h.integer("INCR", "n")).isEqualTo(1);
        assertThat(ttlAt(h, "n")).isZero();
    }

    @Test
    void incrbyfloat() {
        long m = mark(h);
        h.simple("SET", "k", "10.50");
        assertThat(h.bulk("INCRBYFLOAT", "k", "0.1")).isEqualTo("10.6");
        assertThat(h.bulk("INCRBYFLOAT", "k", "-5")).isEqualTo("5.6");
        h.simple("SET", "k", "5.0e3");
        assertThat(h.bulk("INCRBYFLOAT", "k", "2.0e2")).isEqualTo("5200");
        assertThat(h.bulk("INCRBYFLOAT", "n", "3")).isEqualTo("3");
        assertThat(h.bulk("INCRBYFLOAT", "n", "-3")).isEqualTo("0");
        assertThat(h.bulk("INCRBYFLOAT", "f", "0.1")).isEqualTo("0.1");
        assertThat(h.bulk("INCRBYFLOAT", "f", "0.2")).isEqualTo("0.3");
        assertThat(h.bulk("INCRBYFLOAT", "g", "1.5e-3")).isEqualTo("0.0015");
        assertThat(h.bulk("INCRBYFLOAT", "g", ".5")).isEqualTo("0.5015");
        assertThat(h.bulk("INCRBYFLOAT", "big", "1e20")).isEqualTo("100000000000000000000");
        assertThat(h.bulk("INCRBYFLOAT", "hx", "0x10")).isEqualTo("16");
        assertThat(h.bulk("INCRBYFLOAT", "neg", "-1.25")).isEqualTo("-1.25");
        assertThat(h.bulk("INCRBYFLOAT", "tiny", "1e-20")).isEqualTo("0");
        assertThat(effects(h, m)).containsSequence("SET k 10.50", "SET k 10.6 KEEPTTL", "SET k 5.6 KEEPTTL");
        h.simple("SET", "t", "1", "EX", "100");
        h.bulk("INCRBYFLOAT", "t", "1");
        assertThat(ttlAt(h, "t")).isEqualTo(h.now() + 100_000);
    }

    @Test
    void incrbyfloatErrors() {
        h.simple("SET", "s", "abc");
        assertThat(h.error("INCRBYFLOAT", "s", "1")).isEqualTo("ERR value is not a valid float");
        assertThat(h.error("INCRBYFLOAT", "n", "abc")).isEqualTo("ERR value is not a valid float");
        assertThat(h.error("INCRBYFLOAT", "n", " 1")).isEqualTo("ERR value is not a valid float");
        assertThat(h.error("INCRBYFLOAT", "n", "1e")).isEqualTo("ERR value is not a valid float");
        assertThat(h.error("INCRBYFLOAT", "n", "nan")).isEqualTo("ERR value is not a valid float");
        assertThat(h.error("INCRBYFLOAT", "n", "1e99999")).isEqualTo("ERR value is not a valid float");
        assertThat(h.error("INCRBYFLOAT", "n", "")).isEqualTo("ERR value is not a valid float");
        assertThat(h.error("INCRBYFLOAT", "n", "inf")).isEqualTo("ERR increment would produce NaN or Infinity");
        assertThat(h.error("INCRBYFLOAT", "n", "-Infinity")).isEqualTo("ERR increment would produce NaN or Infinity");
        h.simple("SET", "huge", "1e4932");
        assertThat(h.error("INCRBYFLOAT", "huge", "1e4932")).isEqualTo("ERR increment would produce NaN or Infinity");
        assertThat(h.bulk("GET", "n")).isNull();
    }

    // ---- LCS -------------------------------------------------------------------------------

    @Test
    void lcs() {
        h.simple("MSET", "key1", "ohmytext", "key2", "mynewtext");
        assertThat(h.bulk("LCS", "key1", "key2")).isEqualTo("mytext");
        assertThat(h.integer("LCS", "key1", "key2", "LEN")).isEqualTo(6);
        assertThat(h.raw("LCS", "key1", "key2", "IDX")).isEqualTo(
                "*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n"
                        + "*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n");
        assertThat(h.raw("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN")).isEqualTo(
                "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n");
        h.protocol(3);
        assertThat(h.raw("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "5")).isEqualTo(
                "%2\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:6\r\n");
        h.protocol(2);
        assertThat(h.bulk("LCS", "key1", "nope")).isEqualTo("");
        assertThat(h.integer("LCS", "nope", "nope2", "LEN")).isEqualTo(0);
        assertThat(h.error("LCS", "key1", "key2", "LEN", "IDX"))
                .isEqualTo("ERR If you want both the length and indexes, please just use IDX.");
        assertThat(h.error("LCS", "key1", "key2", "FOO")).isEqualTo(SYNTAX);
        assertThat(h.error("LCS", "key1", "key2", "MINMATCHLEN")).isEqualTo(SYNTAX);
        assertThat(h.error("LCS", "key1", "key2", "MINMATCHLEN", "x")).isEqualTo(NOT_INT);
        assertThat(h.error("LCS", "key1")).isEqualTo("ERR wrong number of arguments for 'lcs' command");
        putNonString(h, "l");
        assertThat(h.error("LCS", "key1", "l")).isEqualTo("ERR The specified keys must contain string values");
    }

    @Test
    void lcsRangesAgreeWithSubsequence() {
        java.util.Random r = new java.util.Random(7);
        for (int round = 0; round < 50; round++) {
            String a = randomAb(r), b = randomAb(r);
            h.simple("MSET", "a", a, "b", b);
            String lcs = h.bulk("LCS", "a", "b");
            assertThat(h.integer("LCS", "a", "b", "LEN")).isEqualTo(lcs.length());
            assertThat(lcs.length()).isEqualTo(referenceLcsLength(a, b));
            // concatenating the ranges (they come last match first) rebuilds the subsequence
            RespValue.Array top = (RespValue.Array) h.call("LCS", "a", "b", "IDX");
            RespValue.Array matches = (RespValue.Array) top.elements().get(1);
            StringBuilder sb = new StringBuilder();
            for (int i = matches.elements().size() - 1; i >= 0; i--) {
                RespValue.Array m = (RespValue.Array) matches.elements().get(i);
                RespValue.Array ra = (RespValue.Array) m.elements().get(0);
                RespValue.Array rb = (RespValue.Array) m.elements().get(1);
                int s = (int) ((RespValue.Integer) ra.elements().get(0)).value();
                int e = (int) ((RespValue.Integer) ra.elements().get(1)).value();
                int sb0 = (int) ((RespValue.Integer) rb.elements().get(0)).value();
                assertThat(b.substring(sb0, sb0 + e - s + 1)).isEqualTo(a.substring(s, e + 1));
                sb.append(a, s, e + 1);
            }
            assertThat(sb.toString()).isEqualTo(lcs);
        }
    }

    private static String randomAb(java.util.Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) sb.append((char) ('a' + r.nextInt(3)));
        return sb.toString();
    }

    private static int referenceLcsLength(String a, String b) {
        int[][] t = new int[a.length() + 1][b.length() + 1];
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                t[i][j] = a.charAt(i - 1) == b.charAt(j - 1) ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
            }
        }
        return t[a.length()][b.length()];
    }

    @Test
    void readsCountHitsAndMisses() {
        h.simple("SET", "k", "v");
        h.call("MGET", "k", "x");
        h.call("STRLEN", "k");
        h.call("GETRANGE", "x", "0", "1");
        assertThat(h.engine.stats().keyspaceHits.sum()).isEqualTo(2);
        assertThat(h.engine.stats().keyspaceMisses.sum()).isEqualTo(2);
    }
}
