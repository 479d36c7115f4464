package io.jkevy.engine.command;

import io.jkevy.engine.EngineHarness;
import io.jkevy.journal.Frames;
import io.jkevy.journal.Journal;
import io.jkevy.resp.RespValue;
import io.jkevy.store.Db;
import io.jkevy.store.TypedValue;
import io.jkevy.store.ValueType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class KeyCommandsTest {
    private static final String WRONG_ARITY = "ERR wrong number of arguments for '%s' command";
    private static final String SAME = "ERR source and destination objects are the same";
    private static final String INT_RANGE = "ERR value is out of range, value must between -2147483648 and 2147483647";

    EngineHarness h;

    @BeforeEach
    void setUp() { h = new EngineHarness(); }

    // ---- helpers ---------------------------------------------------------------------

    static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    Db db(int i) { return h.engine.keyspace().db(i); }

    long mark() { return h.engine.journal().nextOffset(); }

    /** Frames journaled since {@code from} as space-joined argv (SELECT frames included). */
    List<String> journal(long from) {
        Journal.Read r = h.engine.journal().read(from, 100_000);
        List<String> out = new ArrayList<>();
        for (byte[] f : ((Journal.Read.Frames) r).frames()) {
            StringBuilder sb = new StringBuilder();
            for (byte[] a : Frames.decodeArgv(f)) {
                if (sb.length() > 0) sb.append(' ');
                sb.append(new String(a, StandardCharsets.ISO_8859_1));
            }
            out.add(sb.toString());
        }
        return out;
    }

    /** Same, without SELECT frames. */
    List<String> effects(long from) {
        List<String> out = journal(from);
        out.removeIf(s -> s.startsWith("SELECT "));
        return out;
    }

    static final class FakeHash implements TypedValue {
        int copies;

        @Override public ValueType type() { return ValueType.HASH; }

        @Override public String encoding() { return "listpack"; }

        @Override public TypedValue copy() {
            copies++;
            return new FakeHash();
        }
    }

    List<String> strings(RespValue v) {
        List<String> out = new ArrayList<>();
        for (RespValue e : ((RespValue.Array) v).elements()) out.add(new String(((RespValue.Bulk) e).value(), StandardCharsets.UTF_8));
        return out;
    }

    // ---- DEL / UNLINK / EXISTS / TYPE / TOUCH ------------------------------------------

    @Test
    void delCountsAndJournalsOnlyDeletedKeys() {
        h.simple("SET", "a", "1");
        h.simple("SET", "c", "3");
        long m = mark();
        assertThat(h.integer("DEL", "a", "b", "c", "a")).isEqualTo(2);
        assertThat(effects(m)).containsExactly("DEL a c");
        assertThat(db(0).exists(b("a"))).isFalse();
        m = mark();
        assertThat(h.integer("DEL", "a", "b")).isZero();
        assertThat(journal(m)).isEmpty();
        assertThat(h.error("DEL")).isEqualTo(WRONG_ARITY.formatted("del"));
    }

    @Test
    void unlinkIsDelAndJournaledAsDel() {
        h.simple("SET", "a", "1");
        h.simple("SET", "b", "1");
        long m = mark();
        assertThat(h.integer("UNLINK", "a", "x", "b")).isEqualTo(2);
        assertThat(effects(m)).containsExactly("DEL a b");
        assertThat(h.error("UNLINK")).isEqualTo(WRONG_ARITY.formatted("unlink"));
    }

    @Test
    void delOfExpiredKeyDeletesNothing() {
        h.simple("SET", "a", "1");
        h.integer("PEXPIRE", "a", "100");
        h.advance(100);
        long m = mark();
        assertThat(h.integer("DEL", "a")).isZero();
        assertThat(effects(m)).containsExactly("DEL a");   // the lazy expiry, not the command
    }

    @Test
    void existsCountsDuplicatesAndIgnoresExpired() {
        h.simple("SET", "k", "v");
        h.simple("SET", "t", "v");
        h.integer("PEXPIRE", "t", "10");
        assertThat(h.integer("EXISTS", "k", "k", "k", "missing", "t")).isEqualTo(4);
        h.advance(10);
        assertThat(h.integer("EXISTS", "k", "t")).isEqualTo(1);
        assertThat(h.error("EXISTS")).isEqualTo(WRONG_ARITY.formatted("exists"));
    }

    @Test
    void typeNamesEveryKind() {
        h.simple("SET", "s", "v");
        db(0).put(b("hsh"), new FakeHash());
        assertThat(h.simple("TYPE", "s")).isEqualTo("string");
        assertThat(h.simple("TYPE", "hsh")).isEqualTo("hash");
        assertThat(h.simple("TYPE", "missing")).isEqualTo("none");
        h.integer("PEXPIRE", "s", "5");
        h.advance(5);
        assertThat(h.simple("TYPE", "s")).isEqualTo("none");
        assertThat(h.error("TYPE")).isEqualTo(WRONG_ARITY.formatted("type"));
        assertThat(h.error("TYPE", "a", "b")).isEqualTo(WRONG_ARITY.formatted("type"));
    }

    @Test
    void touchCountsLiveKeysRefreshesAccessAndJournalsNothing() {
        h.simple("SET", "a", "1");
        h.advance(10_000);
        h.engine.keyspace().tick(h.now());
        assertThat(h.integer("OBJECT", "IDLETIME", "a")).isEqualTo(10);
        long m = mark();
        assertThat(h.integer("TOUCH", "a", "a", "missing")).isEqualTo(2);
        assertThat(h.integer("OBJECT", "IDLETIME", "a")).isZero();
        assertThat(journal(m)).isEmpty();
        assertThat(h.error("TOUCH")).isEqualTo(WRONG_ARITY.formatted("touch"));
    }

    @Test
    void readsCountKeyspaceHitsAndMisses() {
        h.simple("SET", "a", "1");
        long hits = h.engine.stats().keyspaceHits.sum(), misses = h.engine.stats().keyspaceMisses.sum();
        h.integer("EXISTS", "a", "b");
        h.simple("TYPE", "a");
        h.integer("TTL", "zz");
        assertThat(h.engine.stats().keyspaceHits.sum() - hits).isEqualTo(2);
        assertThat(h.engine.stats().keyspaceMisses.sum() - misses).isEqualTo(2);
    }

    // ---- RENAME / RENAMENX ---------------------------------------------------------------

    @Test
    void renameMovesValueAndTtl() {
        h.simple("SET", "a", "1");
        h.integer("PEXPIRE", "a", "5000");
        long at = db(0).expireAt(b("a"));
        long m = mark();
        assertThat(h.simple("RENAME", "a", "b")).isEqualTo("OK");
        assertThat(effects(m)).containsExactly("RENAME a b");
        assertThat(h.bulk("GET", "a")).isNull();
        assertThat(h.bulk("GET", "b")).isEqualTo("1");
        assertThat(db(0).expireAt(b("b"))).isEqualTo(at);
        assertThat(db(0).version(b("b"))).isEqualTo(m);
    }

    @Test
    void renameOverwritesDestinationAndItsTtl() {
        h.simple("SET", "a", "1");
        h.simple("SET", "b", "2");
        h.integer("EXPIRE", "b", "100");
        assertThat(h.simple("RENAME", "a", "b")).isEqualTo("OK");
        assertThat(h.bulk("GET", "b")).isEqualTo("1");
        assertThat(h.integer("TTL", "b")).isEqualTo(-1);
    }

    @Test
    void renameErrorsAndSameKey() {
        assertThat(h.error("RENAME", "missing", "x")).isEqualTo("ERR no such key");
        assertThat(h.error("RENAMENX", "missing", "x")).isEqualTo("ERR no such key");
        assertThat(h.error("RENAME", "missing", "missing")).isEqualTo("ERR no such key");
        h.simple("SET", "a", "1");
        long m = mark();
        assertThat(h.simple("RENAME", "a", "a")).isEqualTo("OK");
        assertThat(h.integer("RENAMENX", "a", "a")).isZero();
        assertThat(journal(m)).isEmpty();
        assertThat(h.bulk("GET", "a")).isEqualTo("1");
        h.integer("PEXPIRE", "a", "1");
        h.advance(1);
        assertThat(h.error("RENAME", "a", "b")).isEqualTo("ERR no such key");
        assertThat(h.error("RENAME", "a")).isEqualTo(WRONG_ARITY.formatted("rename"));
        assertThat(h.error("RENAMENX", "a", "b", "c")).isEqualTo(WRONG_ARITY.formatted("renamenx"));
    }

    @Test
    void renamenxOnlyWhenDestinationIsFree() {
        h.simple("SET", "a", "1");
        h.simple("SET", "b", "2");
        long m = mark();
        assertThat(h.integer("RENAMENX", "a", "b")).isZero();
        assertThat(journal(m)).isEmpty();
        assertThat(h.bulk("GET", "b")).isEqualTo("2");
        assertThat(h.integer("RENAMENX", "a", "c")).isEqualTo(1);
        assertThat(effects(m)).containsExactly("RENAMENX a c");
        assertThat(h.bulk("GET", "c")).isEqualTo("1");
        assertThat(h.integer("EXISTS", "a")).isZero();
        // an expired destination is free
        h.integer("PEXPIRE", "b", "1");
        h.advance(1);
        assertThat(h.integer("RENAMENX", "c", "b")).isEqualTo(1);
    }

    // ---- COPY --------------------------------------------------------------------------

    @Test
    void copyWithinDbKeepsTtlAndJournalsAsIs() {
        h.simple("SET", "a", "v");
        h.integer("PEXPIRE", "a", "5000");
        long m = mark();
        assertThat(h.integer("COPY", "a", "b")).isEqualTo(1);
        assertThat(effects(m)).containsExactly("COPY a b");
        assertThat(h.bulk("GET", "b")).isEqualTo("v");
        assertThat(db(0).expireAt(b("b"))).isEqualTo(db(0).expireAt(b("a")));
        assertThat(db(0).peek(b("b"))).isNotSameAs(db(0).peek(b("a")));
        assertThat(h.integer("COPY", "a", "b")).isZero();
        h.simple("SET", "a", "w");
        assertThat(h.integer("COPY", "a", "b", "REPLACE")).isEqualTo(1);
        assertThat(h.bulk("GET", "b")).isEqualTo("w");
        assertThat(h.integer("TTL", "b")).isEqualTo(-1);
    }

    @Test
    void copyToAnotherDb() {
        h.simple("SET", "a", "v");
        long m = mark();
        assertThat(h.integer("COPY", "a", "a", "DB", "3")).isEqualTo(1);
        assertThat(journal(m)).containsExactly("COPY a a DB 3");
        assertThat(db(3).peek(b("a"))).isEqualTo(b("v"));
        assertThat(db(3).version(b("a"))).isEqualTo(m);
        assertThat(h.integer("COPY", "a", "a", "db", "3")).isZero();
        assertThat(h.integer("COPY", "a", "a", "replace", "db", "3", "replace")).isEqualTo(1);
    }

    @Test
    void copyUsesDeepCopyForNonStrings() {
        FakeHash src = new FakeHash();
        db(0).put(b("h"), src);
        assertThat(h.integer("COPY", "h", "h2")).isEqualTo(1);
        assertThat(src.copies).isEqualTo(1);
        assertThat(db(0).peek(b("h2"))).isInstanceOf(FakeHash.class).isNotSameAs(src);
    }

    @Test
    void copyErrors() {
        h.simple("SET", "a", "v");
        assertThat(h.error("COPY", "a", "a")).isEqualTo(SAME);
        assertThat(h.error("COPY", "a", "a", "DB", "0")).isEqualTo(SAME);
        assertThat(h.error("COPY", "a", "b", "DB", "16")).isEqualTo("ERR DB index is out of range");
        assertThat(h.error("COPY", "a", "b", "DB", "-1")).isEqualTo("ERR DB index is out of range");
        assertThat(h.error("COPY", "a", "b", "DB", "x")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(h.error("COPY", "a", "b", "DB", "99999999999")).isEqualTo(INT_RANGE);
        assertThat(h.error("COPY", "a", "b", "DB")).isEqualTo("ERR syntax error");
        assertThat(h.error("COPY", "a", "b", "foo")).isEqualTo("ERR syntax error");
        assertThat(h.error("COPY", "a")).isEqualTo(WRONG_ARITY.formatted("copy"));
        long m = mark();
        assertThat(h.integer("COPY", "missing", "b")).isZero();
        assertThat(journal(m)).isEmpty();
    }

    // ---- MOVE --------------------------------------------------------------------------

    @Test
    void moveKeepsTtlAndJournalsAsIs() {
        h.simple("SET", "a", "v");
        h.integer("PEXPIRE", "a", "5000");
        long at = db(0).expireAt(b("a"));
        long m = mark();
        assertThat(h.integer("MOVE", "a", "2")).isEqualTo(1);
        assertThat(effects(m)).containsExactly("MOVE a 2");
        assertThat(db(0).exists(b("a"))).isFalse();
        assertThat(db(2).peek(b("a"))).isEqualTo(b("v"));
        assertThat(db(2).expireAt(b("a"))).isEqualTo(at);
        assertThat(db(2).version(b("a"))).isEqualTo(m);
    }

    @Test
    void moveRefusesOccupiedDestinationAndMissingKey() {
        h.simple("SET", "a", "v");
        db(1).put(b("a"), b("other"));
        long m = mark();
        assertThat(h.integer("MOVE", "a", "1")).isZero();
        assertThat(h.integer("MOVE", "missing", "1")).isZero();
        assertThat(journal(m)).isEmpty();
        assertThat(db(1).peek(b("a"))).isEqualTo(b("other"));
        assertThat(h.bulk("GET", "a")).isEqualTo("v");
    }

    @Test
    void moveErrors() {
        h.simple("SET", "a", "v");
        assertThat(h.error("MOVE", "a", "0")).isEqualTo(SAME);
        assertThat(h.error("MOVE", "missing", "0")).isEqualTo(SAME);
        assertThat(h.error("MOVE", "a", "16")).isEqualTo("ERR DB index is out of range");
        assertThat(h.error("MOVE", "a", "-1")).isEqualTo("ERR DB index is out of range");
        assertThat(h.error("MOVE", "a", "abc")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(h.error("MOVE", "a", "99999999999")).isEqualTo(INT_RANGE);
        assertThat(h.error("MOVE", "a")).isEqualTo(WRONG_ARITY.formatted("move"));
    }

    // ---- EXPIRE family -----------------------------------------------------------------

    @Test
    void expireOptionConflictsAndParsingOrder() {
        h.simple("SET", "k", "v");
        String nx = "ERR NX and XX, GT or LT options at the same time are not compatible";
        assertThat(h.error("EXPIRE", "k", "10", "NX", "XX")).isEqualTo(nx);
        assertThat(h.error("EXPIRE", "k", "10", "nx", "gt")).isEqualTo(nx);
        assertThat(h.error("PEXPIRE", "k", "10", "lt", "nx")).isEqualTo(nx);
        assertThat(h.error("EXPIRE", "k", "10", "GT", "LT")).isEqualTo("ERR GT and LT options at the same time are not compatible");
        assertThat(h.error("EXPIRE", "k", "10", "foo")).isEqualTo("ERR Unsupported option foo");
        // options are checked before the time argument
        assertThat(h.error("EXPIRE", "k", "abc", "nx", "xx")).isEqualTo(nx);
        assertThat(h.error("EXPIRE", "k", "abc")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(h.error("EXPIRE", "k")).isEqualTo(WRONG_ARITY.formatted("expire"));
        // XX and GT together are allowed
        assertThat(h.integer("EXPIRE", "k", "10", "XX", "GT")).isZero();
    }

    @Test
    void expireOverflowNamesTheCommand() {
        h.simple("SET", "k", "v");
        assertThat(h.error("EXPIRE", "k", "9223372036854775807")).isEqualTo("ERR invalid expire time in 'expire' command");
        assertThat(h.error("EXPIRE", "k", "-9223372036854775808")).isEqualTo("ERR invalid expire time in 'expire' command");
        assertThat(h.error("PEXPIRE", "k", "9223372036854775807")).isEqualTo("ERR invalid expire time in 'pexpire' command");
        assertThat(h.error("EXPIREAT", "k", "9223372036854775807")).isEqualTo("ERR invalid expire time in 'expireat' command");
        // the largest absolute millisecond time is fine
        assertThat(h.integer("PEXPIREAT", "k", "9223372036854775807")).isEqualTo(1);
        assertThat(h.integer("PEXPIRETIME", "k")).isEqualTo(Long.MAX_VALUE);
        assertThat(h.integer("EXPIRETIME", "k")).isEqualTo(9223372036854776L);
    }

    @Test
    void expireJournalsAbsolutePexpireat() {
        h.simple("SET", "k", "v");
        long m = mark();
        assertThat(h.integer("EXPIRE", "k", "10")).isEqualTo(1);
        assertThat(h.integer("PEXPIRE", "k", "2500")).isEqualTo(1);
        assertThat(h.integer("EXPIREAT", "k", Long.toString(h.now() / 1000 + 100))).isEqualTo(1);
        assertThat(h.integer("PEXPIREAT", "k", Long.toString(h.now() + 7))).isEqualTo(1);
        assertThat(effects(m)).containsExactly(
                "PEXPIREAT k " + (h.now() + 10_000),
                "PEXPIREAT k " + (h.now() + 2500),
                "PEXPIREAT k " + ((h.now() / 1000 + 100) * 1000),
                "PEXPIREAT k " + (h.now() + 7));
        assertThat(h.integer("PTTL", "k")).isEqualTo(7);
        assertThat(db(0).version(b("k"))).isEqualTo(m + 3);
    }

    @Test
    void expireInThePastDeletes() {
        h.simple("SET", "k", "v");
        long m = mark();
        assertThat(h.integer("EXPIRE", "k", "0")).isEqualTo(1);
        assertThat(h.integer("EXISTS", "k")).isZero();
        assertThat(effects(m)).containsExactly("DEL k");
        h.simple("SET", "k", "v");
        assertThat(h.integer("PEXPIREAT", "k", Long.toString(h.now()))).isEqualTo(1);
        assertThat(h.integer("EXISTS", "k")).isZero();
        h.simple("SET", "k", "v");
        assertThat(h.integer("PEXPIRE", "k", "-9223372036854775808")).isEqualTo(1);
        assertThat(h.integer("EXISTS", "k")).isZero();
        m = mark();
        assertThat(h.integer("EXPIRE", "missing", "10")).isZero();
        assertThat(h.integer("EXPIRE", "missing", "-10")).isZero();
        assertThat(journal(m)).isEmpty();
    }

    @Test
    void expireConditionsOnPersistentKey() {
        h.simple("SET", "k", "v");
        long m = mark();
        assertThat(h.integer("EXPIRE", "k", "100", "GT")).isZero();   // no TTL = infinite: never greater
        assertThat(h.integer("EXPIRE", "k", "100", "XX")).isZero();
        assertThat(journal(m)).isEmpty();
        assertThat(h.integer("EXPIRE", "k", "-5", "GT")).isZero();
        assertThat(h.integer("EXPIRE", "k", "-5", "XX")).isZero();
        assertThat(h.integer("EXISTS", "k")).isEqualTo(1);
        assertThat(h.integer("EXPIRE", "k", "100", "LT")).isEqualTo(1); // anything is less than infinite
        assertThat(h.integer("TTL", "k")).isEqualTo(100);
        h.simple("SET", "k", "v");
        assertThat(h.integer("EXPIRE", "k", "-5", "LT")).isEqualTo(1);
        assertThat(h.integer("EXISTS", "k")).isZero();
        h.simple("SET", "k", "v");
        assertThat(h.integer("EXPIRE", "k", "-5", "NX")).isEqualTo(1);
        assertThat(h.integer("EXISTS", "k")).isZero();
    }

    @Test
    void expireConditionsOnVolatileKey() {
        h.simple("SET", "k", "v");
        h.integer("EXPIRE", "k", "100");
        assertThat(h.integer("EXPIRE", "k", "200", "NX")).isZero();
        assertThat(h.integer("EXPIRE", "k", "100", "GT")).isZero();   // equal is not greater
        assertThat(h.integer("EXPIRE", "k", "100", "LT")).isZero();
        assertThat(h.integer("EXPIRE", "k", "200", "GT")).isEqualTo(1);
        assertThat(h.integer("TTL", "k")).isEqualTo(200);
        assertThat(h.integer("EXPIRE", "k", "300", "LT")).isZero();
        assertThat(h.integer("EXPIRE", "k", "50", "lt")).isEqualTo(1);
        assertThat(h.integer("TTL", "k")).isEqualTo(50);
        assertThat(h.integer("EXPIRE", "k", "60", "XX", "GT")).isEqualTo(1);
        assertThat(h.integer("TTL", "k")).isEqualTo(60);
    }

    @Test
    void ttlFamily() {
        assertThat(h.integer("TTL", "missing")).isEqualTo(-2);
        assertThat(h.integer("PTTL", "missing")).isEqualTo(-2);
        assertThat(h.integer("EXPIRETIME", "missing")).isEqualTo(-2);
        assertThat(h.integer("PEXPIRETIME", "missing")).isEqualTo(-2);
        h.simple("SET", "k", "v");
        assertThat(h.integer("TTL", "k")).isEqualTo(-1);
        assertThat(h.integer("PTTL", "k")).isEqualTo(-1);
        assertThat(h.integer("EXPIRETIME", "k")).isEqualTo(-1);
        assertThat(h.integer("PEXPIRETIME", "k")).isEqualTo(-1);
        h.integer("PEXPIRE", "k", "1499");
        assertThat(h.integer("TTL", "k")).isEqualTo(1);
        assertThat(h.integer("PTTL", "k")).isEqualTo(1499);
        h.integer("PEXPIRE", "k", "1500");
        assertThat(h.integer("TTL", "k")).isEqualTo(2);
        long base = h.now() - h.now() % 1000;
        h.integer("PEXPIREAT", "k", Long.toString(base + 100_500));
        assertThat(h.integer("EXPIRETIME", "k")).isEqualTo(base / 1000 + 101);
        h.integer("PEXPIREAT", "k", Long.toString(base + 100_499));
        assertThat(h.integer("EXPIRETIME", "k")).isEqualTo(base / 1000 + 100);
        assertThat(h.integer("PEXPIRETIME", "k")).isEqualTo(base + 100_499);
        h.advance(base + 100_499 - h.now());
        assertThat(h.integer("TTL", "k")).isEqualTo(-2);
        assertThat(h.error("TTL")).isEqualTo(WRONG_ARITY.formatted("ttl"));
        assertThat(h.error("PEXPIRETIME", "a", "b")).isEqualTo(WRONG_ARITY.formatted("pexpiretime"));
    }

    @Test
    void persistRemovesTtlOnly() {
        h.simple("SET", "k", "v");
        long m = mark();
        assertThat(h.integer("PERSIST", "k")).isZero();
        assertThat(h.integer("PERSIST", "missing")).isZero();
        assertThat(journal(m)).isEmpty();
        h.integer("EXPIRE", "k", "10");
        m = mark();
        assertThat(h.integer("PERSIST", "k")).isEqualTo(1);
        assertThat(effects(m)).containsExactly("PERSIST k");
        assertThat(h.integer("TTL", "k")).isEqualTo(-1);
        h.integer("PEXPIRE", "k", "10");
        h.advance(10);
        assertThat(h.integer("PERSIST", "k")).isZero();
        assertThat(h.error("PERSIST")).isEqualTo(WRONG_ARITY.formatted("persist"));
    }

    // ---- KEYS / SCAN / RANDOMKEY -------------------------------------------------------

    @Test
    void keysMatchesGlobAndSkipsExpired() {
        for (String k : new String[] {"hello", "hallo", "hxllo", "hllo", "heeeello", "other"}) h.simple("SET", k, "1");
        assertThat(strings(h.call("KEYS", "h?llo"))).containsExactlyInAnyOrder("hello", "hallo", "hxllo");
        assertThat(strings(h.call("KEYS", "h*llo"))).containsExactlyInAnyOrder("hello", "hallo", "hxllo", "hllo", "heeeello");
        assertThat(strings(h.call("KEYS", "h[ae]llo"))).containsExactlyInAnyOrder("hello", "hallo");
        assertThat(strings(h.call("KEYS", "*"))).hasSize(6);
        h.integer("PEXPIRE", "other", "1");
        h.advance(1);
        assertThat(strings(h.call("KEYS", "*"))).hasSize(5).doesNotContain("other");
        assertThat(strings(h.call("KEYS", "nomatch*"))).isEmpty();
        assertThat(h.error("KEYS")).isEqualTo(WRONG_ARITY.formatted("keys"));
    }

    /** Runs a full SCAN with the given options; checks no key is returned twice. */
    List<String> scanAll(String... opts) {
        List<String> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            String[] argv = new String[2 + opts.length];
            argv[0] = "SCAN";
            argv[1] = cursor;
            System.arraycopy(opts, 0, argv, 2, opts.length);
            List<RespValue> reply = ((RespValue.Array) h.call(argv)).elements();
            cursor = new String(((RespValue.Bulk) reply.get(0)).value(), StandardCharsets.UTF_8);
            for (String k : strings(reply.get(1))) {
                assertThat(seen.add(k)).as("key %s returned twice", k).isTrue();
                all.add(k);
            }
            calls++;
            assertThat(calls).isLessThan(100_000);
        } while (!cursor.equals("0"));
        return all;
    }

    @Test
    void scanCoversStaticKeyspaceExactlyOnce() {
        Db db = db(0);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String k = "key:" + i;
            expected.add(k);
            if (i % 10 == 0) db.put(b(k), new FakeHash()); else db.put(b(k), b("v"));
        }
        List<String> got = scanAll("COUNT", "10");
        assertThat(got).hasSize(10_000);
        assertThat(new HashSet<>(got)).isEqualTo(expected);

        List<String> matched = scanAll("MATCH", "key:1*", "COUNT", "10");
        Set<String> expMatched = new HashSet<>();
        for (String k : expected) if (k.startsWith("key:1")) expMatched.add(k);
        assertThat(new HashSet<>(matched)).isEqualTo(expMatched);

        List<String> hashes = scanAll("COUNT", "10", "TYPE", "HASH");
        assertThat(hashes).hasSize(1000).allMatch(k -> Integer.parseInt(k.substring(4)) % 10 == 0);
        assertThat(scanAll("TYPE", "string", "MATCH", "key:99*", "COUNT", "7"))
                .containsExactlyInAnyOrder("key:99", "key:991", "key:992", "key:993", "key:994", "key:995", "key:996",
                        "key:997", "key:998", "key:999", "key:9901", "key:9902", "key:9903", "key:9904", "key:9905",
                        "key:9906", "key:9907", "key:9908", "key:9909", "key:9911", "key:9912", "key:9913", "key:9914",
                        "key:9915", "key:9916", "key:9917", "key:9918", "key:9919", "key:9921", "key:9922", "key:9923",
                        "key:9924", "key:9925", "key:9926", "key:9927", "key:9928", "key:9929", "key:9931", "key:9932",
                        "key:9933", "key:9934", "key:9935", "key:9936", "key:9937", "key:9938", "key:9939", "key:9941",
                        "key:9942", "key:9943", "key:9944", "key:9945", "key:9946", "key:9947", "key:9948", "key:9949",
                        "key:9951", "key:9952", "key:9953", "key:9954", "key:9955", "key:9956", "key:9957", "key:9958",
                        "key:9959", "key:9961", "key:9962", "key:9963", "key:9964", "key:9965", "key:9966", "key:9967",
                        "key:9968", "key:9969", "key:9971", "key:9972", "key:9973", "key:9974", "key:9975", "key:9976",
                        "key:9977", "key:9978", "key:9979", "key:9981", "key:9982", "key:9983", "key:9984", "key:9985",
                        "key:9986", "key:9987", "key:9988", "key:9989", "key:9991", "key:9992", "key:9993", "key:9994",
                        "key:9995", "key:9996", "key:9997", "key:9998", "key:9999");
        assertThat(scanAll("TYPE", "nosuchtype")).isEmpty();
        // one big step returns everything with cursor 0
        List<RespValue> one = ((RespValue.Array) h.call("SCAN", "0", "COUNT", "9223372036854775807")).elements();
        assertThat(new String(((RespValue.Bulk) one.get(0)).value())).isEqualTo("0");
        assertThat(strings(one.get(1))).hasSize(10_000);
    }

    @Test
    void scanSkipsExpiredKeys() {
        for (int i = 0; i < 50; i++) h.simple("SET", "k" + i, "v");
        for (int i = 0; i < 50; i += 2) h.integer("PEXPIRE", "k" + i, "5");
        h.advance(5);
        assertThat(scanAll("COUNT", "3")).hasSize(25).allMatch(k -> Integer.parseInt(k.substring(1)) % 2 == 1);
    }

    @Test
    void scanArgumentErrors() {
        assertThat(h.error("SCAN", "abc")).isEqualTo("ERR invalid cursor");
        assertThat(h.error("SCAN", " 0")).isEqualTo("ERR invalid cursor");
        assertThat(h.error("SCAN", "0 ")).isEqualTo("ERR invalid cursor");
        assertThat(h.error("SCAN", "-")).isEqualTo("ERR invalid cursor");
        assertThat(h.error("SCAN", "18446744073709551616")).isEqualTo("ERR invalid cursor");
        assertThat(h.error("SCAN", "0", "COUNT", "0")).isEqualTo("ERR syntax error");
        assertThat(h.error("SCAN", "0", "COUNT", "-1")).isEqualTo("ERR syntax error");
        assertThat(h.error("SCAN", "0", "COUNT", "x")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(h.error("SCAN", "0", "MATCH")).isEqualTo("ERR syntax error");
        assertThat(h.error("SCAN", "0", "foo", "bar")).isEqualTo("ERR syntax error");
        assertThat(h.error("SCAN")).isEqualTo(WRONG_ARITY.formatted("scan"));
        // strtoul-compatible cursors that Redis accepts
        for (String cur : new String[] {"", "+0", "-1", "18446744073709551615", "007"}) {
            assertThat(h.call("SCAN", cur)).as("cursor '%s'", cur).isInstanceOf(RespValue.Array.class);
        }
        assertThat(h.raw("SCAN", "0")).isEqualTo("*2\r\n$1\r\n0\r\n*0\r\n");
    }

    @Test
    void scanCursorParsing() {
        assertThat(io.jkevy.engine.command.keys.ScanCommands.parseCursor(b("18446744073709551615"))).isEqualTo(-1L);
        assertThat(io.jkevy.engine.command.keys.ScanCommands.parseCursor(b("-1"))).isEqualTo(-1L);
        assertThat(io.jkevy.engine.command.keys.ScanCommands.parseCursor(b("-18446744073709551615"))).isEqualTo(1L);
        assertThat(io.jkevy.engine.command.keys.ScanCommands.parseCursor(b("12"))).isEqualTo(12L);
        assertThat(io.jkevy.engine.command.keys.ScanCommands.parseCursor(b(""))).isZero();
    }

    @Test
    void randomKey() {
        assertThat(h.bulk("RANDOMKEY")).isNull();
        h.simple("SET", "a", "1");
        h.simple("SET", "b", "1");
        for (int i = 0; i < 20; i++) assertThat(h.bulk("RANDOMKEY")).isIn("a", "b");
        h.integer("PEXPIRE", "a", "1");
        h.integer("PEXPIRE", "b", "1");
        h.advance(1);
        assertThat(h.bulk("RANDOMKEY")).isNull();
        assertThat(h.error("RANDOMKEY", "x")).isEqualTo(WRONG_ARITY.formatted("randomkey"));
    }

    // ---- OBJECT ------------------------------------------------------------------------

    @Test
    void objectEncoding() {
        h.simple("SET", "i", "12345");
        h.simple("SET", "neg", "-1");
        h.simple("SET", "big", "123456789012345678901");
        h.simple("SET", "lz", "007");
        h.simple("SET", "e", "x".repeat(44));
        h.simple("SET", "r", "x".repeat(45));
        db(0).put(b("hsh"), new FakeHash());
        assertThat(h.bulk("OBJECT", "ENCODING", "i")).isEqualTo("int");
        assertThat(h.bulk("OBJECT", "encoding", "neg")).isEqualTo("int");
        assertThat(h.bulk("OBJECT", "ENCODING", "big")).isEqualTo("embstr");
        assertThat(h.bulk("OBJECT", "ENCODING", "lz")).isEqualTo("embstr");
        assertThat(h.bulk("OBJECT", "ENCODING", "e")).isEqualTo("embstr");
        assertThat(h.bulk("OBJECT", "ENCODING", "r")).isEqualTo("raw");
        assertThat(h.bulk("OBJECT", "ENCODING", "hsh")).isEqualTo("listpack");
        assertThat(h.raw("OBJECT", "ENCODING", "missing")).isEqualTo("$-1\r\n");
        assertThat(h.error("OBJECT", "ENCODING")).isEqualTo(WRONG_ARITY.formatted("object|encoding"));
        assertThat(h.error("OBJECT", "ENCODING", "a", "b")).isEqualTo(WRONG_ARITY.formatted("object|encoding"));
        assertThat(h.error("OBJECT", "foo")).isEqualTo("ERR unknown subcommand 'foo'. Try OBJECT HELP.");
        assertThat(h.error("OBJECT")).isEqualTo(WRONG_ARITY.formatted("object"));
    }

    @Test
    void objectRefcount() {
        h.simple("SET", "n", "5");
        h.simple("SET", "n2", "9999");
        h.simple("SET", "n3", "10000");
        h.simple("SET", "s", "v");
        h.simple("SET", "neg", "-1");
        assertThat(h.integer("OBJECT", "REFCOUNT", "n")).isEqualTo(2147483647L);
        assertThat(h.integer("OBJECT", "REFCOUNT", "n2")).isEqualTo(2147483647L);
        assertThat(h.integer("OBJECT", "REFCOUNT", "n3")).isEqualTo(1);
        assertThat(h.integer("OBJECT", "REFCOUNT", "s")).isEqualTo(1);
        assertThat(h.integer("OBJECT", "REFCOUNT", "neg")).isEqualTo(1);
        assertThat(h.raw("OBJECT", "REFCOUNT", "missing")).isEqualTo("$-1\r\n");
    }

    private void setPolicy(String policy) {
        var cfg = h.engine.config();
        if (cfg.entry("maxmemory-policy") == null) cfg.stringEntry("maxmemory-policy", policy, true, v -> { });
        try {
            cfg.set("maxmemory-policy", policy);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void objectIdletimeAndFreq() {
        h.simple("SET", "k", "v");
        h.advance(7_000);
        h.engine.keyspace().tick(h.now());
        h.integer("TTL", "k");                       // a no-touch read
        assertThat(h.integer("OBJECT", "IDLETIME", "k")).isEqualTo(7);
        assertThat(h.integer("OBJECT", "IDLETIME", "k")).isEqualTo(7);
        h.bulk("GET", "k");
        assertThat(h.integer("OBJECT", "IDLETIME", "k")).isZero();
        assertThat(h.raw("OBJECT", "IDLETIME", "missing")).isEqualTo("$-1\r\n");
        assertThat(h.raw("OBJECT", "FREQ", "missing")).isEqualTo("$-1\r\n");
        assertThat(h.error("OBJECT", "FREQ", "k")).isEqualTo("ERR An LFU maxmemory policy is not selected, access frequency "
                + "not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some "
                + "time to adjust.");
        setPolicy("allkeys-lfu");
        assertThat(h.integer("OBJECT", "FREQ", "k")).isZero();
        assertThat(h.error("OBJECT", "IDLETIME", "k")).isEqualTo("ERR An LFU maxmemory policy is selected, idle time not "
                + "tracked. Please note that when switching between policies at runtime LRU and LFU data will take some "
                + "time to adjust.");
    }

    @Test
    void objectHelp() {
        String raw = h.raw("OBJECT", "HELP");
        assertThat(raw).startsWith("*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+ENCODING <key>\r\n");
        assertThat(raw).endsWith("+HELP\r\n+    Prints this help.\r\n");
        assertThat(h.error("OBJECT", "HELP", "x")).isEqualTo(WRONG_ARITY.formatted("object|help"));
    }

    // ---- DUMP / RESTORE ----------------------------------------------------------------

    static byte[] hex(String s) { return java.util.HexFormat.of().parseHex(s); }

    RespValue call(Object... args) {
        byte[][] argv = new byte[args.length][];
        for (int i = 0; i < args.length; i++) argv[i] = args[i] instanceof byte[] x ? x : b(args[i].toString());
        return h.call(argv);
    }

    byte[] dump(String key) {
        RespValue v = h.call("DUMP", key);
        return v instanceof RespValue.Bulk bulk ? bulk.value() : null;
    }

    @Test
    void dumpProducesRedisPayloads() {
        h.simple("SET", "k", "v");
        assertThat(dump("k")).isEqualTo(hex("0001760a009108ceb219388ace"));
        h.simple("SET", "k", "a".repeat(100));
        assertThat(dump("k")).isEqualTo(hex("00c3094064016161e057000161610a00e8a3b507b06df271"));
        h.simple("SET", "k", "65535");
        assertThat(dump("k")).isEqualTo(hex("00c2ffff00000a00d1484116733d3a95"));
        assertThat(dump("missing")).isNull();
        assertThat(h.raw("DUMP", "missing")).isEqualTo("$-1\r\n");
        assertThat(h.error("DUMP")).isEqualTo(WRONG_ARITY.formatted("dump"));
    }

    @Test
    void dumpRestoreRoundTripWithTtl() {
        h.simple("SET", "k", "hello world hello world hello world");
        byte[] p = dump("k");
        assertThat(call("RESTORE", "k2", "0", p)).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(h.bulk("GET", "k2")).isEqualTo("hello world hello world hello world");
        assertThat(h.integer("TTL", "k2")).isEqualTo(-1);
        long m = mark();
        assertThat(call("RESTORE", "k3", "5000", p, "REPLACE")).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(h.integer("PTTL", "k3")).isEqualTo(5000);
        assertThat(db(0).version(b("k3"))).isEqualTo(m);
        List<byte[][]> frames = rawFrames(m);
        assertThat(frames).hasSize(1);
        byte[][] f = frames.get(0);
        assertThat(new String(f[0])).isEqualTo("RESTORE");
        assertThat(new String(f[1])).isEqualTo("k3");
        assertThat(new String(f[2])).isEqualTo(Long.toString(h.now() + 5000));
        assertThat(f[3]).isEqualTo(p);
        assertThat(new String(f[4])).isEqualTo("ABSTTL");
        assertThat(new String(f[5])).isEqualTo("REPLACE");
        assertThat(f.length).isEqualTo(6);
    }

    List<byte[][]> rawFrames(long from) {
        List<byte[][]> out = new ArrayList<>();
        for (byte[] fr : ((Journal.Read.Frames) h.engine.journal().read(from, 1000)).frames()) {
            byte[][] argv = Frames.decodeArgv(fr);
            if (!new String(argv[0]).equals("SELECT")) out.add(argv);
        }
        return out;
    }

    @Test
    void restoreJournalsAsIsWithoutTtlOrWithAbsttl() {
        byte[] p = hex("0001760a009108ceb219388ace");
        long m = mark();
        call("RESTORE", "a", "0", p);
        long abs = h.now() + 60_000;
        call("RESTORE", "b", Long.toString(abs), p, "ABSTTL");
        List<byte[][]> frames = rawFrames(m);
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0).length).isEqualTo(4);
        assertThat(new String(frames.get(1)[2])).isEqualTo(Long.toString(abs));
        assertThat(frames.get(1).length).isEqualTo(5);
        assertThat(h.integer("PEXPIRETIME", "b")).isEqualTo(abs);
    }

    @Test
    void restoreAcceptsRedisPayloads() {
        String[][] golden = {
            {"00c0000a009840a778f8500308", "0"},
            {"00c1ff000a00dcaf7b93bdf01337", "255"},
            {"00c2ffff00000a00d1484116733d3a95", "65535"},
            {"00c0ff0a000c937e2485089dc5", "-1"},
            {"000d313039393531313632373737360a00dcd5c1feb95f4c57", "1099511627776"},
            {"00000a005d9b5c400f7fa2da", ""},
            {"00c3094064016161e057000161610a00e8a3b507b06df271", "a".repeat(100)},
            {"001e303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d0a005f5a5963cc9df62d",
                "0123456789:;<=>?@ABCDEFGHIJKLM"},
        };
        int i = 0;
        for (String[] g : golden) {
            String key = "g" + i++;
            assertThat(call("RESTORE", key, "0", hex(g[0]))).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(h.bulk("GET", key)).isEqualTo(g[1]);
            assertThat(dump(key)).isEqualTo(hex(g[0]));
        }
        // a payload stamped with RDB version 11 (Redis 7.2) is accepted
        byte[] v11 = io.jkevy.engine.rdb.DumpPayloadTest.withVersion(hex("0001760a009108ceb219388ace"), 11);
        assertThat(call("RESTORE", "v11", "0", v11)).isEqualTo(new RespValue.SimpleString("OK"));
        byte[] v12 = io.jkevy.engine.rdb.DumpPayloadTest.withVersion(hex("0001760a009108ceb219388ace"), 12);
        assertThat(call("RESTORE", "v12", "0", v12)).isEqualTo(new RespValue.Error("ERR DUMP payload version or checksum are wrong"));
    }

    @Test
    void restoreErrorsInRedisOrder() {
        byte[] p = hex("0001760a009108ceb219388ace");
        h.simple("SET", "k", "x");
        assertThat(h.error("RESTORE", "k", "0", "abc", "foo")).isEqualTo("ERR syntax error");
        assertThat(h.error("RESTORE", "k", "0", "abc", "idletime")).isEqualTo("ERR syntax error");
        assertThat(h.error("RESTORE", "k", "0", "abc", "idletime", "1", "freq", "2")).isEqualTo("ERR syntax error");
        assertThat(h.error("RESTORE", "k", "0", "abc", "freq", "5", "idletime", "3")).isEqualTo("ERR syntax error");
        assertThat(h.error("RESTORE", "k", "0", "abc", "idletime", "-1")).isEqualTo("ERR Invalid IDLETIME value, must be >= 0");
        assertThat(h.error("RESTORE", "k", "0", "abc", "idletime", "x")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(h.error("RESTORE", "k", "0", "abc", "freq", "256")).isEqualTo("ERR Invalid FREQ value, must be >= 0 and <= 255");
        assertThat(h.error("RESTORE", "k", "0", "abc", "freq", "-1")).isEqualTo("ERR Invalid FREQ value, must be >= 0 and <= 255");
        // BUSYKEY comes before the ttl is even parsed
        assertThat(h.error("RESTORE", "k", "99999999999999999999", "abc")).isEqualTo("BUSYKEY Target key name already exists.");
        assertThat(call("RESTORE", "k", "0", p)).isEqualTo(new RespValue.Error("BUSYKEY Target key name already exists."));
        assertThat(h.error("RESTORE", "k", "x", "abc", "REPLACE")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(h.error("RESTORE", "k", "-1", "abc", "REPLACE")).isEqualTo("ERR Invalid TTL value, must be >= 0");
        assertThat(h.error("RESTORE", "k", "0", "abc", "REPLACE")).isEqualTo("ERR DUMP payload version or checksum are wrong");
        byte[] flipped = p.clone();
        flipped[2] ^= 1;
        assertThat(call("RESTORE", "n", "0", flipped)).isEqualTo(new RespValue.Error("ERR DUMP payload version or checksum are wrong"));
        // a valid footer around a module (type 7) body: no decoder for that type id
        byte[] module = io.jkevy.engine.rdb.DumpPayloadTest.seal(new byte[] {7, 1, 1, 'a'});
        assertThat(call("RESTORE", "n", "0", module)).isEqualTo(new RespValue.Error("ERR Bad data format"));
        byte[] truncated = io.jkevy.engine.rdb.DumpPayloadTest.seal(new byte[] {0, 0x30, 'a'});
        assertThat(call("RESTORE", "n", "0", truncated)).isEqualTo(new RespValue.Error("ERR Bad data format"));
        assertThat(h.bulk("GET", "k")).isEqualTo("x");
        assertThat(h.integer("EXISTS", "n")).isZero();
        assertThat(h.error("RESTORE", "k", "0")).isEqualTo(WRONG_ARITY.formatted("restore"));
    }

    @Test
    void restoreReplaceAndPastTtl() {
        byte[] p = hex("0001760a009108ceb219388ace");
        h.simple("SET", "k", "old");
        assertThat(call("RESTORE", "k", "0", p, "replace")).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(h.bulk("GET", "k")).isEqualTo("v");
        // an absolute ttl in the past creates nothing; with REPLACE the old key is deleted
        long m = mark();
        assertThat(call("RESTORE", "k", "1", p, "REPLACE", "ABSTTL")).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(h.integer("EXISTS", "k")).isZero();
        assertThat(effects(m)).containsExactly("DEL k");
        m = mark();
        assertThat(call("RESTORE", "k", "1", p, "ABSTTL")).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(h.integer("EXISTS", "k")).isZero();
        // a relative ttl so large that now + ttl wraps is in the past as well (as in Redis)
        assertThat(call("RESTORE", "k", "9223372036854775807", p)).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(h.integer("EXISTS", "k")).isZero();
        assertThat(journal(m)).isEmpty();
    }

    @Test
    void restoreIdletimeSetsAccessTime() {
        byte[] p = hex("0001760a009108ceb219388ace");
        long m = mark();
        assertThat(call("RESTORE", "k", "0", p, "IDLETIME", "1000")).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(h.integer("OBJECT", "IDLETIME", "k")).isEqualTo(1000);
        assertThat(rawFrames(m).get(0).length).isEqualTo(6);
        assertThat(call("RESTORE", "f", "0", p, "FREQ", "100")).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(h.bulk("GET", "f")).isEqualTo("v");
    }
}
