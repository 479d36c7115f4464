package io.jkevy.engine.command;

import io.jkevy.engine.EngineHarness;
import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.jkevy.engine.command.StringCommandsTestSupport.effects;
import static io.jkevy.engine.command.StringCommandsTestSupport.mark;
import static org.assertj.core.api.Assertions.assertThat;

class StreamCommandsTest {
    static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    static final String BAD_ID = "ERR Invalid stream ID specified as stream command argument";

    EngineHarness h;

    @BeforeEach
    void setUp() { h = new EngineHarness(); }

    /** Renders a reply compactly: arrays as [a,b], nulls as nil. */
    static String show(RespValue v) {
        if (v == null || v instanceof RespValue.Null) return "nil";
        if (v instanceof RespValue.Bulk b) return b.value() == null ? "nil" : new String(b.value(), StandardCharsets.UTF_8);
        if (v instanceof RespValue.Integer i) return Long.toString(i.value());
        if (v instanceof RespValue.SimpleString s) return s.value();
        if (v instanceof RespValue.Error e) return "ERR:" + e.message();
        if (v instanceof RespValue.Array a) {
            if (a.elements() == null) return "nil";
            List<String> parts = new ArrayList<>();
            for (RespValue x : a.elements()) parts.add(show(x));
            return "[" + String.join(",", parts) + "]";
        }
        return v.toString();
    }

    String s(String... args) { return show(h.call(args)); }

    @Test
    void xaddExplicitIdsAndErrors() {
        assertThat(h.bulk("XADD", "s", "1-1", "a", "1")).isEqualTo("1-1");
        assertThat(h.bulk("XADD", "s", "1-*", "b", "2")).isEqualTo("1-2");
        assertThat(h.bulk("XADD", "s", "5-*", "c", "3")).isEqualTo("5-0");
        assertThat(h.error("XADD", "s", "5-0", "d", "4"))
                .isEqualTo("ERR The ID specified in XADD is equal or smaller than the target stream top item");
        assertThat(h.error("XADD", "s", "4-*", "d", "4"))
                .isEqualTo("ERR The ID specified in XADD is equal or smaller than the target stream top item");
        assertThat(h.error("XADD", "t", "0-0", "a", "1")).isEqualTo("ERR The ID specified in XADD must be greater than 0-0");
        assertThat(h.bulk("XADD", "t", "0-*", "a", "1")).isEqualTo("0-1");
        assertThat(h.error("XADD", "s", "6-0", "a")).isEqualTo("ERR wrong number of arguments for 'xadd' command");
        assertThat(h.error("XADD", "s", "abc", "a", "1")).isEqualTo(BAD_ID);
        assertThat(h.error("XADD", "s", "-", "a", "1")).isEqualTo(BAD_ID);
        assertThat(h.error("XADD", "s", "1-", "a", "1")).isEqualTo(BAD_ID);
        assertThat(h.error("XADD", "s", "18446744073709551616-0", "a", "1")).isEqualTo(BAD_ID);
        assertThat(h.bulk("XADD", "s", "18446744073709551615-18446744073709551615", "a", "1"))
                .isEqualTo("18446744073709551615-18446744073709551615");
        assertThat(h.error("XADD", "s", "*", "a", "1"))
                .isEqualTo("ERR The stream has exhausted the last possible ID, unable to add more items");
        assertThat(h.integer("XLEN", "s")).isEqualTo(4);
        h.simple("SET", "str", "x");
        assertThat(h.error("XADD", "str", "*", "a", "1")).isEqualTo(WRONGTYPE);
        assertThat(h.error("XLEN", "str")).isEqualTo(WRONGTYPE);
        assertThat(h.integer("XLEN", "nokey")).isZero();
        assertThat(h.simple("TYPE", "s")).isEqualTo("stream");
        assertThat(h.bulk("OBJECT", "ENCODING", "s")).isEqualTo("stream");
    }

    @Test
    void xaddStarUsesClockAndPropagatesConcreteId() {
        long m = mark(h);
        long now = h.now();
        assertThat(h.bulk("XADD", "s", "*", "f", "v")).isEqualTo(now + "-0");
        assertThat(h.bulk("XADD", "s", "*", "f", "v")).isEqualTo(now + "-1");
        h.advance(5);
        assertThat(h.bulk("XADD", "s", "*", "f", "v")).isEqualTo((now + 5) + "-0");
        assertThat(effects(h, m)).containsExactly(
                "XADD s " + now + "-0 f v", "XADD s " + now + "-1 f v", "XADD s " + (now + 5) + "-0 f v");
        // a clock behind the top id continues from the top id
        h.call("XADD", "b", "99999999999999-5", "f", "v");
        assertThat(h.bulk("XADD", "b", "*", "f", "v")).isEqualTo("99999999999999-6");
    }

    @Test
    void nomkstream() {
        long m = mark(h);
        assertThat(s("XADD", "s", "NOMKSTREAM", "*", "a", "1")).isEqualTo("nil");
        assertThat(h.integer("EXISTS", "s")).isZero();
        h.call("XADD", "s", "1-0", "a", "1");
        assertThat(h.bulk("XADD", "s", "NOMKSTREAM", "2-0", "a", "1")).isEqualTo("2-0");
        assertThat(effects(h, m)).containsExactly("XADD s 1-0 a 1", "XADD s 2-0 a 1");
    }

    @Test
    void xaddTrimming() {
        for (int i = 1; i <= 10; i++) h.call("XADD", "s", i + "-0", "f", "v" + i);
        long m = mark(h);
        assertThat(h.bulk("XADD", "s", "MAXLEN", "5", "11-0", "f", "v")).isEqualTo("11-0");
        assertThat(h.integer("XLEN", "s")).isEqualTo(5);
        assertThat(s("XRANGE", "s", "-", "+", "COUNT", "1")).isEqualTo("[[7-0,[f,v7]]]");
        h.call("XADD", "s", "MINID", "=", "9", "12-0", "f", "v");
        assertThat(s("XRANGE", "s", "-", "-")).isEqualTo("[]");
        assertThat(h.integer("XLEN", "s")).isEqualTo(4);
        assertThat(effects(h, m)).containsExactly("XADD s MAXLEN = 5 11-0 f v", "XADD s MAXLEN = 4 12-0 f v");
        assertThat(h.error("XADD", "s", "MAXLEN", "-1", "*", "f", "v")).isEqualTo("ERR The MAXLEN argument must be >= 0.");
        assertThat(h.error("XADD", "s", "MAXLEN", "1", "MINID", "1", "*", "f", "v"))
                .isEqualTo("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
        assertThat(h.error("XADD", "s", "MAXLEN", "1", "LIMIT", "1", "*", "f", "v"))
                .isEqualTo("ERR syntax error, LIMIT cannot be used without the special ~ option");
        assertThat(h.error("XADD", "s", "MAXLEN", "x", "*", "f", "v")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(h.integer("XLEN", "s")).isEqualTo(4);
    }

    @Test
    void approximateTrimRemovesWholeNodesOnly() {
        h.simple("CONFIG", "SET", "stream-node-max-entries", "10");
        for (int i = 1; i <= 25; i++) h.call("XADD", "s", i + "-0", "f", "v");
        long m = mark(h);
        assertThat(h.integer("XTRIM", "s", "MAXLEN", "~", "12")).isEqualTo(10);
        assertThat(h.integer("XLEN", "s")).isEqualTo(15);
        assertThat(h.integer("XTRIM", "s", "MAXLEN", "~", "12")).isZero();
        assertThat(h.integer("XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "5")).isZero();
        assertThat(h.integer("XTRIM", "s", "MAXLEN", "12")).isEqualTo(3);
        assertThat(h.integer("XTRIM", "s", "MINID", "20")).isEqualTo(6);
        assertThat(s("XRANGE", "s", "-", "+", "COUNT", "1")).isEqualTo("[[20-0,[f,v]]]");
        assertThat(effects(h, m)).containsExactly("XTRIM s MAXLEN = 15", "XTRIM s MAXLEN = 12", "XTRIM s MAXLEN = 6");
        assertThat(h.integer("XTRIM", "nokey", "MAXLEN", "0")).isZero();
        assertThat(h.error("XTRIM", "s", "FOO", "0")).isEqualTo("ERR syntax error");
        assertThat(h.error("XTRIM", "s", "MINID", "x")).isEqualTo(BAD_ID);
    }

    @Test
    void xrangeAndXrevrange() {
        for (int i = 1; i <= 5; i++) h.call("XADD", "s", "1-" + i, "f" + i, "v" + i);
        assertThat(s("XRANGE", "s", "-", "+")).isEqualTo(
                "[[1-1,[f1,v1]],[1-2,[f2,v2]],[1-3,[f3,v3]],[1-4,[f4,v4]],[1-5,[f5,v5]]]");
        assertThat(s("XRANGE", "s", "(1-2", "(1-4")).isEqualTo("[[1-3,[f3,v3]]]");
        assertThat(s("XRANGE", "s", "1-2", "1-3")).isEqualTo("[[1-2,[f2,v2]],[1-3,[f3,v3]]]");
        assertThat(s("XRANGE", "s", "1", "1", "COUNT", "2")).isEqualTo("[[1-1,[f1,v1]],[1-2,[f2,v2]]]");
        assertThat(s("XRANGE", "s", "-", "+", "COUNT", "0")).isEqualTo("nil");
        assertThat(s("XRANGE", "s", "-", "+", "COUNT", "-3")).isEqualTo("nil");
        assertThat(s("XRANGE", "s", "3", "2")).isEqualTo("[]");
        assertThat(s("XREVRANGE", "s", "+", "-", "COUNT", "2")).isEqualTo("[[1-5,[f5,v5]],[1-4,[f4,v4]]]");
        assertThat(s("XREVRANGE", "s", "(1-4", "(1-1")).isEqualTo("[[1-3,[f3,v3]],[1-2,[f2,v2]]]");
        assertThat(s("XRANGE", "nokey", "-", "+")).isEqualTo("[]");
        assertThat(h.error("XRANGE", "s", "(18446744073709551615-18446744073709551615", "+"))
                .isEqualTo("ERR invalid start ID for the interval");
        assertThat(h.error("XRANGE", "s", "-", "(0-0")).isEqualTo("ERR invalid end ID for the interval");
        assertThat(h.error("XRANGE", "s", "(-", "+")).isEqualTo(BAD_ID);
        assertThat(h.error("XRANGE", "s", "-", "+", "COUNT")).isEqualTo("ERR syntax error");
        assertThat(h.error("XRANGE", "s", "-", "+", "COUNT", "x")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(h.error("XRANGE", "s", "-")).isEqualTo("ERR wrong number of arguments for 'xrange' command");
        h.simple("SET", "str", "x");
        assertThat(h.error("XRANGE", "str", "-", "+")).isEqualTo(WRONGTYPE);
    }

    @Test
    void rangesAcrossManyNodesAndDeletes() {
        h.simple("CONFIG", "SET", "stream-node-max-entries", "3");
        for (int i = 1; i <= 20; i++) h.call("XADD", "s", i + "-0", "f", "v");
        for (int i = 2; i <= 20; i += 3) h.call("XDEL", "s", i + "-0");
        List<String> expect = new ArrayList<>();
        for (int i = 1; i <= 20; i++) if ((i - 2) % 3 != 0) expect.add(i + "-0");
        RespValue.Array all = (RespValue.Array) h.call("XRANGE", "s", "-", "+");
        List<String> ids = new ArrayList<>();
        for (RespValue e : all.elements()) ids.add(show(((RespValue.Array) e).elements().get(0)));
        assertThat(ids).isEqualTo(expect);
        RespValue.Array rev = (RespValue.Array) h.call("XREVRANGE", "s", "15", "4");
        List<String> rids = new ArrayList<>();
        for (RespValue e : rev.elements()) rids.add(show(((RespValue.Array) e).elements().get(0)));
        List<String> r = new ArrayList<>(expect.stream().filter(x -> {
            int v = Integer.parseInt(x.substring(0, x.indexOf('-')));
            return v >= 4 && v <= 15;
        }).toList());
        java.util.Collections.reverse(r);
        assertThat(rids).isEqualTo(r);
    }

    @Test
    void xdelKeepsEmptyStreamAndPropagatesDeletedOnly() {
        h.call("XADD", "s", "1-0", "a", "1");
        h.call("XADD", "s", "2-0", "a", "2");
        long m = mark(h);
        assertThat(h.integer("XDEL", "s", "1-0", "3-0", "1-0")).isEqualTo(1);
        assertThat(h.integer("XDEL", "s", "9-9")).isZero();
        assertThat(h.integer("XDEL", "s", "2-0")).isEqualTo(1);
        assertThat(h.integer("XLEN", "s")).isZero();
        assertThat(h.integer("EXISTS", "s")).isEqualTo(1);
        assertThat(effects(h, m)).containsExactly("XDEL s 1-0", "XDEL s 2-0");
        assertThat(h.error("XDEL", "s", "x")).isEqualTo(BAD_ID);
        assertThat(h.integer("XDEL", "nokey", "1-0")).isZero();
        // the top id survives deletion: a lower id is still refused
        assertThat(h.error("XADD", "s", "2-0", "a", "1"))
                .isEqualTo("ERR The ID specified in XADD is equal or smaller than the target stream top item");
    }

    @Test
    void xread() {
        h.call("XADD", "a", "1-0", "f", "1");
        h.call("XADD", "a", "2-0", "f", "2");
        h.call("XADD", "b", "3-0", "g", "3");
        assertThat(s("XREAD", "STREAMS", "a", "b", "0", "0")).isEqualTo("[[a,[[1-0,[f,1]],[2-0,[f,2]]]],[b,[[3-0,[g,3]]]]]");
        assertThat(s("XREAD", "COUNT", "1", "STREAMS", "a", "b", "1", "0")).isEqualTo("[[a,[[2-0,[f,2]]]],[b,[[3-0,[g,3]]]]]");
        assertThat(s("XREAD", "STREAMS", "a", "b", "$", "$")).isEqualTo("nil");
        assertThat(s("XREAD", "STREAMS", "a", "nokey", "1", "0")).isEqualTo("[[a,[[2-0,[f,2]]]]]");
        assertThat(s("XREAD", "STREAMS", "a", "18446744073709551615-18446744073709551615")).isEqualTo("nil");
        assertThat(s("XREAD", "BLOCK", "0", "STREAMS", "a", "0")).isEqualTo("[[a,[[1-0,[f,1]],[2-0,[f,2]]]]]");
        assertThat(h.error("XREAD", "BLOCK", "-1", "STREAMS", "a", "$")).isEqualTo("ERR timeout is negative");
        assertThat(h.error("XREAD", "STREAMS", "a", "b", "0"))
                .isEqualTo("ERR Unbalanced 'xread' list of streams: for each stream key an ID or '$' must be specified.");
        assertThat(h.error("XREAD", "STREAMS", "a", ">"))
                .isEqualTo("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.");
        assertThat(h.error("XREAD", "GROUP", "g", "c", "STREAMS", "a", "0"))
                .isEqualTo("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
        assertThat(h.error("XREAD", "COUNT", "1", "a", "0")).isEqualTo("ERR syntax error");
        assertThat(h.error("XREAD", "STREAMS", "a", "zz")).isEqualTo(BAD_ID);
        h.simple("SET", "str", "x");
        assertThat(h.error("XREAD", "STREAMS", "str", "0")).isEqualTo(WRONGTYPE);
        h.protocol(3);
        RespValue v = h.call("XREAD", "STREAMS", "b", "0");
        assertThat(v).isInstanceOf(RespValue.Map.class);
    }
}
