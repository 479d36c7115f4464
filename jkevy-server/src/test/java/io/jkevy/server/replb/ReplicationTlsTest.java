package io.jkevy.server.replb;

import io.jkevy.server.replb.Nodes.Node;
import io.jkevy.server.replb.Nodes.Raw;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS on the replication plane ({@code tls-replication yes}), with a CA, a server and a
 * client certificate made by the openssl tool for the test: a TLS replica syncs and follows
 * writes; a plaintext connection to the TLS replication port gets no {@code +ACK} (nor any
 * readable reply) and is closed; a TLS client with the CA and a client certificate gets
 * {@code +ACK} (the control case); a replica without {@code tls-replication} never syncs.
 */
class ReplicationTlsTest {
    @TempDir
    static Path certs;

    @RegisterExtension
    final Nodes nodes = new Nodes();

    @BeforeAll
    static void certificates() throws Exception {
        io.jkevy.server.TestCerts.make(certs, "jkevy-replb-ca");
    }

    private static String[] tls(String... more) {
        List<String> a = new ArrayList<>(List.of("--tls-replication", "yes",
                "--tls-cert-file", certs.resolve("server.crt").toString(),
                "--tls-key-file", certs.resolve("server.key").toString(),
                "--tls-ca-cert-file", certs.resolve("ca.crt").toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void tlsReplicaSyncsAndPlaintextGetsNoAck() throws Exception {
        Node p = nodes.primary("p", tls());
        try (Jedis pc = p.client()) {
            pc.set("before", "1");
        }
        Node r = nodes.replica("r", p, tls());
        Nodes.awaitCaughtUp(p, r, 20_000);
        try (Jedis pc = p.client()) {
            pc.rpush("after", "a", "b");
        }
        Nodes.awaitCaughtUp(p, r, 10_000);
        try (Jedis rc = r.client()) {
            assertThat(rc.get("before")).isEqualTo("1");
            assertThat(rc.lrange("after", 0, -1)).containsExactly("a", "b");
        }
        assertThat(p.logged("replication listener on port " + p.replPort + " (TLS)")).isTrue();

        // plaintext on the TLS port: no +ACK, nothing readable, closed
        Raw plain = Nodes.exchange(p.replPort, Nodes.resp("REPLICATE", "FROM", "0", "0", "ID", "plain"), 3_000);
        assertThat(plain.text()).doesNotContain("+ACK").doesNotContain("SNAPSHOT").doesNotContain("+PING");
        assertThat(plain.closed()).as("the primary closes a plaintext connection").isTrue();
        Raw inline = Nodes.exchange(p.replPort, "REPLICATE FROM 0 0 ID plain-inline\r\n".getBytes(StandardCharsets.US_ASCII), 3_000);
        assertThat(inline.text()).doesNotContain("+ACK");
        assertThat(inline.closed()).isTrue();

        // the same handshake inside TLS, with a client certificate: +ACK (the control case)
        try (SSLSocket s = (SSLSocket) clientContext().getSocketFactory().createSocket(Nodes.HOST, p.replPort)) {
            s.startHandshake();
            s.getOutputStream().write(Nodes.resp("REPLICATE", "FROM", "0", "0", "ID", "tls-raw"));
            s.getOutputStream().flush();
            Raw got = Nodes.readUntilClosed(s, 1_500);
            assertThat(got.text()).startsWith("+ACK ").contains("+SNAPSHOT\r\n");
        }
        assertThat(p.replInfo()).containsEntry("master_repl_offset", r.replInfo().get("slave_repl_offset"));
    }

    @Test
    void plaintextReplicaNeverSyncsWithATlsPrimary() throws Exception {
        Node p = nodes.primary("p", tls());
        try (Jedis pc = p.client()) {
            pc.set("k", "v");
        }
        Node plain = nodes.replica("plain", p);
        Nodes.await("the plaintext replica tried and lost the link", 15_000, () -> plain.logged("replication link to"));
        Thread.sleep(1_000);
        try (Jedis rc = plain.client()) {
            assertThat(rc.get("k")).isNull();
        }
        assertThat(plain.replInfo()).containsEntry("master_link_status", "down");
        assertThat(p.replInfo()).containsEntry("connected_slaves", "0");
    }

    /** Trusts the test CA and presents the client certificate. */
    private static SSLContext clientContext() throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        Certificate ca = cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certs.resolve("ca.crt"))));
        Certificate client = cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certs.resolve("client.crt"))));
        String pem = Files.readString(certs.resolve("client.key")).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        var key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", key, "x".toCharArray(), new Certificate[] {client, ca});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "x".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
