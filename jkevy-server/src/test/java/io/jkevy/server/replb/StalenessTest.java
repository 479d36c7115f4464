package io.jkevy.server.replb;

import io.jkevy.server.replb.Nodes.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rung 3 of the consistency ladder with real processes: a replica with
 * {@code replica_max_staleness_ms 1500} refuses reads with {@code -STALE} once its primary
 * has been frozen (SIGSTOP, so no heartbeat arrives and no connection breaks), and serves
 * them again once the primary runs again (SIGCONT).
 */
class StalenessTest {
    @RegisterExtension
    final Nodes nodes = new Nodes();

    @Test
    void frozenPrimaryMakesTheReplicaRefuseReadsUntilItRunsAgain() throws Exception {
        Node p = nodes.primary("p");
        Node r = nodes.replica("r", p, "--replication.replica_max_staleness_ms", "1500");
        try (Jedis pc = p.client()) {
            pc.set("k", "v1");
        }
        Nodes.awaitCaughtUp(p, r, 20_000);
        try (Jedis rc = r.client()) {
            assertThat(rc.get("k")).isEqualTo("v1");

            long stoppedAt = System.nanoTime();       // taken before the stop: a lower bound below stays sound
            p.signal("STOP");
            // heartbeats stop: within a few seconds a keyed read is refused
            Nodes.await("GET on the replica answers -STALE", 6_000, () -> {
                try {
                    rc.get("k");
                    return false;
                } catch (JedisDataException e) {
                    return e.getMessage().startsWith("STALE");
                }
            });
            long staleAfterMs = (System.nanoTime() - stoppedAt) / 1_000_000;
            // not at once: 1500 ms after the last heartbeat, which came about 1 s or less before the stop
            assertThat(staleAfterMs).isGreaterThanOrEqualTo(200);
            assertThatThrownBy(() -> rc.get("k")).isInstanceOf(JedisDataException.class)
                    .hasMessage("STALE replica is stale; read the primary or raise replica_max_staleness_ms");
            assertThatThrownBy(() -> rc.exists("k")).hasMessageStartingWith("STALE");
            // commands that read no data still answer
            assertThat(rc.ping()).isEqualTo("PONG");
            assertThat(r.replInfo()).containsEntry("role", "slave");

            p.signal("CONT");
            Nodes.await("GET on the replica works again after SIGCONT", 10_000, () -> "v1".equals(rc.get("k")));
            assertThat(r.replInfo()).containsEntry("master_link_status", "up");
        }
        // and the link still carries writes
        try (Jedis pc = p.client()) {
            pc.set("k", "v2");
        }
        try (Jedis rc = r.client()) {
            Nodes.await("the write after SIGCONT reaches the replica", 10_000, () -> "v2".equals(rc.get("k")));
        }
    }
}
