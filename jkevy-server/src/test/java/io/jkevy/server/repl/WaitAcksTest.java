package io.jkevy.server.repl;

import io.jkevy.server.repl.ReplNodes.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.file.Path;

import static io.jkevy.server.repl.ReplNodes.awaitCaughtUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Brief item 6: WAIT counts replicas that acknowledged the offset of the caller's last write,
 * not connected ones: 1 with one live replica; WAIT 2 times out returning 1; 0 while the
 * replica is frozen (SIGSTOP: still connected, not acknowledging) and after it was killed.
 * Checked through Jedis and redis-cli.
 */
class WaitAcksTest {
    @TempDir Path dir;
    private ReplNodes nodes;
    private long frozen = -1;

    @AfterEach
    void stop() throws Exception {
        if (frozen > 0) signal("CONT", frozen);
        if (nodes != null) nodes.close();
    }

    private static void signal(String sig, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor()).isZero();
    }

    @Test
    void waitCountsAcknowledgementsNotConnections() throws Exception {
        nodes = new ReplNodes(dir);
        Node p = nodes.primary("p");
        Node r = nodes.replica("r", p.replPort);
        awaitCaughtUp(p, r);
        try (Jedis pj = p.jedis(); Jedis rj = r.jedis()) {
            pj.set("a", "1");
            assertThat(pj.waitReplicas(1, 5000)).isEqualTo(1);
            assertThat(rj.get("a")).as("acknowledged means applied").isEqualTo("1");

            pj.set("b", "2");
            long t0 = System.nanoTime();
            assertThat(pj.waitReplicas(2, 400)).as("only one replica exists").isEqualTo(1);
            assertThat((System.nanoTime() - t0) / 1_000_000).as("WAIT 2 waited for its timeout").isGreaterThanOrEqualTo(380);

            // nothing written on this connection since: WAIT answers at once with what acked it
            assertThat(pj.waitReplicas(1, 0)).isEqualTo(1);

            assertThatThrownBy(() -> rj.waitReplicas(1, 100)).isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR WAIT cannot be used with replica instances");

            // frozen: the link is still open (the primary lists the replica) but acks stop
            frozen = r.pid();
            signal("STOP", frozen);
            pj.set("c", "3");
            t0 = System.nanoTime();
            assertThat(pj.waitReplicas(1, 300)).as("a connected replica that did not acknowledge").isZero();
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(280);
            assertThat(p.info("replication").get("connected_slaves")).isEqualTo("1");
            signal("CONT", frozen);
            frozen = -1;
            assertThat(pj.waitReplicas(1, 5000)).as("acknowledged once it runs again").isEqualTo(1);

            r.kill();
            pj.set("d", "4");
            assertThat(pj.waitReplicas(1, 100)).isZero();
        }
        // the same through redis-cli
        assertThat(ReplNodes.cli(p.port, "SET", "e", "5")).isEqualTo("OK");
        assertThat(ReplNodes.cli(p.port, "WAIT", "1", "100")).isEqualTo("0");
    }
}
