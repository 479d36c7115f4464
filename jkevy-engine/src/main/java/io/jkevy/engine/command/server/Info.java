package io.jkevy.engine.command.server;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.Engine;
import io.jkevy.engine.Stats;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.journal.Journal;
import io.jkevy.store.Db;
import io.jkevy.store.Keyspace;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * INFO: Redis's sections and field names, filled from the engine's counters. Keyless and
 * lock-free: key counts are racy reads of the stripe tables, which is what INFO promises.
 *
 * <p>One instance per engine: it keeps the samples behind the instantaneous rates and the
 * memory peak.
 */
public final class Info {
    /** Sections of plain INFO, in Redis's order. */
    static final List<String> DEFAULT = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "errorstats", "cluster", "keyspace");
    /** Sections of INFO ALL / EVERYTHING, in Redis's order. */
    static final List<String> ALL = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "commandstats", "errorstats", "latencystats", "cluster", "keyspace");

    private final Engine engine;
    private final RateSampler ops = new RateSampler();
    private final RateSampler netIn = new RateSampler();
    private final RateSampler netOut = new RateSampler();

    public Info(Engine engine) { this.engine = engine; }

    public void run(CommandContext c) {
        c.engine().flushStats(c.session());      // this client's own counts are exact
        Set<String> sections = new LinkedHashSet<>();
        if (c.argc() == 1) sections.addAll(DEFAULT);
        for (int i = 1; i < c.argc(); i++) {
            String s = c.argString(i).toLowerCase(Locale.ROOT);
            switch (s) {
                case "default" -> sections.addAll(DEFAULT);
                case "all", "everything" -> sections.addAll(ALL);
                default -> sections.add(s);
            }
        }
        // Redis prints the sections in its own order, whatever order they were asked in
        List<String> ordered = new ArrayList<>();
        for (String s : ALL) if (sections.contains(s)) ordered.add(s);
        byte[] text = render(ordered, c.now()).getBytes(StandardCharsets.UTF_8);
        c.out().verbatim("txt", text);
    }

    /** The INFO text of the given sections (unknown names contribute nothing). */
    public String render(List<String> sections, long now) {
        StringBuilder sb = new StringBuilder(4096);
        StringBuilder one = new StringBuilder(1024);
        for (String s : sections) {
            one.setLength(0);
            if (!section(one, s, now)) continue;
            if (!sb.isEmpty()) sb.append("\r\n");      // a blank line between sections
            sb.append(one);
        }
        return sb.toString();
    }

    private boolean section(StringBuilder sb, String name, long now) {
        switch (name) {
            case "server" -> server(sb, now);
            case "clients" -> clients(sb);
            case "memory" -> memory(sb);
            case "persistence" -> persistence(sb);
            case "stats" -> stats(sb);
            case "replication" -> replication(sb);
            case "cpu" -> cpu(sb);
            case "modules" -> sb.append("# Modules\r\n");
            case "commandstats" -> commandstats(sb);
            case "errorstats" -> sb.append("# Errorstats\r\n");
            case "latencystats" -> sb.append("# Latencystats\r\n");
            case "cluster" -> sb.append("# Cluster\r\n").append("cluster_enabled:0\r\n");
            case "keyspace" -> keyspace(sb);
            default -> { return false; }
        }
        return true;
    }

    private static void field(StringBuilder sb, String name, Object value) {
        sb.append(name).append(':').append(value).append("\r\n");
    }

    private void server(StringBuilder sb, long now) {
        Stats st = engine.stats();
        long uptime = Math.max(0, (now - st.startMillis) / 1000);
        sb.append("# Server\r\n");
        field(sb, "redis_version", Engine.REDIS_VERSION);
        field(sb, "redis_git_sha1", "00000000");
        field(sb, "redis_git_dirty", 0);
        field(sb, "redis_build_id", "0");
        field(sb, "redis_mode", "standalone");
        field(sb, "jkevy_version", Engine.VERSION);
        field(sb, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        field(sb, "arch_bits", 64);
        field(sb, "monotonic_clock", "System.nanoTime");
        field(sb, "multiplexing_api", "java-netty");
        field(sb, "atomicvar_api", "java.util.concurrent");
        field(sb, "java_version", System.getProperty("java.version"));
        field(sb, "process_id", ProcessHandle.current().pid());
        field(sb, "process_supervised", "no");
        field(sb, "run_id", engine.runId());
        field(sb, "tcp_port", engine.host().port());
        field(sb, "server_time_usec", now * 1000);
        field(sb, "uptime_in_seconds", uptime);
        field(sb, "uptime_in_days", uptime / 86400);
        field(sb, "hz", engine.hz());
        field(sb, "configured_hz", engine.hz());
        // Redis's LRU clock: seconds, 24 bits
        field(sb, "lru_clock", engine.keyspace().lruClock() & 0xFFFFFF);
        field(sb, "executable", ProcessHandle.current().info().command().orElse(""));
        field(sb, "config_file", engine.host().configFile());
        field(sb, "io_threads_active", 0);
    }

    private void clients(StringBuilder sb) {
        sb.append("# Clients\r\n");
        field(sb, "connected_clients", engine.sessions().size());
        field(sb, "cluster_connections", 0);
        field(sb, "maxclients", engine.maxClients());
        field(sb, "blocked_clients", engine.blockedClients());
        field(sb, "tracking_clients", engine.pubsub().tracking().clients());
        field(sb, "clients_in_timeout_table", 0);
    }

    /** Memory figures: see {@link io.jkevy.engine.memory.MemoryReport#info}. */
    private void memory(StringBuilder sb) { io.jkevy.engine.memory.MemoryReport.info(engine, sb); }

    private void persistence(StringBuilder sb) {
        Stats st = engine.stats();
        sb.append("# Persistence\r\n");
        field(sb, "loading", engine.loading() ? 1 : 0);
        field(sb, "async_loading", 0);
        io.jkevy.engine.persist.Durability d = engine.durability();
        field(sb, "rdb_changes_since_last_save", d == null ? st.dirty.sum() : d.changesSinceSave());
        field(sb, "rdb_bgsave_in_progress", d != null && d.saving() ? 1 : 0);
        // without a snapshot yet, the start time stands in, as LASTSAVE reports
        field(sb, "rdb_last_save_time", (d == null ? st.startMillis : d.lastSaveMillis()) / 1000);
        field(sb, "rdb_last_bgsave_status", d == null || d.lastSaveOk() ? "ok" : "err");
        field(sb, "rdb_last_bgsave_time_sec", d == null || d.lastSaveDurationMillis() < 0 ? -1 : d.lastSaveDurationMillis() / 1000);
        field(sb, "rdb_current_bgsave_time_sec", d != null && d.saving() ? (engine.clock().millis() - d.saveStartedMillis()) / 1000 : -1);
        field(sb, "aof_enabled", d == null ? 0 : 1);
        field(sb, "aof_rewrite_in_progress", d != null && d.rewriting() ? 1 : 0);
        field(sb, "aof_rewrite_scheduled", 0);
        field(sb, "aof_last_rewrite_time_sec", -1);
        field(sb, "aof_current_rewrite_time_sec", -1);
        field(sb, "aof_last_bgrewrite_status", "ok");
        field(sb, "aof_last_write_status", d == null || d.writer().failure() == null ? "ok" : "err");
        if (d != null) {
            // jkevy's journal: bytes handed to the file system, fsyncs done, the last offset on disk
            field(sb, "aof_written_bytes", d.writer().bytesWritten());
            field(sb, "aof_buffer_length", d.writer().pendingBytes());
            field(sb, "aof_fsyncs", d.writer().fsyncCount());
            field(sb, "aof_durable_offset", d.writer().durableOffset());
            field(sb, "aof_fsync_policy", d.writer().policy().configName());
        }
    }

    private void stats(StringBuilder sb) {
        Stats st = engine.stats();
        long nanos = System.nanoTime();
        long commands = st.commands.sum();
        long in = st.netInputBytes.sum();
        long out = st.netOutputBytes.sum();
        sb.append("# Stats\r\n");
        field(sb, "total_connections_received", st.connections.sum());
        field(sb, "total_commands_processed", commands);
        field(sb, "instantaneous_ops_per_sec", Math.round(ops.rate(nanos, commands)));
        field(sb, "total_net_input_bytes", in);
        field(sb, "total_net_output_bytes", out);
        field(sb, "instantaneous_input_kbps", String.format(Locale.ROOT, "%.2f", netIn.rate(nanos, in) / 1024));
        field(sb, "instantaneous_output_kbps", String.format(Locale.ROOT, "%.2f", netOut.rate(nanos, out) / 1024));
        field(sb, "rejected_connections", st.rejectedConnections.sum());
        field(sb, "sync_full", 0);
        field(sb, "sync_partial_ok", 0);
        field(sb, "sync_partial_err", 0);
        field(sb, "expired_keys", st.expiredKeys.sum());
        field(sb, "evicted_keys", st.evictedKeys.sum());
        field(sb, "evicted_clients", 0);             // client eviction (maxmemory-clients) is not implemented
        field(sb, "total_eviction_exceeded_time", engine.memory().totalExceededMillis());
        field(sb, "current_eviction_exceeded_time", engine.memory().currentExceededMillis());
        field(sb, "keyspace_hits", st.keyspaceHits.sum());
        field(sb, "keyspace_misses", st.keyspaceMisses.sum());
        var hub = engine.pubsub().hub();
        field(sb, "pubsub_channels", hub.channelCount());
        field(sb, "pubsub_patterns", hub.patternCount());
        field(sb, "pubsubshard_channels", hub.shardChannelCount());
        field(sb, "latest_fork_usec", 0);
        field(sb, "total_forks", 0);
        var tracking = engine.pubsub().tracking();
        field(sb, "tracking_total_keys", tracking.trackedKeys());
        field(sb, "tracking_total_items", tracking.trackedItems());
        field(sb, "tracking_total_prefixes", tracking.prefixCount());
        field(sb, "unexpected_error_replies", st.unexpectedErrorReplies.sum());
        field(sb, "total_error_replies", st.errorReplies.sum());
    }

    private void replication(StringBuilder sb) {
        Journal j = engine.journal();
        long next = j.nextOffset();
        long first = j.backlogFirstOffset();
        sb.append("# Replication\r\n");
        io.jkevy.engine.repl.ReplicationControl r = engine.replication();
        if (r != null) {
            r.info(sb);
            return;
        }
        field(sb, "role", "master");
        field(sb, "connected_slaves", 0);
        field(sb, "master_failover_state", "no-failover");
        field(sb, "master_replid", engine.runId());
        field(sb, "master_replid2", "0000000000000000000000000000000000000000");
        field(sb, "master_generation", j.generation());
        // offsets count journal frames, not bytes (see spec/replication.md)
        field(sb, "master_repl_offset", next - 1);
        field(sb, "second_repl_offset", -1);
        field(sb, "repl_backlog_active", 1);
        field(sb, "repl_backlog_size", parseLong(engine.config().get("repl-backlog-size")));
        field(sb, "repl_backlog_first_byte_offset", first);
        field(sb, "repl_backlog_histlen", Math.max(0, next - first));
    }

    private void cpu(StringBuilder sb) {
        double[] cpu = cpuSeconds();
        sb.append("# CPU\r\n");
        field(sb, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", cpu[0]));
        field(sb, "used_cpu_user", String.format(Locale.ROOT, "%.6f", cpu[1]));
        field(sb, "used_cpu_sys_children", "0.000000");
        field(sb, "used_cpu_user_children", "0.000000");
    }

    private void commandstats(StringBuilder sb) {
        sb.append("# Commandstats\r\n");
        for (CommandSpec s : engine.commands().allWithSubcommands()) {
            long calls = s.calls.sum(), rejected = s.rejectedCalls.sum(), failed = s.failedCalls.sum();
            if (calls == 0 && rejected == 0 && failed == 0) continue;
            long usec = s.usec.sum();
            sb.append("cmdstat_").append(s.name()).append(":calls=").append(calls)
                    .append(",usec=").append(usec)
                    .append(",usec_per_call=").append(String.format(Locale.ROOT, "%.2f", calls == 0 ? 0.0 : (double) usec / calls))
                    .append(",rejected_calls=").append(rejected)
                    .append(",failed_calls=").append(failed).append("\r\n");
        }
    }

    private void keyspace(StringBuilder sb) {
        Keyspace ks = engine.keyspace();
        sb.append("# Keyspace\r\n");
        for (int i = 0; i < ks.databases(); i++) {
            Db db = ks.db(i);
            long keys = db.size();
            if (keys == 0) continue;
            sb.append("db").append(i).append(":keys=").append(keys).append(",expires=").append(db.volatileSize())
                    .append(",avg_ttl=0\r\n");
        }
    }

    // ---- helpers -------------------------------------------------------------------------

    /** Redis's bytesToHuman (one implementation, in MemoryReport). */
    static String human(long n) { return io.jkevy.engine.memory.MemoryReport.human(n); }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Resident set size in bytes from /proc/self/statm (pages), 0 where unavailable. */
    static long rss() {
        try {
            String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(f[1]) * 4096L;
        } catch (Exception e) {
            return 0;
        }
    }

    /**
     * {system, user} CPU seconds of the process: /proc/self/stat's stime/utime (clock ticks,
     * 100 per second on Linux), else the MXBean's total as user time.
     */
    static double[] cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // fields after the parenthesised command name; utime is field 14, stime 15 (1-based)
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split("\\s+");
            double utime = Long.parseLong(f[11]) / 100.0, stime = Long.parseLong(f[12]) / 100.0;
            return new double[] {stime, utime};
        } catch (Exception e) {
            try {
                if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                    return new double[] {0, os.getProcessCpuTime() / 1e9};
                }
            } catch (Throwable ignored) {
                // no CPU accounting available
            }
            return new double[] {0, 0};
        }
    }

    /**
     * Rate of a counter per second, sampled only when INFO runs (there is no sampling cron):
     * each call records (time, value) in a small ring and reports the rate since the oldest
     * sample taken within the last {@link #WINDOW_NANOS}; 0 when no such sample exists, so a
     * lone INFO never reports a rate it did not measure.
     */
    static final class RateSampler {
        static final int SAMPLES = 16;
        static final long WINDOW_NANOS = 5_000_000_000L;
        static final long MIN_SPAN_NANOS = 10_000_000L;
        private final long[] times = new long[SAMPLES];
        private final long[] values = new long[SAMPLES];
        private int count, head;

        synchronized double rate(long nanos, long value) {
            double r = 0;
            for (int k = count; k > 0; k--) {
                int i = Math.floorMod(head - k, SAMPLES);
                long span = nanos - times[i];
                if (span > WINDOW_NANOS) continue;
                if (span >= MIN_SPAN_NANOS) r = Math.max(0, value - values[i]) * 1e9 / span;
                break;
            }
            times[head] = nanos;
            values[head] = value;
            head = (head + 1) % SAMPLES;
            if (count < SAMPLES) count++;
            return r;
        }
    }
}
