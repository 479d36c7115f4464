package io.jkevy.embedded;

import io.jkevy.journal.disk.FsyncPolicy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to open a {@link Store}: in memory by default; {@link Builder#dataDir} makes it persistent
 * (the journal on disk, with the server's {@code appendfsync} policies). Any server
 * configuration key can be given with {@link Builder#set}.
 */
public final class StoreConfig {
    /** Who drives TTL expiry. */
    public enum Expiry {
        /** A daemon thread runs the active expiry cycle {@code hz} times a second. */
        BACKGROUND,
        /** The application calls {@link Store#tick()}; keys still expire lazily on access. */
        MANUAL
    }

    final Path dataDir;
    final FsyncPolicy fsync;
    final Expiry expiry;
    final Map<String, String> settings;

    private StoreConfig(Builder b) {
        this.dataDir = b.dataDir;
        this.fsync = b.fsync;
        this.expiry = b.expiry;
        this.settings = Map.copyOf(b.settings);
    }

    public static Builder builder() { return new Builder(); }

    /** An in-memory store with the defaults. */
    public static StoreConfig inMemory() { return builder().build(); }

    public Path dataDir() { return dataDir; }

    public FsyncPolicy fsync() { return fsync; }

    public Expiry expiry() { return expiry; }

    public static final class Builder {
        private Path dataDir;
        private FsyncPolicy fsync = FsyncPolicy.EVERYSEC;
        private Expiry expiry = Expiry.BACKGROUND;
        private final Map<String, String> settings = new LinkedHashMap<>();

        /** Persist in {@code dir}: the journal goes to {@code dir/appendonlydir}, as the server's does. */
        public Builder dataDir(Path dir) { this.dataDir = dir; return this; }

        public Builder fsync(FsyncPolicy p) { this.fsync = p; return this; }

        /** {@code maxmemory} in Redis's units ("100mb", "1gb", bytes). */
        public Builder maxmemory(String size) { return set("maxmemory", size); }

        /** {@code maxmemory-policy}: noeviction, allkeys-lru, volatile-ttl, ... */
        public Builder evictionPolicy(String policy) { return set("maxmemory-policy", policy); }

        public Builder expiry(Expiry e) { this.expiry = e; return this; }

        public Builder databases(int n) { return set("databases", Integer.toString(n)); }

        /**
         * Opens the store as a replica of the primary whose replication listener is at
         * {@code host:port}: reads are served in-process, writes fail with
         * {@link JkevyException.ReadOnlyException}.
         */
        public Builder replicaOf(String host, int replicationPort) {
            set("replication.role", "replica");
            return set("replication.upstream", host + ":" + replicationPort);
        }

        /**
         * Opens the store as a primary whose replication listener (on loopback, {@code port} 0 =
         * any free port, see {@link Store#replicationPort()}) serves servers and other stores
         * that replicate from it.
         */
        public Builder replicationListener(int port) {
            set("replication.role", "primary");
            return set("replication.listen_port", Integer.toString(port));
        }

        /** Any server configuration key (as in the TOML file or CONFIG SET). */
        public Builder set(String key, String value) { settings.put(key, value); return this; }

        public StoreConfig build() { return new StoreConfig(this); }
    }
}
