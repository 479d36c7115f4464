package io.jkevy.server.replb;

import io.jkevy.server.replb.Nodes.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;

import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas, each killed with SIGKILL and restarted on its own data directory twice (in
 * turn), while a writer keeps changing the primary: once caught up, each replica holds exactly
 * the primary's data (same keys, types and values) and every acknowledged write. The load
 * includes MULTI/EXEC groups, and a reader on the first replica (reading inside MULTI/EXEC)
 * never sees part of a group while it streams (the reader pauses around that replica's kills
 * and recoveries).
 */
class KillReplicaUnderLoadTest {
    @RegisterExtension
    final Nodes nodes = new Nodes();

    @Test
    void replicasKilledAndRestartedTwiceEachEndEqualToThePrimary() throws Exception {
        // a backlog well inside the node's 256 MB heap (the default budget is 256 MB)
        Node p = nodes.primary("p", "--replication.replication_buffer_size", "64mb");
        Node r = nodes.replica("r", p);          // killed twice, read from during the load
        Node r2 = nodes.replica("r2", p);        // killed twice too, in between
        Node[] victims = {r, r2, r, r2};

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong incrs = new AtomicLong(), pushes = new AtomicLong(), ops = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Jedis wc = p.client();
        Thread writer = Thread.ofPlatform().name("writer").start(() -> {
            try (wc) {
                long n = 0;
                while (!stop.get()) {
                    n++;
                    wc.incr("counter");
                    incrs.incrementAndGet();
                    wc.set("s:" + (n % 300), "v" + n);
                    wc.rpush("list", "e" + n);
                    pushes.incrementAndGet();
                    if (n % 7 == 0) wc.hincrBy("h", "f" + (n % 13), n);
                    if (n % 11 == 0) wc.del("s:" + (n % 300 + 1));
                    if (n % 3 == 0) {                   // an atomic group: the replica must never show half of it
                        Transaction t = wc.multi();
                        t.incr("tx:n");
                        t.rpush("tx:l", "t" + n);
                        t.set("tx:last", Long.toString(n));
                        t.exec();
                    }
                    ops.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        // a reader on the replica checks, inside MULTI/EXEC, that it never sees half a group while
        // the replica streams. It pauses from just before each kill until the restarted replica is
        // past the primary's position at the restart: a journal cut inside a group is recovered
        // in part (known bug, see TornGroupRecoveryTest), which this test does not cover.
        AtomicLong checks = new AtomicLong();
        AtomicReference<String> torn = new AtomicReference<>();
        AtomicBoolean readerOn = new AtomicBoolean(true);
        AtomicInteger inCheck = new AtomicInteger();
        Thread reader = Thread.ofPlatform().name("replica-reader").start(() -> {
            while (!stop.get()) {
                try (Jedis rc = new Jedis(Nodes.HOST, r.port, 2000)) {
                    while (!stop.get()) {
                        if (!readerOn.get()) {
                            Thread.sleep(20);
                            continue;
                        }
                        inCheck.incrementAndGet();
                        try {
                            if (!readerOn.get()) continue;
                            Transaction t = rc.multi();
                            Response<String> count = t.get("tx:n");
                            Response<Long> len = t.llen("tx:l");
                            t.exec();
                            long c = count.get() == null ? 0 : Long.parseLong(count.get());
                            if (c != len.get()) torn.compareAndSet(null, "tx:n=" + c + " but LLEN tx:l=" + len.get());
                            checks.incrementAndGet();
                        } finally {
                            inCheck.decrementAndGet();
                        }
                    }
                } catch (RuntimeException e) {
                    // the replica is down or loading: try again
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException ie) {
                        return;
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            for (int round = 1; round <= victims.length; round++) {
                Node v = victims[round - 1];
                String at = " (round " + round + ", " + v.name + ")";
                long before = ops.get();
                Nodes.await("the writer makes progress" + at, 10_000, () -> ops.get() > before + 200);
                Nodes.await("the replica's link is up" + at, 20_000, () -> "up".equals(v.replInfo().get("master_link_status")));
                if (v == r) {
                    readerOn.set(false);
                    Nodes.await("the reader paused", 5_000, () -> inCheck.get() == 0);
                }
                v.restart();                  // kill -9, then start on the same directory
                long atRestart = ops.get();
                long primaryAt = Long.parseLong(p.replInfo().get("master_repl_offset"));
                Nodes.await("the restarted replica links up again" + at, 30_000,
                        () -> "up".equals(v.replInfo().get("master_link_status")));
                Nodes.await("the restarted replica passes the primary's position at the restart" + at, 30_000, () -> {
                    var i = v.replInfo();
                    return "0".equals(i.get("master_sync_in_progress")) && Long.parseLong(i.get("slave_repl_offset")) >= primaryAt;
                });
                readerOn.set(true);
                Nodes.await("writes go on after restart" + at, 10_000, () -> ops.get() > atRestart + 200);
            }
        } finally {
            stop.set(true);
            writer.join(10_000);
            reader.join(10_000);
        }
        assertThat(failure.get()).as("the writer's error").isNull();
        assertThat(torn.get()).as("a reader on the replica saw part of a MULTI/EXEC group").isNull();
        assertThat(checks.get()).as("reads checked on the replica").isGreaterThan(50);
        for (Node v : new Node[] {r, r2}) {
            assertThat(v.output()).as("two kills of " + v.name).filteredOn(l -> l.contains("ended)")).hasSize(2);
            Nodes.awaitCaughtUp(p, v, 30_000);
            // how each run of the replica came back (resume or snapshot), for the test log
            v.output().stream().filter(l -> l.contains("replicating from") || l.contains("snapshot from") || l.contains("ended)"))
                    .forEach(l -> System.out.println("[replica " + v.name + "] " + l));
        }
        p.output().stream().filter(l -> l.contains("asked for") || l.contains("resumes at"))
                .forEach(l -> System.out.println("[primary p] " + l));
        try (Jedis pc = p.client()) {
            TreeMap<String, String> primary = Nodes.dump(pc);
            assertThat(primary).containsEntry("counter", "string:" + incrs.get());
            assertThat(pc.llen("list")).isEqualTo(pushes.get());
            assertThat(primary.size()).isGreaterThan(100);
            for (Node v : new Node[] {r, r2}) {
                try (Jedis rc = v.client()) {
                    assertThat(Nodes.dump(rc)).as(v.name).isEqualTo(primary);
                    assertThat(rc.get("counter")).isEqualTo(Long.toString(incrs.get()));
                    assertThat(rc.llen("list")).isEqualTo(pushes.get());
                    assertThat(rc.get("tx:n")).isEqualTo(Long.toString(rc.llen("tx:l")));
                }
            }
        }
    }
}
