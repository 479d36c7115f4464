package io.jkevy.server.repl;

import io.jkevy.server.ServerProcess;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Real jkevy server processes on loopback for replication tests: a primary and replicas, each
 * with its own directory, client port and replication port (both picked free and passed
 * explicitly, so a restart on the same directory keeps them). {@link #close()} kills every
 * process it started, whatever happened in the test. Also the keyspace comparison used by
 * every test: {@link #dump(Jedis)} and {@link #assertSameKeyspace}.
 */
final class ReplNodes implements AutoCloseable {
    /** TTL drift allowed between two PTTL readings of the same key on two nodes. */
    static final long PTTL_DRIFT_MS = 3000;

    private final Path root;
    private final List<Node> nodes = new ArrayList<>();
    private final List<LinkProxy> proxies = new ArrayList<>();

    ReplNodes(Path root) { this.root = root; }

    /** Starts a primary. */
    Node primary(String name, String... extra) throws Exception {
        return add(name, "primary", null, extra);
    }

    /** Starts a replica of {@code upstreamReplPort} (a primary's replication port, or a proxy's). */
    Node replica(String name, int upstreamReplPort, String... extra) throws Exception {
        return add(name, "replica", "127.0.0.1:" + upstreamReplPort, extra);
    }

    /** A TCP proxy in front of {@code targetPort} whose connections the test can cut. */
    LinkProxy proxy(int targetPort) throws IOException {
        LinkProxy p = new LinkProxy(targetPort);
        proxies.add(p);
        return p;
    }

    private Node add(String name, String role, String upstream, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(freePort()), "--bind", "127.0.0.1",
                "--threads", "2", "--replication.role", role, "--replication.listen_port", Integer.toString(freePort()),
                "--replication.replica_id", name));
        if (upstream != null) Collections.addAll(args, "--replication.upstream", upstream);
        Collections.addAll(args, extra);
        Node n = new Node(name, Files.createDirectories(root.resolve(name)), args);
        nodes.add(n);
        n.start();
        return n;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (LinkProxy p : proxies) p.close();
        for (Node n : nodes) n.kill();
    }

    // ---- one node ---------------------------------------------------------------------------

    static final class Node {
        final String name;
        final Path dir;
        final int port;
        final int replPort;
        private final List<String> args;
        private ServerProcess proc;
        /** Output of this node's earlier processes (restarts on the same directory). */
        private final List<String> earlier = new ArrayList<>();

        private Node(String name, Path dir, List<String> args) {
            this.name = name;
            this.dir = dir;
            this.args = args;
            this.port = Integer.parseInt(args.get(args.indexOf("--port") + 1));
            this.replPort = Integer.parseInt(args.get(args.indexOf("--replication.listen_port") + 1));
        }

        /** Starts (or restarts, on the same directory and ports) the process and waits for its start line. */
        void start() throws Exception {
            if (proc != null) {
                assertThat(proc.process.isAlive()).as("%s is still running", name).isFalse();
                earlier.addAll(proc.output());
            }
            proc = ServerProcess.start(dir, args.toArray(String[]::new));
            int p = proc.awaitReady(60_000);
            assertThat(p).as("%s did not start: %s", name, proc.output()).isEqualTo(port);
        }

        /** A client once the node answers data commands (it may be -LOADING a snapshot). */
        Jedis jedis() throws InterruptedException {
            long end = System.currentTimeMillis() + 30_000;
            while (true) {
                Jedis j = new Jedis("127.0.0.1", port, 10_000);
                try {
                    j.dbSize();
                    return j;
                } catch (JedisDataException e) {
                    j.close();
                    if (!e.getMessage().startsWith("LOADING") || System.currentTimeMillis() > end) throw e;
                    Thread.sleep(20);
                }
            }
        }

        /** SHUTDOWN (a clean stop: the generation is kept) and waits for the process to end. */
        void shutdown() throws InterruptedException {
            try (Jedis j = new Jedis("127.0.0.1", port, 10_000)) {
                j.shutdown();
            } catch (JedisConnectionException | JedisDataException ignored) {
                // the connection closes as the server exits
            }
            assertThat(proc.waitFor(30_000)).as("%s did not exit after SHUTDOWN", name).isTrue();
        }

        /** SIGKILL. */
        void kill() {
            if (proc == null) return;
            try {
                proc.close();
                proc.waitFor(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        boolean alive() { return proc != null && proc.process.isAlive(); }

        long pid() { return proc.process.pid(); }

        /** Every output line of every process this node ran, oldest first. */
        List<String> log() {
            List<String> all = new ArrayList<>(earlier);
            if (proc != null) all.addAll(proc.output());
            return all;
        }

        /** Output lines of the current process only. */
        List<String> currentLog() { return proc == null ? List.of() : proc.output(); }

        Map<String, String> info(String section) throws InterruptedException {
            try (Jedis j = jedis()) {
                return parseInfo(j.info(section));
            }
        }

        @Override
        public String toString() { return name + "(port " + port + ", repl " + replPort + ")"; }
    }

    /** Runs redis-cli against {@code port} and returns its trimmed output. */
    static String cli(int port, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        Collections.addAll(cmd, args);
        Process pr = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(pr.waitFor()).as("redis-cli %s: %s", cmd, out).isZero();
        return out;
    }

    static Map<String, String> parseInfo(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            int i = line.indexOf(':');
            if (i > 0 && !line.startsWith("#")) m.put(line.substring(0, i), line.substring(i + 1).trim());
        }
        return m;
    }

    // ---- waiting --------------------------------------------------------------------------------

    static void await(String what, long timeoutMillis, BooleanSupplier done) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (!done.getAsBoolean()) {
            if (System.currentTimeMillis() > end) fail("timed out after " + timeoutMillis + " ms waiting for " + what);
            Thread.sleep(25);
        }
    }

    /**
     * Waits until every replica's next offset equals the primary's and it reports the same
     * generation, with the link up (writes must have stopped).
     */
    static void awaitCaughtUp(Node primary, Node... replicas) throws InterruptedException {
        long end = System.currentTimeMillis() + 30_000;
        String last = "";
        while (System.currentTimeMillis() < end) {
            Map<String, String> p = primary.info("replication");
            boolean all = true;
            StringBuilder sb = new StringBuilder("primary ").append(p.get("master_generation")).append('@').append(p.get("master_repl_offset"));
            for (Node r : replicas) {
                Map<String, String> i = r.info("replication");
                sb.append(", ").append(r.name).append(' ').append(i.get("master_generation")).append('@').append(i.get("slave_repl_offset"))
                        .append(" link ").append(i.get("master_link_status")).append(" sync ").append(i.get("master_sync_in_progress"));
                all &= p.get("master_repl_offset").equals(i.get("slave_repl_offset"))
                        && p.get("master_generation").equals(i.get("master_generation"))
                        && "0".equals(i.get("master_sync_in_progress")) && "0".equals(i.get("loading"));
            }
            last = sb.toString();
            if (all) return;
            Thread.sleep(50);
        }
        for (Node r : replicas) threadDump(r);
        threadDump(primary);
        fail("replicas did not catch up within 30 s: " + last + "\nprimary log tail: " + tail(primary.log(), 20)
                + Arrays.stream(replicas).map(r -> "\n" + r.name + " log tail: " + tail(r.log(), 20)).reduce("", String::concat));
    }

    /** Prints the node's threads to stderr (diagnostics for a test about to fail). */
    static void threadDump(Node n) {
        if (!n.alive()) return;
        try {
            Process pr = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(n.pid()), "Thread.print").redirectErrorStream(true).start();
            String out = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            pr.waitFor();
            System.err.println("==== threads of " + n + " ====\n" + out);
        } catch (IOException | InterruptedException e) {
            System.err.println("no thread dump of " + n + ": " + e);
        }
    }

    static List<String> tail(List<String> lines, int n) {
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }

    /** Lines of {@code log} (from index {@code from}) containing {@code text}. */
    static List<String> lines(List<String> log, int from, String text) {
        return log.subList(Math.min(from, log.size()), log.size()).stream().filter(l -> l.contains(text)).toList();
    }

    // ---- keyspace comparison ------------------------------------------------------------------

    /** One key as seen on one node. */
    record KeyState(String type, byte[] dump, long pexpireTime, long pttl) {
        @Override
        public boolean equals(Object o) {
            return o instanceof KeyState k && type.equals(k.type) && Arrays.equals(dump, k.dump) && pexpireTime == k.pexpireTime;
        }

        @Override
        public int hashCode() { return type.hashCode() * 31 + Arrays.hashCode(dump); }

        @Override
        public String toString() {
            String d = dump == null ? "null" : dump.length > 48 ? HexFormat.of().formatHex(dump, 0, 48) + "...(" + dump.length + " bytes)" : HexFormat.of().formatHex(dump);
            return type + " expireAt=" + pexpireTime + " pttl=" + pttl + " dump=" + d;
        }
    }

    /**
     * Every key of every database: {@code "<db>:<key as hex>"} -> TYPE, DUMP payload,
     * PEXPIRETIME and PTTL. Leaves the connection on database 0.
     */
    static Map<String, KeyState> dump(Jedis j) {
        int dbs = Integer.parseInt(j.configGet("databases").get("databases"));
        Map<String, KeyState> m = new TreeMap<>();
        try {
            for (int db = 0; db < dbs; db++) {
                j.select(db);
                Set<byte[]> keys = j.keys("*".getBytes(StandardCharsets.US_ASCII));
                for (byte[] k : keys) {
                    String type = j.type(k);
                    m.put(db + ":" + printable(k), new KeyState(type, j.dump(k), j.pexpireTime(k), j.pttl(k)));
                }
            }
        } finally {
            j.select(0);
        }
        return m;
    }

    private static String printable(byte[] k) {
        boolean plain = true;
        for (byte b : k) plain &= b >= 0x21 && b < 0x7f;
        return plain ? new String(k, StandardCharsets.US_ASCII) : "0x" + HexFormat.of().formatHex(k);
    }

    /** How strictly {@link #assertSameKeyspace} compares DUMP payloads. */
    enum Order {
        /** Every DUMP payload byte for byte. */
        EXACT,
        /**
         * Every DUMP payload byte for byte, except hashes and sets in table form
         * ({@code hashtable} encoding), whose slot order depends on the order their members
         * were inserted: a node that loaded a snapshot inserted them in another order than
         * the writes that built them on the primary. For those the payload length, the
         * encoding and the members (and values) must match.
         */
        TABLE_ORDER_FREE
    }

    /**
     * Both nodes hold exactly the same keys with the same types, DUMP payloads and absolute
     * expiry times (PEXPIRETIME), PTTLs within {@link #PTTL_DRIFT_MS}, and the same DEBUG
     * DIGEST. Returns the number of keys compared.
     */
    static int assertSameKeyspace(Jedis expected, Jedis actual, Order order) {
        Map<String, KeyState> a = dump(expected), b = dump(actual);
        List<String> diffs = new ArrayList<>();
        int tableOrder = 0, seenTimes = 0;
        for (var e : a.entrySet()) {
            KeyState want = e.getValue(), got = b.get(e.getKey());
            if (got == null) {
                diffs.add("missing " + e.getKey() + " = " + want);
            } else if (!got.equals(want)) {
                if (order == Order.TABLE_ORDER_FREE && sameTableContent(expected, actual, e.getKey(), want, got)) {
                    tableOrder++;
                } else if (sameStreamButSeenTimes(expected, actual, e.getKey(), want, got)) {
                    seenTimes++;
                } else {
                    diffs.add("differs " + e.getKey() + ": expected " + want + " actual " + got + firstDifference(want.dump(), got.dump()));
                }
            } else if (want.pttl() >= 0 && Math.abs(want.pttl() - got.pttl()) > PTTL_DRIFT_MS) {
                diffs.add("pttl " + e.getKey() + ": expected " + want.pttl() + " actual " + got.pttl());
            }
        }
        for (var e : b.entrySet()) if (!a.containsKey(e.getKey())) diffs.add("extra " + e.getKey() + " = " + e.getValue());
        assertThat(diffs).as("keyspace differences (%d keys expected)", a.size()).isEmpty();
        assertThat(digest(actual)).as("DEBUG DIGEST").isEqualTo(digest(expected));
        System.out.printf("keyspaces equal: %d keys, %d byte for byte, %d hash/set tables in another slot order, "
                + "%d streams differing only in consumer seen-times%n", a.size(), a.size() - tableOrder - seenTimes, tableOrder, seenTimes);
        return a.size();
    }

    /** Where two DUMP payloads first differ, with some bytes of each from there. */
    static String firstDifference(byte[] a, byte[] b) {
        if (a == null || b == null) return "";
        int i = Arrays.mismatch(a, b);
        if (i < 0) return "";
        int from = Math.max(0, i - 8);
        return " first difference at byte " + i + ": expected ..." + HexFormat.of().formatHex(a, from, Math.min(a.length, i + 24))
                + " actual ..." + HexFormat.of().formatHex(b, from, Math.min(b.length, i + 24));
    }

    private static final byte[] HASHTABLE = "hashtable".getBytes(StandardCharsets.US_ASCII);

    /**
     * A consumer's seen-time is not replicated exactly (as in Redis): an XREADGROUP that
     * delivers nothing refreshes it on the primary and journals nothing, and a consumer
     * created by a frame (XGROUP CREATECONSUMER, applied at time 0) starts at 0 on the
     * replica. So streams whose DUMP payloads differ are compared through
     * {@code XINFO STREAM key FULL COUNT 0} with every seen-time masked: entries, groups, PEL
     * delivery times and counts, consumers and their pending entries must still be equal.
     */
    private static boolean sameStreamButSeenTimes(Jedis a, Jedis b, String name, KeyState x, KeyState y) {
        if (!x.type().equals("stream") || !y.type().equals("stream") || x.pexpireTime() != y.pexpireTime()
                || x.dump().length != y.dump().length) {
            return false;
        }
        int db = Integer.parseInt(name.substring(0, name.indexOf(':')));
        byte[] key = keyOf(name);
        try {
            a.select(db);
            b.select(db);
            String sa = render(a.sendCommand(command("XINFO"), "STREAM".getBytes(StandardCharsets.US_ASCII), key,
                    "FULL".getBytes(StandardCharsets.US_ASCII), "COUNT".getBytes(StandardCharsets.US_ASCII), new byte[] {'0'}));
            String sb = render(b.sendCommand(command("XINFO"), "STREAM".getBytes(StandardCharsets.US_ASCII), key,
                    "FULL".getBytes(StandardCharsets.US_ASCII), "COUNT".getBytes(StandardCharsets.US_ASCII), new byte[] {'0'}));
            if (!sa.equals(sb)) System.err.println("stream " + name + " differs beyond seen-times:\n  " + sa + "\n  " + sb);
            return sa.equals(sb) && sa.contains("\"consumers\"");
        } finally {
            a.select(0);
            b.select(0);
        }
    }

    /** A reply as text, the value after every {@code seen-time} / {@code active-time} masked. */
    private static String render(Object reply) {
        StringBuilder sb = new StringBuilder();
        render(reply, sb);
        return sb.toString();
    }

    private static void render(Object o, StringBuilder sb) {
        if (o instanceof List<?> l) {
            sb.append('[');
            boolean mask = false;
            for (Object e : l) {
                if (mask) sb.append("<time>");
                else render(e, sb);
                sb.append(',');
                mask = e instanceof byte[] w && (Arrays.equals(w, SEEN_TIME) || Arrays.equals(w, ACTIVE_TIME));
            }
            sb.append(']');
        } else if (o instanceof byte[] w) {
            sb.append('"').append(printable(w)).append('"');
        } else {
            sb.append(o);
        }
    }

    private static final byte[] SEEN_TIME = "seen-time".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ACTIVE_TIME = "active-time".getBytes(StandardCharsets.US_ASCII);

    private static byte[] keyOf(String name) {
        String k = name.substring(name.indexOf(':') + 1);
        return k.startsWith("0x") ? HexFormat.of().parseHex(k.substring(2)) : k.getBytes(StandardCharsets.US_ASCII);
    }

    /** Same hash or set in table form, members in another slot order. */
    private static boolean sameTableContent(Jedis a, Jedis b, String name, KeyState x, KeyState y) {
        if (!x.type().equals(y.type()) || x.pexpireTime() != y.pexpireTime() || x.dump().length != y.dump().length) return false;
        if (!x.type().equals("hash") && !x.type().equals("set")) return false;
        int db = Integer.parseInt(name.substring(0, name.indexOf(':')));
        byte[] key = keyOf(name);
        try {
            a.select(db);
            b.select(db);
            if (!Arrays.equals(a.objectEncoding(key), HASHTABLE) || !Arrays.equals(b.objectEncoding(key), HASHTABLE)) return false;
            return content(a, key, x.type()).equals(content(b, key, x.type()));
        } finally {
            a.select(0);
            b.select(0);
        }
    }

    private static Map<String, String> content(Jedis j, byte[] key, String type) {
        Map<String, String> m = new TreeMap<>();
        HexFormat hex = HexFormat.of();
        if (type.equals("hash")) {
            for (var e : j.hgetAll(key).entrySet()) m.put(hex.formatHex(e.getKey()), hex.formatHex(e.getValue()));
        } else {
            for (byte[] e : j.smembers(key)) m.put(hex.formatHex(e), "");
        }
        return m;
    }

    /** A command Jedis has no constant for. */
    static ProtocolCommand command(String name) {
        byte[] raw = name.getBytes(StandardCharsets.US_ASCII);
        return () -> raw;
    }

    static String digest(Jedis j) {
        return new String((byte[]) j.sendCommand(command("DEBUG"), "DIGEST"), StandardCharsets.US_ASCII);
    }
}
