package io.jkevy.server.replb;

import io.jkevy.server.replb.Nodes.Node;
import io.jkevy.server.replb.Nodes.Raw;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authentication on the replication plane of a primary started with {@code requirepass}:
 * a handshake without {@code AUTH}, or with a wrong password, gets one error line and a
 * closed connection and nothing else (no {@code +ACK}, no snapshot byte); a replica with
 * {@code masterauth} (also as an ACL user with {@code masteruser}) syncs, one without the
 * right credentials never receives data and reports its link down.
 */
class ReplicationAuthTest {
    @RegisterExtension
    final Nodes nodes = new Nodes();

    private static final byte[] HANDSHAKE = Nodes.resp("REPLICATE", "FROM", "0", "0", "ID", "raw-auth-test");

    @Test
    void handshakeWithoutOrWithWrongAuthGetsOneErrorAndAClosedConnection() throws Exception {
        Node p = nodes.primary("p", "--requirepass", "secret");
        try (Jedis pc = p.client()) {
            pc.set("secret-data", "x");                 // something a snapshot would carry
        }

        Raw none = Nodes.exchange(p.replPort, HANDSHAKE, 5_000);
        assertThat(none.text()).isEqualTo("-NOAUTH Authentication required.\r\n");
        assertThat(none.closed()).as("closed by the primary").isTrue();

        Raw wrong = Nodes.exchange(p.replPort, Nodes.concat(Nodes.resp("AUTH", "nope"), HANDSHAKE), 5_000);
        assertThat(wrong.text()).isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
        assertThat(wrong.closed()).isTrue();

        Raw wrongUser = Nodes.exchange(p.replPort, Nodes.concat(Nodes.resp("AUTH", "nobody", "secret"), HANDSHAKE), 5_000);
        assertThat(wrongUser.text()).isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
        assertThat(wrongUser.closed()).isTrue();

        // the inline form of the handshake is refused the same way
        Raw inline = Nodes.exchange(p.replPort, "REPLICATE FROM 0 0 ID raw-inline\r\n".getBytes(), 5_000);
        assertThat(inline.text()).isEqualTo("-NOAUTH Authentication required.\r\n");
        assertThat(inline.closed()).isTrue();

        // the right password opens the same path: +OK, then +ACK and a snapshot (the control case)
        Raw right = Nodes.exchange(p.replPort, Nodes.concat(Nodes.resp("AUTH", "secret"), HANDSHAKE), 3_000);
        assertThat(right.text()).startsWith("+OK\r\n+ACK ").contains("+SNAPSHOT\r\n").contains("+SNAPSHOT_END ");
        assertThat(right.closed()).isFalse();

        assertThat(p.replInfo()).containsEntry("role", "master");
    }

    @Test
    void replicasSyncOnlyWithTheRightCredentials() throws Exception {
        Node p = nodes.primary("p", "--requirepass", "secret");
        try (Jedis pc = p.client()) {
            assertThat(pc.aclSetUser("repl", "on", ">replpw", "~*", "+@all")).isEqualTo("OK");
            pc.set("before", "1");
        }
        Node good = nodes.replica("good", p, "--masterauth", "secret");
        Node acl = nodes.replica("acl", p, "--masteruser", "repl", "--masterauth", "replpw");
        Node none = nodes.replica("none", p);
        Node wrongUser = nodes.replica("wronguser", p, "--masteruser", "repl", "--masterauth", "secret");

        try (Jedis pc = p.client()) {
            pc.set("after", "2");
        }
        Nodes.awaitCaughtUp(p, good, 20_000);
        Nodes.awaitCaughtUp(p, acl, 20_000);
        for (Node r : new Node[] {good, acl}) {
            try (Jedis rc = r.client()) {
                assertThat(rc.get("before")).isEqualTo("1");
                assertThat(rc.get("after")).isEqualTo("2");
            }
        }

        // the refused ones have been trying (and refused) for a while: no data, link down
        Nodes.await("the replica without masterauth was refused", 10_000, () -> none.logged("NOAUTH Authentication required."));
        Nodes.await("the replica with the wrong password was refused", 10_000, () -> wrongUser.logged("WRONGPASS"));
        Thread.sleep(1_000);
        for (Node r : new Node[] {none, wrongUser}) {
            try (Jedis rc = r.client()) {
                assertThat(rc.get("before")).as(r.name).isNull();
                assertThat(rc.get("after")).as(r.name).isNull();
                assertThat(rc.dbSize()).as(r.name).isZero();
            }
            Map<String, String> info = r.replInfo();
            assertThat(info).as(r.name).containsEntry("role", "slave").containsEntry("master_link_status", "down");
            assertThat(r.logged("snapshot from")).as(r.name + " never loaded a snapshot").isFalse();
        }
        assertThat(p.replInfo()).containsEntry("connected_slaves", "2");
    }
}
