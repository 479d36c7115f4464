package io.jkevy.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's redis-cli against the server. `./jkevy test` installs redis-tools when it can;
 * where redis-cli is missing (no root, no apt) these tests are skipped, not failed.
 */
class RedisCliTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        assumeTrue(onPath("redis-cli"), "redis-cli not installed");
        server = new TestServer();
    }

    @AfterAll
    static void stop() { if (server != null) server.close(); }

    static boolean onPath(String cmd) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (new java.io.File(d, cmd).canExecute()) return true;
        }
        return false;
    }

    static String cli(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(server.port())));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void basicCommands() throws Exception {
        assertThat(cli(null, "PING")).isEqualTo("PONG\n");
        assertThat(cli(null, "SET", "cli:k", "hello world")).isEqualTo("OK\n");
        assertThat(cli(null, "GET", "cli:k")).isEqualTo("hello world\n");
        assertThat(cli(null, "--no-raw", "INCR", "cli:n")).isEqualTo("(integer) 1\n");
        assertThat(cli(null, "--no-raw", "GET", "cli:missing")).isEqualTo("(nil)\n");
        assertThat(cli(null, "--no-raw", "INCR", "cli:k")).isEqualTo("(error) ERR value is not an integer or out of range\n");
    }

    @Test
    void massInsertWithPipe() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            String k = "pipe:" + i, v = "v" + i;
            sb.append("*3\r\n$3\r\nSET\r\n$").append(k.length()).append("\r\n").append(k)
                    .append("\r\n$").append(v.length()).append("\r\n").append(v).append("\r\n");
        }
        String out = cli(sb.toString(), "--pipe");
        assertThat(out).contains("errors: 0, replies: 5000");
        assertThat(cli(null, "GET", "pipe:4999")).isEqualTo("v4999\n");
    }

    @Test
    void commandsFromStdinAndInfo() throws Exception {
        String out = cli("SET cli:a 1\nINCRBY cli:a 41\nGET cli:a\n");
        assertThat(out).isEqualTo("OK\n42\n42\n");
        assertThat(cli(null, "INFO", "server")).contains("redis_version:").contains("tcp_port:" + server.port());
        assertThat(cli(null, "COMMAND", "COUNT")).matches("\\d+\\n");
    }
}
