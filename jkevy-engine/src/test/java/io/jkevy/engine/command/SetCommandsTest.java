package io.jkevy.engine.command;

import io.jkevy.engine.EngineHarness;
import io.jkevy.journal.Frames;
import io.jkevy.journal.Journal;
import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SetCommandsTest {
    private final EngineHarness h = new EngineHarness();

    private long mark() { return h.engine.journal().nextOffset(); }

    private List<String> effects(long from) {
        Journal.Read r = h.engine.journal().read(from, 10_000);
        List<String> out = new ArrayList<>();
        for (byte[] f : ((Journal.Read.Frames) r).frames()) {
            StringBuilder sb = new StringBuilder();
            for (byte[] a : Frames.decodeArgv(f)) {
                if (sb.length() > 0) sb.append(' ');
                sb.append(new String(a, StandardCharsets.ISO_8859_1));
            }
            if (!sb.toString().startsWith("SELECT ")) out.add(sb.toString());
        }
        return out;
    }

    /** The members in a Set/Array reply, as strings. */
    private List<String> members(String... args) {
        RespValue v = h.call(args);
        List<RespValue> els = v instanceof RespValue.Set s ? s.elements() : ((RespValue.Array) v).elements();
        List<String> out = new ArrayList<>();
        for (RespValue e : els) out.add(new String(((RespValue.Bulk) e).value(), StandardCharsets.UTF_8));
        return out;
    }

    private String enc(String key) { return h.bulk("OBJECT", "ENCODING", key); }

    @Test
    void saddSremScardSismember() {
        assertThat(h.integer("SADD", "s", "a", "b", "a")).isEqualTo(2);
        assertThat(h.integer("SADD", "s", "b")).isZero();
        assertThat(h.integer("SCARD", "s")).isEqualTo(2);
        assertThat(h.integer("SCARD", "nokey")).isZero();
        assertThat(h.integer("SISMEMBER", "s", "a")).isEqualTo(1);
        assertThat(h.integer("SISMEMBER", "s", "z")).isZero();
        assertThat(h.integer("SISMEMBER", "nokey", "a")).isZero();
        assertThat(h.simple("TYPE", "s")).isEqualTo("set");
        assertThat(h.integer("SREM", "s", "a", "z")).isEqualTo(1);
        assertThat(h.integer("SREM", "nokey", "a")).isZero();
        assertThat(h.integer("SREM", "s", "b")).isEqualTo(1);
        assertThat(h.integer("EXISTS", "s")).isZero();
    }

    @Test
    void wrongTypeAndArity() {
        h.simple("SET", "str", "v");
        for (String[] cmd : new String[][] {
                {"SADD", "str", "a"}, {"SREM", "str", "a"}, {"SMEMBERS", "str"}, {"SISMEMBER", "str", "a"},
                {"SMISMEMBER", "str", "a"}, {"SCARD", "str"}, {"SPOP", "str"}, {"SPOP", "str", "0"},
                {"SRANDMEMBER", "str"}, {"SRANDMEMBER", "str", "0"}, {"SINTER", "nokey", "str"},
                {"SUNION", "str"}, {"SDIFF", "nokey", "str"}, {"SINTERCARD", "2", "nokey", "str"},
                {"SINTERSTORE", "d", "nokey", "str"}, {"SSCAN", "str", "0"}, {"SMOVE", "str", "x", "a"}}) {
            assertThat(h.error(cmd)).as(String.join(" ", cmd)).isEqualTo(Errors.WRONGTYPE);
        }
        h.call("SADD", "s", "a");
        assertThat(h.error("SMOVE", "s", "str", "a")).isEqualTo(Errors.WRONGTYPE);
        assertThat(h.integer("SISMEMBER", "s", "a")).isEqualTo(1);
        assertThat(h.error("SADD", "s")).isEqualTo("ERR wrong number of arguments for 'sadd' command");
        assertThat(h.error("SINTERCARD", "1")).isEqualTo("ERR wrong number of arguments for 'sintercard' command");
        assertThat(h.error("SMOVE", "a", "b")).isEqualTo("ERR wrong number of arguments for 'smove' command");
    }

    @Test
    void encodingsFollowTheThresholds() {
        h.call("SADD", "ints", "1", "2", "3");
        assertThat(enc("ints")).isEqualTo("intset");
        h.call("SADD", "ints", "abc");
        assertThat(enc("ints")).isEqualTo("listpack");
        h.call("SADD", "strs", "a");
        assertThat(enc("strs")).isEqualTo("listpack");
        h.call("SADD", "strs", "x".repeat(65));
        assertThat(enc("strs")).isEqualTo("hashtable");
        h.simple("CONFIG", "SET", "set-max-intset-entries", "2");
        h.call("SADD", "i2", "1", "2");
        assertThat(enc("i2")).isEqualTo("intset");
        h.call("SADD", "i2", "3");
        assertThat(enc("i2")).isEqualTo("hashtable");
        h.call("SREM", "i2", "3", "2");
        assertThat(enc("i2")).isEqualTo("hashtable");   // never converted back
        h.simple("CONFIG", "SET", "set-max-listpack-entries", "2");
        h.call("SADD", "l2", "a", "b");
        assertThat(enc("l2")).isEqualTo("listpack");
        h.call("SADD", "l2", "c");
        assertThat(enc("l2")).isEqualTo("hashtable");
    }

    @Test
    void smembersAndSmismemberAndResp3() {
        assertThat(members("SMEMBERS", "nokey")).isEmpty();
        h.call("SADD", "s", "3", "1", "2");
        assertThat(members("SMEMBERS", "s")).containsExactly("1", "2", "3");
        assertThat(h.raw("SMISMEMBER", "s", "1", "9", "3")).isEqualTo("*3\r\n:1\r\n:0\r\n:1\r\n");
        assertThat(h.raw("SMISMEMBER", "nokey", "1")).isEqualTo("*1\r\n:0\r\n");
        assertThat(h.raw("SMEMBERS", "s")).isEqualTo("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
        h.protocol(3);
        assertThat(h.raw("SMEMBERS", "s")).startsWith("~3\r\n");
        assertThat(h.raw("SMEMBERS", "nokey")).isEqualTo("~0\r\n");
        assertThat(h.raw("SPOP", "nokey")).isEqualTo("_\r\n");
        assertThat(h.raw("SPOP", "nokey", "3")).isEqualTo("~0\r\n");
        assertThat(h.raw("SRANDMEMBER", "nokey", "3")).isEqualTo("*0\r\n");
        assertThat(h.raw("SINTER", "s", "nokey")).isEqualTo("~0\r\n");
    }

    @Test
    void saddAndSremEffectsAreAsIsAndOnlyWhenChanged() {
        long m = mark();
        h.call("SADD", "s", "a", "b");
        h.call("SADD", "s", "a");
        h.call("SREM", "s", "zz");
        h.call("SREM", "nokey", "a");
        h.call("SREM", "s", "a", "b");
        assertThat(effects(m)).containsExactly("SADD s a b", "SREM s a b");
    }

    @Test
    void smove() {
        h.call("SADD", "src", "a", "b");
        long m = mark();
        assertThat(h.integer("SMOVE", "src", "dst", "a")).isEqualTo(1);
        assertThat(h.integer("SMOVE", "src", "dst", "zz")).isZero();
        assertThat(h.integer("SMOVE", "nokey", "dst", "a")).isZero();
        assertThat(h.integer("SMOVE", "src", "src", "b")).isEqualTo(1);
        assertThat(h.integer("SMOVE", "src", "src", "zz")).isZero();
        assertThat(h.integer("SMOVE", "src", "dst", "b")).isEqualTo(1);
        assertThat(h.integer("EXISTS", "src")).isZero();
        assertThat(members("SMEMBERS", "dst")).containsExactlyInAnyOrder("a", "b");
        assertThat(effects(m)).containsExactly("SMOVE src dst a", "SMOVE src dst b");
        h.call("SADD", "other", "a");
        assertThat(h.integer("SMOVE", "other", "dst", "a")).isEqualTo(1);   // already in dst
        assertThat(h.integer("EXISTS", "other")).isZero();
        h.call("SADD", "n", "5");
        h.call("SMOVE", "n", "newint", "5");
        assertThat(enc("newint")).isEqualTo("intset");
    }

    @Test
    void spopSingleAndCount() {
        h.call("SADD", "s", "a", "b", "c", "d", "e");
        assertThat(h.bulk("SPOP", "nokey")).isNull();
        long m = mark();
        String one = h.bulk("SPOP", "s");
        assertThat(one).isIn("a", "b", "c", "d", "e");
        assertThat(h.integer("SISMEMBER", "s", one)).isZero();
        List<String> two = members("SPOP", "s", "2");
        assertThat(two).hasSize(2).doesNotContain(one);
        assertThat(h.integer("SCARD", "s")).isEqualTo(2);
        List<String> rest = members("SPOP", "s", "10");
        assertThat(rest).hasSize(2);
        assertThat(h.integer("EXISTS", "s")).isZero();
        assertThat(effects(m)).containsExactly("SREM s " + one, "SREM s " + String.join(" ", two), "DEL s");
        assertThat(members("SPOP", "s", "0")).isEmpty();
        assertThat(h.error("SPOP", "s", "-1")).isEqualTo("ERR value is out of range, must be positive");
        assertThat(h.error("SPOP", "s", "x")).isEqualTo(Errors.NOT_INTEGER);
        assertThat(h.error("SPOP", "s", "1", "2")).isEqualTo(Errors.SYNTAX);
        h.call("SADD", "s1", "only");
        long m2 = mark();
        assertThat(h.bulk("SPOP", "s1")).isEqualTo("only");
        assertThat(h.integer("EXISTS", "s1")).isZero();
        assertThat(effects(m2)).containsExactly("SREM s1 only");
        long m3 = mark();
        h.call("SPOP", "s1", "0");
        h.call("SPOP", "nokey");
        assertThat(effects(m3)).isEmpty();
    }

    @Test
    void spopCountOnBigSetsBatchesSremEffects() {
        String[] add = new String[2 + 3000];
        add[0] = "SADD";
        add[1] = "big";
        for (int i = 0; i < 3000; i++) add[2 + i] = "m" + i;
        h.call(add);
        long m = mark();
        List<String> popped = members("SPOP", "big", "2500");
        assertThat(popped).hasSize(2500).doesNotHaveDuplicates();
        assertThat(h.integer("SCARD", "big")).isEqualTo(500);
        List<String> eff = effects(m);
        // several effects of one command are journaled as one atomic MULTI/EXEC block
        assertThat(eff.get(0)).isEqualTo("MULTI");
        assertThat(eff.get(eff.size() - 1)).isEqualTo("EXEC");
        eff = eff.subList(1, eff.size() - 1);
        assertThat(eff).hasSize(3);
        assertThat(eff.get(0).split(" ")).hasSize(1026);
        int total = 0;
        for (String e : eff) total += e.split(" ").length - 2;
        assertThat(total).isEqualTo(2500);
        for (String p : popped) assertThat(h.integer("SISMEMBER", "big", p)).isZero();
    }

    @Test
    void srandmember() {
        assertThat(h.bulk("SRANDMEMBER", "nokey")).isNull();
        assertThat(members("SRANDMEMBER", "nokey", "5")).isEmpty();
        h.call("SADD", "s", "a", "b", "c");
        long m = mark();
        assertThat(h.bulk("SRANDMEMBER", "s")).isIn("a", "b", "c");
        assertThat(members("SRANDMEMBER", "s", "0")).isEmpty();
        assertThat(members("SRANDMEMBER", "s", "2")).hasSize(2).doesNotHaveDuplicates();
        assertThat(members("SRANDMEMBER", "s", "10")).containsExactlyInAnyOrder("a", "b", "c");
        List<String> rep = members("SRANDMEMBER", "s", "-20");
        assertThat(rep).hasSize(20).isSubsetOf("a", "b", "c");
        assertThat(h.integer("SCARD", "s")).isEqualTo(3);
        assertThat(effects(m)).isEmpty();
        assertThat(h.error("SRANDMEMBER", "s", "-9223372036854775808"))
                .isEqualTo("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        assertThat(h.error("SRANDMEMBER", "s", "1", "2")).isEqualTo(Errors.SYNTAX);
        assertThat(h.error("SRANDMEMBER", "s", "1.5")).isEqualTo(Errors.NOT_INTEGER);
    }

    @Test
    void srandmemberDistinctOnBigHashtables() {
        String[] add = new String[2 + 1000];
        add[0] = "SADD";
        add[1] = "big";
        for (int i = 0; i < 1000; i++) add[2 + i] = "m" + i;
        h.call(add);
        assertThat(members("SRANDMEMBER", "big", "10")).hasSize(10).doesNotHaveDuplicates();
        assertThat(members("SRANDMEMBER", "big", "900")).hasSize(900).doesNotHaveDuplicates();
    }

    @Test
    void interUnionDiff() {
        h.call("SADD", "a", "1", "2", "3", "x");
        h.call("SADD", "b", "2", "3", "4", "x");
        h.call("SADD", "c", "3", "x", "9");
        assertThat(members("SINTER", "a", "b", "c")).containsExactlyInAnyOrder("3", "x");
        assertThat(members("SINTER", "a", "nokey")).isEmpty();
        assertThat(members("SINTER", "a", "a")).containsExactlyInAnyOrder("1", "2", "3", "x");
        assertThat(members("SUNION", "a", "nokey", "c")).containsExactlyInAnyOrder("1", "2", "3", "x", "9");
        assertThat(members("SUNION", "nokey")).isEmpty();
        assertThat(members("SDIFF", "a", "b")).containsExactlyInAnyOrder("1");
        assertThat(members("SDIFF", "a", "nokey")).containsExactlyInAnyOrder("1", "2", "3", "x");
        assertThat(members("SDIFF", "nokey", "a")).isEmpty();
        assertThat(members("SDIFF", "a", "b", "a")).isEmpty();
        assertThat(h.integer("SINTERCARD", "2", "a", "b")).isEqualTo(3);
        assertThat(h.integer("SINTERCARD", "2", "a", "b", "LIMIT", "2")).isEqualTo(2);
        assertThat(h.integer("SINTERCARD", "2", "a", "b", "limit", "0")).isEqualTo(3);
        assertThat(h.integer("SINTERCARD", "2", "a", "nokey")).isZero();
    }

    @Test
    void sintercardErrors() {
        assertThat(h.error("SINTERCARD", "0", "a")).isEqualTo("ERR numkeys should be greater than 0");
        assertThat(h.error("SINTERCARD", "x", "a")).isEqualTo("ERR numkeys should be greater than 0");
        assertThat(h.error("SINTERCARD", "3", "a", "b")).isEqualTo("ERR Number of keys can't be greater than number of args");
        assertThat(h.error("SINTERCARD", "1", "a", "LIMIT", "-1")).isEqualTo("ERR LIMIT can't be negative");
        assertThat(h.error("SINTERCARD", "1", "a", "LIMIT", "x")).isEqualTo("ERR LIMIT can't be negative");
        assertThat(h.error("SINTERCARD", "1", "a", "LIMIT")).isEqualTo(Errors.SYNTAX);
        assertThat(h.error("SINTERCARD", "1", "a", "b")).isEqualTo(Errors.SYNTAX);
    }

    @Test
    void storeCommandsReplaceOrDeleteTheDestination() {
        h.call("SADD", "a", "1", "2", "3");
        h.call("SADD", "b", "2", "3", "4", "z");
        h.simple("SET", "dst", "string");
        h.call("PEXPIRE", "dst", "100000");
        long m = mark();
        assertThat(h.integer("SINTERSTORE", "dst", "a", "b")).isEqualTo(2);
        assertThat(members("SMEMBERS", "dst")).containsExactlyInAnyOrder("2", "3");
        assertThat(enc("dst")).isEqualTo("intset");
        assertThat(h.integer("PTTL", "dst")).isEqualTo(-1);
        assertThat(h.integer("SUNIONSTORE", "u", "a", "b")).isEqualTo(5);
        assertThat(enc("u")).isEqualTo("listpack");
        assertThat(h.integer("SDIFFSTORE", "d", "b", "a")).isEqualTo(2);
        assertThat(members("SMEMBERS", "d")).containsExactlyInAnyOrder("4", "z");
        assertThat(h.integer("SINTERSTORE", "dst", "a", "nokey")).isZero();
        assertThat(h.integer("EXISTS", "dst")).isZero();
        assertThat(h.integer("SUNIONSTORE", "nothing", "nokey")).isZero();
        assertThat(h.integer("SDIFFSTORE", "a", "a", "b")).isEqualTo(1);   // destination is also a source
        assertThat(members("SMEMBERS", "a")).containsExactly("1");
        assertThat(effects(m)).containsExactly("SINTERSTORE dst a b", "SUNIONSTORE u a b", "SDIFFSTORE d b a",
                "SINTERSTORE dst a nokey", "SDIFFSTORE a a b");
    }

    @Test
    void sscan() {
        assertThat(h.raw("SSCAN", "nokey", "0")).isEqualTo("*2\r\n$1\r\n0\r\n*0\r\n");
        assertThat(h.raw("SSCAN", "nokey", "0", "BOGUS")).isEqualTo("*2\r\n$1\r\n0\r\n*0\r\n");
        assertThat(h.error("SSCAN", "nokey", "x")).isEqualTo("ERR invalid cursor");
        h.call("SADD", "s", "1", "2", "3");
        assertThat(h.raw("SSCAN", "s", "0", "COUNT", "1")).isEqualTo("*2\r\n$1\r\n0\r\n*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
        assertThat(h.raw("SSCAN", "s", "0", "MATCH", "2")).isEqualTo("*2\r\n$1\r\n0\r\n*1\r\n$1\r\n2\r\n");
        assertThat(h.error("SSCAN", "s", "0", "COUNT", "0")).isEqualTo(Errors.SYNTAX);
        assertThat(h.error("SSCAN", "s", "0", "COUNT", "x")).isEqualTo(Errors.NOT_INTEGER);
        assertThat(h.error("SSCAN", "s", "0", "TYPE", "set")).isEqualTo(Errors.SYNTAX);
        assertThat(h.error("SSCAN", "s", "0", "MATCH")).isEqualTo(Errors.SYNTAX);
        String[] add = new String[2 + 500];
        add[0] = "SADD";
        add[1] = "big";
        for (int i = 0; i < 500; i++) add[2 + i] = "m" + i;
        h.call(add);
        java.util.Set<String> seen = new java.util.HashSet<>();
        String cursor = "0";
        int steps = 0;
        do {
            RespValue.Array r = (RespValue.Array) h.call("SSCAN", "big", cursor, "COUNT", "20");
            cursor = new String(((RespValue.Bulk) r.elements().get(0)).value());
            for (RespValue e : ((RespValue.Array) r.elements().get(1)).elements()) seen.add(new String(((RespValue.Bulk) e).value()));
            steps++;
        } while (!cursor.equals("0"));
        assertThat(seen).hasSize(500);
        assertThat(steps).isGreaterThan(5);
    }

    @Test
    void expiredKeysAreMissing() {
        h.call("SADD", "s", "a");
        h.call("PEXPIRE", "s", "10");
        h.advance(20);
        assertThat(h.integer("SCARD", "s")).isZero();
        assertThat(h.integer("SADD", "s", "b")).isEqualTo(1);
        assertThat(members("SMEMBERS", "s")).containsExactly("b");
    }

    @Test
    void copyAndDigestIgnoreEncodingAndOrder() {
        h.call("SADD", "a", "x", "y", "z");
        h.call("SADD", "b", "z", "y", "x");
        assertThat(h.integer("COPY", "a", "c")).isEqualTo(1);
        h.call("SREM", "c", "x");
        assertThat(h.integer("SCARD", "a")).isEqualTo(3);
        RespValue da = h.call("DEBUG", "DIGEST-VALUE", "a");
        RespValue db = h.call("DEBUG", "DIGEST-VALUE", "b");
        RespValue dc = h.call("DEBUG", "DIGEST-VALUE", "c");
        assertThat(da).isEqualTo(db);
        assertThat(da).isNotEqualTo(dc);
    }
}
