package io.jkevy.server.replb;

import io.jkevy.server.replb.Nodes.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rung 4 of the consistency ladder with real processes: a primary with
 * {@code min_replicas_to_write 1} refuses writes with {@code -NOREPLICAS} until a replica is
 * attached and acknowledging, refuses them again when that replica stops acknowledging for
 * longer than {@code min_replicas_max_lag_ms} (SIGSTOP) or goes away (SIGKILL), and never
 * refuses reads.
 */
class MinReplicasTest {
    @RegisterExtension
    final Nodes nodes = new Nodes();

    private static final String NOREPLICAS = "NOREPLICAS Not enough good replicas to write.";

    private static boolean setWorks(Jedis c, String k, String v) {
        try {
            return "OK".equals(c.set(k, v));
        } catch (JedisDataException e) {
            if (!e.getMessage().equals(NOREPLICAS)) throw e;
            return false;
        }
    }

    @Test
    void writesNeedAGoodReplica() throws Exception {
        Node p = nodes.primary("p", "--replication.min_replicas_to_write", "1", "--replication.min_replicas_max_lag_ms", "2000");
        String offsetBefore = p.replInfo().get("master_repl_offset");
        try (Jedis pc = p.client()) {
            assertThatThrownBy(() -> pc.set("k", "v")).isInstanceOf(JedisDataException.class).hasMessage(NOREPLICAS);
            assertThatThrownBy(() -> pc.incr("n")).hasMessage(NOREPLICAS);
            assertThat(pc.get("k")).isNull();                   // reads are served, the refused write changed nothing
            assertThat(pc.exists("n")).isFalse();
            assertThat(p.replInfo()).containsEntry("master_repl_offset", offsetBefore);       // nothing journaled

            Node r = nodes.replica("r", p);
            Nodes.await("SET works once the replica acknowledges", 20_000, () -> setWorks(pc, "k", "v"));
            assertThat(pc.incr("n")).isEqualTo(1);
            Nodes.awaitCaughtUp(p, r, 10_000);
            try (Jedis rc = r.client()) {
                assertThat(rc.get("k")).isEqualTo("v");
            }

            // the replica freezes: no acks for longer than the 2 s lag -> refused again
            r.signal("STOP");
            Nodes.await("NOREPLICAS while the replica is frozen", 10_000, () -> !setWorks(pc, "k", "frozen"));
            r.signal("CONT");
            Nodes.await("SET works again once the replica acknowledges", 15_000, () -> setWorks(pc, "k", "thawed"));

            // the replica dies: refused at once (its slot is no longer connected)
            r.kill9();
            Nodes.await("NOREPLICAS once the replica is gone", 5_000, () -> !setWorks(pc, "k", "gone"));
            assertThat(pc.get("k")).isEqualTo("thawed");
        }
    }
}
