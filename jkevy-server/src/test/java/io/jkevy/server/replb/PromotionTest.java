package io.jkevy.server.replb;

import io.jkevy.server.replb.Nodes.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Failover by hand with generation continuity (spec "Generations across failover"): the
 * primary dies, {@code REPLICAOF NO ONE} promotes R1 (new generation, offsets continue),
 * {@code REPLICAOF} points R2 at R1, and R2 continues from R1's backlog without a snapshot —
 * including writes R1 took before R2 arrived — then follows R1's new writes.
 */
class PromotionTest {
    @RegisterExtension
    final Nodes nodes = new Nodes();

    @Test
    void promotedReplicaServesTheOtherReplicaFromItsBacklog() throws Exception {
        Node p = nodes.primary("p");
        Node r1 = nodes.replica("r1", p);
        Node r2 = nodes.replica("r2", p);
        try (Jedis pc = p.client()) {
            for (int i = 0; i < 50; i++) pc.set("k" + i, "v" + i);
            pc.hset("h", Map.of("a", "1", "b", "2"));
        }
        Nodes.awaitCaughtUp(p, r1, 20_000);
        Nodes.awaitCaughtUp(p, r2, 20_000);
        String g0 = p.replInfo().get("master_generation");
        long endOfG0 = Long.parseLong(p.replInfo().get("master_repl_offset"));
        String r2id = r2.replInfo().get("replica_id");
        assertThat(r2id).isNotBlank();

        p.kill9();

        try (Jedis c1 = r1.client()) {
            assertThatThrownBy(() -> c1.set("x", "1")).hasMessage("READONLY You can't write against a read only replica.");
            assertThat(c1.replicaofNoOne()).isEqualTo("OK");
            Map<String, String> i1 = r1.replInfo();
            assertThat(i1).containsEntry("role", "master");
            assertThat(i1.get("master_generation")).isNotEqualTo(g0);
            assertThat(i1).containsEntry("master_previous_generation", g0);
            assertThat(i1).containsEntry("master_repl_offset", Long.toString(endOfG0));     // offsets continue
            // a write R1 takes before R2 arrives: R2 must get it from R1's backlog
            assertThat(c1.set("during", "d")).isEqualTo("OK");
        }
        String g1 = r1.replInfo().get("master_generation");

        try (Jedis c2 = r2.client()) {
            assertThat(c2.replicaof(Nodes.HOST, r1.replPort)).isEqualTo("OK");
        }
        Nodes.await("R1 resumes R2 from its backlog", 15_000, () -> r1.logged("replica " + r2id + " ") && r1.logged("resumes at offset " + endOfG0));
        Nodes.awaitCaughtUp(r1, r2, 15_000);
        try (Jedis c1 = r1.client()) {
            assertThat(c1.set("after", "a")).isEqualTo("OK");
            assertThat(c1.del("k0")).isEqualTo(1);
        }
        Nodes.awaitCaughtUp(r1, r2, 15_000);
        try (Jedis c2 = r2.client()) {
            assertThat(c2.get("during")).isEqualTo("d");
            assertThat(c2.get("after")).isEqualTo("a");
            assertThat(c2.get("k0")).isNull();
            assertThat(c2.get("k49")).isEqualTo("v49");
            assertThat(c2.hget("h", "b")).isEqualTo("2");
        }
        // no snapshot anywhere in the failover
        assertThat(r1.output()).noneMatch(l -> l.contains("full snapshot") || l.contains("shipping a snapshot"));
        assertThat(r2.output()).noneMatch(l -> l.contains("snapshot from " + Nodes.HOST + ":" + r1.replPort));
        assertThat(r2.output()).anyMatch(l -> l.contains("upstream continues generation"));

        // ROLE and INFO on each
        try (Jedis c1 = r1.client(); Jedis c2 = r2.client()) {
            List<Object> role1 = plain(c1.role());
            assertThat(role1.get(0)).isEqualTo("master");
            assertThat((Long) role1.get(1)).isEqualTo(endOfG0 + 3);
            assertThat((List<?>) role1.get(2)).hasSize(1);
            List<Object> role2 = plain(c2.role());
            assertThat(role2.subList(0, 4)).containsExactly("slave", Nodes.HOST, (long) r1.replPort, "connected");
            assertThat((Long) role2.get(4)).isEqualTo(endOfG0 + 3);
        }
        Map<String, String> i2 = r2.replInfo();
        assertThat(i2).containsEntry("role", "slave").containsEntry("master_port", Integer.toString(r1.replPort))
                .containsEntry("master_link_status", "up").containsEntry("master_generation", g1);
        assertThat(r1.replInfo()).containsEntry("connected_slaves", "1").containsEntry("master_generation", g1);
    }

    /**
     * R2 is behind when P dies (it was down while P took more writes): after R1's promotion,
     * R2 — restarted on its own directory after a crash — resumes from R1's backlog with the
     * frames of the old generation it missed and the new ones, still without a snapshot.
     */
    @Test
    void laggingReplicaCatchesUpFromThePromotedOneWithoutASnapshot() throws Exception {
        Node p = nodes.primary("p");
        Node r1 = nodes.replica("r1", p);
        Node r2 = nodes.replica("r2", p);
        try (Jedis pc = p.client()) {
            for (int i = 0; i < 20; i++) pc.set("early" + i, "e");
        }
        Nodes.awaitCaughtUp(p, r1, 20_000);
        Nodes.awaitCaughtUp(p, r2, 20_000);
        String g0 = p.replInfo().get("master_generation");
        long r2At = Long.parseLong(r2.replInfo().get("slave_repl_offset"));

        r2.kill9();
        try (Jedis pc = p.client()) {
            for (int i = 0; i < 30; i++) pc.rpush("missed", "m" + i);
            pc.incrBy("n", 5);
        }
        Nodes.awaitCaughtUp(p, r1, 20_000);
        long endOfG0 = Long.parseLong(p.replInfo().get("master_repl_offset"));
        assertThat(endOfG0).isGreaterThan(r2At);
        p.kill9();

        try (Jedis c1 = r1.client()) {
            assertThat(c1.replicaofNoOne()).isEqualTo("OK");
            assertThat(c1.set("new", "n")).isEqualTo("OK");
        }
        assertThat(r1.replInfo()).containsEntry("master_previous_generation", g0);

        r2.start();                     // after its crash, still configured to follow the dead P
        String r2id = r2.replInfo().get("replica_id");
        try (Jedis c2 = r2.client()) {
            assertThat(c2.exists("missed")).isFalse();
            assertThat(c2.replicaof(Nodes.HOST, r1.replPort)).isEqualTo("OK");
        }
        Nodes.awaitCaughtUp(r1, r2, 20_000);
        // (r2At, unless the crash cost r2 its last journal writes: then a little lower)
        assertThat(r1.output()).anyMatch(l -> l.contains("replica " + r2id + " ") && l.contains("resumes at offset "));
        assertThat(r1.output()).noneMatch(l -> l.contains("full snapshot") || l.contains("shipping a snapshot"));
        assertThat(r2.currentOutput()).noneMatch(l -> l.contains("snapshot from"));
        try (Jedis c1 = r1.client(); Jedis c2 = r2.client()) {
            assertThat(c2.lrange("missed", 0, -1)).hasSize(30).startsWith("m0").endsWith("m29");
            assertThat(c2.get("n")).isEqualTo("5");
            assertThat(c2.get("new")).isEqualTo("n");
            assertThat(c2.get("early19")).isEqualTo("e");
            assertThat(Nodes.dump(c2)).isEqualTo(Nodes.dump(c1));
        }
    }

    /** A reply with bulk strings as Strings. */
    @SuppressWarnings("unchecked")
    static List<Object> plain(List<Object> reply) {
        return reply.stream().map(o -> o instanceof byte[] b ? (Object) new String(b)
                : o instanceof List<?> l ? (Object) plain((List<Object>) l) : o).toList();
    }
}
