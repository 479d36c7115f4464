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
 * Brief item 4: a node whose history forked from its upstream's (local writes on a writable
 * replica, or an old primary that kept writing after another node was promoted) is reset to
 * the upstream's history by a snapshot: keys written only on it are gone, the keyspaces are
 * identical. A node that did not fork resumes across a promotion without a snapshot.
 */
class ForkedHistoryTest {
    @TempDir Path dir;
    private ReplNodes nodes;

    @AfterEach
    void stop() { if (nodes != null) nodes.close(); }

    /** Primary p, writable replica r behind a cuttable link, both in sync on some data. */
    private Node[] writableReplicaInSync(LinkProxy[] link) throws Exception {
        nodes = new ReplNodes(dir);
        Node p = nodes.primary("p");
        link[0] = nodes.proxy(p.replPort);
        Node r = nodes.replica("r", link[0].port(), "--replication.replica_read_only", "no");
        try (Jedis pj = p.jedis()) {
            DataSets.fillEveryType(pj, new Random(9), "a", 20);
        }
        awaitCaughtUp(p, r);
        return new Node[] {p, r};
    }

    private static void localWrites(Jedis rj, int n) {
        for (int i = 0; i < n; i++) rj.set("local:" + i, "only on the replica");
        rj.hset("a0:3", "local-field", "x");      // and a change to a replicated key
    }

    private static void primaryWrites(Jedis pj, int n) {
        for (int i = 0; i < n; i++) pj.set("primary:" + i, "p" + i);
    }

    private void assertResetToPrimary(Node p, Node r, int mark, int primaryKeys) throws Exception {
        awaitCaughtUp(p, r);
        assertThat(lines(p.log(), mark, "replica r ")).as("primary log").anyMatch(l -> l.contains("full snapshot"));
        try (Jedis pj = p.jedis(); Jedis rj = r.jedis()) {
            assertThat(rj.exists("local:0")).as("a key written only on the replica").isFalse();
            assertThat(rj.hexists("a0:3", "local-field")).isFalse();
            assertThat(rj.get("primary:0")).isEqualTo("p0");
            assertThat(assertSameKeyspace(pj, rj, TABLE_ORDER_FREE)).isEqualTo(4 * 20 + primaryKeys);
        }
    }

    @Test
    void writableReplicaAheadOfThePrimaryIsResetBySnapshot() throws Exception {
        LinkProxy[] link = new LinkProxy[1];
        Node[] pr = writableReplicaInSync(link);
        Node p = pr[0], r = pr[1];
        int mark = p.log().size();
        link[0].cut();
        await("the replica to see its link down", 10_000, () -> ResumeTest.info(r, "master_link_status").equals("down"));
        try (Jedis pj = p.jedis(); Jedis rj = r.jedis()) {
            localWrites(rj, 6);         // the replica's offsets run 7 ahead
            primaryWrites(pj, 2);       // the primary's only 2
        }
        link[0].restore();
        assertResetToPrimary(p, r, mark, 2);
    }

    @Test
    void writableReplicaThatForkedBehindThePrimaryIsResetBySnapshot() throws Exception {
        LinkProxy[] link = new LinkProxy[1];
        Node[] pr = writableReplicaInSync(link);
        Node p = pr[0], r = pr[1];
        int mark = p.log().size();
        link[0].cut();
        await("the replica to see its link down", 10_000, () -> ResumeTest.info(r, "master_link_status").equals("down"));
        try (Jedis pj = p.jedis(); Jedis rj = r.jedis()) {
            localWrites(rj, 3);         // offsets N..N+3 hold local writes on the replica
            primaryWrites(pj, 30);      // and other writes on the primary: the replica's offset is in its backlog
        }
        link[0].restore();
        assertResetToPrimary(p, r, mark, 30);
    }

    @Test
    void writableReplicaWritingWhileLinkedIsResetBySnapshot() throws Exception {
        LinkProxy[] link = new LinkProxy[1];
        Node[] pr = writableReplicaInSync(link);
        Node p = pr[0], r = pr[1];
        int mark = p.log().size();
        try (Jedis pj = p.jedis(); Jedis rj = r.jedis()) {
            localWrites(rj, 3);
            primaryWrites(pj, 30);
        }
        assertResetToPrimary(p, r, mark, 30);
    }

    @Test
    void writableReplicaRestartedAfterLocalWritesIsResetBySnapshot() throws Exception {
        LinkProxy[] link = new LinkProxy[1];
        Node[] pr = writableReplicaInSync(link);
        Node p = pr[0], r = pr[1];
        link[0].cut();
        await("the replica to see its link down", 10_000, () -> ResumeTest.info(r, "master_link_status").equals("down"));
        try (Jedis rj = r.jedis()) {
            localWrites(rj, 3);
        }
        r.shutdown();                   // clean: the local writes are in its journal, the generation is kept
        int mark = p.log().size();
        try (Jedis pj = p.jedis()) {
            primaryWrites(pj, 30);
        }
        link[0].restore();
        r.start();
        assertResetToPrimary(p, r, mark, 30);
    }

    @Test
    void oldPrimaryThatKeptWritingRejoinsThePromotedReplicaBySnapshot() throws Exception {
        nodes = new ReplNodes(dir);
        Node a = nodes.primary("a");
        Node b = nodes.replica("b", a.replPort);
        try (Jedis aj = a.jedis(); Jedis bj = b.jedis()) {
            DataSets.fillEveryType(aj, new Random(10), "x", 20);
            awaitCaughtUp(a, b);
            assertThat(bj.sendCommand(ReplNodes.command("REPLICAOF"), "NO", "ONE")).isNotNull();
            // a, not yet told, keeps writing in the old generation; b writes in its new one
            for (int i = 0; i < 5; i++) aj.set("lost:" + i, "written on the old primary");
            for (int i = 0; i < 3; i++) bj.set("new:" + i, "written on the new primary");
            int mark = b.log().size();
            aj.sendCommand(ReplNodes.command("REPLICAOF"), "127.0.0.1", Integer.toString(b.replPort));
            awaitCaughtUp(b, a);
            assertThat(lines(b.log(), mark, "replica a ")).anyMatch(l -> l.contains("full snapshot"))
                    .noneMatch(l -> l.contains("resumes at offset"));
            assertThat(aj.exists("lost:0")).isFalse();
            assertThat(assertSameKeyspace(bj, aj, TABLE_ORDER_FREE)).isEqualTo(4 * 20 + 3);
        }
    }

    @Test
    void oldPrimaryThatDidNotWriteResumesFromThePromotedReplica() throws Exception {
        nodes = new ReplNodes(dir);
        Node a = nodes.primary("a");
        Node b = nodes.replica("b", a.replPort);
        try (Jedis aj = a.jedis(); Jedis bj = b.jedis()) {
            DataSets.fillEveryType(aj, new Random(11), "x", 20);
            awaitCaughtUp(a, b);
            String oldGen = a.info("replication").get("master_generation");
            long end = Long.parseLong(a.info("replication").get("master_repl_offset"));
            bj.sendCommand(ReplNodes.command("REPLICAOF"), "NO", "ONE");
            String newGen = b.info("replication").get("master_generation");
            assertThat(newGen).isNotEqualTo(oldGen);
            for (int i = 0; i < 3; i++) bj.set("new:" + i, "written on the new primary");
            int mark = b.log().size();
            aj.sendCommand(ReplNodes.command("REPLICAOF"), "127.0.0.1", Integer.toString(b.replPort));
            awaitCaughtUp(b, a);
            assertThat(lines(b.log(), mark, "replica a ")).anyMatch(l -> l.contains("resumes at offset " + end + " "))
                    .noneMatch(l -> l.contains("snapshot"));
            assertThat(a.info("replication").get("master_generation")).isEqualTo(newGen);
            assertThat(assertSameKeyspace(bj, aj, ReplNodes.Order.EXACT)).isEqualTo(4 * 20 + 3);
        }
    }
}
