package io.jkevy.server.repl;

import io.jkevy.server.repl.ReplNodes.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static io.jkevy.server.repl.ReplNodes.Order.TABLE_ORDER_FREE;
import static io.jkevy.server.repl.ReplNodes.assertSameKeyspace;
import static io.jkevy.server.repl.ReplNodes.await;
import static io.jkevy.server.repl.ReplNodes.awaitCaughtUp;
import static io.jkevy.server.repl.ReplNodes.lines;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Brief item 3: with a 64 KiB backlog, a replica that comes back after the primary wrote far
 * more than that gets a snapshot (its offset was evicted), for a restarted replica and for a
 * dropped link, and ends identical.
 */
class BacklogEvictionTest {
    @TempDir Path dir;
    private ReplNodes nodes;

    @AfterEach
    void stop() { if (nodes != null) nodes.close(); }

    /** ~400 KiB of frames: six times the backlog. */
    private static void writeMuch(Jedis j, String prefix) {
        Pipeline pl = j.pipelined();
        for (int i = 0; i < 4000; i++) {
            pl.set(prefix + i, "v".repeat(80) + i);
            if (i % 10 == 0) pl.hset(prefix + "h" + (i % 70), "f" + i, "x" + i);
        }
        pl.sync();
    }

    @Test
    void restartedReplicaBehindTheBacklogGetsASnapshot() throws Exception {
        nodes = new ReplNodes(dir);
        Node p = nodes.primary("p", "--replication.replication_buffer_size", "65536");
        Node r = nodes.replica("r", p.replPort);
        try (Jedis pj = p.jedis()) {
            DataSets.fillEveryType(pj, new Random(7), "a", 20);
            awaitCaughtUp(p, r);
            long replicaNext = Long.parseLong(r.info("replication").get("slave_repl_offset"));
            r.shutdown();

            writeMuch(pj, "big:");
            Map<String, String> pi = p.info("replication");
            assertThat(Long.parseLong(pi.get("repl_backlog_first_byte_offset"))).as("the replica's offset was evicted")
                    .isGreaterThan(replicaNext);
            assertThat(Long.parseLong(pi.get("repl_backlog_size"))).isLessThanOrEqualTo(65536 + 4096);

            int mark = p.log().size();
            r.start();
            awaitCaughtUp(p, r);
            assertThat(lines(p.log(), mark, "replica r ")).as("primary log after the restart")
                    .anyMatch(l -> l.contains("asked for") && l.contains(", " + replicaNext + "): full snapshot"))
                    .noneMatch(l -> l.contains("resumes at offset"));
            assertThat(lines(r.currentLog(), 0, "snapshot from")).anyMatch(l -> l.contains("loaded"));
            try (Jedis rj = r.jedis()) {
                assertThat(assertSameKeyspace(pj, rj, TABLE_ORDER_FREE)).isEqualTo(4 * 20 + 4000 + 7);
            }
        }
    }

    @Test
    void replicaWhoseLinkDroppedBehindTheBacklogGetsASnapshot() throws Exception {
        nodes = new ReplNodes(dir);
        Node p = nodes.primary("p", "--replication.replication_buffer_size", "65536");
        LinkProxy link = nodes.proxy(p.replPort);
        Node r = nodes.replica("r", link.port());
        try (Jedis pj = p.jedis(); Jedis rj = r.jedis()) {
            DataSets.fillEveryType(pj, new Random(8), "a", 20);
            awaitCaughtUp(p, r);
            int mark = p.log().size();
            link.cut();
            await("the replica to see its link down", 10_000, () -> ResumeTest.info(r, "master_link_status").equals("down"));
            writeMuch(pj, "big:");
            pj.del("a0:1");
            link.restore();
            awaitCaughtUp(p, r);
            assertThat(lines(p.log(), mark, "replica r ")).anyMatch(l -> l.contains("full snapshot"))
                    .noneMatch(l -> l.contains("resumes at offset"));
            assertThat(assertSameKeyspace(pj, rj, TABLE_ORDER_FREE)).isEqualTo(4 * 20 + 4000 + 7 - 1);
        }
    }
}
