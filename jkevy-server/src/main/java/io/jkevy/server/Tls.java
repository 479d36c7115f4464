package io.jkevy.server;

import io.jkevy.engine.config.Config;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * TLS for client connections, configured with Redis's keys: {@code tls-port},
 * {@code tls-cert-file}, {@code tls-key-file}, {@code tls-key-file-pass},
 * {@code tls-ca-cert-file}, {@code tls-auth-clients} (yes | no | optional),
 * {@code tls-protocols}, {@code tls-ciphers} (TLSv1.2 and below) and
 * {@code tls-ciphersuites} (TLSv1.3). Netty's SslHandler does the work, with OpenSSL
 * (BoringSSL from netty-tcnative) when it loads on this platform and the JDK's engine
 * otherwise (or when {@code -Djkevy.tls.provider=jdk}). The settings are read once, when the
 * listener starts.
 */
public final class Tls {
    private Tls() { }

    static void registerKeys(Config c) {
        if (c.entry("tls-port") == null) c.intEntry("tls-port", 0, 0, 65535);
        for (String k : new String[] {"tls-cert-file", "tls-key-file", "tls-key-file-pass", "tls-ca-cert-file",
                "tls-protocols", "tls-ciphers", "tls-ciphersuites"}) {
            if (c.entry(k) == null) c.stringEntry(k, "", false, v -> { });
        }
        if (c.entry("tls-auth-clients") == null) c.enumEntry("tls-auth-clients", "yes", List.of("yes", "no", "optional"), v -> { });
    }

    /**
     * Which engine does the TLS work: OpenSSL (BoringSSL) when it loads, else the JDK's. The
     * system property {@code jkevy.tls.provider=jdk} forces the JDK's (no native code).
     */
    static SslProvider provider() {
        if ("jdk".equalsIgnoreCase(System.getProperty("jkevy.tls.provider"))) return SslProvider.JDK;
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** Builds the server context; IllegalStateException with Redis-like wording when the settings are incomplete. */
    public static SslContext serverContext(Config c) {
        String cert = c.get("tls-cert-file"), key = c.get("tls-key-file"), ca = c.get("tls-ca-cert-file");
        if (cert == null || cert.isEmpty() || key == null || key.isEmpty()) {
            throw new IllegalStateException("Failed to configure TLS: tls-cert-file and tls-key-file must be specified");
        }
        if (ca == null || ca.isEmpty()) {
            throw new IllegalStateException("Failed to configure TLS: Either tls-ca-cert-file or tls-ca-cert-dir must be specified");
        }
        try {
            String pass = c.get("tls-key-file-pass");
            SslContextBuilder b = SslContextBuilder.forServer(new File(cert), new File(key), pass == null || pass.isEmpty() ? null : pass)
                    .sslProvider(provider())
                    .trustManager(new File(ca))
                    .clientAuth(switch (c.get("tls-auth-clients").toLowerCase(Locale.ROOT)) {
                        case "no" -> ClientAuth.NONE;
                        case "optional" -> ClientAuth.OPTIONAL;
                        default -> ClientAuth.REQUIRE;
                    });
            String protocols = c.get("tls-protocols");
            b.protocols(protocols == null || protocols.isBlank() ? new String[] {"TLSv1.2", "TLSv1.3"} : protocols.trim().split("\\s+"));
            List<String> ciphers = new ArrayList<>();
            for (String k : new String[] {"tls-ciphers", "tls-ciphersuites"}) {
                String v = c.get(k);
                if (v != null && !v.isBlank()) for (String s : v.trim().split("[:\\s]+")) ciphers.add(s);
            }
            if (!ciphers.isEmpty()) b.ciphers(ciphers);
            return b.build();
        } catch (Exception e) {
            throw new IllegalStateException("Failed to configure TLS: " + e.getMessage(), e);
        }
    }
}
