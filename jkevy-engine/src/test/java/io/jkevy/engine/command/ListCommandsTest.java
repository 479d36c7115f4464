package io.jkevy.engine.command;

import io.jkevy.engine.EngineHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.jkevy.engine.command.StringCommandsTestSupport.effects;
import static io.jkevy.engine.command.StringCommandsTestSupport.mark;
import static org.assertj.core.api.Assertions.assertThat;

class ListCommandsTest {
    static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    static final String SYNTAX = "ERR syntax error";
    static final String NOT_INT = "ERR value is not an integer or out of range";

    EngineHarness h;

    @BeforeEach
    void setUp() { h = new EngineHarness(); }

    /** RESP2 array of bulk strings, exactly as written on the wire. */
    static String arr(String... items) {
        StringBuilder sb = new StringBuilder("*").append(items.length).append("\r\n");
        for (String s : items) sb.append('$').append(s.length()).append("\r\n").append(s).append("\r\n");
        return sb.toString();
    }

    String range(String key) { return h.raw("LRANGE", key, "0", "-1"); }

    @Test
    void pushAndRangeAndLen() {
        long m = mark(h);
        assertThat(h.integer("RPUSH", "k", "a", "b")).isEqualTo(2);
        assertThat(h.integer("LPUSH", "k", "x", "y")).isEqualTo(4);
        assertThat(range("k")).isEqualTo(arr("y", "x", "a", "b"));
        assertThat(h.integer("LLEN", "k")).isEqualTo(4);
        assertThat(h.integer("LLEN", "nope")).isZero();
        assertThat(h.simple("TYPE", "k")).isEqualTo("list");
        assertThat(h.bulk("OBJECT", "ENCODING", "k")).isEqualTo("quicklist");
        assertThat(effects(h, m)).containsExactly("RPUSH k a b", "LPUSH k x y");
        assertThat(h.error("LPUSH", "k")).isEqualTo("ERR wrong number of arguments for 'lpush' command");
        h.simple("SET", "s", "v");
        assertThat(h.error("LPUSH", "s", "a")).isEqualTo(WRONGTYPE);
        assertThat(h.error("LLEN", "s")).isEqualTo(WRONGTYPE);
        assertThat(h.error("LRANGE", "s", "0", "1")).isEqualTo(WRONGTYPE);
    }

    @Test
    void pushxOnlyOnExistingLists() {
        long m = mark(h);
        assertThat(h.integer("LPUSHX", "k", "a")).isZero();
        assertThat(h.integer("RPUSHX", "k", "a")).isZero();
        assertThat(h.integer("EXISTS", "k")).isZero();
        h.integer("RPUSH", "k", "m");
        assertThat(h.integer("LPUSHX", "k", "a", "b")).isEqualTo(3);
        assertThat(h.integer("RPUSHX", "k", "z")).isEqualTo(4);
        assertThat(range("k")).isEqualTo(arr("b", "a", "m", "z"));
        assertThat(effects(h, m)).containsExactly("RPUSH k m", "LPUSHX k a b", "RPUSHX k z");
        h.simple("SET", "s", "v");
        assertThat(h.error("RPUSHX", "s", "a")).isEqualTo(WRONGTYPE);
    }

    @Test
    void popSingleAndCountShapes() {
        assertThat(h.raw("LPOP", "nope")).isEqualTo("$-1\r\n");
        assertThat(h.raw("LPOP", "nope", "2")).isEqualTo("*-1\r\n");
        assertThat(h.raw("RPOP", "nope", "0")).isEqualTo("*-1\r\n");
        h.protocol(3);
        assertThat(h.raw("LPOP", "nope")).isEqualTo("_\r\n");
        assertThat(h.raw("LPOP", "nope", "2")).isEqualTo("_\r\n");
        h.protocol(2);
        h.integer("RPUSH", "k", "a", "b", "c", "d");
        long m = mark(h);
        assertThat(h.raw("LPOP", "k", "0")).isEqualTo("*0\r\n");
        assertThat(h.bulk("LPOP", "k")).isEqualTo("a");
        assertThat(h.bulk("RPOP", "k")).isEqualTo("d");
        assertThat(h.raw("RPOP", "k", "5")).isEqualTo(arr("c", "b"));
        assertThat(h.integer("EXISTS", "k")).isZero();
        assertThat(effects(h, m)).containsExactly("LPOP k", "RPOP k", "RPOP k 5");
        h.integer("RPUSH", "k", "a", "b", "c");
        assertThat(h.raw("LPOP", "k", "2")).isEqualTo(arr("a", "b"));
        assertThat(h.error("LPOP", "k", "-1")).isEqualTo("ERR value is out of range, must be positive");
        assertThat(h.error("LPOP", "k", "x")).isEqualTo("ERR value is out of range, must be positive");
        assertThat(h.error("LPOP", "k", "1", "2")).isEqualTo("ERR wrong number of arguments for 'lpop' command");
        assertThat(h.error("RPOP")).isEqualTo("ERR wrong number of arguments for 'rpop' command");
        h.simple("SET", "s", "v");
        assertThat(h.error("LPOP", "s")).isEqualTo(WRONGTYPE);
        assertThat(h.error("RPOP", "s", "1")).isEqualTo(WRONGTYPE);
    }

    @Test
    void lindexAndLset() {
        h.integer("RPUSH", "k", "a", "b", "c");
        assertThat(h.bulk("LINDEX", "k", "0")).isEqualTo("a");
        assertThat(h.bulk("LINDEX", "k", "-1")).isEqualTo("c");
        assertThat(h.bulk("LINDEX", "k", "-3")).isEqualTo("a");
        assertThat(h.bulk("LINDEX", "k", "3")).isNull();
        assertThat(h.bulk("LINDEX", "k", "-4")).isNull();
        assertThat(h.bulk("LINDEX", "nope", "0")).isNull();
        assertThat(h.error("LINDEX", "k", "x")).isEqualTo(NOT_INT);
        long m = mark(h);
        assertThat(h.simple("LSET", "k", "-1", "z")).isEqualTo("OK");
        assertThat(h.simple("LSET", "k", "1", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")).isEqualTo("OK");
        assertThat(h.bulk("LINDEX", "k", "2")).isEqualTo("z");
        assertThat(h.error("LSET", "k", "3", "v")).isEqualTo("ERR index out of range");
        assertThat(h.error("LSET", "k", "-4", "v")).isEqualTo("ERR index out of range");
        assertThat(h.error("LSET", "nope", "x", "v")).isEqualTo("ERR no such key");
        assertThat(h.error("LSET", "k", "x", "v")).isEqualTo(NOT_INT);
        assertThat(effects(h, m)).hasSize(2).first().isEqualTo("LSET k -1 z");
        h.simple("SET", "s", "v");
        assertThat(h.error("LSET", "s", "0", "v")).isEqualTo(WRONGTYPE);
        assertThat(h.error("LINDEX", "s", "0")).isEqualTo(WRONGTYPE);
    }

    @Test
    void lrangeBounds() {
        h.integer("RPUSH", "k", "a", "b", "c", "d");
        assertThat(h.raw("LRANGE", "k", "1", "2")).isEqualTo(arr("b", "c"));
        assertThat(h.raw("LRANGE", "k", "-2", "-1")).isEqualTo(arr("c", "d"));
        assertThat(h.raw("LRANGE", "k", "-100", "100")).isEqualTo(arr("a", "b", "c", "d"));
        assertThat(h.raw("LRANGE", "k", "2", "1")).isEqualTo("*0\r\n");
        assertThat(h.raw("LRANGE", "k", "4", "10")).isEqualTo("*0\r\n");
        assertThat(h.raw("LRANGE", "k", "-100", "-5")).isEqualTo("*0\r\n");
        assertThat(h.raw("LRANGE", "k", "-9223372036854775808", "9223372036854775807")).isEqualTo(arr("a", "b", "c", "d"));
        assertThat(h.raw("LRANGE", "nope", "0", "-1")).isEqualTo("*0\r\n");
        assertThat(h.error("LRANGE", "nope", "a", "1")).isEqualTo(NOT_INT);
        assertThat(h.error("LRANGE", "k", "0")).isEqualTo("ERR wrong number of arguments for 'lrange' command");
    }

    @Test
    void ltrim() {
        h.integer("RPUSH", "k", "a", "b", "c", "d", "e");
        long m = mark(h);
        assertThat(h.simple("LTRIM", "k", "1", "-2")).isEqualTo("OK");
        assertThat(range("k")).isEqualTo(arr("b", "c", "d"));
        assertThat(h.simple("LTRIM", "k", "0", "100")).isEqualTo("OK"); // nothing removed: no effect
        assertThat(h.simple("LTRIM", "nope", "0", "1")).isEqualTo("OK");
        assertThat(h.simple("LTRIM", "k", "2", "1")).isEqualTo("OK");
        assertThat(h.integer("EXISTS", "k")).isZero();
        assertThat(effects(h, m)).containsExactly("LTRIM k 1 -2", "LTRIM k 2 1");
        assertThat(h.error("LTRIM", "k", "x", "1")).isEqualTo(NOT_INT);
        h.simple("SET", "s", "v");
        assertThat(h.error("LTRIM", "s", "0", "1")).isEqualTo(WRONGTYPE);
    }

    @Test
    void lrem() {
        h.integer("RPUSH", "k", "a", "x", "b", "x", "c", "x");
        long m = mark(h);
        assertThat(h.integer("LREM", "k", "-2", "x")).isEqualTo(2);
        assertThat(range("k")).isEqualTo(arr("a", "x", "b", "c"));
        assertThat(h.integer("LREM", "k", "0", "nomatch")).isZero();
        assertThat(h.integer("LREM", "k", "1", "x")).isEqualTo(1);
        assertThat(h.integer("LREM", "nope", "1", "x")).isZero();
        assertThat(h.integer("LREM", "k", "0", "a")).isEqualTo(1);
        h.integer("RPUSH", "k", "b");
        assertThat(h.integer("LREM", "k", "0", "b")).isEqualTo(2);
        assertThat(range("k")).isEqualTo(arr("c"));
        assertThat(h.integer("LREM", "k", "0", "c")).isEqualTo(1);
        assertThat(h.integer("EXISTS", "k")).isZero();
        assertThat(effects(h, m)).containsExactly("LREM k -2 x", "LREM k 1 x", "LREM k 0 a", "RPUSH k b", "LREM k 0 b", "LREM k 0 c");
        assertThat(h.error("LREM", "k", "x", "c")).isEqualTo(NOT_INT);
        h.simple("SET", "s", "v");
        assertThat(h.error("LREM", "s", "0", "v")).isEqualTo(WRONGTYPE);
    }

    @Test
    void linsert() {
        h.integer("RPUSH", "k", "a", "c");
        long m = mark(h);
        assertThat(h.integer("LINSERT", "k", "BEFORE", "c", "b")).isEqualTo(3);
        assertThat(h.integer("LINSERT", "k", "after", "c", "d")).isEqualTo(4);
        assertThat(h.integer("LINSERT", "k", "after", "zz", "d")).isEqualTo(-1);
        assertThat(h.integer("LINSERT", "nope", "after", "zz", "d")).isZero();
        assertThat(range("k")).isEqualTo(arr("a", "b", "c", "d"));
        assertThat(effects(h, m)).containsExactly("LINSERT k BEFORE c b", "LINSERT k after c d");
        assertThat(h.error("LINSERT", "k", "middle", "c", "d")).isEqualTo(SYNTAX);
        assertThat(h.error("LINSERT", "nope", "middle", "c", "d")).isEqualTo(SYNTAX);
        h.simple("SET", "s", "v");
        assertThat(h.error("LINSERT", "s", "before", "c", "d")).isEqualTo(WRONGTYPE);
    }

    @Test
    void lpos() {
        h.integer("RPUSH", "k", "a", "b", "c", "1", "2", "3", "c", "c");
        assertThat(h.integer("LPOS", "k", "c")).isEqualTo(2);
        assertThat(h.integer("LPOS", "k", "c", "RANK", "2")).isEqualTo(6);
        assertThat(h.integer("LPOS", "k", "c", "RANK", "-1")).isEqualTo(7);
        assertThat(h.integer("LPOS", "k", "c", "RANK", "-3")).isEqualTo(2);
        assertThat(h.bulk("LPOS", "k", "c", "RANK", "4")).isNull();
        assertThat(h.raw("LPOS", "k", "c", "COUNT", "0")).isEqualTo(":2\r\n:6\r\n:7\r\n".replaceFirst("^", "*3\r\n"));
        assertThat(h.raw("LPOS", "k", "c", "COUNT", "2")).isEqualTo("*2\r\n:2\r\n:6\r\n");
        assertThat(h.raw("LPOS", "k", "c", "RANK", "-1", "COUNT", "2")).isEqualTo("*2\r\n:7\r\n:6\r\n");
        assertThat(h.raw("LPOS", "k", "c", "COUNT", "0", "MAXLEN", "7")).isEqualTo("*2\r\n:2\r\n:6\r\n");
        assertThat(h.raw("LPOS", "k", "c", "RANK", "-1", "MAXLEN", "1")).isEqualTo(":7\r\n");
        assertThat(h.bulk("LPOS", "k", "c", "MAXLEN", "2")).isNull();
        assertThat(h.raw("LPOS", "k", "zz", "COUNT", "1")).isEqualTo("*0\r\n");
        assertThat(h.raw("LPOS", "nope", "zz", "COUNT", "1")).isEqualTo("*0\r\n");
        assertThat(h.raw("LPOS", "nope", "zz")).isEqualTo("$-1\r\n");
        assertThat(h.error("LPOS", "k", "c", "RANK", "0")).isEqualTo("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
        assertThat(h.error("LPOS", "k", "c", "RANK", "-9223372036854775808"))
            .isEqualTo("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        assertThat(h.error("LPOS", "k", "c", "COUNT", "-1")).isEqualTo("ERR COUNT can't be negative");
        assertThat(h.error("LPOS", "k", "c", "MAXLEN", "-1")).isEqualTo("ERR MAXLEN can't be negative");
        assertThat(h.error("LPOS", "k", "c", "RANK")).isEqualTo(SYNTAX);
        assertThat(h.error("LPOS", "k", "c", "FOO", "1")).isEqualTo(SYNTAX);
        assertThat(h.error("LPOS", "k", "c", "COUNT", "x")).isEqualTo(NOT_INT);
        h.simple("SET", "s", "v");
        assertThat(h.error("LPOS", "s", "v")).isEqualTo(WRONGTYPE);
    }

    @Test
    void lmoveAndRpoplpush() {
        h.integer("RPUSH", "src", "a", "b", "c");
        long m = mark(h);
        assertThat(h.bulk("RPOPLPUSH", "src", "dst")).isEqualTo("c");
        assertThat(h.bulk("LMOVE", "src", "dst", "LEFT", "RIGHT")).isEqualTo("a");
        assertThat(range("dst")).isEqualTo(arr("c", "a"));
        assertThat(h.bulk("LMOVE", "dst", "dst", "left", "right")).isEqualTo("c");
        assertThat(range("dst")).isEqualTo(arr("a", "c"));
        assertThat(h.bulk("LMOVE", "src", "dst", "right", "left")).isEqualTo("b");
        assertThat(h.integer("EXISTS", "src")).isZero();
        assertThat(range("dst")).isEqualTo(arr("b", "a", "c"));
        assertThat(h.bulk("RPOPLPUSH", "nope", "dst")).isNull();
        assertThat(effects(h, m)).containsExactly("RPOPLPUSH src dst", "LMOVE src dst LEFT RIGHT",
            "LMOVE dst dst left right", "LMOVE src dst right left");
        h.integer("RPUSH", "one", "x");
        assertThat(h.bulk("RPOPLPUSH", "one", "one")).isEqualTo("x");
        assertThat(range("one")).isEqualTo(arr("x"));
        h.simple("SET", "s", "v");
        assertThat(h.error("RPOPLPUSH", "dst", "s")).isEqualTo(WRONGTYPE);
        assertThat(range("dst")).as("nothing popped on a wrong-type destination").isEqualTo(arr("b", "a", "c"));
        assertThat(h.error("LMOVE", "s", "dst", "left", "left")).isEqualTo(WRONGTYPE);
        assertThat(h.bulk("LMOVE", "nope", "s", "left", "left")).isNull();
        assertThat(h.error("LMOVE", "dst", "x", "up", "left")).isEqualTo(SYNTAX);
        assertThat(h.error("LMOVE", "dst", "x", "left", "down")).isEqualTo(SYNTAX);
        assertThat(h.error("LMOVE", "dst", "x", "left")).isEqualTo("ERR wrong number of arguments for 'lmove' command");
    }

    @Test
    void lmpop() {
        h.integer("RPUSH", "b", "1", "2", "3");
        long m = mark(h);
        assertThat(h.raw("LMPOP", "2", "a", "b", "LEFT")).isEqualTo("*2\r\n$1\r\nb\r\n" + arr("1"));
        assertThat(h.raw("LMPOP", "2", "a", "b", "right", "COUNT", "10")).isEqualTo("*2\r\n$1\r\nb\r\n" + arr("3", "2"));
        assertThat(h.integer("EXISTS", "b")).isZero();
        assertThat(h.raw("LMPOP", "2", "a", "b", "left")).isEqualTo("*-1\r\n");
        assertThat(effects(h, m)).containsExactly("LPOP b 1", "RPOP b 2");
        h.protocol(3);
        assertThat(h.raw("LMPOP", "1", "a", "left")).isEqualTo("_\r\n");
        h.protocol(2);
        assertThat(h.error("LMPOP", "0", "a", "left")).isEqualTo("ERR numkeys should be greater than 0");
        assertThat(h.error("LMPOP", "x", "a", "left")).isEqualTo("ERR numkeys should be greater than 0");
        assertThat(h.error("LMPOP", "2", "a", "left")).isEqualTo(SYNTAX);
        assertThat(h.error("LMPOP", "9223372036854775807", "a", "left")).isEqualTo(SYNTAX);
        assertThat(h.error("LMPOP", "1", "a", "middle")).isEqualTo(SYNTAX);
        assertThat(h.error("LMPOP", "1", "a", "left", "COUNT", "0")).isEqualTo("ERR count should be greater than 0");
        assertThat(h.error("LMPOP", "1", "a", "left", "COUNT", "x")).isEqualTo("ERR count should be greater than 0");
        assertThat(h.error("LMPOP", "1", "a", "left", "COUNT", "1", "COUNT", "1")).isEqualTo(SYNTAX);
        assertThat(h.error("LMPOP", "1", "a", "left", "COUNT")).isEqualTo(SYNTAX);
        assertThat(h.error("LMPOP", "1", "a")).isEqualTo("ERR wrong number of arguments for 'lmpop' command");
        h.simple("SET", "s", "v");
        h.integer("RPUSH", "l", "x");
        assertThat(h.error("LMPOP", "2", "s", "l", "left")).isEqualTo(WRONGTYPE);
        assertThat(h.integer("LLEN", "l")).isEqualTo(1);
    }

    @Test
    void expiredKeysAreAbsentAndTtlSurvivesPushes() {
        h.integer("RPUSH", "k", "a");
        h.integer("PEXPIRE", "k", "100");
        h.integer("RPUSH", "k", "b");
        assertThat(h.integer("PTTL", "k")).isEqualTo(100);
        h.advance(101);
        assertThat(h.integer("LLEN", "k")).isZero();
        assertThat(h.integer("LPUSHX", "k", "a")).isZero();
        assertThat(h.bulk("LPOP", "k")).isNull();
    }

    @Test
    void bigListsSpanNodesAndStayConsistent() {
        h.simple("CONFIG", "SET", "list-max-listpack-size", "4");
        List<String> args = new ArrayList<>(List.of("RPUSH", "k"));
        for (int i = 0; i < 50; i++) args.add("e" + i);
        assertThat(h.integer(args.toArray(new String[0]))).isEqualTo(50);
        assertThat(h.bulk("LINDEX", "k", "37")).isEqualTo("e37");
        assertThat(h.integer("LINSERT", "k", "before", "e20", "new")).isEqualTo(51);
        assertThat(h.integer("LPOS", "k", "e20")).isEqualTo(21);
        assertThat(h.raw("LRANGE", "k", "19", "22")).isEqualTo(arr("e19", "new", "e20", "e21"));
        assertThat(h.simple("LTRIM", "k", "10", "-10")).isEqualTo("OK");
        assertThat(h.integer("LLEN", "k")).isEqualTo(32);
        assertThat(h.bulk("LINDEX", "k", "0")).isEqualTo("e10");
        assertThat(h.bulk("LINDEX", "k", "-1")).isEqualTo("e40");
    }

    @Test
    void keyspaceStatsCountReadsOnly() {
        h.integer("RPUSH", "k", "a");
        h.bulk("LINDEX", "k", "0");
        h.bulk("LINDEX", "nope", "0");
        h.integer("RPUSH", "k", "b");
        assertThat(h.engine.stats().keyspaceHits.sum()).isEqualTo(1);
        assertThat(h.engine.stats().keyspaceMisses.sum()).isEqualTo(1);
    }

    @Test
    void copyDigestAndCommandInfo() {
        h.integer("RPUSH", "k", "a", "b");
        assertThat(h.integer("COPY", "k", "k2")).isEqualTo(1);
        h.integer("RPUSH", "k2", "c");
        assertThat(range("k")).isEqualTo(arr("a", "b"));
        String d1 = h.call("DEBUG", "DIGEST-VALUE", "k").toString();
        h.integer("RPUSH", "x", "b", "a");
        assertThat(h.call("DEBUG", "DIGEST-VALUE", "x").toString()).isNotEqualTo(h.call("DEBUG", "DIGEST-VALUE", "k").toString());
        h.integer("DEL", "x");
        h.integer("RPUSH", "x", "a", "b");
        assertThat(h.call("DEBUG", "DIGEST-VALUE", "x").toString()).isEqualTo(h.call("DEBUG", "DIGEST-VALUE", "k").toString());
        assertThat(h.call("DEBUG", "DIGEST-VALUE", "k").toString()).isEqualTo(d1);
        assertThat(h.call("DEBUG", "DIGEST-VALUE", "k2").toString()).isNotEqualTo(d1);
        assertThat(h.call("COMMAND", "INFO", "lmpop").toString()).contains("movablekeys");
    }
}
