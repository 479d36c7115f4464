package io.jkevy.engine.command;

import io.jkevy.engine.EngineHarness;
import io.jkevy.engine.command.zset.ZReply;
import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.jkevy.engine.command.StringCommandsTestSupport.effects;
import static io.jkevy.engine.command.StringCommandsTestSupport.mark;
import static org.assertj.core.api.Assertions.assertThat;

class SortedSetCommandsTest {
    private EngineHarness h;

    @BeforeEach
    void setUp() { h = new EngineHarness(); }

    /** An array reply flattened to strings (nested arrays as "[..]", null as "nil"). */
    private List<String> flat(String... cmd) {
        RespValue v = h.call(cmd);
        if (!(v instanceof RespValue.Array a)) throw new AssertionError("expected array reply to " + String.join(" ", cmd) + ", got " + v);
        List<String> out = new ArrayList<>();
        for (RespValue e : a.elements()) out.add(str(e));
        return out;
    }

    private static String str(RespValue e) {
        if (e instanceof RespValue.Bulk b) return b.value() == null ? "nil" : new String(b.value(), StandardCharsets.UTF_8);
        if (e instanceof RespValue.Integer i) return Long.toString(i.value());
        if (e instanceof RespValue.Null) return "nil";
        if (e instanceof RespValue.SimpleString ss) return ss.value();
        if (e instanceof RespValue.Double d) return "d:" + ZReply.format(d.value());
        if (e instanceof RespValue.Array a) {
            List<String> in = new ArrayList<>();
            for (RespValue x : a.elements()) in.add(str(x));
            return in.toString();
        }
        return e.toString();
    }

    private String enc(String key) { return h.bulk("OBJECT", "ENCODING", key); }

    // ---- formatting -------------------------------------------------------------------------

    @Test
    void scoresAreFormattedAsRedis70() {
        assertThat(ZReply.format(1)).isEqualTo("1");
        assertThat(ZReply.format(1.5)).isEqualTo("1.5");
        assertThat(ZReply.format(0.1)).isEqualTo("0.10000000000000001");
        assertThat(ZReply.format(1e20)).isEqualTo("1e+20");
        assertThat(ZReply.format(1e17)).isEqualTo("1e+17");
        assertThat(ZReply.format(12345678901234567.0)).isEqualTo("12345678901234568");
        assertThat(ZReply.format(-2.5e-5)).isEqualTo("-2.5000000000000001e-05");
        assertThat(ZReply.format(0.0001)).isEqualTo("0.0001");
        assertThat(ZReply.format(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(ZReply.format(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(ZReply.format(-0.0)).isEqualTo("-0");
        assertThat(ZReply.format(3.0e-310)).isEqualTo("2.9999999999999908e-310");
        assertThat(ZReply.format(Double.MIN_VALUE)).isEqualTo("4.9406564584124654e-324");
        assertThat(ZReply.format(1e16)).isEqualTo("10000000000000000");
        assertThat(ZReply.format(1.5e-4)).isEqualTo("0.00014999999999999999");
        assertThat(ZReply.format(1.0 / 3)).isEqualTo("0.33333333333333331");
        assertThat(ZReply.format(123456.789)).isEqualTo("123456.789");
        assertThat(ZReply.format(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
        h.call("ZADD", "z", "0.1", "a");
        assertThat(h.raw("ZSCORE", "z", "a")).isEqualTo("$19\r\n0.10000000000000001\r\n");
        h.protocol(3);
        assertThat(h.raw("ZSCORE", "z", "a")).isEqualTo(",0.10000000000000001\r\n");
        h.call("ZADD", "z", "inf", "b");
        assertThat(h.raw("ZSCORE", "z", "b")).isEqualTo(",inf\r\n");
    }

    // ---- ZADD -------------------------------------------------------------------------------

    @Test
    void zaddBasicsAndFlags() {
        assertThat(h.integer("ZADD", "z", "1", "a", "2", "b")).isEqualTo(2);
        assertThat(h.integer("ZADD", "z", "1", "a", "3", "c")).isEqualTo(1);
        assertThat(h.integer("ZADD", "z", "CH", "5", "a", "3", "c", "9", "d")).isEqualTo(2);
        assertThat(h.integer("ZADD", "z", "NX", "100", "a", "4", "e")).isEqualTo(1);
        assertThat(h.bulk("ZSCORE", "z", "a")).isEqualTo("5");
        assertThat(h.integer("ZADD", "z", "XX", "CH", "6", "a", "7", "zz")).isEqualTo(1);
        assertThat(h.bulk("ZSCORE", "z", "zz")).isNull();
        assertThat(h.integer("ZADD", "z", "GT", "CH", "1", "a", "10", "b")).isEqualTo(1);
        assertThat(h.bulk("ZSCORE", "z", "a")).isEqualTo("6");
        assertThat(h.integer("ZADD", "z", "LT", "CH", "1", "a", "100", "b")).isEqualTo(1);
        assertThat(h.bulk("ZSCORE", "z", "a")).isEqualTo("1");
        assertThat(h.bulk("ZSCORE", "z", "b")).isEqualTo("10");
        assertThat(h.integer("ZADD", "z", "GT", "1", "new")).isEqualTo(1);
        assertThat(h.bulk("ZADD", "z", "INCR", "2.5", "a")).isEqualTo("3.5");
        assertThat(h.bulk("ZADD", "z", "INCR", "NX", "2.5", "a")).isNull();
        assertThat(h.bulk("ZADD", "z", "INCR", "GT", "-1", "a")).isNull();
        assertThat(h.bulk("ZADD", "z", "INCR", "XX", "1", "nope")).isNull();
        assertThat(h.integer("ZADD", "nokey", "XX", "1", "a")).isZero();
        assertThat(h.integer("EXISTS", "nokey")).isZero();
        assertThat(h.bulk("ZADD", "nokey", "XX", "INCR", "1", "a")).isNull();
    }

    @Test
    void zaddErrors() {
        assertThat(h.error("ZADD", "z", "NX", "XX", "1", "a")).isEqualTo("ERR XX and NX options at the same time are not compatible");
        assertThat(h.error("ZADD", "z", "GT", "LT", "1", "a")).isEqualTo("ERR GT, LT, and/or NX options at the same time are not compatible");
        assertThat(h.error("ZADD", "z", "GT", "NX", "1", "a")).isEqualTo("ERR GT, LT, and/or NX options at the same time are not compatible");
        assertThat(h.error("ZADD", "z", "INCR", "1", "a", "2", "b")).isEqualTo("ERR INCR option supports a single increment-element pair");
        assertThat(h.error("ZADD", "z", "1", "a", "2")).isEqualTo("ERR syntax error");
        assertThat(h.error("ZADD", "z", "NX", "1")).isEqualTo("ERR syntax error");
        assertThat(h.error("ZADD", "z", "x", "a")).isEqualTo("ERR value is not a valid float");
        assertThat(h.error("ZADD", "z", "nan", "a")).isEqualTo("ERR value is not a valid float");
        assertThat(h.error("ZADD", "z", "1", "a", "nope", "b")).isEqualTo("ERR value is not a valid float");
        assertThat(h.integer("EXISTS", "z")).as("nothing written on error").isZero();
        assertThat(h.error("ZADD", "z", "1")).isEqualTo("ERR wrong number of arguments for 'zadd' command");
        h.call("ZADD", "z", "inf", "a");
        assertThat(h.error("ZADD", "z", "INCR", "-inf", "a")).isEqualTo("ERR resulting score is not a number (NaN)");
        assertThat(h.error("ZINCRBY", "z", "-inf", "a")).isEqualTo("ERR resulting score is not a number (NaN)");
        h.simple("SET", "s", "v");
        assertThat(h.error("ZADD", "s", "1", "a")).startsWith("WRONGTYPE");
        assertThat(h.error("ZINCRBY", "s", "1", "a")).startsWith("WRONGTYPE");
    }

    @Test
    void zincrby() {
        assertThat(h.bulk("ZINCRBY", "z", "1.5", "a")).isEqualTo("1.5");
        assertThat(h.bulk("ZINCRBY", "z", "0.1", "a")).isEqualTo("1.6000000000000001");
        assertThat(h.error("ZINCRBY", "z", "x", "a")).isEqualTo("ERR value is not a valid float");
        long m = mark(h);
        h.call("ZINCRBY", "z", "0", "a");
        assertThat(effects(h, m)).as("unchanged score: no effect").isEmpty();
        h.call("ZINCRBY", "z", "1", "a");
        assertThat(effects(h, m)).containsExactly("ZINCRBY z 1 a");
    }

    @Test
    void encodingsConvertAtThresholds() {
        h.simple("CONFIG", "SET", "zset-max-listpack-entries", "4");
        h.simple("CONFIG", "SET", "zset-max-listpack-value", "8");
        h.call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
        assertThat(enc("z")).isEqualTo("listpack");
        h.call("ZADD", "z", "5", "e");
        assertThat(enc("z")).isEqualTo("skiplist");
        h.call("ZREM", "z", "a", "b", "c");
        assertThat(enc("z")).isEqualTo("skiplist");
        h.call("ZADD", "y", "1", "123456789");
        assertThat(enc("y")).isEqualTo("skiplist");
        h.call("ZADD", "x", "1", "a");
        h.call("ZADD", "x", "1", "123456789");
        assertThat(enc("x")).isEqualTo("skiplist");
        assertThat(h.simple("TYPE", "x")).isEqualTo("zset");
    }

    // ---- point reads ---------------------------------------------------------------------

    @Test
    void zremCardScoreMscoreRank() {
        h.call("ZADD", "z", "1", "a", "2", "b", "3", "c");
        assertThat(h.integer("ZCARD", "z")).isEqualTo(3);
        assertThat(h.integer("ZCARD", "none")).isZero();
        assertThat(flat("ZMSCORE", "z", "a", "x", "c")).containsExactly("1", "nil", "3");
        assertThat(flat("ZMSCORE", "none", "a")).containsExactly("nil");
        assertThat(h.integer("ZRANK", "z", "c")).isEqualTo(2);
        assertThat(h.integer("ZREVRANK", "z", "c")).isZero();
        assertThat(h.bulk("ZRANK", "z", "x")).isNull();
        assertThat(flat("ZRANK", "z", "b", "WITHSCORE")).containsExactly("1", "2");
        assertThat(flat("ZREVRANK", "z", "a", "withscore")).containsExactly("2", "1");
        assertThat(h.raw("ZRANK", "z", "x", "WITHSCORE")).isEqualTo("*-1\r\n");
        assertThat(h.error("ZRANK", "z", "a", "foo")).isEqualTo("ERR syntax error");
        assertThat(h.error("ZRANK", "z", "a", "withscore", "x")).isEqualTo("ERR wrong number of arguments for 'zrank' command");
        long m = mark(h);
        assertThat(h.integer("ZREM", "z", "a", "x")).isEqualTo(1);
        assertThat(h.integer("ZREM", "z", "x")).isZero();
        assertThat(h.integer("ZREM", "z", "b", "c")).isEqualTo(2);
        assertThat(h.integer("EXISTS", "z")).isZero();
        assertThat(h.integer("ZREM", "z", "b")).isZero();
        assertThat(effects(h, m)).containsExactly("ZREM z a x", "ZREM z b c");
        h.simple("SET", "s", "v");
        for (String[] cmd : new String[][] {{"ZCARD", "s"}, {"ZSCORE", "s", "a"}, {"ZMSCORE", "s", "a"}, {"ZRANK", "s", "a"},
                {"ZREM", "s", "a"}, {"ZCOUNT", "s", "0", "1"}, {"ZLEXCOUNT", "s", "-", "+"}, {"ZRANGE", "s", "0", "1"},
                {"ZPOPMIN", "s"}, {"ZRANDMEMBER", "s"}, {"ZSCAN", "s", "0"}, {"ZUNION", "1", "s"}, {"ZREMRANGEBYRANK", "s", "0", "1"}}) {
            assertThat(h.error(cmd)).as(String.join(" ", cmd)).startsWith("WRONGTYPE");
        }
    }

    @Test
    void expiredKeyIsAbsent() {
        h.call("ZADD", "z", "1", "a");
        h.call("PEXPIRE", "z", "100");
        h.advance(200);
        assertThat(h.integer("ZCARD", "z")).isZero();
        assertThat(h.integer("ZADD", "z", "XX", "1", "a")).isZero();
        assertThat(h.integer("ZADD", "z", "2", "b")).isEqualTo(1);
        assertThat(flat("ZRANGE", "z", "0", "-1", "WITHSCORES")).containsExactly("b", "2");
    }

    @Test
    void countAndLexCount() {
        h.call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
        assertThat(h.integer("ZCOUNT", "z", "-inf", "+inf")).isEqualTo(4);
        assertThat(h.integer("ZCOUNT", "z", "(1", "3")).isEqualTo(2);
        assertThat(h.integer("ZCOUNT", "z", "(1", "(3")).isEqualTo(1);
        assertThat(h.integer("ZCOUNT", "z", "3", "1")).isZero();
        assertThat(h.integer("ZCOUNT", "none", "1", "3")).isZero();
        assertThat(h.error("ZCOUNT", "z", "a", "1")).isEqualTo("ERR min or max is not a float");
        assertThat(h.error("ZCOUNT", "z", "(nan", "1")).isEqualTo("ERR min or max is not a float");
        assertThat(h.error("ZCOUNT", "none", "1", "1x")).isEqualTo("ERR min or max is not a float");
        h.call("ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d");
        assertThat(h.integer("ZLEXCOUNT", "l", "-", "+")).isEqualTo(4);
        assertThat(h.integer("ZLEXCOUNT", "l", "[b", "(d")).isEqualTo(2);
        assertThat(h.integer("ZLEXCOUNT", "l", "+", "-")).isZero();
        assertThat(h.error("ZLEXCOUNT", "l", "b", "+")).isEqualTo("ERR min or max not valid string range item");
        assertThat(h.error("ZLEXCOUNT", "none", "[b", "+x")).isEqualTo("ERR min or max not valid string range item");
    }

    // ---- ranges -----------------------------------------------------------------------------

    @Test
    void zrangeByRank() {
        h.call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
        assertThat(flat("ZRANGE", "z", "0", "-1")).containsExactly("a", "b", "c", "d");
        assertThat(flat("ZRANGE", "z", "1", "2", "WITHSCORES")).containsExactly("b", "2", "c", "3");
        assertThat(flat("ZRANGE", "z", "-2", "100")).containsExactly("c", "d");
        assertThat(flat("ZRANGE", "z", "-100", "0")).containsExactly("a");
        assertThat(flat("ZRANGE", "z", "3", "1")).isEmpty();
        assertThat(flat("ZRANGE", "z", "5", "10")).isEmpty();
        assertThat(flat("ZRANGE", "z", "0", "1", "REV")).containsExactly("d", "c");
        assertThat(flat("ZREVRANGE", "z", "0", "1", "WITHSCORES")).containsExactly("d", "4", "c", "3");
        assertThat(flat("ZRANGE", "none", "0", "-1")).isEmpty();
        assertThat(h.error("ZRANGE", "z", "x", "1")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(h.error("ZRANGE", "z", "0", "1", "LIMIT", "0", "1")).isEqualTo("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        assertThat(h.error("ZRANGE", "z", "0", "1", "FOO")).isEqualTo("ERR syntax error");
        assertThat(h.error("ZREVRANGE", "z", "0", "1", "REV")).isEqualTo("ERR syntax error");
        assertThat(h.error("ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX")).isEqualTo("ERR syntax error");
        assertThat(h.error("ZRANGE", "z", "0")).isEqualTo("ERR wrong number of arguments for 'zrange' command");
        h.protocol(3);
        assertThat(flat("ZRANGE", "z", "0", "1", "WITHSCORES")).containsExactly("[a, d:1]", "[b, d:2]");
        assertThat(h.raw("ZRANGE", "z", "0", "0", "WITHSCORES")).isEqualTo("*1\r\n*2\r\n$1\r\na\r\n,1\r\n");
        assertThat(h.raw("ZRANGE", "none", "0", "-1")).isEqualTo("*0\r\n");
    }

    @Test
    void zrangeByScore() {
        h.call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
        assertThat(flat("ZRANGE", "z", "(1", "4", "BYSCORE")).containsExactly("b", "c", "d");
        assertThat(flat("ZRANGE", "z", "4", "(1", "BYSCORE", "REV")).containsExactly("d", "c", "b");
        assertThat(flat("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "2", "WITHSCORES")).containsExactly("b", "2", "c", "3");
        assertThat(flat("ZRANGE", "z", "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "1", "2")).containsExactly("d", "c");
        assertThat(flat("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "3", "-1")).containsExactly("d", "e");
        assertThat(flat("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "-1", "2")).isEmpty();
        assertThat(flat("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "0", "0")).isEmpty();
        assertThat(flat("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "9", "2")).isEmpty();
        assertThat(flat("ZRANGEBYSCORE", "z", "2", "3", "WITHSCORES")).containsExactly("b", "2", "c", "3");
        assertThat(flat("ZRANGEBYSCORE", "z", "-inf", "inf", "LIMIT", "4", "10")).containsExactly("e");
        assertThat(flat("ZREVRANGEBYSCORE", "z", "3", "2")).containsExactly("c", "b");
        assertThat(flat("ZREVRANGEBYSCORE", "z", "2", "3")).isEmpty();
        assertThat(flat("ZRANGEBYSCORE", "z", "(2", "(2")).isEmpty();
        assertThat(flat("ZRANGEBYSCORE", "z", "2", "2")).containsExactly("b");
        assertThat(h.error("ZRANGEBYSCORE", "z", "x", "2")).isEqualTo("ERR min or max is not a float");
        assertThat(h.error("ZRANGEBYSCORE", "z", "1", "2", "LIMIT", "1")).isEqualTo("ERR syntax error");
        assertThat(h.error("ZRANGEBYSCORE", "z", "1", "2", "LIMIT", "a", "1")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(h.error("ZRANGEBYSCORE", "z", "1", "2", "BYSCORE")).isEqualTo("ERR syntax error");
    }

    @Test
    void zrangeByLex() {
        h.call("ZADD", "z", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e");
        assertThat(flat("ZRANGE", "z", "[b", "(d", "BYLEX")).containsExactly("b", "c");
        assertThat(flat("ZRANGE", "z", "(d", "[b", "BYLEX", "REV")).containsExactly("c", "b");
        assertThat(flat("ZRANGE", "z", "-", "+", "BYLEX", "LIMIT", "1", "2")).containsExactly("b", "c");
        assertThat(flat("ZRANGEBYLEX", "z", "-", "[c")).containsExactly("a", "b", "c");
        assertThat(flat("ZREVRANGEBYLEX", "z", "+", "(c")).containsExactly("e", "d");
        assertThat(flat("ZREVRANGEBYLEX", "z", "+", "-", "LIMIT", "0", "1")).containsExactly("e");
        assertThat(h.error("ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES")).isEqualTo("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        assertThat(h.error("ZRANGEBYLEX", "z", "-", "+", "WITHSCORES")).isEqualTo("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        assertThat(h.error("ZRANGEBYLEX", "z", "a", "+")).isEqualTo("ERR min or max not valid string range item");
    }

    @Test
    void zrangestore() {
        h.call("ZADD", "src", "1", "a", "2", "b", "3", "c");
        h.call("SET", "dst", "x", "EX", "100");
        long m = mark(h);
        assertThat(h.integer("ZRANGESTORE", "dst", "src", "1", "-1")).isEqualTo(2);
        assertThat(flat("ZRANGE", "dst", "0", "-1", "WITHSCORES")).containsExactly("b", "2", "c", "3");
        assertThat(h.integer("TTL", "dst")).isEqualTo(-1);
        assertThat(h.integer("ZRANGESTORE", "dst", "src", "(1", "+inf", "BYSCORE", "REV", "LIMIT", "0", "1")).isZero();
        assertThat(h.integer("ZRANGESTORE", "dst", "src", "+inf", "(1", "BYSCORE", "REV", "LIMIT", "0", "1")).isEqualTo(1);
        assertThat(flat("ZRANGE", "dst", "0", "-1")).containsExactly("c");
        assertThat(h.integer("ZRANGESTORE", "dst", "none", "0", "-1")).isZero();
        assertThat(h.integer("EXISTS", "dst")).isZero();
        assertThat(h.integer("ZRANGESTORE", "dst", "none", "0", "-1")).isZero();
        assertThat(effects(h, m)).containsExactly("ZRANGESTORE dst src 1 -1", "ZRANGESTORE dst src (1 +inf BYSCORE REV LIMIT 0 1",
                "ZRANGESTORE dst src +inf (1 BYSCORE REV LIMIT 0 1", "ZRANGESTORE dst none 0 -1");
        assertThat(h.error("ZRANGESTORE", "dst", "src", "0", "-1", "WITHSCORES")).isEqualTo("ERR syntax error");
    }

    @Test
    void zremrange() {
        h.call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
        long m = mark(h);
        assertThat(h.integer("ZREMRANGEBYRANK", "z", "0", "0")).isEqualTo(1);
        assertThat(h.integer("ZREMRANGEBYRANK", "z", "10", "20")).isZero();
        assertThat(h.integer("ZREMRANGEBYSCORE", "z", "(2", "3")).isEqualTo(1);
        assertThat(h.integer("ZREMRANGEBYSCORE", "z", "100", "200")).isZero();
        assertThat(flat("ZRANGE", "z", "0", "-1")).containsExactly("b", "d", "e");
        assertThat(h.integer("ZREMRANGEBYRANK", "z", "-1", "-1")).isEqualTo(1);
        assertThat(h.integer("ZREMRANGEBYRANK", "z", "0", "-1")).isEqualTo(2);
        assertThat(h.integer("EXISTS", "z")).isZero();
        assertThat(effects(h, m)).containsExactly("ZREMRANGEBYRANK z 0 0", "ZREMRANGEBYSCORE z (2 3",
                "ZREMRANGEBYRANK z -1 -1", "ZREMRANGEBYRANK z 0 -1");
        h.call("ZADD", "l", "0", "a", "0", "b", "0", "c");
        assertThat(h.integer("ZREMRANGEBYLEX", "l", "(a", "+")).isEqualTo(2);
        assertThat(h.integer("ZREMRANGEBYLEX", "none", "-", "+")).isZero();
        assertThat(h.error("ZREMRANGEBYLEX", "l", "a", "+")).isEqualTo("ERR min or max not valid string range item");
        assertThat(h.error("ZREMRANGEBYSCORE", "l", "a", "1")).isEqualTo("ERR min or max is not a float");
        assertThat(h.error("ZREMRANGEBYRANK", "l", "a", "1")).isEqualTo("ERR value is not an integer or out of range");
    }

    // ---- pops and random -------------------------------------------------------------------

    @Test
    void zpop() {
        h.call("ZADD", "z", "1", "a", "2", "b", "3", "c");
        long m = mark(h);
        assertThat(flat("ZPOPMIN", "z")).containsExactly("a", "1");
        assertThat(flat("ZPOPMAX", "z", "5")).containsExactly("c", "3", "b", "2");
        assertThat(h.integer("EXISTS", "z")).isZero();
        assertThat(flat("ZPOPMIN", "z")).isEmpty();
        assertThat(effects(h, m)).containsExactly("ZREM z a", "ZREM z c b");
        assertThat(flat("ZPOPMIN", "z", "0")).isEmpty();
        assertThat(h.error("ZPOPMIN", "z", "-1")).isEqualTo("ERR value is out of range, must be positive");
        assertThat(h.error("ZPOPMIN", "z", "x")).isEqualTo("ERR value is out of range, must be positive");
        assertThat(h.error("ZPOPMIN", "z", "1", "2")).isEqualTo("ERR syntax error");
        h.call("ZADD", "z", "1", "a", "2", "b");
        h.protocol(3);
        assertThat(flat("ZPOPMIN", "z")).containsExactly("a", "d:1");
        assertThat(flat("ZPOPMIN", "z", "1")).containsExactly("[b, d:2]");
    }

    @Test
    void zmpop() {
        h.call("ZADD", "z2", "1", "a", "2", "b", "3", "c");
        long m = mark(h);
        assertThat(flat("ZMPOP", "2", "z1", "z2", "MIN")).containsExactly("z2", "[[a, 1]]");
        assertThat(flat("ZMPOP", "2", "z1", "z2", "max", "COUNT", "10")).containsExactly("z2", "[[c, 3], [b, 2]]");
        assertThat(h.raw("ZMPOP", "2", "z1", "z2", "MIN")).isEqualTo("*-1\r\n");
        assertThat(effects(h, m)).containsExactly("ZREM z2 a", "ZREM z2 c b");
        assertThat(h.error("ZMPOP", "0", "z", "MIN")).isEqualTo("ERR numkeys should be greater than 0");
        assertThat(h.error("ZMPOP", "x", "z", "MIN")).isEqualTo("ERR numkeys should be greater than 0");
        assertThat(h.error("ZMPOP", "3", "z", "MIN")).isEqualTo("ERR syntax error");
        assertThat(h.error("ZMPOP", "9223372036854775807", "z", "MIN")).isEqualTo("ERR syntax error");
        assertThat(h.error("ZMPOP", "1", "z", "FOO")).isEqualTo("ERR syntax error");
        assertThat(h.error("ZMPOP", "1", "z", "MIN", "COUNT", "0")).isEqualTo("ERR count should be greater than 0");
        assertThat(h.error("ZMPOP", "1", "z", "MIN", "COUNT", "1", "COUNT", "1")).isEqualTo("ERR syntax error");
        h.simple("SET", "s", "v");
        assertThat(h.error("ZMPOP", "2", "z1", "s", "MIN")).startsWith("WRONGTYPE");
    }

    @Test
    void zrandmember() {
        h.call("ZADD", "z", "1", "a", "2", "b", "3", "c");
        long m = mark(h);
        assertThat(h.bulk("ZRANDMEMBER", "z")).isIn("a", "b", "c");
        assertThat(h.bulk("ZRANDMEMBER", "none")).isNull();
        assertThat(flat("ZRANDMEMBER", "z", "10")).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(flat("ZRANDMEMBER", "z", "2")).hasSize(2).doesNotHaveDuplicates();
        assertThat(flat("ZRANDMEMBER", "z", "-7")).hasSize(7).allMatch(x -> x.matches("[abc]"));
        List<String> ws = flat("ZRANDMEMBER", "z", "-4", "WITHSCORES");
        assertThat(ws).hasSize(8);
        for (int i = 0; i < 8; i += 2) assertThat(ws.get(i + 1)).isEqualTo(Integer.toString(ws.get(i).charAt(0) - 'a' + 1));
        assertThat(flat("ZRANDMEMBER", "z", "0")).isEmpty();
        assertThat(flat("ZRANDMEMBER", "none", "5")).isEmpty();
        assertThat(h.error("ZRANDMEMBER", "z", "1", "FOO")).isEqualTo("ERR syntax error");
        assertThat(h.error("ZRANDMEMBER", "z", "x")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(h.error("ZRANDMEMBER", "z", "-9223372036854775808")).isEqualTo("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        assertThat(h.error("ZRANDMEMBER", "z", "-9223372036854775807", "WITHSCORES")).isEqualTo("ERR value is out of range");
        assertThat(effects(h, m)).isEmpty();
        h.protocol(3);
        assertThat(flat("ZRANDMEMBER", "z", "1", "WITHSCORES")).hasSize(1).allMatch(x -> x.startsWith("["));
    }

    // ---- set operations ---------------------------------------------------------------------

    @Test
    void unionInterDiff() {
        h.call("ZADD", "a", "1", "x", "2", "y", "3", "z");
        h.call("ZADD", "b", "10", "y", "20", "z", "30", "w");
        assertThat(flat("ZUNION", "2", "a", "b", "WITHSCORES")).containsExactly("x", "1", "y", "12", "z", "23", "w", "30");
        assertThat(flat("ZUNION", "2", "a", "b", "WEIGHTS", "2", "0.5", "AGGREGATE", "MAX", "WITHSCORES"))
                .containsExactly("x", "2", "y", "5", "z", "10", "w", "15");
        assertThat(flat("ZINTER", "2", "a", "b", "AGGREGATE", "MIN", "WITHSCORES")).containsExactly("y", "2", "z", "3");
        assertThat(flat("ZINTER", "2", "a", "b")).containsExactly("y", "z");
        assertThat(flat("ZINTER", "2", "a", "none")).isEmpty();
        assertThat(flat("ZDIFF", "2", "a", "b", "WITHSCORES")).containsExactly("x", "1");
        assertThat(flat("ZDIFF", "1", "none")).isEmpty();
        assertThat(h.integer("ZINTERCARD", "2", "a", "b")).isEqualTo(2);
        assertThat(h.integer("ZINTERCARD", "2", "a", "b", "LIMIT", "1")).isEqualTo(1);
        assertThat(h.integer("ZINTERCARD", "2", "a", "b", "LIMIT", "0")).isEqualTo(2);
        assertThat(h.error("ZINTERCARD", "2", "a", "b", "LIMIT", "-1")).isEqualTo("ERR LIMIT can't be negative");
        assertThat(h.error("ZUNION", "0", "a")).isEqualTo("ERR at least 1 input key is needed for 'zunion' command");
        assertThat(h.error("ZINTERSTORE", "d", "0", "a")).isEqualTo("ERR at least 1 input key is needed for 'zinterstore' command");
        assertThat(h.error("ZUNION", "3", "a", "b")).isEqualTo("ERR syntax error");
        assertThat(h.error("ZUNION", "2", "a", "b", "WEIGHTS", "1", "x")).isEqualTo("ERR weight value is not a float");
        assertThat(h.error("ZUNION", "2", "a", "b", "WEIGHTS", "1")).isEqualTo("ERR syntax error");
        assertThat(h.error("ZUNION", "2", "a", "b", "AGGREGATE", "AVG")).isEqualTo("ERR syntax error");
        assertThat(h.error("ZDIFF", "2", "a", "b", "WEIGHTS", "1", "1")).isEqualTo("ERR syntax error");
        assertThat(h.error("ZUNIONSTORE", "d", "2", "a", "b", "WITHSCORES")).isEqualTo("ERR syntax error");
        assertThat(h.error("ZUNION", "x", "a")).isEqualTo("ERR value is not an integer or out of range");
    }

    @Test
    void infTimesZeroWeightIsZero() {
        h.call("ZADD", "a", "inf", "x");
        h.call("ZADD", "b", "-inf", "x");
        assertThat(flat("ZUNION", "1", "a", "WEIGHTS", "0", "WITHSCORES")).containsExactly("x", "0");
        assertThat(flat("ZUNION", "2", "a", "b", "WITHSCORES")).containsExactly("x", "0");
        assertThat(flat("ZINTER", "2", "a", "b", "WITHSCORES")).containsExactly("x", "0");
        assertThat(flat("ZINTER", "2", "a", "b", "AGGREGATE", "MAX", "WITHSCORES")).containsExactly("x", "inf");
        // the second input's weighted score is NaN (-inf * 0): MIN keeps the first
        assertThat(flat("ZINTER", "2", "a", "b", "WEIGHTS", "1", "0", "AGGREGATE", "MIN", "WITHSCORES")).containsExactly("x", "inf");
    }

    @Test
    void storeVariants() {
        h.simple("CONFIG", "SET", "zset-max-listpack-entries", "2");
        h.call("ZADD", "a", "1", "x", "2", "y", "3", "z");
        h.call("ZADD", "b", "1", "y");
        assertThat(enc("a")).isEqualTo("skiplist");
        long m = mark(h);
        assertThat(h.integer("ZUNIONSTORE", "d", "2", "a", "b")).isEqualTo(3);
        assertThat(enc("d")).isEqualTo("skiplist");
        assertThat(h.integer("ZINTERSTORE", "d", "2", "a", "b", "WEIGHTS", "2", "3")).isEqualTo(1);
        assertThat(enc("d")).isEqualTo("listpack");
        assertThat(flat("ZRANGE", "d", "0", "-1", "WITHSCORES")).containsExactly("y", "7");
        assertThat(h.integer("ZDIFFSTORE", "d", "2", "a", "b")).isEqualTo(2);
        assertThat(flat("ZRANGE", "d", "0", "-1", "WITHSCORES")).containsExactly("x", "1", "z", "3");
        assertThat(h.integer("ZINTERSTORE", "d", "2", "a", "none")).isZero();
        assertThat(h.integer("EXISTS", "d")).isZero();
        assertThat(h.integer("ZINTERSTORE", "d", "2", "a", "none")).isZero();
        assertThat(effects(h, m)).containsExactly("ZUNIONSTORE d 2 a b", "ZINTERSTORE d 2 a b WEIGHTS 2 3",
                "ZDIFFSTORE d 2 a b", "ZINTERSTORE d 2 a none");
        h.simple("SET", "s", "v");
        assertThat(h.error("ZUNIONSTORE", "d", "2", "a", "s")).startsWith("WRONGTYPE");
        h.simple("SET", "d", "v");
        assertThat(h.integer("ZUNIONSTORE", "d", "1", "a")).isEqualTo(3);
        assertThat(h.simple("TYPE", "d")).isEqualTo("zset");
    }

    // ---- ZSCAN, DEBUG, COPY ---------------------------------------------------------------

    @Test
    void zscan() {
        h.call("ZADD", "z", "1", "a", "2.5", "b", "0.1", "c");
        assertThat(h.raw("ZSCAN", "z", "0", "MATCH", "b*")).isEqualTo("*2\r\n$1\r\n0\r\n*2\r\n$1\r\nb\r\n$3\r\n2.5\r\n");
        assertThat(flat("ZSCAN", "z", "0", "COUNT", "1")).containsExactly("0", "[c, 0.10000000000000001, a, 1, b, 2.5]");
        assertThat(flat("ZSCAN", "none", "0", "BADOPT")).containsExactly("0", "[]");
        assertThat(h.error("ZSCAN", "z", "x")).isEqualTo("ERR invalid cursor");
        assertThat(h.error("ZSCAN", "z", "0", "COUNT", "0")).isEqualTo("ERR syntax error");
        assertThat(h.error("ZSCAN", "z", "0", "TYPE", "zset")).isEqualTo("ERR syntax error");
    }

    @Test
    void typeCopyAndDigest() {
        h.call("ZADD", "z", "1", "a", "2", "b");
        assertThat(h.simple("TYPE", "z")).isEqualTo("zset");
        assertThat(h.integer("COPY", "z", "c")).isEqualTo(1);
        h.call("ZADD", "c", "3", "c");
        assertThat(h.integer("ZCARD", "z")).isEqualTo(2);
        String d1 = flat("DEBUG", "DIGEST-VALUE", "z").get(0);
        h.call("ZADD", "y", "2", "b", "1", "a");
        assertThat(flat("DEBUG", "DIGEST-VALUE", "y").get(0)).isEqualTo(d1);
        h.call("ZADD", "y", "5", "a");
        assertThat(flat("DEBUG", "DIGEST-VALUE", "y").get(0)).isNotEqualTo(d1);
    }

    @Test
    void zaddEffects() {
        long m = mark(h);
        h.call("ZADD", "z", "1", "a", "2", "b");
        h.call("ZADD", "z", "1", "a");
        h.call("ZADD", "z", "NX", "5", "a");
        h.call("ZADD", "z", "XX", "1", "nope");
        h.call("ZADD", "z", "1", "a", "2", "b");
        h.call("ZADD", "z", "INCR", "1", "a");
        h.call("ZADD", "z", "XX", "CH", "3", "b", "1", "nope");
        assertThat(effects(h, m)).containsExactly("ZADD z 1 a 2 b", "ZADD z INCR 1 a", "ZADD z XX CH 3 b 1 nope");
        assertThat(h.bulk("ZSCORE", "z", "a")).isEqualTo("2");
    }

    /** The same commands give the same replies whichever encoding holds the set. */
    @Test
    void encodingsAgree() {
        String[][] setup = {{"ZADD", "z", "1", "a", "1", "b", "2", "c", "3", "d", "3", "e", "-inf", "m", "inf", "n", "0", "x", "0", "y"},
            {"ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e", "0", "f"}};
        String[][] cmds = {
            {"ZRANGE", "z", "0", "-1", "WITHSCORES"}, {"ZRANGE", "z", "2", "-3", "REV"}, {"ZRANGE", "z", "(1", "3", "BYSCORE", "LIMIT", "1", "3"},
            {"ZRANGE", "z", "3", "(1", "BYSCORE", "REV", "WITHSCORES"}, {"ZRANGEBYLEX", "l", "[b", "(e"}, {"ZREVRANGEBYLEX", "l", "+", "[c", "LIMIT", "1", "2"},
            {"ZCOUNT", "z", "1", "3"}, {"ZLEXCOUNT", "l", "(a", "[d"}, {"ZRANK", "z", "d"}, {"ZREVRANK", "z", "d", "WITHSCORE"},
            {"ZRANGESTORE", "d", "z", "1", "5"}, {"ZRANGE", "d", "0", "-1", "WITHSCORES"}, {"ZMSCORE", "z", "a", "n", "zz"},
            {"ZREMRANGEBYSCORE", "z", "(2", "3"}, {"ZREMRANGEBYLEX", "l", "[e", "+"}, {"ZRANGE", "l", "0", "-1"}, {"ZREMRANGEBYRANK", "z", "0", "0"}, {"ZPOPMAX", "z", "2"},
            {"ZPOPMIN", "z"}, {"ZUNION", "2", "z", "d", "WITHSCORES"}, {"ZINTER", "2", "z", "d", "AGGREGATE", "MAX", "WITHSCORES"},
            {"ZDIFF", "2", "d", "z", "WITHSCORES"}, {"ZSCAN", "z", "0"}, {"ZRANGE", "z", "0", "-1", "WITHSCORES"}, {"ZCARD", "z"}};
        List<String> out = new ArrayList<>();
        for (String entries : new String[] {"128", "0"}) {
            h = new EngineHarness();
            h.simple("CONFIG", "SET", "zset-max-listpack-entries", entries);
            for (String[] s : setup) h.call(s);
            assertThat(enc("z")).isEqualTo(entries.equals("0") ? "skiplist" : "listpack");
            StringBuilder sb = new StringBuilder();
            for (String[] cmd : cmds) sb.append(str(h.call(cmd))).append('\n');
            out.add(sb.toString());
        }
        assertThat(out.get(1)).isEqualTo(out.get(0));
        assertThat(out.get(0)).contains("[m, -inf, x, 0, y, 0, a, 1, b, 1, c, 2, d, 3, e, 3, n, inf]");
    }

    private byte[] dump(String key) { return ((RespValue.Bulk) h.call("DUMP", key)).value(); }

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    @Test
    void dumpListpackMatchesRedis70Layout() {
        h.call("ZADD", "z", "1", "a", "2", "b");
        byte[] p = dump("z");
        byte[] body = {0x11, 0x11, 0x11, 0, 0, 0, 4, 0, (byte) 0x81, 'a', 2, 1, 1, (byte) 0x81, 'b', 2, 2, 1, (byte) 0xff, 10, 0};
        assertThat(java.util.Arrays.copyOf(p, body.length)).isEqualTo(body);
        assertThat(p).hasSize(body.length + 8);
    }

    @Test
    void dumpRestoreRoundTripsBothEncodings() {
        h.call("ZADD", "z", "1.5", "a", "-7", "b", "0.1", "c", "inf", "d", "100000", "e", "-5000000000", "123", "1e300", "f");
        h.call("ZADD", "big", "1", "x");
        for (int i = 0; i < 200; i++) h.call("ZADD", "big", Integer.toString(i * 3), "m" + i);
        for (String key : new String[] {"z", "big"}) {
            String before = str(h.call("ZRANGE", key, "0", "-1", "WITHSCORES"));
            String encBefore = enc(key);
            byte[] p = dump(key);
            assertThat(h.call(b("RESTORE"), b(key + "2"), b("0"), p)).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(str(h.call("ZRANGE", key + "2", "0", "-1", "WITHSCORES"))).isEqualTo(before);
            assertThat(enc(key + "2")).isEqualTo(encBefore);
        }
        assertThat(enc("big")).isEqualTo("skiplist");
        assertThat(dump("big")[0]).isEqualTo((byte) 5);
    }

    @Test
    void restoresLegacyZsetPayloads() {
        // type 5 (ZSET_2): 2 elements, greatest first: "b" 2.0, "a" 1.0 as little-endian doubles
        byte[] zset2 = payload(new byte[] {5, 2, 1, 'b', 0, 0, 0, 0, 0, 0, 0, 0x40, 1, 'a', 0, 0, 0, 0, 0, 0, (byte) 0xf0, 0x3f});
        assertThat(h.call(b("RESTORE"), b("k2"), b("0"), zset2)).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(flat("ZRANGE", "k2", "0", "-1", "WITHSCORES")).containsExactly("a", "1", "b", "2");
        assertThat(enc("k2")).isEqualTo("listpack");
        // type 3 (ZSET): scores as text, 254 = +inf
        byte[] zset1 = payload(new byte[] {3, 2, 1, 'x', 3, '2', '.', '5', 1, 'y', (byte) 254});
        assertThat(h.call(b("RESTORE"), b("k1"), b("0"), zset1)).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(flat("ZRANGE", "k1", "0", "-1", "WITHSCORES")).containsExactly("x", "2.5", "y", "inf");
        // type 12 (ZSET_ZIPLIST): "a", 1 (immediate int), "b", "2.5"
        byte[] zl = {0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 1, 'a', 3, (byte) 0xf2, 2, 1, 'b', 3, 3, '2', '.', '5', (byte) 0xff};
        zl[0] = (byte) zl.length;
        byte[] zip = new byte[zl.length + 2];
        zip[0] = 12;
        zip[1] = (byte) zl.length;
        System.arraycopy(zl, 0, zip, 2, zl.length);
        assertThat(h.call(b("RESTORE"), b("k3"), b("0"), payload(zip))).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(flat("ZRANGE", "k3", "0", "-1", "WITHSCORES")).containsExactly("a", "1", "b", "2.5");
        // duplicate members are refused
        byte[] dup = payload(new byte[] {5, 2, 1, 'a', 0, 0, 0, 0, 0, 0, 0, 0x40, 1, 'a', 0, 0, 0, 0, 0, 0, (byte) 0xf0, 0x3f});
        assertThat(h.call(b("RESTORE"), b("k4"), b("0"), dup)).isInstanceOf(RespValue.Error.class);
        assertThat(h.integer("EXISTS", "k4")).isZero();
    }

    /** Appends RDB version 10 and the CRC-64 footer. */
    private static byte[] payload(byte[] body) {
        byte[] p = java.util.Arrays.copyOf(body, body.length + 10);
        p[body.length] = 10;
        long crc = io.jkevy.engine.rdb.Crc64.update(0, p, 0, body.length + 2);
        for (int i = 0; i < 8; i++) p[body.length + 2 + i] = (byte) (crc >>> (8 * i));
        return p;
    }

    @Test
    void plainSetsAreInputsScoredOne() {
        h.call("SADD", "s", "a", "b");
        h.call("ZADD", "z", "5", "a", "7", "c");
        assertThat(h.call("ZUNION", "2", "s", "z", "WITHSCORES").toString()).contains("b").contains("c");
        assertThat(h.integer("ZINTERSTORE", "dst", "2", "s", "z")).isEqualTo(1);
        assertThat(h.bulk("ZSCORE", "dst", "a")).isEqualTo("6");
        assertThat(h.integer("ZINTERCARD", "2", "s", "z")).isEqualTo(1);
    }
}
