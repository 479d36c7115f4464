package io.jkevy.server.repl;

import io.jkevy.server.repl.ReplNodes.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.file.Path;
import java.util.Random;

import static io.jkevy.server.repl.ReplNodes.Order.TABLE_ORDER_FREE;
import static io.jkevy.server.repl.ReplNodes.assertSameKeyspace;
import static io.jkevy.server.repl.ReplNodes.await;
import static io.jkevy.server.repl.ReplNodes.awaitCaughtUp;
import static io.jkevy.server.repl.ReplNodes.lines;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Brief item 2: a replica that was in sync and comes back (after a clean SHUTDOWN and restart
 * on the same directory, or after its link dropped) continues from the primary's backlog:
 * the primary logs "resumes at offset", never "full snapshot", and the keyspaces end identical.
 */
class ResumeTest {
    @TempDir Path dir;
    private ReplNodes nodes;

    @AfterEach
    void stop() { if (nodes != null) nodes.close(); }

    @Test
    void cleanlyRestartedReplicaResumesFromTheBacklog() throws Exception {
        nodes = new ReplNodes(dir);
        Node p = nodes.primary("p");
        Node r = nodes.replica("r", p.replPort);
        try (Jedis pj = p.jedis()) {
            DataSets.fillEveryType(pj, new Random(3), "a", 40);
            awaitCaughtUp(p, r);
            long offsetBefore = Long.parseLong(r.info("replication").get("slave_repl_offset"));
            String generation = r.info("replication").get("master_generation");
            r.shutdown();

            // writes while the replica is down: new keys, overwrites, deletes, expiry changes
            DataSets.fillEveryType(pj, new Random(4), "b", 30);
            pj.del("a0:0", "a0:4");
            pj.set("a0:9", "while-down");
            pj.pexpire("a0:3", 500_000);
            long primaryNext = Long.parseLong(p.info("replication").get("master_repl_offset"));
            assertThat(primaryNext).isGreaterThan(offsetBefore + 100);

            int mark = p.log().size();
            r.start();
            awaitCaughtUp(p, r);
            // the restarted replica loaded its own journal: it asked from where it stopped, same generation
            assertThat(lines(r.currentLog(), 0, "journal loaded")).anyMatch(l -> l.contains("kept (clean shutdown)"));
            assertThat(lines(p.log(), mark, "replica r ")).as("primary log after the restart")
                    .anyMatch(l -> l.contains("resumes at offset " + offsetBefore + " "))
                    .noneMatch(l -> l.contains("snapshot"));
            assertThat(lines(r.currentLog(), 0, "snapshot from")).isEmpty();
            assertThat(r.info("replication").get("master_generation")).isEqualTo(generation);
            try (Jedis rj = r.jedis()) {
                assertThat(assertSameKeyspace(pj, rj, TABLE_ORDER_FREE)).isEqualTo(4 * 70 - 2);
                assertThat(rj.get("a0:9")).isEqualTo("while-down");
            }
        }
    }

    @Test
    void replicaWhoseLinkDroppedResumesFromTheBacklog() throws Exception {
        nodes = new ReplNodes(dir);
        Node p = nodes.primary("p");
        LinkProxy link = nodes.proxy(p.replPort);
        Node r = nodes.replica("r", link.port());
        try (Jedis pj = p.jedis(); Jedis rj = r.jedis()) {
            DataSets.fillEveryType(pj, new Random(5), "a", 30);
            awaitCaughtUp(p, r);
            long offsetBefore = Long.parseLong(r.info("replication").get("slave_repl_offset"));
            int mark = p.log().size();

            link.cut();
            await("the replica to see its link down", 10_000, () -> info(r, "master_link_status").equals("down"));
            DataSets.fillEveryType(pj, new Random(6), "b", 20);
            pj.select(5);
            pj.flushDB();
            pj.select(0);
            assertThat(rj.exists("b0:1")).as("written while the link is cut").isFalse();

            link.restore();
            awaitCaughtUp(p, r);
            assertThat(lines(p.log(), mark, "replica r ")).as("primary log after the link came back")
                    .anyMatch(l -> l.contains("resumes at offset " + offsetBefore + " "))
                    .noneMatch(l -> l.contains("snapshot"));
            assertThat(link.connections.get()).isGreaterThanOrEqualTo(2);
            assertThat(assertSameKeyspace(pj, rj, TABLE_ORDER_FREE)).isEqualTo(3 * 50);
        }
    }

    static String info(Node n, String field) {
        try {
            return n.info("replication").get(field);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
