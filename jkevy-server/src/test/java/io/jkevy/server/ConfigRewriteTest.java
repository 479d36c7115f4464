package io.jkevy.server;

import io.jkevy.engine.Engine;
import io.jkevy.engine.config.Config;
import io.jkevy.store.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CONFIG REWRITE: the text transformation, the error without a file, and a real restart. */
class ConfigRewriteTest {
    @TempDir
    Path dir;

    private static Config config(Map<String, String> settings) throws Exception {
        return Engine.create(settings, Clock.SYSTEM, Main::registerServerKeys).config();
    }

    @Test
    void changesOnlyDifferingKeysAndKeepsEverythingElse() throws Exception {
        List<String> lines = List.of(
                "# my server",
                "",
                "maxclients = 100   # trailing comment",
                "hash-max-ziplist-entries = 64",
                "appendonly = false",
                "lock-stripes = 4",
                "bind = [",
                "  \"127.0.0.1\",   # loopback",
                "  \"::1\",",
                "]",
                "\"timeout\" = 5");
        Path f = dir.resolve("a.toml");
        Files.write(f, lines);
        Map<String, String> fileValues = Settings.fromToml(f);
        Config current = config(fileValues);
        current.set("maxclients", "200");
        current.set("hash-max-listpack-entries", "64");      // same value through the alias
        current.set("appendonly", "yes");
        current.set("bind", "0.0.0.0");
        current.set("timeout", "0");
        current.set("slowlog-max-len", "99");
        current.set("requirepass", "s3cr\"t");
        List<String> out = ConfigRewriter.rewrite(lines, fileValues, current, config(Map.of()));
        assertThat(out).containsExactly(
                "# my server",
                "",
                "maxclients = 200   # trailing comment",
                "hash-max-ziplist-entries = 64",
                "appendonly = true",
                "lock-stripes = 4",
                "bind = \"0.0.0.0\"",
                "\"timeout\" = 0",
                "",
                ConfigRewriter.GENERATED,
                "slowlog-max-len = 99",
                "requirepass = \"s3cr\\\"t\"");
        // and the loader reads the result back as the running values
        Files.write(f, out);
        Map<String, String> back = Settings.fromToml(f);
        assertThat(back).containsEntry("maxclients", "200").containsEntry("appendonly", "yes")
                .containsEntry("bind", "0.0.0.0").containsEntry("timeout", "0")
                .containsEntry("slowlog-max-len", "99").containsEntry("requirepass", "s3cr\"t");
    }

    @Test
    void keysOfTheReplicationTableStayInItAndNewTopLevelKeysGoAboveIt() throws Exception {
        List<String> lines = List.of("port = 6380", "", "[replication]", "role = \"primary\"", "replica_max_staleness_ms = 100");
        Path f = dir.resolve("r.toml");
        Files.write(f, lines);
        Map<String, String> fileValues = Settings.fromToml(f);
        Config running = config(fileValues);
        running.set("maxmemory", "1mb");                       // new, top level
        running.set("replication.replica_max_staleness_ms", "250");   // changed, in the table
        running.set("replication.min_replicas_to_write", "2");        // new, in the table
        List<String> out = ConfigRewriter.rewrite(lines, fileValues, running, config(Map.of()));
        assertThat(out).containsExactly("port = 6380", "", ConfigRewriter.GENERATED, "maxmemory = 1048576", "",
                "[replication]", "role = \"primary\"", "replica_max_staleness_ms = 250", "min_replicas_to_write = 2");
        Files.write(f, out);
        Map<String, String> back = Settings.fromToml(f);      // and the loader reads it back as the same settings
        assertThat(back).containsEntry("maxmemory", "1048576").containsEntry("replication.role", "primary")
                .containsEntry("replication.replica_max_staleness_ms", "250")
                .containsEntry("replication.min_replicas_to_write", "2");
    }

    @Test
    void replicationSettingsGetATableWhenTheFileHasNone() throws Exception {
        List<String> lines = List.of("port = 6380");
        Path f = dir.resolve("s.toml");
        Files.write(f, lines);
        Map<String, String> fileValues = Settings.fromToml(f);
        Config running = config(fileValues);
        running.set("replication.replica_read_only", "no");
        List<String> out = ConfigRewriter.rewrite(lines, fileValues, running, config(Map.of()));
        assertThat(out).containsExactly("port = 6380", "", "[replication]", "replica_read_only = \"no\"");
        Files.write(f, out);
        assertThat(Settings.fromToml(f)).containsEntry("replication.replica_read_only", "no");
    }

    @Test
    void nothingChangedLeavesTheFileAsItWas() throws Exception {
        List<String> lines = List.of("# c", "maxclients = 100 # x", "maxmemory = \"64mb\"", "appendonly = false");
        Path f = dir.resolve("b.toml");
        Files.write(f, lines);
        Map<String, String> fileValues = Settings.fromToml(f);
        assertThat(ConfigRewriter.rewrite(lines, fileValues, config(fileValues), config(Map.of()))).isEqualTo(lines);
    }

    @Test
    void withoutAConfigFileItIsAnError() {
        try (TestServer s = new TestServer(); Jedis j = new Jedis(s.host(), s.port())) {
            assertThatThrownBy(j::configRewrite).isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR The server is running without a config file");
        }
    }

    @Test
    void rewrittenFileRestartsWithTheNewValues() throws Exception {
        Path toml = dir.resolve("jkevy.toml");
        Files.writeString(toml, "# test server\nbind = \"127.0.0.1\"   # loopback only\nmaxclients = 7\nlock-stripes = 4\n");
        try (ServerProcess p = ServerProcess.start(dir, "--config", toml.toString(), "--port", "0", "--threads", "1")) {
            int port = p.awaitReady(30_000);
            assertThat(port).as("output: %s", p.output()).isPositive();
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                j.configSet("maxclients", "70");
                j.configSet("slowlog-log-slower-than", "1234");
                j.configSet("client-output-buffer-limit", "normal 1mb 512kb 10");
                assertThat(j.configRewrite()).isEqualTo("OK");
            }
        }
        String text = Files.readString(toml);
        assertThat(text).startsWith("# test server\nbind = \"127.0.0.1\"   # loopback only\nmaxclients = 70\nlock-stripes = 4\n");
        assertThat(text).contains("slowlog-log-slower-than = 1234\n").contains("port = 0\n").contains("threads = 1\n");
        try (ServerProcess p = ServerProcess.start(dir, "--config", toml.toString())) {
            int port = p.awaitReady(30_000);
            assertThat(port).as("output: %s", p.output()).isPositive();
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                assertThat(j.configGet("maxclients")).containsEntry("maxclients", "70");
                assertThat(j.configGet("slowlog-log-slower-than")).containsEntry("slowlog-log-slower-than", "1234");
                assertThat(j.configGet("client-output-buffer-limit")).containsEntry("client-output-buffer-limit",
                        "normal 1048576 524288 10 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
            }
        }
    }

    @Test
    void aFileThatCannotBeRewrittenIsAnErrorAndNothingChanges() throws Exception {
        Path toml = dir.resolve("gone.toml");
        Files.writeString(toml, "maxclients = 7\n");
        try (ServerProcess p = ServerProcess.start(dir, "--config", toml.toString(), "--port", "0", "--threads", "1")) {
            int port = p.awaitReady(30_000);
            assertThat(port).as("output: %s", p.output()).isPositive();
            Files.delete(toml);
            Files.createDirectory(toml);                  // the path is now a directory
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                j.configSet("maxclients", "70");
                assertThatThrownBy(j::configRewrite).isInstanceOf(JedisDataException.class)
                        .hasMessageStartingWith("ERR Rewriting config file: ");
            }
        }
        assertThat(Files.isDirectory(toml)).isTrue();
        try (var list = Files.list(dir)) {
            assertThat(list.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("temp-jkevy-rewrite-"));
        }
    }
}
