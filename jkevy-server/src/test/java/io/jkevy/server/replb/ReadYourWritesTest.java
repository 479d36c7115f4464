package io.jkevy.server.replb;

import io.jkevy.server.replb.Nodes.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rung 1 of the consistency ladder (REPL.TOKEN on the primary, REPL.WAIT on a replica), the
 * replica's write refusal (READONLY), WAIT on both roles, and REPLICAOF at run time turning a
 * primary with data of its own into a replica (its data replaced by the upstream's) and back.
 */
class ReadYourWritesTest {
    @RegisterExtension
    final Nodes nodes = new Nodes();

    private static final ProtocolCommand TOKEN = () -> "REPL.TOKEN".getBytes(StandardCharsets.US_ASCII);
    private static final ProtocolCommand REPL_WAIT = () -> "REPL.WAIT".getBytes(StandardCharsets.US_ASCII);

    private static String replWait(Jedis c, long gen, long off, long timeout) {
        return new String((byte[]) c.sendCommand(REPL_WAIT, Long.toString(gen), Long.toString(off), "TIMEOUT", Long.toString(timeout)),
                StandardCharsets.UTF_8);
    }

    @Test
    void tokenWaitReadonlyAndReplicaofAtRunTime() throws Exception {
        Node p = nodes.primary("p");
        Node r = nodes.replica("r", p);
        String misdirected = "MISDIRECTED writer is " + Nodes.HOST + ":" + p.port;
        try (Jedis pc = p.client(); Jedis rc = r.client()) {
            Nodes.await("the replica's link is up", 20_000, () -> "up".equals(r.replInfo().get("master_link_status")));
            pc.set("ryw", "1");
            @SuppressWarnings("unchecked")
            List<Object> token = (List<Object>) pc.sendCommand(TOKEN);
            long gen = (Long) token.get(0), next = (Long) token.get(1);
            assertThat(Long.toString(gen)).isEqualTo(p.replInfo().get("master_generation"));
            assertThat(Long.toString(next)).isEqualTo(p.replInfo().get("master_repl_offset"));

            // read-your-writes: once REPL.WAIT says OK, the replica shows the write
            assertThat(replWait(rc, gen, next, 2000)).isEqualTo("OK");
            assertThat(rc.get("ryw")).isEqualTo("1");
            // on the primary it answers at once
            assertThat(replWait(pc, gen, next + 1_000_000, 2000)).isEqualTo("OK");

            // another generation: misdirected to the writer (its client port), at once
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> replWait(rc, gen + 1, next, 2000)).isInstanceOf(JedisDataException.class).hasMessage(misdirected);
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1500);
            // an offset that never comes within the timeout: misdirected after the timeout
            t0 = System.nanoTime();
            assertThatThrownBy(() -> replWait(rc, gen, next + 1000, 300)).hasMessage(misdirected);
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(250);
            // a wait for the next write blocks until it arrives
            try (Jedis waiter = r.client()) {
                CompletableFuture<String> w = CompletableFuture.supplyAsync(() -> replWait(waiter, gen, next + 1, 10_000));
                Thread.sleep(300);
                assertThat(w).isNotDone();
                pc.set("ryw", "2");
                assertThat(w.get(8, TimeUnit.SECONDS)).isEqualTo("OK");
                assertThat(rc.get("ryw")).isEqualTo("2");
            }

            // writes on a replica are refused and change nothing
            for (Runnable write : List.<Runnable>of(() -> rc.set("ryw", "x"), () -> rc.incr("n"), () -> rc.del("ryw"), () -> rc.rpush("l", "a"))) {
                assertThatThrownBy(write::run).isInstanceOf(JedisDataException.class)
                        .hasMessage("READONLY You can't write against a read only replica.");
            }
            assertThat(rc.get("ryw")).isEqualTo("2");
            assertThat(rc.exists("n", "l")).isZero();

            // WAIT: on the primary it counts the acknowledging replica; refused on a replica
            pc.set("w", "1");
            assertThat(pc.waitReplicas(1, 5000)).isEqualTo(1);
            assertThatThrownBy(() -> rc.waitReplicas(1, 100)).hasMessage("ERR WAIT cannot be used with replica instances");
        }

        // REPLICAOF at run time: a standalone node and a primary, each with data of its own,
        // become replicas of p (their data replaced by p's) and are promoted back
        Node s = nodes.standalone("s");
        assertThat(s.replInfo()).containsEntry("role", "master").containsEntry("connected_slaves", "0");
        becomesReplicaAndBack(p, s, 2);
        Node n = nodes.primary("n");
        becomesReplicaAndBack(p, n, 2);
    }

    private static void becomesReplicaAndBack(Node p, Node n, int slavesOfP) throws Exception {
        try (Jedis nc = n.client()) {
            nc.set("mine", "local");
            assertThatThrownBy(() -> nc.replicaof(Nodes.HOST, 0)).hasMessage("ERR Invalid master port");
            assertThat(nc.get("mine")).isEqualTo("local");
            assertThat(nc.replicaof(Nodes.HOST, p.replPort)).isEqualTo("OK");
            Nodes.awaitCaughtUp(p, n, 20_000);
            assertThat(nc.get("mine")).isNull();                  // replaced by the upstream's snapshot
            assertThat(nc.get("ryw")).isEqualTo("2");
            assertThat(PromotionTest.plain(nc.role()).subList(0, 4)).containsExactly("slave", Nodes.HOST, (long) p.replPort, "connected");
            assertThatThrownBy(() -> nc.set("mine", "again")).hasMessage("READONLY You can't write against a read only replica.");
            assertThat(p.replInfo()).containsEntry("connected_slaves", Integer.toString(slavesOfP));
            try (Jedis pc = p.client()) {
                pc.set("live", n.name);
            }
            Nodes.await("live writes reach the new replica", 10_000, () -> n.name.equals(nc.get("live")));

            // and back: REPLICAOF NO ONE keeps the data and takes writes
            assertThat(nc.replicaofNoOne()).isEqualTo("OK");
            assertThat(PromotionTest.plain(nc.role()).get(0)).isEqualTo("master");
            assertThat(nc.set("mine", "again")).isEqualTo("OK");
            assertThat(nc.get("live")).isEqualTo(n.name);
            assertThat(nc.get("ryw")).isEqualTo("2");
        }
        Nodes.await("p sees the promoted node gone", 10_000, () -> Integer.toString(slavesOfP - 1).equals(p.replInfo().get("connected_slaves")));
    }
}
