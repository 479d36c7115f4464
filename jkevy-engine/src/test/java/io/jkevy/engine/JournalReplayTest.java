package io.jkevy.engine;

import io.jkevy.journal.Frames;
import io.jkevy.journal.Journal;
import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ARCHITECTURE invariant 3: frames are effects. Random writes of every type go to one engine;
 * its journal is then applied, frame by frame, to an empty engine; the two datasets must have
 * the same DEBUG DIGEST (databases, keys, values, TTLs) and the same keys.
 *
 * <p>The replaying engine's clock stays at the first write's time while it applies frames, as a
 * replica or a journal load must not expire keys on its own (expiry arrives as DEL frames;
 * every journaled TTL is absolute and not earlier than that time); it then moves to the
 * writer's final time for the comparison.
 */
class JournalReplayTest {
    static final String[] KEYS = {"k0", "k1", "k2", "k3", "k4", "k5"};

    @RepeatedTest(8)
    void replayingTheJournalRebuildsTheSameDataset(RepetitionInfo info) {
        long seed = 0x5eed0000L + info.getCurrentRepetition();
        Random r = new Random(seed);
        EngineHarness a = new EngineHarness(16, 4);
        long start = a.now();
        a.engine.journal().backlogBudget(512L * 1024 * 1024);   // keep every frame for the replay
        long first = a.engine.journal().nextOffset();
        for (int i = 0; i < 3000; i++) {
            if (r.nextInt(50) == 0) a.advance(r.nextInt(300));      // lets TTLs pass, lazily and actively
            if (r.nextInt(200) == 0) a.engine.cron();
            a.call(randomCommand(r));
        }
        EngineHarness b = new EngineHarness(16, 1);
        b.advance(start - b.now());
        Journal.Read read = a.engine.journal().read(first, Integer.MAX_VALUE);
        List<byte[]> frames = ((Journal.Read.Frames) read).frames();
        assertThat(frames).as("seed %d wrote something", seed).hasSizeGreaterThan(100);
        for (byte[] f : frames) {
            byte[][] argv = Frames.decodeArgv(f);
            String cmd = new String(argv[0], StandardCharsets.US_ASCII);
            if (cmd.equals("MULTI") || cmd.equals("EXEC")) continue;   // a replay applies groups whole anyway
            RespValue reply = b.call(argv);
            assertThat(reply).as("seed %d replaying %s", seed, show(argv)).isNotInstanceOf(RespValue.Error.class);
        }
        b.advance(a.now() - b.now());
        assertThat(b.simple("DEBUG", "DIGEST")).as("seed %d", seed).isEqualTo(a.simple("DEBUG", "DIGEST"))
                .isNotEqualTo("0".repeat(40));
        assertThat(b.call("DBSIZE")).isEqualTo(a.call("DBSIZE"));
    }

    static String show(byte[][] argv) {
        List<String> s = new ArrayList<>();
        for (byte[] a : argv) s.add(new String(a, StandardCharsets.UTF_8));
        return String.join(" ", s);
    }

    static String key(Random r) { return KEYS[r.nextInt(KEYS.length)]; }

    static String member(Random r) {
        // small integers (intsets), short words and long values cross every encoding threshold
        return switch (r.nextInt(3)) {
            case 0 -> Integer.toString(r.nextInt(40));
            case 1 -> "m" + r.nextInt(30);
            default -> "long-" + "x".repeat(60 + r.nextInt(20)) + r.nextInt(5);
        };
    }

    static String[] randomCommand(Random r) {
        String k = key(r), k2 = key(r);
        String m = member(r), m2 = member(r);
        String n = Integer.toString(r.nextInt(7) - 2);
        return switch (r.nextInt(44)) {
            case 0 -> new String[] {"SET", k, m, "PX", Integer.toString(50 + r.nextInt(500))};
            case 1 -> new String[] {"APPEND", k, m};
            case 2 -> new String[] {"INCRBYFLOAT", k, "1.5"};
            case 3 -> new String[] {"SETRANGE", k, Integer.toString(r.nextInt(10)), m};
            case 4 -> new String[] {"SETBIT", k, Integer.toString(r.nextInt(64)), "1"};
            case 5 -> new String[] {"GETEX", k, "EX", "100"};
            case 6 -> new String[] {"GETDEL", k};
            case 7 -> new String[] {"DEL", k, k2};
            case 8 -> new String[] {"EXPIRE", k, Integer.toString(r.nextInt(3))};
            case 9 -> new String[] {"PERSIST", k};
            case 10 -> new String[] {"RENAME", k, k2};
            case 11 -> new String[] {"COPY", k, k2, "REPLACE"};
            case 12 -> new String[] {"HSET", k, m, m2};
            case 13 -> new String[] {"HDEL", k, m};
            case 14 -> new String[] {"HINCRBYFLOAT", k, "f", "0.25"};
            case 15 -> new String[] {"HINCRBY", k, "n", n};
            case 16 -> new String[] {"RPUSH", k, m, m2};
            case 17 -> new String[] {"LPUSH", k, m};
            case 18 -> new String[] {"LPOP", k, "2"};
            case 19 -> new String[] {"LMOVE", k, k2, "LEFT", "RIGHT"};
            case 20 -> new String[] {"LTRIM", k, "0", n};
            case 21 -> new String[] {"LINSERT", k, "BEFORE", m, m2};
            case 22 -> new String[] {"LMPOP", "2", k, k2, "RIGHT", "COUNT", "2"};
            case 23 -> new String[] {"SADD", k, m, m2};
            case 24 -> new String[] {"SREM", k, m};
            case 25 -> new String[] {"SPOP", k, Integer.toString(1 + r.nextInt(3))};
            case 26 -> new String[] {"SMOVE", k, k2, m};
            case 27 -> new String[] {"SINTERSTORE", k, k2, key(r)};
            case 28 -> new String[] {"SUNIONSTORE", k, k2, key(r)};
            case 29 -> new String[] {"ZADD", k, Integer.toString(r.nextInt(100)), m};
            case 30 -> new String[] {"ZINCRBY", k, "0.5", m};
            case 31 -> new String[] {"ZPOPMIN", k, "2"};
            case 32 -> new String[] {"ZREMRANGEBYRANK", k, "0", n};
            case 33 -> new String[] {"ZUNIONSTORE", k, "2", k2, key(r), "WEIGHTS", "2", "1"};
            case 34 -> new String[] {"ZMPOP", "2", k, k2, "MAX"};
            case 35 -> new String[] {"XADD", k, "MAXLEN", "~", "5", "*", "f", m};
            case 36 -> new String[] {"XADD", k, "*", "a", m, "b", m2};
            case 37 -> new String[] {"XTRIM", k, "MAXLEN", "3"};
            case 38 -> new String[] {"XGROUP", "CREATE", k, "g", "0", "MKSTREAM"};
            case 39 -> new String[] {"XREADGROUP", "GROUP", "g", "c" + r.nextInt(2), "COUNT", "2", "STREAMS", k, ">"};
            case 40 -> new String[] {"PFADD", k, m, m2};
            case 41 -> new String[] {"PFMERGE", k, k2};
            case 42 -> new String[] {"SORT", k2, "ALPHA", "STORE", k};
            default -> new String[] {"MOVE", k, Integer.toString(1 + r.nextInt(2))};
        };
    }
}
