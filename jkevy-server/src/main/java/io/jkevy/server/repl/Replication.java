package io.jkevy.server.repl;

import io.jkevy.engine.Engine;
import io.jkevy.engine.Session;
import io.jkevy.engine.command.CommandFlags;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.config.Config;
import io.jkevy.engine.repl.ReplicationControl;
import io.jkevy.journal.Journal;
import io.jkevy.resp.RespWriter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocket;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A node's replication (spec/replication.md), wired to the engine as its
 * {@link ReplicationControl}: the role (standalone, primary or replica), the replication
 * listener ({@link ReplicationSource}), the link to the upstream when a replica
 * ({@link ReplicaRunner}), the gates of the consistency ladder, {@code REPLICAOF},
 * {@code ROLE} and {@code INFO replication}. The server and the embedded store both use it.
 */
public final class Replication implements ReplicationControl {
    private static final Logger log = LoggerFactory.getLogger(Replication.class);

    public static final String READONLY = "READONLY You can't write against a read only replica.";
    public static final String STALE = "STALE replica is stale; read the primary or raise replica_max_staleness_ms";
    public static final String NOREPLICAS = "NOREPLICAS Not enough good replicas to write.";

    final Engine engine;
    final Path shipDir;
    final long maxSnapshotBytes;
    private final Live live;
    private final String replicaId;
    private final int clientPort;
    private volatile ReplicaRunner runner;
    private volatile ReplicationSource source;
    private EventLoopGroup ownGroup;
    private Listener listener;

    /** How the owner binds the replication listener (its event loops, its bind addresses). */
    public interface Listener {
        ReplicationSource bind(Replication r);
    }

    /** The settings the gates read on every command, kept current by CONFIG SET. */
    static final class Live {
        volatile boolean readOnly = true;
        volatile long maxStalenessMillis;
        volatile int minReplicas;
        volatile long minReplicasMaxLagMillis = 10_000;
    }

    private static final Map<Config, Live> LIVE = Collections.synchronizedMap(new WeakHashMap<>());

    /** Registers the {@code replication.*} keys (the TOML file's {@code [replication]} table) and Redis's replica keys. */
    public static void registerKeys(Config c) {
        if (c.entry("replication.role") != null) return;
        Live live = new Live();
        LIVE.put(c, live);
        c.enumEntry("replication.role", "standalone", List.of("standalone", "primary", "replica"), v -> { });
        c.stringEntry("replication.upstream", "", false, v -> { });
        c.intEntry("replication.listen_port", 0, 0, 65535);
        c.memoryEntry("replication.replication_buffer_size", 256L << 20, 1 << 16, Long.MAX_VALUE, v -> { });
        c.intEntry("replication.reconnect_window_ms", 60_000, 0, Integer.MAX_VALUE);
        c.boolEntry("replication.replica_read_only", true, v -> live.readOnly = v);
        c.intEntry("replication.replica_max_staleness_ms", 0, 0, Integer.MAX_VALUE, v -> live.maxStalenessMillis = v);
        c.intEntry("replication.min_replicas_to_write", 0, 0, 1 << 20, v -> live.minReplicas = (int) v);
        c.intEntry("replication.min_replicas_max_lag_ms", 10_000, 0, Integer.MAX_VALUE, v -> live.minReplicasMaxLagMillis = v);
        c.stringEntry("replication.replica_id", "", false, v -> { });
        c.memoryEntry("replication.max_snapshot_bytes", 64L << 30, 1 << 16, Long.MAX_VALUE, v -> { });
        if (c.entry("masterauth") == null) c.stringEntry("masterauth", "", true, v -> { });
        if (c.entry("masteruser") == null) c.stringEntry("masteruser", "", true, v -> { });
        if (c.entry("tls-replication") == null) c.boolEntry("tls-replication", false, v -> { });
        for (String k : new String[] {"tls-client-cert-file", "tls-client-key-file", "tls-client-key-file-pass"}) {
            if (c.entry(k) == null) c.stringEntry(k, "", false, v -> { });
        }
    }

    private Replication(Engine engine, Path shipDir, int clientPort) {
        this.engine = engine;
        this.shipDir = shipDir;
        this.clientPort = clientPort;
        this.maxSnapshotBytes = Long.parseLong(engine.config().get("replication.max_snapshot_bytes"));
        Live l = LIVE.get(engine.config());
        if (l == null) throw new IllegalStateException("Replication.registerKeys was not called for this engine's config");
        this.live = l;
        this.replicaId = replicaId(engine, shipDir, clientPort);
    }

    /**
     * Installs replication on {@code engine} as configured. A {@code standalone} node stays
     * dormant (no listener, the small default backlog) until {@code REPLICAOF}; a primary or
     * replica binds its listener through {@code listener} (when given) and a replica starts
     * its link to {@code replication.upstream}.
     *
     * @param stateDir where snapshots in transit and the replica id are kept
     */
    public static Replication install(Engine engine, Path stateDir, int clientPort, Listener listener) {
        String role = engine.config().get("replication.role");
        Replication r = new Replication(engine, stateDir, clientPort);
        r.listener = listener;
        engine.replication(r);
        if (role.equals("standalone")) return r;
        r.activate();
        if (role.equals("replica")) {
            io.jkevy.engine.persist.Durability d = engine.durability();
            Journal j = engine.journal();
            if (d != null && !d.keptGeneration() && d.recoveredGeneration() != 0 && r.live.readOnly) {
                // a crash of a read-only replica: what it recovered is a prefix of its upstream's
                // history at the upstream's offsets, so it asks to resume from there
                j.newGeneration(d.recoveredGeneration(), j.nextOffset());
            }
            String up = engine.config().get("replication.upstream");
            InetSocketAddress a = parseAddress(up);
            if (a == null) throw new IllegalStateException("replication.upstream must be host:port (the upstream's replication port), got '" + up + "'");
            r.follow(a.getHostString(), a.getPort());
        }
        return r;
    }

    /** Binds a replication listener with event loops of its own (the embedded store). */
    public static Listener ownLoops(String bind, int port) {
        return r -> {
            r.ownGroup = new MultiThreadIoEventLoopGroup(1, io.jkevy.server.JkevyServer.ioHandlerFactory());
            Class<? extends ServerChannel> type = io.jkevy.server.JkevyServer.serverChannelType();
            ReplicationSource s = new ReplicationSource(r.engine, r, r.reconnectWindow(), r.shipDir);
            s.start(r.ownGroup, r.ownGroup, type, bind, port, r.serverTls());
            return s;
        };
    }

    /** Binds on the server's own event loops; port 0 in the config means client port + 10000. */
    public static Listener onLoops(EventLoopGroup boss, EventLoopGroup workers, Class<? extends ServerChannel> type, String bind) {
        return r -> {
            int p = Integer.parseInt(r.engine.config().get("replication.listen_port"));
            if (p == 0) p = r.clientPort == 0 || r.clientPort + 10000 > 65535 ? 0 : r.clientPort + 10000;
            ReplicationSource s = new ReplicationSource(r.engine, r, r.reconnectWindow(), r.shipDir);
            s.start(boss, workers, type, bind, p, r.serverTls());
            return s;
        };
    }

    /** Leaves dormancy: the backlog grows to its configured size and the listener is bound. */
    private void activate() {
        if (source == null && listener != null) source = listener.bind(this);
    }

    /** The backlog budget replicas get: replication_buffer_size, at most a quarter of the heap. */
    private long fullBacklog() {
        long want = Long.parseLong(engine.config().get("replication.replication_buffer_size"));
        long cap = Runtime.getRuntime().maxMemory() / 4;
        if (want > cap) {
            log.warn("replication_buffer_size {} is more than a quarter of the heap (-Xmx); the backlog keeps {} bytes", want, cap);
            want = cap;
        }
        return want;
    }

    private volatile boolean fullBacklog;
    private volatile long promotedAt;

    /**
     * The backlog is only there for replicas: a primary that has none (no slot in its table)
     * keeps the small standalone one ({@code repl-backlog-size}); it grows to
     * {@code replication_buffer_size} when a replica connects and shrinks back when the last
     * slot expired. A replica keeps the full one, to serve its upstream's replicas at once
     * after a promotion. Measured: a quarter-gigabyte backlog nobody reads cost a primary about
     * 5% of its SET throughput in garbage-collector work (docs/benchmarks.md).
     */
    void backlogFor(boolean replicas) {
        if (replicas == fullBacklog) return;
        // a promoted node keeps it for its old upstream's replicas for the reconnect window
        if (!replicas && System.currentTimeMillis() - promotedAt < reconnectWindow()) return;
        fullBacklog = replicas;
        engine.journal().backlogBudget(replicas ? fullBacklog() : Config.parseMemory(engine.config().get("repl-backlog-size")));
    }

    private long reconnectWindow() { return Long.parseLong(engine.config().get("replication.reconnect_window_ms")); }

    /** The replication listener's port, 0 when none is bound. */
    public int listenPort() {
        ReplicationSource s = source;
        return s == null ? 0 : s.port();
    }

    public String replicaId() { return replicaId; }

    private static String replicaId(Engine engine, Path dir, int clientPort) {
        String configured = engine.config().get("replication.replica_id");
        if (configured != null && !configured.isEmpty()) return configured;
        Path f = dir == null ? null : dir.resolve("replica-id");
        try {
            if (f != null && Files.isReadable(f)) {
                String s = Files.readString(f, StandardCharsets.UTF_8).trim();
                if (!s.isEmpty()) return s;
            }
            String id = "jkevy-" + (clientPort == 0 ? "embedded" : Integer.toString(clientPort)) + "-" + engine.runId().substring(0, 12);
            if (f != null) {
                Files.createDirectories(dir);
                Files.writeString(f, id + "\n", StandardCharsets.UTF_8);
            }
            return id;
        } catch (IOException e) {
            return "jkevy-" + engine.runId().substring(0, 12);
        }
    }

    static InetSocketAddress parseAddress(String s) {
        if (s == null) return null;
        int i = s.lastIndexOf(':');
        if (i <= 0) return null;
        try {
            int p = Integer.parseInt(s.substring(i + 1).trim());
            if (p < 1 || p > 65535) return null;
            String h = s.substring(0, i).trim();
            if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
            return InetSocketAddress.createUnresolved(h, p);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---- roles ------------------------------------------------------------------------------

    private synchronized void follow(String host, int port) {
        ReplicaRunner old = runner;
        if (old != null) old.stop();
        ReplicationSource s = source;
        if (s != null) s.dropLinks();           // no chains: this node's replicas must follow the primary
        // a replica's history is its upstream's: it expires nothing on its own (reads do not
        // see keys whose time has passed; the upstream's DEL removes them)
        engine.keyspace().pauseExpiry(true);
        engine.keyspace().hideExpired(true);
        backlogFor(true);
        ReplicaRunner r = new ReplicaRunner(this, host, port);
        runner = r;
        r.start();
        log.info("now a replica of {}:{} (replica id {})", host, port, replicaId);
    }

    /** The source accepted a replica: this node is a primary with replicas. */
    void primaryActive() { backlogFor(true); }

    @Override
    public boolean isReplica() { return runner != null; }

    @Override
    public synchronized String replicaOf(String host, int port) {
        ReplicaRunner r = runner;
        if (r != null && r.host.equalsIgnoreCase(host) && r.port == port) return null;
        activate();
        follow(host, port);
        return null;
    }

    @Override
    public synchronized String promote() {
        ReplicaRunner r = runner;
        if (r == null) return null;
        runner = null;
        r.stop();
        promotedAt = System.currentTimeMillis();
        engine.keyspace().hideExpired(false);
        engine.keyspace().pauseExpiry(false);
        Journal j = engine.journal();
        long gen = engine.newGeneration();
        j.continueAs(gen);
        log.info("promoted to primary: generation {} continues at offset {}", Long.toHexString(gen), j.nextOffset());
        return null;
    }

    // ---- gates ------------------------------------------------------------------------------

    /** The generation this node drew when local writes forked its history from the upstream's. */
    private long forkGeneration;

    /**
     * The first local write since this replica's history last matched its upstream's gets a
     * generation of its own (journaled, so it survives a restart): whatever the offsets, the
     * next handshake names a history the upstream cannot prove is a prefix of its own, and
     * the replica is reset by a snapshot instead of resuming past its local writes.
     */
    private void forkGeneration() {
        Journal j = engine.journal();
        long gen;
        synchronized (j) {
            if (j.generation() == forkGeneration) return;
            gen = engine.newGeneration();
            forkGeneration = gen;
            j.continueAs(gen);
        }
        log.info("local write on a writable replica: history forked from the upstream's as generation {} at offset {}",
                Long.toHexString(gen), j.nextOffset());
    }

    @Override
    public String gate(Session s, CommandSpec spec, long nowMillis) {
        ReplicaRunner r = runner;
        if (r != null) {
            if (spec.has(CommandFlags.WRITE)) {
                if (live.readOnly) return READONLY;
                forkGeneration();     // a local write on a writable replica: its history leaves the upstream's
                return null;
            }
            long max = live.maxStalenessMillis;
            if (max > 0 && (spec.firstKey() > 0 || spec.has(CommandFlags.READONLY)) && !spec.has(CommandFlags.STALE)
                    && nowMillis - r.lastHeartbeatMillis > max) {
                return STALE;
            }
            return null;
        }
        int min = live.minReplicas;
        if (min > 0 && spec.has(CommandFlags.WRITE)) {
            ReplicationSource src = source;
            if (src == null || src.goodReplicas(nowMillis, live.minReplicasMaxLagMillis) < min) return NOREPLICAS;
        }
        return null;
    }

    @Override
    public void hurry() {
        ReplicationSource s = source;
        if (s != null) for (SourceLink l : s.links) l.hurry();
    }

    @Override
    public int ackedAtLeast(long nextOffset) {
        ReplicationSource s = source;
        return s == null ? 0 : s.ackedAtLeast(nextOffset);
    }

    @Override
    public String writerAddress() {
        ReplicaRunner r = runner;
        if (r == null) return "127.0.0.1:" + clientPort;
        // the upstream's client port, by the default pairing (replication port = client port + 10000)
        int p = r.port > 10000 ? r.port - 10000 : r.port;
        return r.host + ":" + p;
    }

    // ---- observability -----------------------------------------------------------------------

    @Override
    public void role(RespWriter out) {
        Journal j = engine.journal();
        ReplicaRunner r = runner;
        if (r != null) {
            out.arrayHeader(5);
            out.bulk("slave");
            out.bulk(r.host);
            out.integer(r.port);
            out.bulk(!r.linkUp ? "connect" : r.syncing ? "sync" : "connected");
            out.integer(j.nextOffset());
            return;
        }
        out.arrayHeader(3);
        out.bulk("master");
        out.integer(j.nextOffset());
        List<SourceLink> links = source == null ? List.of() : List.copyOf(source.links);
        out.arrayHeader(links.size());
        for (SourceLink l : links) {
            out.arrayHeader(3);
            out.bulk(l.ip());
            out.bulk(Integer.toString(l.remotePort()));
            out.bulk(Long.toString(Math.max(0, l.acked())));
        }
    }

    @Override
    public void info(StringBuilder sb) {
        Journal j = engine.journal();
        Journal.Position pos = j.position();
        long gen = pos.generation(), next = pos.next();
        ReplicaRunner r = runner;
        if (r != null) {
            long now = System.currentTimeMillis();
            field(sb, "role", "slave");
            field(sb, "master_host", r.host);
            field(sb, "master_port", r.port);
            boolean up = r.linkUp && now - r.lastHeartbeatMillis <= 3000;
            field(sb, "master_link_status", up ? "up" : "down");
            field(sb, "master_last_io_seconds_ago", r.linkUp ? (now - r.lastIoMillis) / 1000 : -1);
            field(sb, "master_sync_in_progress", r.syncing ? 1 : 0);
            field(sb, "slave_read_only", live.readOnly ? 1 : 0);
            field(sb, "slave_repl_offset", next);
            field(sb, "slave_lag_frames", r.upstreamNext < 0 ? 0 : Math.max(0, r.upstreamNext - next));
            field(sb, "loading", engine.loading() ? 1 : 0);
            field(sb, "master_generation", gen);
            field(sb, "replica_id", replicaId);
            field(sb, "connected_slaves", 0);
        } else {
            field(sb, "role", "master");
            List<SourceLink> links = source == null ? List.of() : List.copyOf(source.links);
            field(sb, "connected_slaves", links.size());
            int i = 0;
            for (SourceLink l : links) {
                long acked = Math.max(0, l.acked());
                sb.append("slave").append(i++).append(":ip=").append(l.ip()).append(",port=").append(l.remotePort())
                        .append(",state=").append(l.state() == SourceLink.State.STREAMING ? "online" : "syncing")
                        .append(",offset=").append(acked).append(",sent=").append(l.sent())
                        .append(",lag=").append(Math.max(0, next - acked)).append(",id=").append(l.id()).append("\r\n");
            }
            field(sb, "master_failover_state", "no-failover");
            field(sb, "master_replid", engine.runId());
            field(sb, "master_replid2", "0000000000000000000000000000000000000000");
            field(sb, "master_generation", gen);
            // offsets count journal frames, not bytes (spec/replication.md)
            field(sb, "master_repl_offset", next);
            field(sb, "second_repl_offset", j.previousGeneration() == 0 ? -1 : j.previousEnd());
            field(sb, "master_previous_generation", j.previousGeneration());
            long first = j.backlogFirstOffset();
            field(sb, "repl_backlog_active", 1);
            field(sb, "repl_backlog_size", fullBacklog ? fullBacklog() : Config.parseMemory(engine.config().get("repl-backlog-size")));
            field(sb, "repl_backlog_bytes", j.backlogBytes());
            field(sb, "repl_backlog_first_byte_offset", first);
            field(sb, "repl_backlog_histlen", Math.max(0, next - first));
            field(sb, "replication_listen_port", listenPort());
        }
    }

    private static void field(StringBuilder sb, String k, Object v) { sb.append(k).append(':').append(v).append("\r\n"); }

    // ---- connections --------------------------------------------------------------------------

    private SslContext serverTls() {
        if (!engine.config().get("tls-replication").equals("yes")) return null;
        return io.jkevy.server.Tls.serverContext(engine.config());
    }

    /** Opens a connection to an upstream's replication port, over TLS when {@code tls-replication} is on. */
    Socket connect(String host, int port) throws IOException {
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (!engine.config().get("tls-replication").equals("yes")) {
            Socket s = new Socket();
            s.connect(a, 5000);
            return s;
        }
        Config c = engine.config();
        try {
            SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
            String ca = c.get("tls-ca-cert-file");
            if (ca != null && !ca.isEmpty()) b.trustManager(new File(ca));
            String cert = c.get("tls-client-cert-file"), key = c.get("tls-client-key-file"), pass = c.get("tls-client-key-file-pass");
            if (cert == null || cert.isEmpty()) {
                cert = c.get("tls-cert-file");
                key = c.get("tls-key-file");
                pass = c.get("tls-key-file-pass");
            }
            if (cert != null && !cert.isEmpty()) b.keyManager(new File(cert), new File(key), pass == null || pass.isEmpty() ? null : pass);
            javax.net.ssl.SSLContext ctx = ((JdkSslContext) b.build()).context();
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
            s.connect(a, 5000);
            s.startHandshake();
            return s;
        } catch (javax.net.ssl.SSLException e) {
            throw new IOException("TLS to " + host + ":" + port + " failed: " + e.getMessage(), e);
        }
    }

    /** Stops the link and the listener. */
    public synchronized void close() {
        ReplicaRunner r = runner;
        runner = null;
        if (r != null) r.stop();
        ReplicationSource s = source;
        if (s != null) s.stop();
        if (ownGroup != null) ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        engine.replication(null);
    }

    @Override
    public String toString() { return "replication(" + (isReplica() ? "replica of " + runner.host + ":" + runner.port : "primary") + ")"; }

}
