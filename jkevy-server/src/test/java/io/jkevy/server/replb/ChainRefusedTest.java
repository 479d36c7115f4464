package io.jkevy.server.replb;

import io.jkevy.server.replb.Nodes.Node;
import io.jkevy.server.replb.Nodes.Raw;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chain replication is refused: a replica's own replication listener answers a handshake
 * with {@code -ERR ...} and closes, so a node pointed at another replica never gets data and
 * reports its link down; pointed at the primary with {@code REPLICAOF} it syncs.
 */
class ChainRefusedTest {
    @RegisterExtension
    final Nodes nodes = new Nodes();

    @Test
    void replicaOfAReplicaIsRefused() throws Exception {
        Node p = nodes.primary("p");
        Node r1 = nodes.replica("r1", p);
        try (Jedis pc = p.client()) {
            pc.set("k", "v");
        }
        Nodes.awaitCaughtUp(p, r1, 20_000);

        Raw raw = Nodes.exchange(r1.replPort, Nodes.resp("REPLICATE", "FROM", "0", "0", "ID", "chain-raw"), 5_000);
        assertThat(raw.text()).isEqualTo("-ERR this node is a replica: replicate from its primary (chain replication is refused)\r\n");
        assertThat(raw.closed()).isTrue();

        Node r2 = nodes.replica("r2", r1);
        Nodes.await("r2 is refused by r1", 15_000, () -> r2.logged("chain replication is refused"));
        Thread.sleep(500);
        try (Jedis c2 = r2.client()) {
            assertThat(c2.get("k")).isNull();
            assertThat(c2.dbSize()).isZero();
        }
        assertThat(r2.replInfo()).containsEntry("role", "slave").containsEntry("master_link_status", "down")
                .containsEntry("master_port", Integer.toString(r1.replPort));
        assertThat(r1.replInfo()).containsEntry("role", "slave").containsEntry("master_link_status", "up");
        assertThat(r2.logged("snapshot from")).isFalse();

        // pointed at the primary instead, r2 syncs
        try (Jedis c2 = r2.client()) {
            assertThat(c2.replicaof(Nodes.HOST, p.replPort)).isEqualTo("OK");
        }
        Nodes.awaitCaughtUp(p, r2, 20_000);
        try (Jedis c2 = r2.client()) {
            assertThat(c2.get("k")).isEqualTo("v");
        }
        assertThat(p.replInfo()).containsEntry("connected_slaves", "2");
    }
}
