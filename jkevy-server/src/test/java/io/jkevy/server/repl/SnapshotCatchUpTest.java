package io.jkevy.server.repl;

import io.jkevy.server.repl.ReplNodes.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.file.Path;
import java.util.Random;

import static io.jkevy.server.repl.ReplNodes.assertSameKeyspace;
import static io.jkevy.server.repl.ReplNodes.Order.TABLE_ORDER_FREE;
import static io.jkevy.server.repl.ReplNodes.awaitCaughtUp;
import static io.jkevy.server.repl.ReplNodes.lines;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Brief item 1: a fresh replica of a primary that holds keys of every type in several
 * databases catches up through the snapshot path, then follows live writes; both keyspaces are
 * compared key by key (TYPE, DUMP bytes, PEXPIRETIME, PTTL) and by DEBUG DIGEST.
 */
class SnapshotCatchUpTest {
    @TempDir Path dir;
    private ReplNodes nodes;

    @AfterEach
    void stop() { if (nodes != null) nodes.close(); }

    @Test
    void freshReplicaLoadsASnapshotOfEveryTypeThenFollowsLiveWrites() throws Exception {
        nodes = new ReplNodes(dir);
        Node p = nodes.primary("p");
        try (Jedis pj = p.jedis()) {
            DataSets.fillEveryType(pj, new Random(1), "k", 90);
            int before = p.log().size();
            Node r = nodes.replica("r", p.replPort);
            awaitCaughtUp(p, r);
            assertThat(lines(p.log(), before, "replica r ")).anyMatch(l -> l.contains("full snapshot"))
                    .noneMatch(l -> l.contains("resumes at offset"));
            assertThat(lines(r.log(), 0, "snapshot from")).anyMatch(l -> l.contains("loaded"));
            try (Jedis rj = r.jedis()) {
                assertThat(assertSameKeyspace(pj, rj, TABLE_ORDER_FREE)).isEqualTo(4 * 90);

                // live frames on top of the snapshot: overwrite, delete, new keys, TTL changes, FLUSHDB of one db
                Random rnd = new Random(2);
                DataSets.fillEveryType(pj, rnd, "live", 20);
                pj.set("k0:9", "overwritten");
                pj.hset("k0:30", "f1", "changed");
                pj.rpush("k0:40", "tail");
                pj.srem("k0:50", "str1", pj.srandmember("k0:50"));
                pj.zincrby("k0:60", 2.5, "m7");
                pj.select(1);
                pj.flushDB();
                pj.select(0);
                pj.del("k0:0", "k0:12");
                pj.persist("k0:1");
                pj.pexpire("k0:4", 777_000);
                awaitCaughtUp(p, r);
                assertThat(assertSameKeyspace(pj, rj, TABLE_ORDER_FREE)).isEqualTo(3 * (90 + 20) - 2);
                assertThat(rj.pttl("k0:4")).isBetween(700_000L, 777_000L);
                assertThat(rj.ttl("k0:1")).isEqualTo(-1);
            }
        }
    }
}
