package io.jkevy.server.replb;

import io.jkevy.server.ServerProcess;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Real jkevy server processes on loopback for the replication tests of this package, each
 * with a data directory of its own under a temporary root. Register it as an extension
 * ({@code @RegisterExtension final Nodes nodes = new Nodes();}): after every test it resumes
 * any node it stopped with SIGSTOP, kills every process it started (also when the test
 * failed), prints the output of the nodes when the test failed, and deletes the root.
 *
 * <p>Client ports are drawn from 20000-39999 so that the default replication port (client
 * port + 10000) is free as well; the replication port is also passed explicitly.
 */
final class Nodes implements AfterEachCallback {
    static final String HOST = "127.0.0.1";
    private static final Set<Integer> TAKEN = ConcurrentHashMap.newKeySet();

    private final List<Node> all = new CopyOnWriteArrayList<>();
    private Path root;

    /** A node started as a primary; {@code extra} are more {@code --key value} arguments. */
    Node primary(String name, String... extra) throws Exception {
        return start(name, "primary", null, extra);
    }

    /** A node started without a replication role (dormant until {@code REPLICAOF}). */
    Node standalone(String name, String... extra) throws Exception {
        return start(name, "standalone", null, extra);
    }

    /** A node started as a replica of {@code upstream}'s replication port. */
    Node replica(String name, Node upstream, String... extra) throws Exception {
        return start(name, "replica", HOST + ":" + upstream.replPort, extra);
    }

    /** A node started as a replica of the replication port {@code upstreamReplPort}. */
    Node replica(String name, int upstreamReplPort, String... extra) throws Exception {
        return start(name, "replica", HOST + ":" + upstreamReplPort, extra);
    }

    private Node start(String name, String role, String upstream, String... extra) throws Exception {
        if (root == null) root = Files.createTempDirectory("jkevy-replb-");
        int port = freePortPair();
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--bind", HOST, "--threads", "2",
                "--replication.role", role, "--replication.listen_port", Integer.toString(port + 10000)));
        if (upstream != null) args.addAll(List.of("--replication.upstream", upstream));
        args.addAll(Arrays.asList(extra));
        Node n = new Node(name, Files.createDirectories(root.resolve(name)), port, args);
        all.add(n);
        n.start();
        return n;
    }

    /** A client port p with p and p + 10000 free, not handed out before in this JVM. */
    static int freePortPair() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < 1000; i++) {
            int p = 20000 + r.nextInt(20000);
            if (TAKEN.contains(p) || TAKEN.contains(p + 10000)) continue;
            if (bindable(p) && bindable(p + 10000) && TAKEN.add(p)) {
                TAKEN.add(p + 10000);
                return p;
            }
        }
        throw new IllegalStateException("no free port pair found");
    }


    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(HOST, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        boolean failed = context.getExecutionException().isPresent();
        for (Node n : all) {
            try {
                n.signal("CONT");
            } catch (Exception ignored) {
                // already gone
            }
        }
        for (Node n : all) n.kill9();
        if (failed) {
            for (Node n : all) {
                System.out.println("==== output of node " + n.name + " (client port " + n.port + ", replication port " + n.replPort + ")");
                for (String line : n.output()) System.out.println(line);
            }
        }
        all.clear();
        if (root != null) {
            try (Stream<Path> s = Files.walk(root)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            root = null;
        }
    }

    // ---- waiting ---------------------------------------------------------------------------

    /** Polls {@code cond} every 50 ms until it holds; fails with {@code what} after {@code millis}. */
    static void await(String what, long millis, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            boolean ok;
            try {
                ok = cond.getAsBoolean();
            } catch (RuntimeException e) {
                ok = false;
            }
            if (ok) return;
            if (System.nanoTime() > end) throw new AssertionError("timed out after " + millis + " ms waiting for: " + what);
            Thread.sleep(50);
        }
    }

    /** Waits until {@code replica} has applied everything {@code primary} has, in the same generation. */
    static void awaitCaughtUp(Node primary, Node replica, long millis) throws InterruptedException {
        await(replica.name + " caught up with " + primary.name, millis, () -> {
            Map<String, String> p = primary.replInfo(), r = replica.replInfo();
            return "up".equals(r.get("master_link_status"))
                    && "0".equals(r.get("master_sync_in_progress"))
                    && p.get("master_generation").equals(r.get("master_generation"))
                    && p.get("master_repl_offset").equals(r.get("slave_repl_offset"));
        });
    }

    // ---- data --------------------------------------------------------------------------------

    /** Every key of database 0 with its type and whole value, in one comparable text per key. */
    static TreeMap<String, String> dump(Jedis j) {
        TreeMap<String, String> out = new TreeMap<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = j.scan(cursor, new ScanParams().count(1000));
            for (String k : page.getResult()) {
                String type = j.type(k);
                String v = switch (type) {
                    case "string" -> j.get(k);
                    case "list" -> j.lrange(k, 0, -1).toString();
                    case "hash" -> new TreeMap<>(j.hgetAll(k)).toString();
                    case "set" -> new java.util.TreeSet<>(j.smembers(k)).toString();
                    case "zset" -> j.zrangeWithScores(k, 0, -1).stream().map(Tuple::toString).toList().toString();
                    default -> "?";
                };
                out.put(k, type + ":" + v);
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return out;
    }

    // ---- raw sockets -------------------------------------------------------------------------

    /** What a raw connection received: the bytes, and whether the peer closed it. */
    record Raw(byte[] bytes, boolean closed) {
        String text() { return new String(bytes, StandardCharsets.ISO_8859_1); }
    }

    /** Sends {@code request} and reads until the peer closes or {@code millis} pass. */
    static Raw exchange(int port, byte[] request, long millis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 5000);
            s.setTcpNoDelay(true);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            return readUntilClosed(s, millis);
        }
    }

    static Raw readUntilClosed(Socket s, long millis) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        long end = System.currentTimeMillis() + millis;
        byte[] buf = new byte[8192];
        while (true) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) return new Raw(got.toByteArray(), false);
            s.setSoTimeout((int) Math.max(1, left));
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                return new Raw(got.toByteArray(), false);
            } catch (IOException e) {        // reset by peer counts as closed
                return new Raw(got.toByteArray(), true);
            }
            if (n < 0) return new Raw(got.toByteArray(), true);
            got.write(buf, 0, n);
        }
    }

    /** The RESP2 array of bulk strings for {@code words}. */
    static byte[] resp(String... words) {
        StringBuilder sb = new StringBuilder().append('*').append(words.length).append("\r\n");
        for (String w : words) sb.append('$').append(w.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(w).append("\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    // ---- one node ----------------------------------------------------------------------------

    static final class Node {
        final String name;
        final Path dir;
        final int port;
        final int replPort;
        private final List<String> args;
        private final List<String> earlierOutput = new CopyOnWriteArrayList<>();
        private volatile ServerProcess proc;
        /** The password clients of this node authenticate with ({@code null}: none). */
        volatile String password;
        volatile String user;

        private Node(String name, Path dir, int port, List<String> args) {
            this.name = name;
            this.dir = dir;
            this.port = port;
            this.replPort = port + 10000;
            this.args = args;
            int i = args.indexOf("--requirepass");
            if (i >= 0) password = args.get(i + 1);
        }

        /** Starts the process; returns once it accepts clients and its replication listener is bound. */
        void start() throws Exception {
            ServerProcess p = ServerProcess.start(dir, args.toArray(String[]::new));
            proc = p;
            if (p.awaitReady(60_000) <= 0) throw new AssertionError(name + " did not start: " + p.output());
            if (!args.contains("standalone")) {
                await(name + "'s replication listener", 30_000, () -> logged("replication listener on port " + replPort));
            }
        }

        /** SIGKILL, then start again on the same directory and ports. */
        void restart() throws Exception {
            kill9();
            start();
        }

        /** SIGKILL and wait for the process to end. */
        void kill9() throws InterruptedException {
            ServerProcess p = proc;
            if (p == null) return;
            if (p.process.isAlive()) {
                p.process.destroyForcibly();
                p.waitFor(30_000);
            }
            earlierOutput.addAll(p.output());
            earlierOutput.add("---- (process " + p.process.pid() + " ended)");
            proc = null;
        }

        boolean alive() {
            ServerProcess p = proc;
            return p != null && p.process.isAlive();
        }

        long pid() { return proc.process.pid(); }

        /** Sends a signal by name ({@code STOP}, {@code CONT}) to the running process. */
        void signal(String sig) throws IOException, InterruptedException {
            ServerProcess p = proc;
            if (p == null || !p.process.isAlive()) return;
            Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(p.process.pid())).inheritIO().start();
            if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) throw new IOException("kill -" + sig + " failed");
        }

        /** Output of every run of this node, oldest first. */
        List<String> output() {
            List<String> out = new ArrayList<>(earlierOutput);
            ServerProcess p = proc;
            if (p != null) out.addAll(p.output());
            return out;
        }

        /** Output of the current run only. */
        List<String> currentOutput() {
            ServerProcess p = proc;
            return p == null ? List.of() : p.output();
        }

        boolean logged(String text) {
            for (String l : currentOutput()) if (l.contains(text)) return true;
            return false;
        }

        /** A client, authenticated when the node has a password; retries while the node is loading. */
        Jedis client() throws InterruptedException {
            long end = System.currentTimeMillis() + 30_000;
            while (true) {
                Jedis j = new Jedis(HOST, port, 10_000);
                try {
                    if (password != null) {
                        if (user != null) j.auth(user, password);
                        else j.auth(password);
                    }
                    j.ping();
                    return j;
                } catch (JedisDataException e) {
                    j.close();
                    if (!e.getMessage().startsWith("LOADING") || System.currentTimeMillis() > end) throw e;
                    Thread.sleep(50);
                }
            }
        }

        String info(String section) {
            try (Jedis j = client()) {
                return j.info(section);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** {@code INFO replication} as field -> value. */
        Map<String, String> replInfo() {
            Map<String, String> m = new HashMap<>();
            for (String line : info("replication").split("\r\n")) {
                int i = line.indexOf(':');
                if (i > 0) m.put(line.substring(0, i), line.substring(i + 1));
            }
            return m;
        }


        @Override
        public String toString() { return name + "(" + port + "/" + replPort + ")"; }
    }
}
