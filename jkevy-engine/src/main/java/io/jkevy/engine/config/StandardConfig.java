package io.jkevy.engine.config;

import io.jkevy.engine.Engine;

import java.util.List;

/**
 * The Redis configuration keys that clients, tools and test suites commonly read, beyond the
 * core keys the engine registers itself. Keys the engine has a setting for carry an apply
 * hook; the others are stored values that CONFIG GET reports and CONFIG SET validates (the
 * components that will honour them — eviction, persistence, encodings — read them later).
 *
 * <p>Every key is registered only when absent, so a component that registers the same key
 * first (with a real apply hook) wins, and this class can run at any point of startup.
 */
public final class StandardConfig {
    private StandardConfig() { }

    /** Redis's eight eviction policies, in Redis's order. */
    public static final List<String> MAXMEMORY_POLICIES = List.of(
            "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
            "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction");

    private static final long INT_MAX = Integer.MAX_VALUE;

    /** Registers the keys on {@code engine}'s configuration (idempotent). */
    public static void register(Engine engine) {
        Config c = engine.config();

        // where the process listens and writes: set once at startup by the server
        if (absent(c, "port")) c.register(port());
        if (absent(c, "bind")) c.stringEntry("bind", "127.0.0.1 -::1", false, v -> { });
        if (absent(c, "dir")) c.stringEntry("dir", "./data", false, v -> { });
        if (absent(c, "logfile")) c.stringEntry("logfile", "", false, v -> { });
        if (absent(c, "loglevel")) c.enumEntry("loglevel", "notice", List.of("debug", "verbose", "notice", "warning", "nothing"), v -> { });
        if (absent(c, "unixsocket")) c.stringEntry("unixsocket", "", false, v -> { });
        if (absent(c, "pidfile")) c.stringEntry("pidfile", "", false, v -> { });
        if (absent(c, "daemonize")) c.stringEntry("daemonize", "no", false, v -> { });
        if (absent(c, "supervised")) c.stringEntry("supervised", "no", false, v -> { });
        if (absent(c, "tcp-backlog")) c.stringEntry("tcp-backlog", "511", false, v -> { });
        if (absent(c, "io-threads")) c.stringEntry("io-threads", "1", false, v -> { });
        if (absent(c, "cluster-enabled")) c.stringEntry("cluster-enabled", "no", false, v -> { });
        if (absent(c, "protected-mode")) c.boolEntry("protected-mode", true, v -> { });
        if (absent(c, "tcp-keepalive")) c.intEntry("tcp-keepalive", 300, 0, INT_MAX);
        // requirepass belongs to the ACL (io.jkevy.engine.acl.Acl#registerConfig): it sets the default user's password

        // persistence (not in this build yet: stored so tools read the usual answers)
        if (absent(c, "save")) c.stringEntry("save", "3600 1 300 100 60 10000", true, v -> { });
        if (absent(c, "auto-aof-rewrite-percentage")) c.intEntry("auto-aof-rewrite-percentage", 100, 0, INT_MAX);
        if (absent(c, "auto-aof-rewrite-min-size")) c.memoryEntry("auto-aof-rewrite-min-size", 64L << 20, 0, Long.MAX_VALUE, v -> { });
        // at run time (after the owner finished booting) CONFIG SET appendonly starts or stops the journal
        if (absent(c, "appendonly")) c.boolEntry("appendonly", true, v -> {
            if (engine.started()) io.jkevy.engine.persist.Durability.toggle(engine, v);
        });
        if (absent(c, "appendfsync")) c.enumEntry("appendfsync", "everysec", List.of("always", "everysec", "no"), v -> {
            io.jkevy.engine.persist.Durability d = engine.durability();
            if (d != null) d.fsync(io.jkevy.journal.disk.FsyncPolicy.parse(v));
        });
        if (absent(c, "aof-load-truncated")) c.boolEntry("aof-load-truncated", true, v -> { });
        if (absent(c, "aof-load-truncate-corrupt")) c.boolEntry("aof-load-truncate-corrupt", false, v -> { });
        if (absent(c, "aof-segment-size")) c.memoryEntry("aof-segment-size", 64L << 20, 4096, Long.MAX_VALUE, v -> { });
        if (absent(c, "appendfilename")) c.stringEntry("appendfilename", "appendonly.aof", false, v -> { });
        if (absent(c, "appenddirname")) c.stringEntry("appenddirname", "appendonlydir", false, v -> { });
        if (absent(c, "dbfilename")) c.stringEntry("dbfilename", "dump.rdb", true, v -> { });
        if (absent(c, "rdbcompression")) c.boolEntry("rdbcompression", true, v -> { });
        if (absent(c, "rdbchecksum")) c.boolEntry("rdbchecksum", true, v -> { });
        if (absent(c, "stop-writes-on-bgsave-error")) c.boolEntry("stop-writes-on-bgsave-error", true, v -> { });

        // memory and eviction
        if (absent(c, "maxmemory")) c.memoryEntry("maxmemory", 0, 0, Long.MAX_VALUE, v -> { });
        if (absent(c, "maxmemory-policy")) c.enumEntry("maxmemory-policy", "noeviction", MAXMEMORY_POLICIES, v -> { });
        if (absent(c, "maxmemory-samples")) c.intEntry("maxmemory-samples", 5, 1, 64);
        if (absent(c, "maxmemory-eviction-tenacity")) c.intEntry("maxmemory-eviction-tenacity", 10, 0, 100);
        if (absent(c, "maxmemory-clients")) c.memoryEntry("maxmemory-clients", 0, 0, Long.MAX_VALUE, v -> { });
        if (absent(c, "lfu-log-factor")) c.intEntry("lfu-log-factor", 10, 0, INT_MAX);
        if (absent(c, "lfu-decay-time")) c.intEntry("lfu-decay-time", 1, 0, INT_MAX);
        if (absent(c, "active-expire-effort")) c.intEntry("active-expire-effort", 1, 1, 10);
        if (absent(c, "activerehashing")) c.boolEntry("activerehashing", true, v -> { });
        if (absent(c, "lazyfree-lazy-eviction")) c.boolEntry("lazyfree-lazy-eviction", false, v -> { });
        if (absent(c, "lazyfree-lazy-expire")) c.boolEntry("lazyfree-lazy-expire", false, v -> { });
        if (absent(c, "lazyfree-lazy-server-del")) c.boolEntry("lazyfree-lazy-server-del", false, v -> { });
        if (absent(c, "lazyfree-lazy-user-del")) c.boolEntry("lazyfree-lazy-user-del", false, v -> { });
        if (absent(c, "lazyfree-lazy-user-flush")) c.boolEntry("lazyfree-lazy-user-flush", false, v -> { });

        // events and monitoring (notify-keyspace-events, slowlog-*, latency-monitor-threshold,
        // busy-reply-threshold and the client buffer limits are registered by the pub/sub, ops
        // and scripting components that apply them, before this runs)
        if (absent(c, "latency-tracking")) c.boolEntry("latency-tracking", true, v -> { });
        if (absent(c, "latency-tracking-info-percentiles")) c.stringEntry("latency-tracking-info-percentiles", "50 99 99.9", true, v -> { });
        if (absent(c, "dynamic-hz")) c.boolEntry("dynamic-hz", true, v -> { });

        // compact encodings: applied to the keyspace's thresholds, read by the value types
        io.jkevy.store.Encodings e = engine.keyspace().encodings();
        encoding(c, "list-max-listpack-size", -2, -5, INT_MAX, "list-max-ziplist-size", v -> e.listMaxListpackSize = v);
        encoding(c, "list-compress-depth", 0, 0, INT_MAX, null, v -> e.listCompressDepth = v);
        encoding(c, "hash-max-listpack-entries", 128, 0, INT_MAX, "hash-max-ziplist-entries", v -> e.hashMaxListpackEntries = v);
        encoding(c, "hash-max-listpack-value", 64, 0, INT_MAX, "hash-max-ziplist-value", v -> e.hashMaxListpackValue = v);
        encoding(c, "set-max-intset-entries", 512, 0, INT_MAX, null, v -> e.setMaxIntsetEntries = v);
        encoding(c, "set-max-listpack-entries", 128, 0, INT_MAX, null, v -> e.setMaxListpackEntries = v);
        encoding(c, "set-max-listpack-value", 64, 0, INT_MAX, null, v -> e.setMaxListpackValue = v);
        encoding(c, "zset-max-listpack-entries", 128, 0, INT_MAX, "zset-max-ziplist-entries", v -> e.zsetMaxListpackEntries = v);
        encoding(c, "zset-max-listpack-value", 64, 0, INT_MAX, "zset-max-ziplist-value", v -> e.zsetMaxListpackValue = v);
        encoding(c, "stream-node-max-bytes", 4096, 0, INT_MAX, null, v -> e.streamNodeMaxBytes = v);
        encoding(c, "stream-node-max-entries", 100, 0, INT_MAX, null, v -> e.streamNodeMaxEntries = v);
        encoding(c, "hll-sparse-max-bytes", 3000, 0, INT_MAX, null, v -> e.hllSparseMaxBytes = v);
    }

    private static void encoding(Config c, String name, int initial, long min, long max, String alias,
                                 java.util.function.IntConsumer apply) {
        if (absent(c, name)) c.intEntry(name, initial, min, max, v -> apply.accept((int) v));
        if (alias != null && c.entry(alias) == null) c.alias(alias, name);
    }

    private static boolean absent(Config c, String name) { return c.entry(name) == null; }


    /**
     * The listening port, 0..65535: the server binds it once at startup, so CONFIG SET cannot
     * change it (Redis rebinds; this build does not, and says so rather than pretend).
     */
    private static Config.Entry port() {
        return new Config.Entry() {
            volatile int value = 6379;

            @Override public String name() { return "port"; }

            @Override public String get() { return Integer.toString(value); }

            @Override public void set(String text) throws ConfigException {
                int v;
                try {
                    v = Integer.parseInt(text.trim());
                } catch (NumberFormatException ex) {
                    throw new ConfigException("argument couldn't be parsed into an integer");
                }
                if (v < 0 || v > 65535) throw new ConfigException("argument must be between 0 and 65535 inclusive");
                value = v;
            }

            @Override public boolean mutable() { return false; }
        };
    }

}
