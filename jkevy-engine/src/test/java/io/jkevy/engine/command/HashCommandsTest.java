package io.jkevy.engine.command;

import io.jkevy.engine.EngineHarness;
import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.jkevy.engine.command.StringCommandsTestSupport.effects;
import static io.jkevy.engine.command.StringCommandsTestSupport.mark;
import static org.assertj.core.api.Assertions.assertThat;

class HashCommandsTest {
    private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    private final EngineHarness h = new EngineHarness();

    /** Bulk strings of an array reply (null for null bulks). */
    private static List<String> strings(RespValue v) {
        List<RespValue> els = v instanceof RespValue.Array a ? a.elements() : ((RespValue.Map) v).flattenedPairs();
        List<String> out = new ArrayList<>();
        for (RespValue e : els) out.add(e instanceof RespValue.Bulk b ? b.asString() : null);
        return out;
    }

    private static Map<String, String> pairs(List<String> flat) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < flat.size(); i += 2) m.put(flat.get(i), flat.get(i + 1));
        return m;
    }

    @Test
    void hsetCountsNewFieldsAndHgetReads() {
        assertThat(h.integer("HSET", "k", "a", "1", "b", "2")).isEqualTo(2);
        assertThat(h.integer("HSET", "k", "a", "10", "c", "3", "c", "4")).isEqualTo(1);
        assertThat(h.bulk("HGET", "k", "a")).isEqualTo("10");
        assertThat(h.bulk("HGET", "k", "c")).isEqualTo("4");
        assertThat(h.bulk("HGET", "k", "zz")).isNull();
        assertThat(h.bulk("HGET", "nokey", "a")).isNull();
        assertThat(h.simple("TYPE", "k")).isEqualTo("hash");
        assertThat(h.bulk("OBJECT", "ENCODING", "k")).isEqualTo("listpack");
        assertThat(h.error("HSET", "k", "a")).isEqualTo("ERR wrong number of arguments for 'hset' command");
        assertThat(h.error("HSET", "k", "a", "1", "b")).isEqualTo("ERR wrong number of arguments for 'hset' command");
        assertThat(h.error("HMSET", "k", "a", "1", "b")).isEqualTo("ERR wrong number of arguments for 'hmset' command");
        assertThat(h.simple("HMSET", "k", "d", "5", "e", "6")).isEqualTo("OK");
        assertThat(h.integer("HLEN", "k")).isEqualTo(5);
    }

    @Test
    void wrongTypeEverywhere() {
        h.simple("SET", "s", "x");
        for (String[] cmd : new String[][] {
                {"HSET", "s", "a", "1"}, {"HMSET", "s", "a", "1"}, {"HSETNX", "s", "a", "1"}, {"HGET", "s", "a"},
                {"HMGET", "s", "a"}, {"HDEL", "s", "a"}, {"HEXISTS", "s", "a"}, {"HLEN", "s"}, {"HSTRLEN", "s", "a"},
                {"HKEYS", "s"}, {"HVALS", "s"}, {"HGETALL", "s"}, {"HINCRBY", "s", "a", "1"},
                {"HINCRBYFLOAT", "s", "a", "1"}, {"HRANDFIELD", "s"}, {"HRANDFIELD", "s", "-3"},
                {"HSCAN", "s", "0"}}) {
            assertThat(h.error(cmd)).as(String.join(" ", cmd)).isEqualTo(WRONGTYPE);
        }
        h.integer("HSET", "hh", "a", "1");
        assertThat(h.error("GET", "hh")).isEqualTo(WRONGTYPE);
        assertThat(h.bulk("GET", "s")).isEqualTo("x");
    }

    @Test
    void arities() {
        for (String[] cmd : new String[][] {
                {"HGET", "k"}, {"HMGET", "k"}, {"HDEL", "k"}, {"HEXISTS", "k"}, {"HLEN"}, {"HSTRLEN", "k"},
                {"HKEYS"}, {"HVALS", "k", "x"}, {"HGETALL"}, {"HINCRBY", "k", "f"}, {"HINCRBYFLOAT", "k"},
                {"HRANDFIELD"}, {"HSCAN", "k"}, {"HSETNX", "k", "f"}}) {
            assertThat(h.error(cmd)).isEqualTo("ERR wrong number of arguments for '" + cmd[0].toLowerCase() + "' command");
        }
    }

    @Test
    void hsetnxOnlyAddsAbsentFields() {
        long m = mark(h);
        assertThat(h.integer("HSETNX", "k", "f", "1")).isEqualTo(1);
        assertThat(h.integer("HSETNX", "k", "f", "2")).isEqualTo(0);
        assertThat(h.bulk("HGET", "k", "f")).isEqualTo("1");
        assertThat(effects(h, m)).containsExactly("HSETNX k f 1");
    }

    @Test
    void hmgetHexistsHstrlenHlen() {
        h.integer("HSET", "k", "a", "hello", "b", "");
        assertThat(strings(h.call("HMGET", "k", "a", "x", "b"))).containsExactly("hello", null, "");
        assertThat(strings(h.call("HMGET", "none", "a", "b"))).containsExactly(null, null);
        assertThat(h.integer("HEXISTS", "k", "a")).isEqualTo(1);
        assertThat(h.integer("HEXISTS", "k", "x")).isEqualTo(0);
        assertThat(h.integer("HEXISTS", "none", "a")).isEqualTo(0);
        assertThat(h.integer("HSTRLEN", "k", "a")).isEqualTo(5);
        assertThat(h.integer("HSTRLEN", "k", "b")).isEqualTo(0);
        assertThat(h.integer("HSTRLEN", "k", "x")).isEqualTo(0);
        assertThat(h.integer("HSTRLEN", "none", "x")).isEqualTo(0);
        assertThat(h.integer("HLEN", "none")).isEqualTo(0);
    }

    @Test
    void hdelDeletesFieldsThenTheKey() {
        h.integer("HSET", "k", "a", "1", "b", "2", "c", "3");
        long m = mark(h);
        assertThat(h.integer("HDEL", "k", "a", "a", "zz")).isEqualTo(1);
        assertThat(h.integer("HDEL", "k", "zz")).isEqualTo(0);
        assertThat(h.integer("HDEL", "nokey", "zz")).isEqualTo(0);
        assertThat(h.integer("HDEL", "k", "b", "c", "d")).isEqualTo(2);
        assertThat(h.integer("EXISTS", "k")).isEqualTo(0);
        assertThat(effects(h, m)).containsExactly("HDEL k a a zz", "HDEL k b c d");
    }

    @Test
    void hkeysHvalsHgetallInBothProtocols() {
        assertThat(h.raw("HGETALL", "none")).isEqualTo("*0\r\n");
        assertThat(h.raw("HKEYS", "none")).isEqualTo("*0\r\n");
        h.integer("HSET", "k", "a", "1", "b", "2");
        assertThat(h.raw("HGETALL", "k")).isEqualTo("*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n");
        assertThat(h.raw("HKEYS", "k")).isEqualTo("*2\r\n$1\r\na\r\n$1\r\nb\r\n");
        assertThat(h.raw("HVALS", "k")).isEqualTo("*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
        h.protocol(3);
        assertThat(h.raw("HGETALL", "k")).isEqualTo("%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n");
        assertThat(h.raw("HGETALL", "none")).isEqualTo("%0\r\n");
        assertThat(h.raw("HKEYS", "none")).isEqualTo("*0\r\n");
    }

    @Test
    void conversionToHashtableByCountAndLength() {
        h.simple("CONFIG", "SET", "hash-max-listpack-entries", "4");
        h.simple("CONFIG", "SET", "hash-max-listpack-value", "8");
        for (int i = 0; i < 4; i++) h.integer("HSET", "k", "f" + i, "v");
        assertThat(h.bulk("OBJECT", "ENCODING", "k")).isEqualTo("listpack");
        h.integer("HSET", "k", "f4", "v");
        assertThat(h.bulk("OBJECT", "ENCODING", "k")).isEqualTo("hashtable");
        h.integer("HSET", "l", "a", "123456789");
        assertThat(h.bulk("OBJECT", "ENCODING", "l")).isEqualTo("hashtable");
        h.integer("HSET", "m", "123456789", "a");
        assertThat(h.bulk("OBJECT", "ENCODING", "m")).isEqualTo("hashtable");
        h.integer("HSET", "n", "a", "12345678");
        assertThat(h.bulk("OBJECT", "ENCODING", "n")).isEqualTo("listpack");
        // big hash keeps working
        for (int i = 0; i < 1000; i++) h.integer("HSET", "big", "f" + i, "v" + i);
        assertThat(h.integer("HLEN", "big")).isEqualTo(1000);
        assertThat(h.bulk("HGET", "big", "f777")).isEqualTo("v777");
        assertThat(pairs(strings(h.call("HGETALL", "big")))).hasSize(1000).containsEntry("f5", "v5");
    }

    @Test
    void hincrby() {
        long m = mark(h);
        assertThat(h.integer("HINCRBY", "k", "f", "5")).isEqualTo(5);
        assertThat(h.integer("HINCRBY", "k", "f", "-7")).isEqualTo(-2);
        assertThat(h.bulk("HGET", "k", "f")).isEqualTo("-2");
        assertThat(h.error("HINCRBY", "k", "f", "1.5")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(h.error("HINCRBY", "none", "f", "x")).isEqualTo("ERR value is not an integer or out of range");
        h.integer("HSET", "k", "s", "abc", "z", "01", "max", "9223372036854775807", "min", "-9223372036854775808");
        assertThat(h.error("HINCRBY", "k", "s", "1")).isEqualTo("ERR hash value is not an integer");
        assertThat(h.error("HINCRBY", "k", "z", "1")).isEqualTo("ERR hash value is not an integer");
        assertThat(h.error("HINCRBY", "k", "max", "1")).isEqualTo("ERR increment or decrement would overflow");
        assertThat(h.error("HINCRBY", "k", "min", "-1")).isEqualTo("ERR increment or decrement would overflow");
        assertThat(h.integer("HINCRBY", "k", "min", "9223372036854775807")).isEqualTo(-1);
        assertThat(h.integer("EXISTS", "none")).isEqualTo(0);
        assertThat(effects(h, m)).containsExactly("HINCRBY k f 5", "HINCRBY k f -7",
                "HSET k s abc z 01 max 9223372036854775807 min -9223372036854775808", "HINCRBY k min 9223372036854775807");
    }

    @Test
    void hincrbyfloat() {
        long m = mark(h);
        assertThat(h.bulk("HINCRBYFLOAT", "k", "f", "10.5")).isEqualTo("10.5");
        assertThat(h.bulk("HINCRBYFLOAT", "k", "f", "0.1")).isEqualTo("10.6");
        assertThat(h.bulk("HINCRBYFLOAT", "k", "f", "-10.6")).isEqualTo("0");
        assertThat(h.bulk("HINCRBYFLOAT", "k", "g", "5.0e3")).isEqualTo("5000");
        assertThat(h.error("HINCRBYFLOAT", "k", "f", "abc")).isEqualTo("ERR value is not a valid float");
        assertThat(h.error("HINCRBYFLOAT", "k", "f", "inf")).isEqualTo("ERR value is NaN or Infinity");
        h.integer("HSET", "k", "s", "xyz", "i", "inf");
        assertThat(h.error("HINCRBYFLOAT", "k", "s", "1")).isEqualTo("ERR hash value is not a float");
        assertThat(h.error("HINCRBYFLOAT", "k", "i", "1")).isEqualTo("ERR increment would produce NaN or Infinity");
        assertThat(h.error("HINCRBYFLOAT", "none", "f", "x")).isEqualTo("ERR value is not a valid float");
        assertThat(effects(h, m)).containsExactly("HSET k f 10.5", "HSET k f 10.6", "HSET k f 0", "HSET k g 5000",
                "HSET k s xyz i inf");
    }

    @Test
    void expiredKeyIsAbsent() {
        h.integer("HSET", "k", "a", "1");
        h.integer("PEXPIRE", "k", "100");
        h.advance(200);
        assertThat(h.bulk("HGET", "k", "a")).isNull();
        assertThat(h.integer("HLEN", "k")).isEqualTo(0);
        assertThat(h.integer("HSET", "k", "b", "2")).isEqualTo(1);
        assertThat(h.integer("TTL", "k")).isEqualTo(-1);
        assertThat(h.integer("HLEN", "k")).isEqualTo(1);
    }

    @Test
    void hsetKeepsTtlOfExistingHash() {
        h.integer("HSET", "k", "a", "1");
        h.integer("EXPIRE", "k", "100");
        h.integer("HSET", "k", "b", "1");
        h.integer("HDEL", "k", "b");
        h.bulk("HINCRBYFLOAT", "k", "a", "1");
        assertThat(h.integer("TTL", "k")).isEqualTo(100);
    }

    @Test
    void hrandfieldShapes() {
        assertThat(h.raw("HRANDFIELD", "none")).isEqualTo("$-1\r\n");
        assertThat(h.raw("HRANDFIELD", "none", "5")).isEqualTo("*0\r\n");
        assertThat(h.raw("HRANDFIELD", "none", "-5", "WITHVALUES")).isEqualTo("*0\r\n");
        h.integer("HSET", "k", "a", "1", "b", "2", "c", "3");
        assertThat(h.bulk("HRANDFIELD", "k")).isIn("a", "b", "c");
        assertThat(h.raw("HRANDFIELD", "k", "0")).isEqualTo("*0\r\n");
        assertThat(strings(h.call("HRANDFIELD", "k", "10"))).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(pairs(strings(h.call("HRANDFIELD", "k", "3", "withvalues")))).isEqualTo(Map.of("a", "1", "b", "2", "c", "3"));
        List<String> two = strings(h.call("HRANDFIELD", "k", "2"));
        assertThat(two).hasSize(2).doesNotHaveDuplicates();
        List<String> rep = strings(h.call("HRANDFIELD", "k", "-20"));
        assertThat(rep).hasSize(20).allMatch(f -> Set.of("a", "b", "c").contains(f));
        List<String> rv = strings(h.call("HRANDFIELD", "k", "-4", "WITHVALUES"));
        assertThat(rv).hasSize(8);
        for (int i = 0; i < 8; i += 2) assertThat(Map.of("a", "1", "b", "2", "c", "3").get(rv.get(i))).isEqualTo(rv.get(i + 1));
        h.protocol(3);
        RespValue r3 = h.call("HRANDFIELD", "k", "-2", "WITHVALUES");
        List<RespValue> els = ((RespValue.Array) r3).elements();
        assertThat(els).hasSize(2);
        for (RespValue e : els) assertThat(strings(e)).hasSize(2);
        assertThat(((RespValue.Array) h.call("HRANDFIELD", "k", "5", "WITHVALUES")).elements()).hasSize(3)
                .allMatch(e -> e instanceof RespValue.Array a && a.elements().size() == 2);
        assertThat(h.raw("HRANDFIELD", "k", "-2")).startsWith("*2\r\n$1\r\n");
    }

    @Test
    void hrandfieldErrorsAndDistinctness() {
        h.integer("HSET", "k", "a", "1");
        assertThat(h.error("HRANDFIELD", "k", "x")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(h.error("HRANDFIELD", "k", "1", "foo")).isEqualTo("ERR syntax error");
        assertThat(h.error("HRANDFIELD", "k", "1", "withvalues", "x")).isEqualTo("ERR syntax error");
        assertThat(h.error("HRANDFIELD", "k", "-9223372036854775808"))
                .isEqualTo("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        assertThat(h.error("HRANDFIELD", "k", "4611686018427387904", "WITHVALUES")).isEqualTo("ERR value is out of range");
        assertThat(h.error("HRANDFIELD", "k", "-4611686018427387904", "WITHVALUES")).isEqualTo("ERR value is out of range");
        for (int i = 0; i < 500; i++) h.integer("HSET", "big", "f" + i, "v" + i);
        for (String n : new String[] {"5", "200", "499"}) {
            List<String> got = strings(h.call("HRANDFIELD", "big", n));
            assertThat(got).hasSize(Integer.parseInt(n)).doesNotHaveDuplicates();
        }
        Set<String> seen = new HashSet<>(strings(h.call("HRANDFIELD", "big", "-20000")));
        assertThat(seen).hasSize(500);
        Map<String, String> wv = pairs(strings(h.call("HRANDFIELD", "big", "50", "WITHVALUES")));
        assertThat(wv).hasSize(50);
        wv.forEach((f, v) -> assertThat(v).isEqualTo("v" + f.substring(1)));
        // read-only: nothing journaled
        long m = mark(h);
        h.call("HRANDFIELD", "big", "-3");
        assertThat(effects(h, m)).isEmpty();
    }

    @Test
    void hscanPackedAndTable() {
        assertThat(h.raw("HSCAN", "none", "0")).isEqualTo("*2\r\n$1\r\n0\r\n*0\r\n");
        assertThat(h.raw("HSCAN", "none", "0", "COUNT", "0")).isEqualTo("*2\r\n$1\r\n0\r\n*0\r\n");
        assertThat(h.error("HSCAN", "none", "x")).isEqualTo("ERR invalid cursor");
        h.integer("HSET", "k", "a1", "1", "b1", "2", "a2", "3");
        assertThat(h.raw("HSCAN", "k", "77")).isEqualTo(
                "*2\r\n$1\r\n0\r\n*6\r\n$2\r\na1\r\n$1\r\n1\r\n$2\r\nb1\r\n$1\r\n2\r\n$2\r\na2\r\n$1\r\n3\r\n");
        List<RespValue> r = ((RespValue.Array) h.call("HSCAN", "k", "0", "MATCH", "a*", "COUNT", "1")).elements();
        assertThat(pairs(strings(r.get(1)))).isEqualTo(Map.of("a1", "1", "a2", "3"));
        assertThat(h.error("HSCAN", "k", "0", "COUNT", "0")).isEqualTo("ERR syntax error");
        assertThat(h.error("HSCAN", "k", "0", "COUNT", "x")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(h.error("HSCAN", "k", "0", "MATCH")).isEqualTo("ERR syntax error");
        assertThat(h.error("HSCAN", "k", "0", "TYPE", "hash")).isEqualTo("ERR syntax error");
        for (int i = 0; i < 1000; i++) h.integer("HSET", "big", "f" + i, "v" + i);
        Map<String, String> all = new HashMap<>();
        String cursor = "0";
        int calls = 0, matched = 0;
        do {
            List<RespValue> step = ((RespValue.Array) h.call("HSCAN", "big", cursor, "COUNT", "20")).elements();
            cursor = ((RespValue.Bulk) step.get(0)).asString();
            all.putAll(pairs(strings(step.get(1))));
            calls++;
        } while (!cursor.equals("0"));
        assertThat(all).hasSize(1000).containsEntry("f999", "v999");
        assertThat(calls).isGreaterThan(10);
        cursor = "0";
        do {
            List<RespValue> step = ((RespValue.Array) h.call("HSCAN", "big", cursor, "MATCH", "f1??")).elements();
            cursor = ((RespValue.Bulk) step.get(0)).asString();
            for (String f : pairs(strings(step.get(1))).keySet()) {
                assertThat(f).matches("f1..");
                matched++;
            }
        } while (!cursor.equals("0"));
        assertThat(matched).isEqualTo(100);
    }

    @Test
    void copyDigestAndDel() {
        h.integer("HSET", "k", "a", "1", "b", "2");
        h.integer("HSET", "k2", "b", "2", "a", "1");
        assertThat(h.call("DEBUG", "DIGEST-VALUE", "k")).isInstanceOf(RespValue.Array.class)
                .isEqualTo(h.call("DEBUG", "DIGEST-VALUE", "k2"));
        h.simple("CONFIG", "SET", "hash-max-listpack-entries", "1");
        h.integer("HSET", "k3", "b", "2", "a", "1");
        assertThat(h.bulk("OBJECT", "ENCODING", "k3")).isEqualTo("hashtable");
        assertThat(h.call("DEBUG", "DIGEST-VALUE", "k3")).isEqualTo(h.call("DEBUG", "DIGEST-VALUE", "k"));
        h.integer("HSET", "k2", "a", "9");
        assertThat(h.call("DEBUG", "DIGEST-VALUE", "k")).isNotEqualTo(h.call("DEBUG", "DIGEST-VALUE", "k2"));
        assertThat(h.integer("COPY", "k", "c")).isEqualTo(1);
        h.integer("HSET", "k", "a", "changed");
        assertThat(h.bulk("HGET", "c", "a")).isEqualTo("1");
        assertThat(h.integer("DEL", "c")).isEqualTo(1);
    }

    @Test
    void keyspaceHitsAndMisses() {
        h.integer("HSET", "k", "a", "1");
        String before = h.bulk("INFO", "stats");
        h.bulk("HGET", "k", "a");
        h.bulk("HGET", "none", "a");
        String after = h.bulk("INFO", "stats");
        assertThat(stat(after, "keyspace_hits") - stat(before, "keyspace_hits")).isEqualTo(1);
        assertThat(stat(after, "keyspace_misses") - stat(before, "keyspace_misses")).isEqualTo(1);
    }

    private static long stat(String info, String name) {
        for (String line : info.split("\r\n")) if (line.startsWith(name + ":")) return Long.parseLong(line.substring(name.length() + 1));
        throw new AssertionError(name + " missing");
    }

    private static byte[] ascii(String s) { return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1); }

    @Test
    void dumpOfSmallHashIsRedisListpackPayload() {
        h.integer("HSET", "k", "a", "1");
        byte[] p = ((RespValue.Bulk) h.call("DUMP", "k")).value();
        // type 16, string of 12 bytes: total 12, count 2, "a" (0x81 'a', backlen 2), int 1 (0x01, backlen 1), end
        byte[] body = {0x10, 0x0c, 0x0c, 0, 0, 0, 0x02, 0, (byte) 0x81, 'a', 0x02, 0x01, 0x01, (byte) 0xff, 0x0a, 0x00};
        assertThat(java.util.Arrays.copyOf(p, body.length)).isEqualTo(body);
        assertThat(p).hasSize(body.length + 8);
    }

    @Test
    void dumpRestoreRoundTripsBothEncodings() {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 100; i++) big.append('x');
        h.integer("HSET", "small", "a", "1", "n", "-70000", "m", "9223372036854775807", "e", "", "t", "text", "i", "300");
        h.integer("HSET", "long", "f", big.toString(), "g", "1");
        for (int i = 0; i < 300; i++) h.integer("HSET", "wide", "f" + i, "v" + i);
        for (String k : new String[] {"small", "long", "wide"}) {
            byte[] p = ((RespValue.Bulk) h.call("DUMP", k)).value();
            assertThat(h.call(ascii("RESTORE"), ascii(k + "2"), ascii("0"), p)).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(pairs(strings(h.call("HGETALL", k + "2")))).isEqualTo(pairs(strings(h.call("HGETALL", k))));
            assertThat(h.bulk("OBJECT", "ENCODING", k + "2")).isEqualTo(h.bulk("OBJECT", "ENCODING", k));
            assertThat(h.call("DEBUG", "DIGEST-VALUE", k + "2")).isEqualTo(h.call("DEBUG", "DIGEST-VALUE", k));
        }
        assertThat(h.bulk("OBJECT", "ENCODING", "small")).isEqualTo("listpack");
        assertThat(h.bulk("OBJECT", "ENCODING", "long")).isEqualTo("hashtable");
        assertThat(h.bulk("HGET", "small2", "n")).isEqualTo("-70000");
    }
}
