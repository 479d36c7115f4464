package io.jkevy.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The real process: start line, config file, CLI flags, SHUTDOWN and SIGTERM. */
class ServerProcessTest {
    @TempDir
    Path dir;

    static String roundTrip(int port, String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream o = s.getOutputStream();
            o.write(request.getBytes(StandardCharsets.UTF_8));
            o.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            int n = in.read(buf);
            return n < 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
        }
    }

    @Test
    void startsWithFlagsPrintsStartLineAndStopsOnShutdown() throws Exception {
        try (ServerProcess p = ServerProcess.start(dir, "--port", "0", "--bind", "127.0.0.1", "--threads", "1")) {
            int port = p.awaitReady(30_000);
            assertThat(port).as("output: %s", p.output()).isPositive();
            assertThat(p.configSource()).isEqualTo("defaults");
            assertThat(p.output()).anyMatch(l -> l.contains("jkevy 0.1.0 ready: port " + port + ", pid " + p.process.pid()));
            assertThat(roundTrip(port, "PING\r\n")).isEqualTo("+PONG\r\n");
            roundTrip(port, "SHUTDOWN\r\n");
            assertThat(p.waitFor(15_000)).as("exited after SHUTDOWN").isTrue();
            assertThat(p.process.exitValue()).isZero();
            assertThat(p.output()).anyMatch(l -> l.contains("bye bye"));
        }
    }

    @Test
    void sigtermStopsCleanly() throws Exception {
        try (ServerProcess p = ServerProcess.start(dir, "--port", "0", "--bind", "127.0.0.1")) {
            int port = p.awaitReady(30_000);
            assertThat(port).as("output: %s", p.output()).isPositive();
            // SIGTERM through the handle: Process.destroy() would also close our end of its output
            p.process.toHandle().destroy();
            assertThat(p.waitFor(15_000)).isTrue();
            assertThat(p.output()).anyMatch(l -> l.contains("received SIGTERM"));
            assertThat(p.output()).anyMatch(l -> l.contains("bye bye"));
            assertThat(p.process.exitValue()).isZero();
        }
    }

    @Test
    void readsTomlConfigAndCommandLineOverridesIt() throws Exception {
        Path toml = dir.resolve("jkevy.toml");
        Files.writeString(toml, "port = 0\nbind = \"127.0.0.1\"\nmaxclients = 7\ntimeout = 30\n");
        try (ServerProcess p = ServerProcess.start(dir, "--config", toml.toString(), "--timeout", "40")) {
            int port = p.awaitReady(30_000);
            assertThat(port).as("output: %s", p.output()).isPositive();
            assertThat(p.configSource()).isEqualTo("file " + toml.toAbsolutePath());
            assertThat(roundTrip(port, "CONFIG GET maxclients\r\n")).contains("maxclients").contains("7");
            assertThat(roundTrip(port, "CONFIG GET timeout\r\n")).contains("40");
        }
    }

    @Test
    void badConfigIsRefusedWithAReason() throws Exception {
        Path toml = dir.resolve("bad.toml");
        Files.writeString(toml, "maxclients = \"lots\"\n");
        try (ServerProcess p = ServerProcess.start(dir, "--config", toml.toString(), "--port", "0")) {
            assertThat(p.waitFor(30_000)).isTrue();
            assertThat(p.process.exitValue()).isEqualTo(2);
            Thread.sleep(200);
            assertThat(String.join("\n", p.output())).contains("bad configuration").contains("maxclients");
        }
    }

    @Test
    void helpAndVersion() throws Exception {
        try (ServerProcess p = ServerProcess.start(dir, "--version")) {
            assertThat(p.waitFor(30_000)).isTrue();
            Thread.sleep(200);
            assertThat(String.join("\n", p.output())).contains("jkevy 0.1.0");
        }
        try (ServerProcess p = ServerProcess.start(dir, "--help")) {
            assertThat(p.waitFor(30_000)).isTrue();
            Thread.sleep(200);
            String out = String.join("\n", p.output());
            assertThat(out).contains("--port").contains("--bind").contains("--dir").contains("--config")
                    .contains("--threads").contains("--loglevel");
        }
    }
}
