package io.jkevy.server;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.ClientOptions;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.AccessControlLogEntry;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ACL through real clients: requirepass, users with key patterns (Jedis), AUTH / HELLO AUTH (Lettuce), protected mode. */
class AclClientTest {
    static TestServer server;

    @BeforeAll
    static void start() { server = new TestServer(Map.of("requirepass", "topsecret")); }

    @AfterAll
    static void stop() { server.close(); }

    private Jedis admin() {
        Jedis j = new Jedis(server.host(), server.port());
        j.auth("topsecret");
        return j;
    }

    @Test
    void requirepassMakesClientsAuthenticate() {
        try (Jedis j = new Jedis(server.host(), server.port())) {
            assertThatThrownBy(() -> j.set("k", "v")).isInstanceOf(JedisDataException.class)
                    .hasMessage("NOAUTH Authentication required.");
            assertThatThrownBy(() -> j.auth("wrong")).hasMessage("WRONGPASS invalid username-password pair or user is disabled.");
            assertThat(j.auth("topsecret")).isEqualTo("OK");
            assertThat(j.set("k", "v")).isEqualTo("OK");
            assertThat(j.aclWhoAmI()).isEqualTo("default");
        }
    }

    @Test
    void usersWithKeyPatterns() {
        try (Jedis a = admin()) {
            a.aclSetUser("app", "on", ">app-pw", "~app:*", "%R~shared:*", "+@read", "+@write", "-flushall", "+acl|whoami", "+client|list");
            a.set("shared:cfg", "1");
            try (Jedis j = new Jedis(server.host(), server.port())) {
                assertThat(j.auth("app", "app-pw")).isEqualTo("OK");
                assertThat(j.aclWhoAmI()).isEqualTo("app");
                assertThat(j.set("app:1", "x")).isEqualTo("OK");
                assertThat(j.get("app:1")).isEqualTo("x");
                assertThat(j.get("shared:cfg")).isEqualTo("1");
                assertThatThrownBy(() -> j.set("shared:cfg", "2")).isInstanceOf(JedisDataException.class)
                        .hasMessage("NOPERM this user has no permissions to access one of the keys used as arguments");
                assertThatThrownBy(() -> j.get("other")).hasMessageStartingWith("NOPERM");
                assertThatThrownBy(j::flushAll).hasMessage("NOPERM this user has no permissions to run the 'flushall' command");
                assertThat(j.clientList()).contains("user=app");
            }
            assertThat(a.get("shared:cfg")).isEqualTo("1");
            List<AccessControlLogEntry> log = a.aclLog(1);
            assertThat(log).hasSize(1);
            assertThat(log.get(0).getReason()).isEqualTo("command");
            assertThat(log.get(0).getObject()).isEqualTo("flushall");
            assertThat(log.get(0).getUsername()).isEqualTo("app");
            assertThat(a.aclGetUser("app").getKeys()).isEqualTo("~app:* %R~shared:*");
            a.aclDelUser("app");
        }
    }

    @Test
    void deluserDisconnectsTheUsersClients() throws Exception {
        try (Jedis a = admin(); Jedis j = new Jedis(server.host(), server.port())) {
            a.aclSetUser("temp", "on", ">t", "+@all", "~*");
            j.auth("temp", "t");
            assertThat(j.ping()).isEqualTo("PONG");
            assertThat(a.aclDelUser("temp")).isEqualTo(1);
            Thread.sleep(100);
            assertThatThrownBy(j::ping).isInstanceOf(redis.clients.jedis.exceptions.JedisConnectionException.class);
        }
    }

    @Test
    void lettuceAuthenticatesWithHelloAuth() {
        try (Jedis a = admin()) {
            a.aclSetUser("lu", "on", ">lu-pw", "+@all", "~*", "&*");
        }
        RedisURI good = RedisURI.builder().withHost(server.host()).withPort(server.port())
                .withAuthentication("lu", "lu-pw".toCharArray()).withTimeout(Duration.ofSeconds(5)).build();
        try (RedisClient client = RedisClient.create(good)) {
            client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                assertThat(c.sync().aclWhoami()).isEqualTo("lu");
                assertThat(c.sync().set("lettuce", "ok")).isEqualTo("OK");
            }
            // RESP2: Lettuce sends AUTH user pass
            client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                assertThat(c.sync().aclWhoami()).isEqualTo("lu");
            }
        }
        RedisURI bad = RedisURI.builder().withHost(server.host()).withPort(server.port())
                .withAuthentication("lu", "nope".toCharArray()).withTimeout(Duration.ofSeconds(5)).build();
        try (RedisClient client = RedisClient.create(bad)) {
            assertThatThrownBy(client::connect).isInstanceOf(RedisConnectionException.class)
                    .hasStackTraceContaining("WRONGPASS invalid username-password pair or user is disabled.");
        }
    }

    @Test
    void aclFileSaveAndLoadThroughTheServer(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users.acl");
        Files.writeString(file, "user default on nopass ~* &* +@all\nuser ro on #"
                + "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8 ~* resetchannels -@all +@read\n");
        try (TestServer s = new TestServer(Map.of("aclfile", file.toString()));
             Jedis j = new Jedis(s.host(), s.port())) {
            assertThat(j.aclList()).containsExactly("user default on nopass ~* &* +@all",
                    "user ro on #5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8 ~* resetchannels -@all +@read");
            j.aclSetUser("rw", "on", ">x", "~*", "+@all");
            assertThat(j.aclSave()).isEqualTo("OK");
            assertThat(Files.readString(file)).contains("user rw on #");
            try (Jedis ro = new Jedis(s.host(), s.port())) {
                ro.auth("ro", "password");
                assertThat(ro.get("x")).isNull();
                assertThatThrownBy(() -> ro.set("x", "1")).hasMessageStartingWith("NOPERM");
            }
        }
    }

    @Test
    void everyCommandOverTheWireGetsNoauthBeforeAuth() throws Exception {
        try (TestServer s = new TestServer(Map.of("requirepass", "pw")); RawClient c = new RawClient(s.port())) {
            StringBuilder req = new StringBuilder();
            int n = 0;
            for (io.jkevy.engine.command.CommandSpec spec : s.engine.commands().allWithSubcommands()) {
                if (!spec.subcommands().isEmpty() && spec.handler() == null) continue;
                boolean noAuth = spec.has(io.jkevy.engine.command.CommandFlags.NO_AUTH)
                        || (spec.parent() != null && spec.parent().has(io.jkevy.engine.command.CommandFlags.NO_AUTH));
                if (noAuth) continue;
                java.util.List<String> argv = new java.util.ArrayList<>();
                if (spec.parent() != null) {
                    argv.add(spec.parent().name());
                    argv.add(spec.shortName());
                } else {
                    argv.add(spec.name());
                }
                while (argv.size() < Math.abs(spec.arity())) argv.add("1");
                req.append('*').append(argv.size()).append("\r\n");
                for (String a : argv) req.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
                n++;
            }
            req.append("*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*1\r\n$6\r\nDBSIZE\r\n");
            c.send(req.toString());
            String got = c.readUntil("+OK\r\n:0\r\n");
            String expected = "-NOAUTH Authentication required.\r\n".repeat(n) + "+OK\r\n:0\r\n";
            assertThat(got).isEqualTo(expected);
            assertThat(n).isGreaterThan(150);
        }
    }

    // ---- protected mode --------------------------------------------------------------------

    /** A channel whose peer looks like it connected from {@code remote}. */
    private static EmbeddedChannel channelFrom(SocketAddress remote, ProtectedMode handler) {
        return new EmbeddedChannel(handler) {
            @Override protected SocketAddress remoteAddress0() { return remote; }
        };
    }

    @Test
    void protectedModeRefusesNonLoopbackClientsWhileDefaultUserHasNoPassword() throws Exception {
        try (TestServer s = new TestServer()) {
            EmbeddedChannel outside = channelFrom(new InetSocketAddress("192.0.2.7", 40000), new ProtectedMode(s.engine));
            ByteBuf out = outside.readOutbound();
            assertThat(out.toString(StandardCharsets.US_ASCII)).startsWith("-DENIED Redis is running in protected mode because "
                    + "protected mode is enabled and no password is set for the default user.").endsWith("\r\n");
            out.release();
            assertThat(outside.isOpen()).isFalse();

            EmbeddedChannel local = channelFrom(new InetSocketAddress("127.0.0.1", 40001), new ProtectedMode(s.engine));
            assertThat((Object) local.readOutbound()).isNull();
            assertThat(local.isOpen()).isTrue();
            local.finishAndReleaseAll();

            assertThat(ProtectedMode.refuse(s.engine, new InetSocketAddress("192.0.2.7", 1))).isTrue();
            assertThat(ProtectedMode.refuse(s.engine, new InetSocketAddress("::1", 1))).isFalse();
            s.engine.config().set("requirepass", "pw");
            assertThat(ProtectedMode.refuse(s.engine, new InetSocketAddress("192.0.2.7", 1))).isFalse();
            s.engine.config().set("requirepass", "");
            s.engine.config().set("protected-mode", "no");
            assertThat(ProtectedMode.refuse(s.engine, new InetSocketAddress("192.0.2.7", 1))).isFalse();
        }
    }
}
