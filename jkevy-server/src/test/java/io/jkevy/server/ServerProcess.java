package io.jkevy.server;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real jkevy server process (same JVM binary and classpath as the tests), for lifecycle
 * tests: start line, SHUTDOWN, SIGTERM. Output is collected for assertions.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("ready: port (\\d+), pid (\\d+), config (.+?),");

    public final Process process;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private volatile int port = -1;
    private volatile String configSource;
    private final Thread reader;

    public static ServerProcess start(Path dir, String... args) throws IOException, InterruptedException {
        return new ServerProcess(dir, args);
    }

    private ServerProcess(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add("--dir");
        cmd.add(dir.toString());
        Collections.addAll(cmd, args);
        process = new ProcessBuilder(cmd).redirectErrorStream(true).directory(dir.toFile()).start();
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        configSource = m.group(3);
                        port = Integer.parseInt(m.group(1));
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "server-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Waits for the start line; returns the port, or -1 if the process ended first. */
    public int awaitReady(long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            if (port > 0) return port;
            if (!process.isAlive()) { Thread.sleep(200); return port; }
            Thread.sleep(20);
        }
        return port;
    }

    public int port() { return port; }

    public String configSource() { return configSource; }

    public List<String> output() { synchronized (lines) { return new ArrayList<>(lines); } }

    /** Waits for the process to end and for its output to be read to the end. */
    public boolean waitFor(long millis) throws InterruptedException {
        boolean ended = process.waitFor(millis, TimeUnit.MILLISECONDS);
        if (ended) reader.join(5000);
        return ended;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static String classpathSeparator() { return File.pathSeparator; }
}
