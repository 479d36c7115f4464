package io.jkevy.engine.memory;

import io.jkevy.engine.Engine;
import io.jkevy.engine.config.Config;
import io.jkevy.engine.config.StandardConfig;
import io.jkevy.store.Db;
import io.jkevy.store.Keyspace;

import java.nio.charset.StandardCharsets;

/**
 * Memory accounting and the maxmemory limit: {@link #usedMemory()} (INFO used_memory), the
 * peak, the eviction policies and the OOM gate the dispatcher calls before each command
 * ({@link #admit}). See docs/memory.md for how the figures are computed.
 *
 * <p>Owns the configuration keys maxmemory, maxmemory-policy, maxmemory-samples,
 * maxmemory-eviction-tenacity, lfu-log-factor and lfu-decay-time (registered before the
 * standard keys, so these carry the real apply hooks).
 */
public final class MemoryManager {
    /**
     * Fixed part of used_memory: the engine's own structures that exist before any key
     * (command table, configuration, sessions map, empty journal), not counting the empty key
     * tables, which the meter counts itself. Measured on JDK 25 as the heap an Engine retains
     * after full collections (about 200 KB, of which 68 KB are the 256 empty key tables);
     * {@code MemoryAccountingTest.baselineMatchesAnEmptyEngine} keeps the figure honest.
     * Class metadata, thread stacks, netty's buffer pools and code are outside the heap
     * and outside this figure (they show in used_memory_rss).
     */
    public static final long BASELINE = 128 * 1024;

    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);

    /** Redis's error for a denyoom command over the limit. */
    public static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

    private final Engine engine;
    private final Keyspace keyspace;
    private final Evictor evictor;
    private volatile EvictionListener listener = EvictionListener.NONE;

    private volatile long maxmemory;
    private volatile Policy policy = Policy.NOEVICTION;
    private volatile int samples = 5;
    private volatile int tenacity = 10;
    private volatile long peak;
    /** The journal's backlog bytes, refreshed by {@link #cron} and INFO (its read takes the journal's monitor). */
    private volatile long backlogBytes;
    /** Set when an eviction round stopped at its time limit: {@link #cron} continues it. */
    private volatile boolean evictionPending;
    /** System.nanoTime when counted memory was last seen rising over maxmemory; 0 while under. */
    private volatile long overSinceNanos;
    private final java.util.concurrent.atomic.AtomicLong exceededNanos = new java.util.concurrent.atomic.AtomicLong();
    /** used_memory_startup: the baseline plus the empty key tables, as at construction. */
    private final long startup;

    public MemoryManager(Engine engine) {
        this.engine = engine;
        this.keyspace = engine.keyspace();
        this.evictor = new Evictor(keyspace, engine::randomInt);
        this.startup = BASELINE + keyspace.memoryMeter().total();
        Config c = engine.config();
        c.memoryEntry("maxmemory", 0, 0, Long.MAX_VALUE, v -> maxmemory = v);
        c.enumEntry("maxmemory-policy", "noeviction", StandardConfig.MAXMEMORY_POLICIES, v -> {
            Policy p = Policy.of(v);
            policy = p;
            keyspace.lfu(p.kind == Policy.Kind.LFU);
            evictor.reset();
        });
        c.intEntry("maxmemory-samples", 5, 1, 64, v -> samples = (int) v);
        c.intEntry("maxmemory-eviction-tenacity", 10, 0, 100, v -> tenacity = (int) v);
        c.intEntry("lfu-log-factor", 10, 0, Integer.MAX_VALUE, v -> keyspace.lfuParams(v, keyspace.lfuDecayTime()));
        c.intEntry("lfu-decay-time", 1, 0, Integer.MAX_VALUE, v -> keyspace.lfuParams(logFactor(), v));
    }

    private long logFactor() {
        String s = engine.config().get("lfu-log-factor");
        return s == null ? 10 : Long.parseLong(s);
    }

    // ---- figures ----------------------------------------------------------------------

    public long maxmemory() { return maxmemory; }

    /** used_memory_startup: {@link #BASELINE} plus the empty key tables. */
    public long startup() { return startup; }

    public Policy policy() { return policy; }

    /** Estimated bytes of keys and values (used_memory_dataset). */
    public long datasetBytes() { return keyspace.memoryMeter().entryBytes(); }

    /** Estimated bytes of the key tables' slot arrays. */
    public long tableBytes() { return keyspace.memoryMeter().tableBytes(); }

    /** used_memory: baseline + key tables + keys and values + the journal's backlog. */
    public long usedMemory() {
        long used = BASELINE + keyspace.memoryMeter().total() + backlogBytes;
        if (used > peak) peak = used;
        return used;
    }

    /**
     * What maxmemory is compared with: used_memory without the journal's backlog
     * (mem_not_counted_for_evict). The backlog is bounded by repl-backlog-size and lives
     * outside the keyspace; leaving it out keeps eviction a function of the data alone.
     */
    public long countedMemory() { return BASELINE + keyspace.memoryMeter().total(); }

    /** mem_not_counted_for_evict: the backlog as last read. */
    public long notCountedForEvict() { return backlogBytes; }

    /** Refreshes the backlog figure (takes the journal's monitor: not on the hot path). */
    public long refreshBacklog() {
        long b = engine.journal().backlogBytes();
        backlogBytes = b;
        return b;
    }

    public long peak() { return Math.max(peak, usedMemory()); }

    /** used_memory_overhead: baseline, key tables, backlog. */
    public long overhead() { return BASELINE + tableBytes() + backlogBytes; }

    public void evictionListener(EvictionListener l) { listener = l == null ? EvictionListener.NONE : l; }

    // ---- the gate ---------------------------------------------------------------------

    /**
     * Called by the dispatcher before a command runs, holding no stripe lock. When used
     * memory is over maxmemory it evicts per the policy until it is under (or the
     * tenacity time limit passes, when the rest is left to {@link #cron}); returns false
     * when the command must be refused with {@link #OOM}: it is {@code denyoom} and nothing
     * could be evicted (noeviction, or no candidates left).
     */
    public boolean admit(boolean denyoom) {
        long max = maxmemory;
        if (max == 0 || countedMemory() <= max) {
            if (overSinceNanos != 0) endExceeded();
            return true;
        }
        if (overSinceNanos == 0) overSinceNanos = System.nanoTime();
        boolean ok = performEvictions();
        if (countedMemory() <= max) endExceeded();
        return ok || !denyoom;
    }

    private synchronized void endExceeded() {
        long since = overSinceNanos;
        if (since == 0) return;
        overSinceNanos = 0;
        exceededNanos.addAndGet(System.nanoTime() - since);
    }

    /** INFO total_eviction_exceeded_time: milliseconds spent over maxmemory since start. */
    public long totalExceededMillis() {
        long since = overSinceNanos;
        return (exceededNanos.get() + (since == 0 ? 0 : System.nanoTime() - since)) / 1_000_000;
    }

    /** INFO current_eviction_exceeded_time: milliseconds since usage rose over maxmemory, 0 when under. */
    public long currentExceededMillis() {
        long since = overSinceNanos;
        return since == 0 ? 0 : (System.nanoTime() - since) / 1_000_000;
    }

    /**
     * For a caller that already holds stripe locks (EXEC, scripts): no eviction (it would
     * take locks out of order), only the verdict: false when over the limit.
     */
    public boolean underLimit() {
        long max = maxmemory;
        return max == 0 || countedMemory() <= max;
    }

    /** Periodic work: refresh the backlog figure, finish an eviction round cut short. */
    public void cron() {
        refreshBacklog();
        usedMemory();
        long max = maxmemory;
        if (evictionPending || (max > 0 && countedMemory() > max)) {
            if (overSinceNanos == 0) overSinceNanos = System.nanoTime();
            performEvictions();
        }
        if (overSinceNanos != 0 && (max == 0 || countedMemory() <= max)) endExceeded();
    }

    /** Evicts until under the limit; false when it could not (nothing left to evict). */
    private boolean performEvictions() {
        var repl = engine.replication();
        // a replica's keyspace is its upstream's history: its own DELs would take the upstream's
        // offsets (Redis's replica-ignore-maxmemory yes); writes are refused there anyway
        if (repl != null && repl.isReplica()) return true;
        Policy p = policy;
        long max = maxmemory;
        if (p == Policy.NOEVICTION) return false;
        long limitNanos = timeLimitNanos();
        long start = System.nanoTime();
        int freed = 0;
        evictionPending = false;
        while (countedMemory() > max) {
            Evictor.Outcome o = evictor.evictOne(p, samples, this::remove);
            if (o == Evictor.Outcome.NONE) return false;
            freed++;
            if ((freed & 15) == 0 && System.nanoTime() - start > limitNanos) {
                evictionPending = countedMemory() > max;
                return true;                    // keep serving; cron goes on evicting
            }
        }
        return true;
    }

    /**
     * The time one eviction round may take, from maxmemory-eviction-tenacity: 50 µs per
     * unit up to 10 (500 µs, the default; 0 still evicts 16 keys a round), then 15% more per
     * unit, unlimited at 100.
     */
    long timeLimitNanos() {
        int t = tenacity;
        if (t >= 100) return Long.MAX_VALUE;
        if (t <= 10) return 50_000L * t;
        return (long) (500_000 * Math.pow(1.15, t - 10));
    }

    private Evictor.Outcome remove(int dbIndex, byte[] key, boolean mustBeVolatile) {
        int st = keyspace.stripeOf(key);
        keyspace.lockStripe(st);
        try {
            Db db = keyspace.db(dbIndex);
            long at = db.expireAt(key);           // a dead key is expired (and journaled) here
            if (at < 0) return Evictor.Outcome.NONE;        // deleted meanwhile (or just expired)
            if (mustBeVolatile && at == 0) return Evictor.Outcome.NONE;
            db.remove(key);
            engine.journal().append(dbIndex, new byte[][] {DEL, key});
            engine.stats().evictedKeys.increment();
            listener.evicted(dbIndex, key);
            return Evictor.Outcome.EVICTED;
        } finally {
            keyspace.unlockStripe(st);
        }
    }
}
