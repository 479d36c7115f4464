package io.jkevy.embedded;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A jkevy server process on {@code dir} bound to loopback (the server module is on the test classpath). */
final class ServerProc implements AutoCloseable {
    final Process p;
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    volatile int port = -1;

    ServerProc(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "io.jkevy.server.Main",
                "--dir", dir.toString(), "--bind", "127.0.0.1"));
        Collections.addAll(cmd, args);
        p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Pattern ready = Pattern.compile("ready: port (\\d+)");
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    Matcher m = ready.matcher(line);
                    if (m.find()) port = Integer.parseInt(m.group(1));
                }
            } catch (Exception ignored) {
                // process ended
            }
        });
        t.setDaemon(true);
        t.start();
        long end = System.currentTimeMillis() + 30_000;
        while (port < 0 && System.currentTimeMillis() < end && p.isAlive()) Thread.sleep(20);
        assertThat(port).as("server output %s", lines).isPositive();
    }

    /** A client, once the server answers (it may say -LOADING first). */
    Jedis client() throws InterruptedException {
        long end = System.currentTimeMillis() + 30_000;
        while (true) {
            Jedis j = new Jedis("127.0.0.1", port);
            try {
                j.ping();
                return j;
            } catch (JedisDataException e) {
                j.close();
                if (System.currentTimeMillis() > end) throw e;
                Thread.sleep(20);
            }
        }
    }

    void shutdown() throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.shutdown();
        } catch (JedisConnectionException ignored) {
            // the server closes the connection as it stops
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Override
    public void close() throws Exception {
        if (p.isAlive()) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
        }
    }
}
