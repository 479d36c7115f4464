package io.jkevy.engine.command;

import io.jkevy.engine.EngineHarness;
import io.jkevy.journal.Frames;
import io.jkevy.journal.Journal;
import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SortCommandTest {
    private static final String NOT_DOUBLE = "ERR One or more scores can't be converted into double";
    private static final String SYNTAX = "ERR syntax error";
    private static final String NOT_INT = "ERR value is not an integer or out of range";
    private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    EngineHarness h;

    @BeforeEach
    void setUp() { h = new EngineHarness(); }

    // ---- helpers ---------------------------------------------------------------------

    /** An array reply as strings (ISO-8859-1), null for null elements. */
    List<String> arr(String... args) {
        RespValue v = h.call(args);
        if (!(v instanceof RespValue.Array a)) throw new AssertionError("expected array for " + Arrays.toString(args) + ", got " + v);
        List<String> out = new ArrayList<>();
        for (RespValue e : a.elements()) {
            if (e instanceof RespValue.Null) out.add(null);
            else if (e instanceof RespValue.Bulk b) out.add(b.value() == null ? null : new String(b.value(), StandardCharsets.UTF_8));
            else throw new AssertionError("unexpected element " + e);
        }
        return out;
    }

    List<String> list(String key) { return arr("LRANGE", key, "0", "-1"); }

    long mark() { return h.engine.journal().nextOffset(); }

    /** Frames journaled since {@code from} as space-joined argv, SELECT frames left out. */
    List<String> effects(long from) {
        Journal.Read r = h.engine.journal().read(from, 100_000);
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

    long stat(String name) {
        for (String line : h.bulk("INFO", "stats").split("\r\n")) {
            if (line.startsWith(name + ":")) return Long.parseLong(line.substring(name.length() + 1));
        }
        throw new AssertionError(name);
    }

    void weights() {
        h.call("RPUSH", "l", "a", "b", "c", "d");
        h.call("SET", "w_a", "30");
        h.call("SET", "w_b", "10");
        h.call("SET", "w_c", "20");
        // w_d missing: weight 0
        h.call("HSET", "h_a", "f", "1", "name", "alice");
        h.call("HSET", "h_b", "f", "3", "name", "bob");
        h.call("HSET", "h_c", "f", "2");
        h.call("HSET", "h_d", "f", "4", "name", "dan");
    }

    // ---- numeric and ALPHA ordering ------------------------------------------------------

    @Test
    void numericSortOfListAscDesc() {
        h.call("RPUSH", "l", "3", "1", "2", "10", "-4.5");
        assertThat(arr("SORT", "l")).containsExactly("-4.5", "1", "2", "3", "10");
        assertThat(arr("SORT", "l", "ASC")).containsExactly("-4.5", "1", "2", "3", "10");
        assertThat(arr("SORT", "l", "DESC")).containsExactly("10", "3", "2", "1", "-4.5");
        assertThat(arr("SORT", "l", "desc", "asc")).containsExactly("-4.5", "1", "2", "3", "10");
        assertThat(arr("SORT_RO", "l", "DESC")).containsExactly("10", "3", "2", "1", "-4.5");
    }

    @Test
    void alphaSortIsByteOrder() {
        h.call("RPUSH", "l", "b", "10", "B", "a", "2", "\u00e9");
        assertThat(arr("SORT", "l", "ALPHA")).containsExactly("10", "2", "B", "a", "b", "\u00e9");
        assertThat(arr("SORT", "l", "ALPHA", "DESC")).containsExactly("\u00e9", "b", "a", "B", "2", "10");
    }

    @Test
    void nonNumericElementFailsNumericSort() {
        h.call("RPUSH", "l", "1", "a", "2");
        assertThat(h.error("SORT", "l")).isEqualTo(NOT_DOUBLE);
        assertThat(h.error("SORT_RO", "l", "LIMIT", "0", "1")).isEqualTo(NOT_DOUBLE);
    }

    @Test
    void numericParsingFollowsStrtod() {
        h.call("RPUSH", "l", "1e2", " 5", "0x10", "inf", "-inf", "", "+3.", ".5");
        assertThat(arr("SORT", "l")).containsExactly("-inf", "", ".5", "+3.", " 5", "0x10", "1e2", "inf");
        for (String bad : new String[] {"5 ", "nan", "1e400", "1e-400", "0x", "1e", "--1", " ", "1.2.3", "12abc"}) {
            h.call("DEL", "x");
            h.call("RPUSH", "x", "1", bad);
            assertThat(h.error("SORT", "x")).as(bad).isEqualTo(NOT_DOUBLE);
        }
    }

    @Test
    void equalScoresTieBreakOnElementBytesAndDescReversesIt() {
        h.call("RPUSH", "l", "1.0", "1", "01", "0", "-0");
        assertThat(arr("SORT", "l")).containsExactly("-0", "0", "01", "1", "1.0");
        assertThat(arr("SORT", "l", "DESC")).containsExactly("1.0", "1", "01", "0", "-0");
    }

    @Test
    void alphaComparesCStringsInRepliesButFullBytesWhenStoring() {
        h.call(b("RPUSH"), b("l"), b("b"), b("a\0z"), b("a\0b"));
        // strcoll stops at NUL: the two "a" strings tie and keep load order.
        assertThat(arr("SORT", "l", "ALPHA")).containsExactly("a\0z", "a\0b", "b");
        assertThat(h.integer("SORT", "l", "ALPHA", "STORE", "d")).isEqualTo(3);
        assertThat(list("d")).containsExactly("a\0b", "a\0z", "b");
    }

    // ---- sources ------------------------------------------------------------------------

    @Test
    void setsAndSortedSetsAreSorted() {
        h.call("SADD", "s", "5", "3", "9", "-1");
        assertThat(arr("SORT", "s")).containsExactly("-1", "3", "5", "9");
        h.call("SADD", "t", "pear", "apple", "fig");
        assertThat(arr("SORT", "t", "ALPHA")).containsExactly("apple", "fig", "pear");
        assertThat(h.error("SORT", "t")).isEqualTo(NOT_DOUBLE);
        h.call("ZADD", "z", "1", "30", "2", "10", "3", "20");
        assertThat(arr("SORT", "z")).containsExactly("10", "20", "30");
        assertThat(arr("SORT", "z", "DESC", "LIMIT", "0", "2")).containsExactly("30", "20");
    }

    @Test
    void missingKeySortsAsEmptyList() {
        assertThat(arr("SORT", "nokey")).isEmpty();
        assertThat(arr("SORT", "nokey", "BY", "nosort", "LIMIT", "0", "5")).isEmpty();
        assertThat(arr("SORT_RO", "nokey", "ALPHA", "DESC")).isEmpty();
    }

    @Test
    void wrongTypesAndErrors() {
        h.call("SET", "str", "x");
        h.call("HSET", "h", "f", "v");
        assertThat(h.error("SORT", "str")).isEqualTo(WRONGTYPE);
        assertThat(h.error("SORT_RO", "h")).isEqualTo(WRONGTYPE);
        assertThat(h.error("SORT")).isEqualTo("ERR wrong number of arguments for 'sort' command");
        assertThat(h.error("SORT_RO")).isEqualTo("ERR wrong number of arguments for 'sort_ro' command");
        h.call("RPUSH", "l", "1");
        assertThat(h.error("SORT", "l", "FOO")).isEqualTo(SYNTAX);
        assertThat(h.error("SORT", "l", "LIMIT", "1")).isEqualTo(SYNTAX);
        assertThat(h.error("SORT", "l", "STORE")).isEqualTo(SYNTAX);
        assertThat(h.error("SORT", "l", "BY")).isEqualTo(SYNTAX);
        assertThat(h.error("SORT", "l", "GET")).isEqualTo(SYNTAX);
        assertThat(h.error("SORT", "l", "LIMIT", "x", "1")).isEqualTo(NOT_INT);
        assertThat(h.error("SORT", "l", "LIMIT", "0", "99999999999999999999")).isEqualTo(NOT_INT);
        // SORT_RO has no STORE option at all.
        assertThat(h.error("SORT_RO", "l", "STORE", "d")).isEqualTo(SYNTAX);
        assertThat(h.integer("EXISTS", "d")).isZero();
        // Options are parsed before the key is looked up: a syntax error wins over WRONGTYPE.
        assertThat(h.error("SORT", "str", "FOO")).isEqualTo(SYNTAX);
    }

    // ---- LIMIT ---------------------------------------------------------------------------

    @Test
    void limitRanges() {
        h.call("RPUSH", "l", "5", "4", "3", "2", "1");
        assertThat(arr("SORT", "l", "LIMIT", "1", "2")).containsExactly("2", "3");
        assertThat(arr("SORT", "l", "LIMIT", "-5", "2")).containsExactly("1", "2");
        assertThat(arr("SORT", "l", "LIMIT", "3", "-1")).containsExactly("4", "5");
        assertThat(arr("SORT", "l", "LIMIT", "3", "100")).containsExactly("4", "5");
        assertThat(arr("SORT", "l", "LIMIT", "5", "1")).isEmpty();
        assertThat(arr("SORT", "l", "LIMIT", "0", "0")).isEmpty();
        assertThat(arr("SORT", "l", "LIMIT", "9223372036854775807", "9223372036854775807")).isEmpty();
        assertThat(arr("SORT", "l", "LIMIT", "1", "9223372036854775807")).containsExactly("2", "3", "4", "5");
        assertThat(arr("SORT", "l", "LIMIT", "0", "1", "LIMIT", "4", "1")).containsExactly("5");
        assertThat(arr("SORT", "l", "DESC", "LIMIT", "1", "2")).containsExactly("4", "3");
    }

    // ---- BY ------------------------------------------------------------------------------

    @Test
    void byStringKeysAndMissingWeightIsZero() {
        weights();
        assertThat(arr("SORT", "l", "BY", "w_*")).containsExactly("d", "b", "c", "a");
        assertThat(arr("SORT", "l", "BY", "w_*", "DESC")).containsExactly("a", "c", "b", "d");
        assertThat(arr("SORT", "l", "BY", "w_*", "LIMIT", "1", "2")).containsExactly("b", "c");
        h.call("SET", "w_d", "oops");
        assertThat(h.error("SORT", "l", "BY", "w_*")).isEqualTo(NOT_DOUBLE);
    }

    @Test
    void byHashField() {
        weights();
        assertThat(arr("SORT", "l", "BY", "h_*->f")).containsExactly("a", "c", "b", "d");
        // ALPHA BY: missing weights (h_c has no name) sort first.
        assertThat(arr("SORT", "l", "BY", "h_*->name", "ALPHA")).containsExactly("c", "a", "b", "d");
        assertThat(arr("SORT", "l", "BY", "h_*->name", "ALPHA", "DESC")).containsExactly("d", "b", "a", "c");
        // A hash pattern on a string key, or a string pattern on a hash key: no weight.
        assertThat(arr("SORT", "l", "BY", "w_*->f", "LIMIT", "0", "4")).containsExactly("a", "b", "c", "d");
    }

    @Test
    void byPatternSubstitutesFirstStarOnlyAndArrowAtEndIsPartOfTheKey() {
        h.call("RPUSH", "l", "x", "y");
        h.call("SET", "k_x_*", "2");
        h.call("SET", "k_y_*", "1");
        assertThat(arr("SORT", "l", "BY", "k_*_*")).containsExactly("y", "x");
        h.call("SET", "a_x->", "5");
        h.call("SET", "a_y->", "9");
        assertThat(arr("SORT", "l", "BY", "a_*->", "DESC")).containsExactly("y", "x");
    }

    @Test
    void weightsAreReadAsCStrings() {
        h.call("RPUSH", "l", "a", "b");
        h.call(b("SET"), b("w_a"), b("3\0junk"));
        h.call("SET", "w_b", "2");
        assertThat(arr("SORT", "l", "BY", "w_*")).containsExactly("b", "a");
    }

    @Test
    void byNosortKeepsListOrderAndHonoursDescAndLimit() {
        h.call("RPUSH", "l", "c", "a", "e", "b", "d");
        assertThat(arr("SORT", "l", "BY", "nosort")).containsExactly("c", "a", "e", "b", "d");
        assertThat(arr("SORT", "l", "BY", "nosort", "DESC")).containsExactly("d", "b", "e", "a", "c");
        assertThat(arr("SORT", "l", "BY", "nosort", "LIMIT", "1", "2")).containsExactly("a", "e");
        assertThat(arr("SORT", "l", "BY", "nosort", "DESC", "LIMIT", "1", "2")).containsExactly("b", "e");
        assertThat(arr("SORT", "l", "BY", "nosort", "DESC", "LIMIT", "4", "9")).containsExactly("c");
        assertThat(arr("SORT", "l", "BY", "nosort", "LIMIT", "7", "1")).isEmpty();
        // Non-numeric elements are fine: nothing is converted.
        assertThat(arr("SORT", "l", "BY", "nosort", "ALPHA")).containsExactly("c", "a", "e", "b", "d");
        // A constant BY anywhere disables sorting, even if a later BY has a '*'.
        h.call("SET", "w_c", "1");
        assertThat(arr("SORT", "l", "BY", "nosort", "BY", "w_*")).containsExactly("c", "a", "e", "b", "d");
    }

    @Test
    void byNosortOnSortedSetUsesScoreOrderAndConvertsToSkiplist() {
        h.call("ZADD", "z", "3", "c", "1", "a", "2", "b", "4", "d");
        assertThat(h.bulk("OBJECT", "ENCODING", "z")).isEqualTo("listpack");
        assertThat(arr("SORT", "z", "BY", "nosort")).containsExactly("a", "b", "c", "d");
        assertThat(h.bulk("OBJECT", "ENCODING", "z")).isEqualTo("skiplist");
        assertThat(arr("SORT", "z", "BY", "nosort", "DESC")).containsExactly("d", "c", "b", "a");
        assertThat(arr("SORT", "z", "BY", "nosort", "LIMIT", "1", "2")).containsExactly("b", "c");
        assertThat(arr("SORT", "z", "BY", "nosort", "DESC", "LIMIT", "1", "2")).containsExactly("c", "b");
        assertThat(arr("SORT", "z", "BY", "nosort", "DESC", "LIMIT", "3", "-1")).containsExactly("a");
        assertThat(arr("SORT", "z", "BY", "nosort", "LIMIT", "0", "0")).isEmpty();
    }

    @Test
    void byNosortOnSetStoresAlphaSorted() {
        h.call("SADD", "s", "pear", "apple", "fig", "10", "9");
        assertThat(arr("SORT", "s", "BY", "nosort")).containsExactlyInAnyOrder("pear", "apple", "fig", "10", "9");
        assertThat(h.integer("SORT", "s", "BY", "nosort", "STORE", "d")).isEqualTo(5);
        assertThat(list("d")).containsExactly("10", "9", "apple", "fig", "pear");
        // ... which also drops the BY pattern: no numeric conversion, DESC still applies.
        assertThat(h.integer("SORT", "s", "BY", "nosort", "DESC", "LIMIT", "0", "2", "STORE", "d")).isEqualTo(2);
        assertThat(list("d")).containsExactly("pear", "fig");
    }

    // ---- GET -----------------------------------------------------------------------------

    @Test
    void getPatterns() {
        weights();
        assertThat(arr("SORT", "l", "BY", "w_*", "GET", "#", "GET", "w_*", "GET", "h_*->name", "GET", "nope_*"))
                .containsExactly(
                        "d", null, "dan", null,
                        "b", "10", "bob", null,
                        "c", "20", null, null,
                        "a", "30", "alice", null);
        // A GET pattern without '*' yields nothing, not a fixed key.
        h.call("SET", "fixed", "v");
        assertThat(arr("SORT", "l", "BY", "nosort", "GET", "fixed", "LIMIT", "0", "2")).containsExactly(null, null);
        // GET on a key of another type yields null.
        assertThat(arr("SORT", "l", "BY", "nosort", "GET", "h_*", "LIMIT", "0", "1")).containsExactly((String) null);
        assertThat(arr("SORT", "l", "BY", "nosort", "GET", "#", "LIMIT", "0", "1")).containsExactly("a");
    }

    @Test
    void getNullIsResp3NullAndExpiredKeysAreMissing() {
        h.call("RPUSH", "l", "a", "b");
        h.call("SET", "v_a", "1", "PX", "100");
        h.call("SET", "v_b", "2");
        assertThat(arr("SORT", "l", "ALPHA", "GET", "v_*")).containsExactly("1", "2");
        h.advance(200);
        assertThat(arr("SORT", "l", "ALPHA", "GET", "v_*")).containsExactly(null, "2");
        h.protocol(3);
        assertThat(h.raw("SORT", "l", "ALPHA", "GET", "v_*")).isEqualTo("*2\r\n_\r\n$1\r\n2\r\n");
    }

    @Test
    void lookupsCountKeyspaceHitsAndMisses() {
        h.call("RPUSH", "l", "a", "b");
        h.call("SET", "w_a", "1");
        long hits = stat("keyspace_hits"), misses = stat("keyspace_misses");
        arr("SORT", "l", "BY", "w_*", "GET", "w_*");
        // l: 1 hit; BY: w_a hit, w_b miss; GET: the same again.
        assertThat(stat("keyspace_hits") - hits).isEqualTo(3);
        assertThat(stat("keyspace_misses") - misses).isEqualTo(2);
    }

    // ---- STORE and effects ---------------------------------------------------------------

    @Test
    void storeWritesListReplacingAnyValueAndTtl() {
        h.call("RPUSH", "l", "3", "1", "2");
        h.call("SET", "d", "old", "EX", "100");
        long m = mark();
        assertThat(h.integer("SORT", "l", "STORE", "d")).isEqualTo(3);
        assertThat(h.simple("TYPE", "d")).isEqualTo("list");
        assertThat(list("d")).containsExactly("1", "2", "3");
        assertThat(h.integer("TTL", "d")).isEqualTo(-1);
        // Two effects of one command are journaled as one atomic unit.
        assertThat(effects(m)).containsExactly("MULTI", "DEL d", "RPUSH d 1 2 3", "EXEC");
    }

    @Test
    void storeIntoAbsentKeyJournalsOnlyThePush() {
        h.call("RPUSH", "l", "b", "a");
        long m = mark();
        assertThat(h.integer("SORT", "l", "ALPHA", "DESC", "STORE", "d")).isEqualTo(2);
        assertThat(effects(m)).containsExactly("RPUSH d b a");
        assertThat(list("d")).containsExactly("b", "a");
    }

    @Test
    void storeWithGetsCountsEveryValueAndMissingBecomesEmpty() {
        weights();
        long m = mark();
        assertThat(h.integer("SORT", "l", "BY", "w_*", "GET", "#", "GET", "w_*", "STORE", "d")).isEqualTo(8);
        assertThat(list("d")).containsExactly("d", "", "b", "10", "c", "20", "a", "30");
        assertThat(effects(m)).containsExactly("RPUSH d d  b 10 c 20 a 30");
    }

    @Test
    void emptyResultDeletesDestination() {
        h.call("RPUSH", "d", "x");
        long m = mark();
        assertThat(h.integer("SORT", "nokey", "STORE", "d")).isZero();
        assertThat(h.integer("EXISTS", "d")).isZero();
        assertThat(effects(m)).containsExactly("DEL d");
        long m2 = mark();
        assertThat(h.integer("SORT", "nokey", "STORE", "d")).isZero();
        h.call("RPUSH", "l", "1");
        assertThat(h.integer("SORT", "l", "LIMIT", "5", "5", "STORE", "d")).isZero();
        assertThat(effects(m2)).containsExactly("RPUSH l 1");
    }

    @Test
    void storeOntoTheSourceKey() {
        h.call("RPUSH", "l", "3", "1", "2");
        assertThat(h.integer("SORT", "l", "DESC", "STORE", "l")).isEqualTo(3);
        assertThat(list("l")).containsExactly("3", "2", "1");
    }

    @Test
    void failedSortStoresNothing() {
        h.call("RPUSH", "l", "1", "x");
        h.call("RPUSH", "d", "keep");
        long m = mark();
        assertThat(h.error("SORT", "l", "STORE", "d")).isEqualTo(NOT_DOUBLE);
        assertThat(list("d")).containsExactly("keep");
        assertThat(effects(m)).isEmpty();
    }

    @Test
    void readsJournalNothing() {
        weights();
        long m = mark();
        arr("SORT", "l", "BY", "w_*", "GET", "#");
        arr("SORT_RO", "l", "ALPHA");
        assertThat(effects(m)).isEmpty();
    }

    @Test
    void largeInputsAcrossEncodings() {
        List<String> args = new ArrayList<>(List.of("RPUSH", "big"));
        for (int i = 999; i >= 0; i--) args.add(Integer.toString(i));
        h.call(args.toArray(new String[0]));
        List<String> sorted = arr("SORT", "big");
        assertThat(sorted).hasSize(1000);
        assertThat(sorted.get(0)).isEqualTo("0");
        assertThat(sorted.get(999)).isEqualTo("999");
        assertThat(arr("SORT", "big", "BY", "nosort", "DESC", "LIMIT", "10", "3")).containsExactly("10", "11", "12");
        args.set(0, "SADD");
        args.set(1, "bigset");
        h.call(args.toArray(new String[0]));
        assertThat(arr("SORT", "bigset", "LIMIT", "500", "2")).containsExactly("500", "501");
        assertThat(h.integer("SORT", "bigset", "BY", "nosort", "STORE", "d")).isEqualTo(1000);
        assertThat(arr("LRANGE", "d", "0", "2")).containsExactly("0", "1", "10");
    }

    @Test
    void commandMetadata() {
        assertThat(h.raw("COMMAND", "INFO", "sort")).contains("movablekeys").contains("denyoom").contains("write");
        assertThat(h.raw("COMMAND", "INFO", "sort_ro")).contains("readonly").doesNotContain("denyoom");
    }

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
