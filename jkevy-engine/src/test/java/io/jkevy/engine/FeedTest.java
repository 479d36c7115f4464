package io.jkevy.engine;

import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** FEED.TAIL / FEED.READ and the per-key version commands (spec/kv-api.md). */
class FeedTest {
    final EngineHarness h = new EngineHarness();

    static long num(RespValue v) { return ((RespValue.Integer) v).value(); }

    static List<RespValue> arr(RespValue v) {
        assertThat(v).isInstanceOf(RespValue.Array.class);
        return ((RespValue.Array) v).elements();
    }

    static String str(RespValue v) { return new String(((RespValue.Bulk) v).value(), StandardCharsets.UTF_8); }

    static boolean nil(RespValue v) {
        return v instanceof RespValue.Null || v instanceof RespValue.Bulk b && b.value() == null
                || v instanceof RespValue.Array a && a.elements() == null;
    }

    long[] tail() {
        List<RespValue> t = arr(h.call("FEED.TAIL"));
        return new long[] {num(t.get(0)), num(t.get(1))};
    }

    @Test
    void readReturnsEveryWriteAsEffectsFromTheCursor() {
        long[] t = tail();
        assertThat(t[0]).isEqualTo(h.engine.journal().generation());
        h.call("SET", "a", "1");
        h.call("INCRBYFLOAT", "f", "1.5");
        h.call("SET", "t", "x", "EX", "100");
        List<RespValue> r = arr(h.call("FEED.READ", Long.toString(t[0]), Long.toString(t[1])));
        assertThat(num(r.get(0))).isEqualTo(t[0]);
        List<RespValue> frames = arr(r.get(2));
        List<String> shown = new ArrayList<>();
        long expect = t[1];
        for (RespValue f : frames) {
            List<RespValue> e = arr(f);
            assertThat(num(e.get(0))).isEqualTo(expect++);
            List<String> words = new ArrayList<>();
            for (RespValue w : e.subList(1, e.size())) words.add(str(w));
            shown.add(String.join(" ", words));
        }
        assertThat(shown.get(0)).isEqualTo("SELECT 0");
        assertThat(shown.get(1)).isEqualTo("SET a 1");
        assertThat(shown.get(2)).isEqualTo("SET f 1.5 KEEPTTL");
        assertThat(shown.get(3)).startsWith("SET t x PXAT ");
        assertThat(num(r.get(1))).isEqualTo(expect).isEqualTo(tail()[1]);
        // caught up: empty list, cursor unchanged
        List<RespValue> again = arr(h.call("FEED.READ", Long.toString(t[0]), Long.toString(expect)));
        assertThat(arr(again.get(2))).isEmpty();
        assertThat(num(again.get(1))).isEqualTo(expect);
    }

    @Test
    void countLimitsAndPrefixFiltersWithoutChangingTheCursor() {
        long[] t = tail();
        h.call("SET", "user:1", "a");
        h.call("SET", "order:1", "b");
        h.call("MSET", "x", "1", "y", "2");
        h.call("HSET", "user:2", "f", "v");
        List<RespValue> r = arr(h.call("FEED.READ", Long.toString(t[0]), Long.toString(t[1]), "PREFIX", "user:"));
        List<String> cmds = new ArrayList<>();
        for (RespValue f : arr(r.get(2))) cmds.add(str(arr(f).get(1)) + " " + str(arr(f).get(2)));
        assertThat(cmds).containsExactly("SELECT 0", "SET user:1", "MSET x", "HSET user:2");
        assertThat(num(r.get(1))).isEqualTo(tail()[1]);
        List<RespValue> two = arr(h.call("FEED.READ", Long.toString(t[0]), Long.toString(t[1]), "COUNT", "2"));
        assertThat(arr(two.get(2))).hasSize(2);
        assertThat(num(two.get(1))).isEqualTo(t[1] + 2);
        assertThat(h.error("FEED.READ", Long.toString(t[0]), Long.toString(t[1]), "COUNT", "0")).startsWith("ERR COUNT");
        assertThat(h.error("FEED.READ", Long.toString(t[0]), Long.toString(t[1]), "BOGUS")).startsWith("ERR syntax");
    }

    @Test
    void staleCursorsGetFeedresyncAndFutureOnesAnError() {
        long[] t = tail();
        h.call("SET", "a", "1");
        assertThat(h.error("FEED.READ", Long.toString(t[0]), Long.toString(t[1] + 100)))
                .isEqualTo("ERR feed cursor ahead of stream");
        assertThat(h.error("FEED.READ", Long.toString(t[0] + 1), Long.toString(t[1])))
                .isEqualTo("FEEDRESYNC " + t[0] + " " + tail()[1]);
        h.call("FLUSHALL");
        long[] after = tail();
        assertThat(after[0]).isNotEqualTo(t[0]);
        assertThat(h.error("FEED.READ", Long.toString(t[0]), Long.toString(t[1])))
                .isEqualTo("FEEDRESYNC " + after[0] + " " + after[1]);
        // evicted from the retained window
        h.call("CONFIG", "SET", "repl-backlog-size", "16384");
        long[] start = tail();
        for (int i = 0; i < 2000; i++) h.call("SET", "k" + i, "v".repeat(50));
        assertThat(h.error("FEED.READ", Long.toString(start[0]), Long.toString(start[1])))
                .isEqualTo("FEEDRESYNC " + start[0] + " " + tail()[1]);
    }

    @Test
    void blockingReadWakesOnTheNextWrite() {
        BlockingTest.FakeConnection conn = new BlockingTest.FakeConnection();
        Session reader = h.engine.openSession(conn);
        long[] t = tail();
        String r = BlockingTest.run(h, reader, "FEED.READ", Long.toString(t[0]), Long.toString(t[1]), "BLOCK", "0");
        assertThat(r).isEmpty();
        assertThat(reader.blocked()).isTrue();
        h.call("SET", "woke", "1");
        assertThat(reader.blocked()).isFalse();
        assertThat(conn.delivered).hasSize(1);
        assertThat(conn.delivered.get(0)).contains("woke");
        // a timeout answers with no frames and the same cursor
        long[] t2 = tail();
        BlockingTest.run(h, reader, "FEED.READ", Long.toString(t2[0]), Long.toString(t2[1]), "BLOCK", "10");
        assertThat(conn.timers).hasSize(1);
        conn.timers.get(0).run();
        assertThat(conn.delivered.get(1)).isEqualTo("*3\r\n:" + t2[0] + "\r\n:" + t2[1] + "\r\n*0\r\n");
    }

    @Test
    void durableNeedsTheJournalOnDisk() {
        long[] t = tail();
        assertThat(h.error("FEED.READ", Long.toString(t[0]), Long.toString(t[1]), "DURABLE")).contains("appendonly yes");
        assertThat(h.error("FEED.TAIL", "DURABLE")).contains("appendonly yes");
    }

    @Test
    void aConsumerFollowingTheFeedMirrorsTheKeyspace() {
        Random r = new Random(99);
        EngineHarness mirror = new EngineHarness(16, 1);
        mirror.advance(h.now() - mirror.now());
        long[] cur = tail();
        for (int round = 0; round < 30; round++) {
            for (int i = 0; i < 100; i++) {
                if (r.nextInt(50) == 0) h.advance(r.nextInt(300));
                h.call(JournalReplayTest.randomCommand(r));
            }
            while (true) {
                List<RespValue> rep = arr(h.call("FEED.READ", Long.toString(cur[0]), Long.toString(cur[1]), "COUNT", "64"));
                List<RespValue> frames = arr(rep.get(2));
                for (RespValue f : frames) {
                    List<RespValue> e = arr(f);
                    byte[][] argv = new byte[e.size() - 1][];
                    for (int i = 1; i < e.size(); i++) argv[i - 1] = ((RespValue.Bulk) e.get(i)).value();
                    String cmd = new String(argv[0], StandardCharsets.US_ASCII);
                    if (cmd.equals("MULTI") || cmd.equals("EXEC")) continue;
                    assertThat(mirror.call(argv)).isNotInstanceOf(RespValue.Error.class);
                }
                cur[1] = num(rep.get(1));
                if (frames.isEmpty()) break;
            }
        }
        mirror.advance(h.now() - mirror.now());
        assertThat(mirror.simple("DEBUG", "DIGEST")).isEqualTo(h.simple("DEBUG", "DIGEST")).isNotEqualTo("0".repeat(40));
    }

    /** Rebuilds {@code mirror} from {@code h}'s current keyspace: every key of every database, with DUMP/RESTORE. */
    static void rebuild(EngineHarness h, EngineHarness mirror) {
        mirror.call("FLUSHALL");
        for (int db = 0; db < 16; db++) {
            h.call("SELECT", Integer.toString(db));
            mirror.call("SELECT", Integer.toString(db));
            String cursor = "0";
            do {
                List<RespValue> r = arr(h.call("SCAN", cursor, "COUNT", "100"));
                cursor = str(r.get(0));
                for (RespValue k : arr(r.get(1))) {
                    byte[] key = ((RespValue.Bulk) k).value();
                    RespValue dump = h.call("DUMP".getBytes(), key);
                    long pttl = num(h.call("PTTL".getBytes(), key));
                    if (nil(dump)) continue;
                    mirror.call("RESTORE".getBytes(), key, Long.toString(Math.max(0, pttl)).getBytes(),
                            ((RespValue.Bulk) dump).value(), "REPLACE".getBytes());
                }
            } while (!cursor.equals("0"));
        }
        h.call("SELECT", "0");
        mirror.call("SELECT", "0");
    }

    @Test
    void aConsumerThatFallsBehindGetsFeedresyncRebuildsAndCatchesUp() {
        h.call("CONFIG", "SET", "repl-backlog-size", "16384");
        Random r = new Random(7);
        EngineHarness mirror = new EngineHarness(16, 1);
        mirror.advance(h.now() - mirror.now());
        long[] cur = tail();
        int resyncs = 0;
        for (int round = 0; round < 12; round++) {
            int writes = round % 3 == 2 ? 3000 : 50;          // every third round the consumer falls far behind
            for (int i = 0; i < writes; i++) h.call(JournalReplayTest.randomCommand(r));
            while (true) {
                RespValue rep = h.call("FEED.READ", Long.toString(cur[0]), Long.toString(cur[1]), "COUNT", "256");
                if (rep instanceof RespValue.Error e) {
                    assertThat(e.message()).startsWith("FEEDRESYNC ");
                    String[] p = e.message().split(" ");
                    resyncs++;
                    rebuild(h, mirror);                     // derived state from the current keyspace...
                    cur = new long[] {Long.parseLong(p[1]), Long.parseLong(p[2])};   // ...then the carried cursor
                    continue;
                }
                List<RespValue> rr = arr(rep);
                List<RespValue> frames = arr(rr.get(2));
                for (RespValue f : frames) {
                    List<RespValue> e = arr(f);
                    byte[][] argv = new byte[e.size() - 1][];
                    for (int i = 1; i < e.size(); i++) argv[i - 1] = ((RespValue.Bulk) e.get(i)).value();
                    String cmd = new String(argv[0], StandardCharsets.US_ASCII);
                    if (cmd.equals("MULTI") || cmd.equals("EXEC")) continue;
                    assertThat(mirror.call(argv)).isNotInstanceOf(RespValue.Error.class);
                }
                cur[1] = num(rr.get(1));
                if (frames.isEmpty()) break;
            }
        }
        assertThat(resyncs).isGreaterThanOrEqualTo(2);
        assertThat(mirror.simple("DEBUG", "DIGEST")).isEqualTo(h.simple("DEBUG", "DIGEST")).isNotEqualTo("0".repeat(40));
    }

    @Test
    void versionsAreJournalOffsetsAndGuardCompareAndSet() {
        long v1 = h.integer("VCREATE", "doc", "one");
        assertThat(v1).isEqualTo(h.engine.journal().nextOffset() - 1);
        assertThat(nil(h.call("VCREATE", "doc", "again"))).isTrue();
        List<RespValue> got = arr(h.call("VGET", "doc"));
        assertThat(str(got.get(0))).isEqualTo("one");
        assertThat(num(got.get(1))).isEqualTo(v1);
        assertThat(h.error("VSET", "doc", "two", Long.toString(v1 + 1))).isEqualTo("REVMISMATCH current version is " + v1);
        assertThat(h.bulk("GET", "doc")).isEqualTo("one");
        long v2 = h.integer("VSET", "doc", "two", Long.toString(v1));
        assertThat(v2).isGreaterThan(v1);
        h.call("APPEND", "doc", "!");                      // any write moves the version
        long v3 = num(arr(h.call("VGET", "doc")).get(1));
        assertThat(v3).isGreaterThan(v2);
        assertThat(h.error("VDEL", "doc", Long.toString(v2))).isEqualTo("REVMISMATCH current version is " + v3);
        assertThat(h.integer("VDEL", "doc", Long.toString(v3))).isEqualTo(1);
        assertThat(nil(h.call("VGET", "doc"))).isTrue();
        assertThat(h.integer("VDEL", "doc", "0")).isZero();
        long v4 = h.integer("VSET", "doc", "fresh", "0");  // version 0: only if absent
        assertThat(h.error("VSET", "doc", "x", "0")).isEqualTo("REVMISMATCH current version is " + v4);
        h.integer("VCREATE", "ttl", "x", "PX", "100");
        h.advance(200);
        assertThat(nil(h.call("VGET", "ttl"))).isTrue();
        h.call("HSET", "hash", "f", "v");
        assertThat(h.error("VGET", "hash")).startsWith("WRONGTYPE");
        assertThat(h.error("VSET", "hash", "x", "0")).startsWith("WRONGTYPE");
        h.call("MULTI");
        assertThat(h.error("VSET", "doc", "x", "0")).isEqualTo("ERR Command not allowed inside a transaction");
        assertThat(h.error("EXEC")).startsWith("EXECABORT");
    }
}
