package io.jkevy.engine.command;

import io.jkevy.engine.EngineHarness;
import io.jkevy.engine.Host;
import io.jkevy.journal.Frames;
import io.jkevy.journal.Journal;
import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** FLUSHDB, FLUSHALL, SWAPDB, DBSIZE, TIME, LASTSAVE, SHUTDOWN and their journal effects. */
class ServerCommandsTest {

    static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    /** Journal frames from {@code from} as space-joined argv strings. */
    static List<String> frames(EngineHarness h, long from) {
        Journal.Read r = h.engine.journal().read(from, 10_000);
        assertThat(r).isInstanceOf(Journal.Read.Frames.class);
        List<String> out = new ArrayList<>();
        for (byte[] f : ((Journal.Read.Frames) r).frames()) {
            List<String> parts = new ArrayList<>();
            for (byte[] a : Frames.decodeArgv(f)) parts.add(new String(a, StandardCharsets.UTF_8));
            out.add(String.join(" ", parts));
        }
        return out;
    }

    static List<RespValue> arr(RespValue v) {
        if (v instanceof RespValue.Array a) return a.elements();
        if (v instanceof RespValue.Set s) return s.elements();
        if (v instanceof RespValue.Push p) return p.elements();
        throw new AssertionError("not an aggregate: " + v);
    }

    static String str(RespValue v) {
        if (v instanceof RespValue.Bulk b) return b.asString();
        if (v instanceof RespValue.SimpleString s) return s.value();
        if (v instanceof RespValue.Verbatim vb) return new String(vb.text(), StandardCharsets.UTF_8);
        throw new AssertionError("not a string: " + v);
    }

    /** A map reply (RESP3 map or RESP2 flat array) as name -> value. */
    static Map<String, RespValue> map(RespValue v) {
        List<RespValue> flat = v instanceof RespValue.Map m ? m.flattenedPairs() : arr(v);
        assertThat(flat.size() % 2).isZero();
        Map<String, RespValue> out = new LinkedHashMap<>();
        for (int i = 0; i < flat.size(); i += 2) out.put(str(flat.get(i)), flat.get(i + 1));
        return out;
    }

    @Test
    void dbsizeCountsSelectedDatabase() {
        EngineHarness h = new EngineHarness();
        assertThat(h.integer("DBSIZE")).isZero();
        h.simple("SET", "a", "1");
        h.simple("SET", "b", "2");
        h.engine.keyspace().db(1).put(b("x"), b("y"));
        assertThat(h.integer("DBSIZE")).isEqualTo(2);
        h.session.db(1);
        assertThat(h.integer("DBSIZE")).isEqualTo(1);
        assertThat(h.error("DBSIZE", "x")).isEqualTo("ERR wrong number of arguments for 'dbsize' command");
    }

    @Test
    void flushdbClearsOnlySelectedAndJournalsBareFlushdb() {
        EngineHarness h = new EngineHarness();
        h.simple("SET", "a", "1");
        h.engine.keyspace().db(2).put(b("k"), b("v"));
        h.session.db(2);
        long from = h.engine.journal().nextOffset();
        assertThat(h.simple("FLUSHDB", "async")).isEqualTo("OK");
        assertThat(h.engine.keyspace().db(2).size()).isZero();
        assertThat(h.engine.keyspace().db(0).size()).isEqualTo(1);
        assertThat(frames(h, from)).containsExactly("SELECT 2", "FLUSHDB");
        assertThat(h.simple("FLUSHDB", "SYNC")).isEqualTo("OK");
        assertThat(h.simple("FLUSHDB")).isEqualTo("OK");
        assertThat(h.error("FLUSHDB", "lazy")).isEqualTo("ERR syntax error");
        assertThat(h.error("FLUSHDB", "async", "sync")).isEqualTo("ERR syntax error");
    }

    @Test
    void flushallClearsEverythingThenStartsANewGeneration() {
        EngineHarness h = new EngineHarness();
        h.simple("SET", "a", "1");
        h.engine.keyspace().db(5).put(b("k"), b("v"));
        Journal j = h.engine.journal();
        long gen = j.generation();
        long from = j.nextOffset();
        assertThat(h.error("FLUSHALL", "now")).isEqualTo("ERR syntax error");
        assertThat(j.nextOffset()).isEqualTo(from);
        assertThat(h.engine.keyspace().db(5).size()).isEqualTo(1);

        assertThat(h.simple("FLUSHALL", "ASYNC")).isEqualTo("OK");
        assertThat(h.engine.keyspace().db(0).size()).isZero();
        assertThat(h.engine.keyspace().db(5).size()).isZero();
        // the FLUSHALL frame is the last of the old generation; offsets stay continuous
        assertThat(j.generation()).isNotEqualTo(gen).isPositive();
        assertThat(j.nextOffset()).isEqualTo(from + 1);
        assertThat(j.read(from, 10)).isInstanceOf(Journal.Read.TooOld.class);
        // the new generation's backlog starts after it, and SELECT is re-sent
        h.simple("SET", "b", "2");
        assertThat(frames(h, from + 1)).containsExactly("SELECT 0", "SET b 2");
        assertThat(h.bulk("GET", "a")).isNull();
    }

    @Test
    void flushallFrameIsBareFlushall() {
        EngineHarness h = new EngineHarness();
        List<byte[]> seen = new ArrayList<>();
        h.engine.journal().addSink((off, frame) -> seen.add(frame));
        h.simple("FLUSHALL", "sync");
        List<String> argvs = new ArrayList<>();
        for (byte[] f : seen) argvs.add(new String(Frames.decodeArgv(f)[0], StandardCharsets.UTF_8));
        assertThat(argvs).endsWith("FLUSHALL");
        assertThat(Frames.decodeArgv(seen.get(seen.size() - 1)).length).isEqualTo(1);
    }

    @Test
    void swapdbSwapsAndJournalsAsIs() {
        EngineHarness h = new EngineHarness();
        h.simple("SET", "a", "in0");
        h.engine.keyspace().db(1).put(b("b"), b("in1"));
        long from = h.engine.journal().nextOffset();
        assertThat(h.simple("SWAPDB", "0", "1")).isEqualTo("OK");
        assertThat(h.bulk("GET", "b")).isEqualTo("in1");
        assertThat(h.bulk("GET", "a")).isNull();
        assertThat(h.engine.keyspace().db(1).peek(b("a"))).isEqualTo(b("in0"));
        assertThat(h.engine.keyspace().db(0).index()).isZero();
        assertThat(frames(h, from)).containsExactly("SWAPDB 0 1");
        assertThat(h.simple("SWAPDB", "3", "3")).isEqualTo("OK");

        long before = h.engine.journal().nextOffset();
        assertThat(h.error("SWAPDB", "x", "1")).isEqualTo("ERR invalid first DB index");
        assertThat(h.error("SWAPDB", "0", "1.5")).isEqualTo("ERR invalid second DB index");
        assertThat(h.error("SWAPDB", "99999999999", "1")).isEqualTo("ERR invalid first DB index");
        assertThat(h.error("SWAPDB", "0", "16")).isEqualTo("ERR DB index is out of range");
        assertThat(h.error("SWAPDB", "-1", "0")).isEqualTo("ERR DB index is out of range");
        assertThat(h.error("SWAPDB", "0")).isEqualTo("ERR wrong number of arguments for 'swapdb' command");
        assertThat(h.engine.journal().nextOffset()).isEqualTo(before);
    }

    @Test
    void timeAndLastsave() {
        EngineHarness h = new EngineHarness();
        List<RespValue> t = arr(h.call("TIME"));
        assertThat(t).hasSize(2);
        assertThat(Long.parseLong(str(t.get(0)))).isEqualTo(h.now() / 1000);
        assertThat(Long.parseLong(str(t.get(1)))).isBetween(0L, 999_999L);
        assertThat(h.integer("LASTSAVE")).isEqualTo(h.now() / 1000);
        assertThat(h.error("TIME", "x")).isEqualTo("ERR wrong number of arguments for 'time' command");
    }

    @Test
    void shutdownCallsHostAndRepliesNothing() {
        EngineHarness h = new EngineHarness();
        AtomicInteger calls = new AtomicInteger();
        h.engine.host(new Host() {
            @Override public void shutdown() { calls.incrementAndGet(); }
            @Override public int port() { return 6379; }
        });
        assertThat(h.error("SHUTDOWN", "NOSAVE", "SAVE")).isEqualTo("ERR syntax error");
        assertThat(h.error("SHUTDOWN", "ABORT", "NOW")).isEqualTo("ERR syntax error");
        assertThat(h.error("SHUTDOWN", "bogus")).isEqualTo("ERR syntax error");
        assertThat(h.error("SHUTDOWN", "ABORT")).isEqualTo("ERR No shutdown in progress.");
        assertThat(h.error("SHUTDOWN", "SAVE")).isEqualTo("ERR Errors trying to SHUTDOWN. Check logs.");
        assertThat(calls).hasValue(0);
        assertThat(h.session.closing()).isFalse();
        assertThat(h.raw("SHUTDOWN", "NOSAVE", "NOW", "FORCE")).isEmpty();
        assertThat(calls).hasValue(1);
        assertThat(h.session.closing()).isTrue();
    }
}
