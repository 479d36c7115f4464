package io.jkevy.server.repl;

import io.jkevy.server.repl.ReplNodes.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadGroupParams;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.jkevy.server.repl.ReplNodes.Order.EXACT;
import static io.jkevy.server.repl.ReplNodes.Order.TABLE_ORDER_FREE;
import static io.jkevy.server.repl.ReplNodes.assertSameKeyspace;
import static io.jkevy.server.repl.ReplNodes.awaitCaughtUp;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Brief item 5: several client threads write every data type, MULTI/EXEC blocks, Lua scripts
 * with non-deterministic parts (SPOP, SRANDMEMBER, TIME, relative EXPIRE, INCRBYFLOAT, XADD *)
 * and blocking moves, with short TTLs expiring on the primary meanwhile. One replica follows
 * from the start (live frames only: byte-identical DUMPs), a second one joins in the middle
 * (a snapshot cut under load, then live frames). After WAIT and matching offsets, every key of
 * every database is compared.
 */
class ConcurrentLoadTest {
    @TempDir Path dir;
    private ReplNodes nodes;

    @AfterEach
    void stop() { if (nodes != null) nodes.close(); }

    static final String MOVE_AND_COUNT = """
            local popped = redis.call('SPOP', KEYS[1])
            if popped then redis.call('SADD', KEYS[2], popped) end
            redis.call('INCRBYFLOAT', KEYS[3], ARGV[1])
            redis.call('EXPIRE', KEYS[3], 1000)
            redis.call('HSET', KEYS[4], 'last', tostring(popped), 'n', ARGV[1])
            return popped
            """;
    static final String TIME_AND_RANDOM = """
            local t = redis.call('TIME')
            redis.call('SET', KEYS[1], t[1] .. '.' .. t[2], 'PX', 600000)
            redis.call('ZADD', KEYS[2], math.random(1000), ARGV[1])
            local m = redis.call('SRANDMEMBER', KEYS[3])
            if m then redis.call('RPUSH', KEYS[4], m) end
            redis.call('XADD', KEYS[5], 'MAXLEN', '~', '40', '*', 'f', ARGV[1])
            return 1
            """;

    @Test
    void everyKindOfWriteReplicatesToIdenticalKeyspacesUnderConcurrentLoad() throws Exception {
        nodes = new ReplNodes(dir);
        Node p = nodes.primary("p");
        Node early = nodes.replica("early", p.replPort);
        awaitCaughtUp(p, early);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong ops = new AtomicLong(), errors = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Jedis j = p.jedis();
            long seed = 100 + t;
            writers.add(Thread.ofPlatform().name("writer-" + t).start(() -> {
                Random r = new Random(seed);
                try (j) {
                    while (!stop.get()) {
                        try {
                            randomWrite(j, r);
                        } catch (JedisDataException e) {
                            errors.incrementAndGet();       // WRONGTYPE, not a float, an aborted script: fine
                            if (j.getClient().isBroken()) throw e;
                        }
                        ops.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        Thread.sleep(700);
        Node late = nodes.replica("late", p.replPort);     // joins under load: snapshot, then frames
        Thread.sleep(1500);
        stop.set(true);
        for (Thread w : writers) w.join(30_000);
        assertThat(failure.get()).isNull();
        assertThat(ops.get()).isGreaterThan(1000);

        Thread.sleep(400);              // the short TTLs have passed: the primary expires them (DEL frames)
        try (Jedis pj = p.jedis(); Jedis ej = early.jedis(); Jedis lj = late.jedis()) {
            assertThat(pj.waitReplicas(2, 10_000)).isEqualTo(2);
            awaitCaughtUp(p, early, late);
            assertThat(assertSameKeyspace(pj, ej, EXACT)).isGreaterThan(100);
            assertThat(assertSameKeyspace(pj, lj, TABLE_ORDER_FREE)).isGreaterThan(100);
        }
        assertThat(early.log()).noneMatch(l -> l.contains("failed to apply"));
        assertThat(late.log()).noneMatch(l -> l.contains("failed to apply"));
        System.out.printf("ConcurrentLoadTest: %d operations (%d errors)%n", ops.get(), errors.get());
    }

    private static String k(Random r, String type) { return type + ":" + r.nextInt(25); }

    static void randomWrite(Jedis j, Random r) {
        int db = r.nextInt(8) == 0 ? 3 : 0;
        if (db != 0) j.select(db);
        try {
            switch (r.nextInt(24)) {
                case 0 -> j.set(k(r, "s"), "v" + r.nextInt(1000));
                case 1 -> j.set(k(r, "s"), "t" + r.nextInt(1000), SetParams.setParams().ex(60 + r.nextInt(60)));
                case 2 -> j.incrByFloat(k(r, "f"), r.nextInt(100) / 8.0);
                case 3 -> j.append(k(r, "s"), "+");
                case 4 -> j.pexpire(k(r, r.nextBoolean() ? "s" : "h"), 50 + r.nextInt(250));      // expires during the run
                case 5 -> j.hset(k(r, "h"), "f" + r.nextInt(200), "x" + r.nextInt(100));
                case 6 -> j.hincrByFloat(k(r, "h"), "n", 1.5);
                case 7 -> j.rpush(k(r, "l"), "e" + r.nextInt(100), "e" + r.nextInt(100));
                case 8 -> j.lmove(k(r, "l"), k(r, "l"), ListDirection.LEFT, ListDirection.RIGHT);
                case 9 -> j.blmove(k(r, "l"), k(r, "l"), ListDirection.RIGHT, ListDirection.LEFT, 0.02);
                case 10 -> j.sadd(k(r, "set"), "m" + r.nextInt(300), Integer.toString(r.nextInt(50)));
                case 11 -> j.spop(k(r, "set"), 1 + r.nextInt(3));
                case 12 -> j.zadd(k(r, "z"), r.nextInt(100), "m" + r.nextInt(200));
                case 13 -> j.zpopmin(k(r, "z"));
                case 14 -> j.xadd(k(r, "x"), XAddParams.xAddParams().id(StreamEntryID.NEW_ENTRY).maxLen(60).approximateTrimming(),
                        Map.of("f", "v" + r.nextInt(10)));
                case 15 -> {
                    String key = k(r, "x");
                    try {
                        j.xgroupCreate(key, "g", new StreamEntryID(0, 0), true);
                    } catch (JedisDataException e) {
                        // BUSYGROUP
                    }
                    j.xreadGroup("g", "c" + r.nextInt(3), XReadGroupParams.xReadGroupParams().count(2),
                            Map.of(key, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
                }
                case 16 -> j.pfadd(k(r, "hll"), "a" + r.nextInt(10_000), "b" + r.nextInt(10_000));
                case 17 -> j.setbit(k(r, "bits"), r.nextInt(2000), r.nextBoolean());
                case 18 -> j.del(k(r, "s"), k(r, "l"));
                case 19 -> j.copy(k(r, "h"), k(r, "h"), true);
                case 20 -> {
                    Transaction t = j.multi();
                    t.incrByFloat(k(r, "f"), 0.25);
                    t.spop(k(r, "set"));
                    t.expire(k(r, "s"), 100 + r.nextInt(100));
                    t.lmove(k(r, "l"), k(r, "l"), ListDirection.RIGHT, ListDirection.LEFT);
                    t.zincrby(k(r, "z"), 1.5, "m" + r.nextInt(10));
                    t.hset(k(r, "h"), "tx", Integer.toString(r.nextInt(100)));
                    t.exec();
                }
                case 21 -> j.eval(MOVE_AND_COUNT, 4, k(r, "set"), k(r, "set"), k(r, "f"), k(r, "h"), Integer.toString(r.nextInt(10)));
                case 22 -> j.eval(TIME_AND_RANDOM, 5, k(r, "s"), k(r, "z"), k(r, "set"), k(r, "l"), k(r, "x"), "m" + r.nextInt(50));
                default -> j.sinterstore(k(r, "set"), k(r, "set"), k(r, "set"));
            }
        } finally {
            if (db != 0) j.select(0);
        }
    }
}
