package io.jkevy.server;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS client connections: certificates made for the test by the openssl tool (a CA, a
 * server certificate for 127.0.0.1 and a client certificate, all signed by the CA), then
 * Jedis with and without a client certificate and redis-cli --tls against a TLS-only server.
 */
class TlsTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void certificates() throws Exception {
        io.jkevy.server.TestCerts.make(dir, "jkevy-test-ca");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A TLS-only server ({@code port 0} + {@code tls-port}) with the test certificates. */
    private static TestServer tlsServer(int tlsPort, String authClients) {
        Map<String, String> s = new HashMap<>();
        s.put("tls-port", Integer.toString(tlsPort));
        s.put("tls-cert-file", dir.resolve("server.crt").toString());
        s.put("tls-key-file", dir.resolve("server.key").toString());
        s.put("tls-ca-cert-file", dir.resolve("ca.crt").toString());
        s.put("tls-auth-clients", authClients);
        return new TestServer(s);
    }

    private static Certificate cert(String name) throws Exception {
        return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(Files.readAllBytes(dir.resolve(name))));
    }

    private static PrivateKey key(String name) throws Exception {
        String pem = Files.readString(dir.resolve(name)).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    /** A client context trusting the test CA, presenting the client certificate when {@code withCert}. */
    private static SSLContext clientContext(boolean withCert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", cert("ca.crt"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (withCert) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", key("client.key"), "x".toCharArray(), new Certificate[] {cert("client.crt"), cert("ca.crt")});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "x".toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static Jedis jedis(int port, boolean withCert) throws Exception {
        return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder()
                .ssl(true).sslSocketFactory(clientContext(withCert).getSocketFactory()).timeoutMillis(5000).build());
    }

    @Test
    void jedisWithClientCertificate() throws Exception {
        int port = freePort();
        try (TestServer s = tlsServer(port, "yes"); Jedis j = jedis(port, true)) {
            assertThat(s.server.tlsPort()).isEqualTo(port);
            assertThat(s.port()).isZero();                    // port 0 + tls-port: TLS only
            assertThat(j.ping()).isEqualTo("PONG");
            assertThat(j.set("k", "over tls")).isEqualTo("OK");
            assertThat(j.get("k")).isEqualTo("over tls");
            assertThat(j.clientList()).contains("user=default");
        }
    }

    @Test
    void bothTlsEngines() throws Exception {
        assertThat(Tls.provider()).isEqualTo(io.netty.handler.ssl.SslProvider.OPENSSL);     // netty-tcnative loads here
        System.setProperty("jkevy.tls.provider", "jdk");
        try {
            assertThat(Tls.provider()).isEqualTo(io.netty.handler.ssl.SslProvider.JDK);
            int port = freePort();
            try (TestServer s = tlsServer(port, "yes")) {
                try (Jedis j = jedis(port, true)) {
                    assertThat(j.ping()).isEqualTo("PONG");
                }
                assertThatThrownBy(() -> {
                    try (Jedis j = jedis(port, false)) {
                        j.ping();
                    }
                }).isInstanceOf(redis.clients.jedis.exceptions.JedisConnectionException.class);
            }
        } finally {
            System.clearProperty("jkevy.tls.provider");
        }
    }

    @Test
    void authClientsYesRejectsAClientWithoutCertificate() throws Exception {
        int port = freePort();
        try (TestServer s = tlsServer(port, "yes")) {
            assertThatThrownBy(() -> {
                try (Jedis j = jedis(port, false)) {
                    j.ping();
                }
            }).isInstanceOf(redis.clients.jedis.exceptions.JedisConnectionException.class);
            assertThat(s.engine.keyspace().db(0).size()).isZero();
        }
    }

    @Test
    void authClientsOptionalAndNoAcceptAClientWithoutCertificate() throws Exception {
        for (String mode : new String[] {"optional", "no"}) {
            int port = freePort();
            try (TestServer s = tlsServer(port, mode); Jedis j = jedis(port, false)) {
                assertThat(j.ping()).as(mode).isEqualTo("PONG");
            }
        }
    }

    @Test
    void redisCliOverTls() throws Exception {
        int port = freePort();
        try (TestServer s = tlsServer(port, "yes")) {
            Process p = new ProcessBuilder("redis-cli", "--tls", "--cacert", dir.resolve("ca.crt").toString(),
                    "--cert", dir.resolve("client.crt").toString(), "--key", dir.resolve("client.key").toString(),
                    "-h", "127.0.0.1", "-p", Integer.toString(port), "SET", "cli", "tls").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(out).isEqualTo("OK");
            try (Jedis j = jedis(port, true)) {
                assertThat(j.get("cli")).isEqualTo("tls");
            }
        }
    }

    @Test
    void incompleteSettingsRefuseToStart() throws Exception {
        int port = freePort();
        assertThatThrownBy(() -> new TestServer(Map.of("tls-port", Integer.toString(port))).close())
                .hasStackTraceContaining("Failed to configure TLS: tls-cert-file and tls-key-file must be specified");
        Map<String, String> noCa = Map.of("tls-port", Integer.toString(port),
                "tls-cert-file", dir.resolve("server.crt").toString(), "tls-key-file", dir.resolve("server.key").toString());
        assertThatThrownBy(() -> new TestServer(noCa).close())
                .hasStackTraceContaining("Either tls-ca-cert-file or tls-ca-cert-dir must be specified");
    }
}
