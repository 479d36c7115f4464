package io.jkevy.engine.memory;

import io.jkevy.store.Db;
import io.jkevy.store.KeyTable;
import io.jkevy.store.Keyspace;
import io.jkevy.store.Lfu;

import java.util.Arrays;
import java.util.function.IntSupplier;

/**
 * Picks and deletes victims for the maxmemory policies, approximating like Redis: no global
 * order is kept; each step samples {@code maxmemory-samples} keys and ranks them, and an
 * eviction pool of the 16 best candidates seen so far (kept across steps and calls) lets the
 * approximation improve with every sample.
 *
 * <p>Scores (higher = evict first): LRU, the idle seconds from the key's access time; LFU,
 * 255 minus its decayed {@link Lfu} counter; TTL, the nearer the expiry the higher. Random
 * policies take a random (volatile) key without the pool.
 *
 * <p>Locking: the caller holds no stripe lock. A sampling step locks one stripe (rotating
 * over the stripes) and samples that stripe's table of every database; an eviction locks
 * the victim's stripe, checks that the key still exists (and still has a TTL under a
 * volatile policy) and deletes it. One stripe lock at a time, so no lock-order cycle with
 * commands. Calls are serialized by the evictor's monitor, which is never taken while
 * holding a stripe lock.
 */
final class Evictor {
    static final int POOL_SIZE = 16;

    /** What an eviction did. */
    enum Outcome { EVICTED, NONE }

    private final Keyspace keyspace;
    private final IntSupplier random;
    private final long[] poolScore = new long[POOL_SIZE];
    private final byte[][] poolKey = new byte[POOL_SIZE][];
    private final int[] poolDb = new int[POOL_SIZE];
    private int poolSize;          // entries in [0, poolSize), sorted by ascending score
    private int stripeCursor;
    private int dbCursor;

    Evictor(Keyspace keyspace, IntSupplier random) {
        this.keyspace = keyspace;
        this.random = random;
    }

    /** Set by {@link #reset}: the next eviction starts with an empty pool. */
    private volatile boolean resetRequested;

    /**
     * Forgets the pool (policy change: its scores mean something else now). Never blocks: a
     * CONFIG SET inside EXEC holds every stripe lock, and an eviction in progress holding
     * the monitor may be waiting for one of them.
     */
    void reset() { resetRequested = true; }

    /**
     * Evicts one key chosen by {@code policy}; {@code remover} deletes it (under its stripe
     * lock, journaling and counting). NONE when no candidate exists at all.
     */
    synchronized Outcome evictOne(Policy policy, int samples, Remover remover) {
        if (resetRequested) {
            resetRequested = false;
            Arrays.fill(poolKey, null);
            poolSize = 0;
        }
        if (!anyCandidates(policy)) return Outcome.NONE;
        if (policy.kind == Policy.Kind.RANDOM) return evictRandom(policy, remover);
        for (int attempt = 0; attempt < 4; attempt++) {
            if (!fill(policy, samples) && poolSize == 0) return Outcome.NONE;
            // best candidates are at the end; stale ones (deleted meanwhile) are dropped
            while (poolSize > 0) {
                int i = --poolSize;
                byte[] key = poolKey[i];
                int db = poolDb[i];
                poolKey[i] = null;
                Outcome o = remover.remove(db, key, policy.volatileOnly);
                if (o != Outcome.NONE) return o;
            }
        }
        return Outcome.NONE;
    }

    /** A racy check without locks: false when no database holds a (volatile) key at all. */
    private boolean anyCandidates(Policy policy) {
        for (int d = 0; d < keyspace.databases(); d++) {
            Db db = keyspace.db(d);
            if (policy.volatileOnly ? db.volatileSize() > 0 : db.size() > 0) return true;
        }
        return false;
    }

    /**
     * A random key (with a TTL for volatile-random) of the next database that has one, found
     * from a random stripe onwards; NONE only when no database has a candidate.
     */
    private Outcome evictRandom(Policy policy, Remover remover) {
        int stripes = keyspace.stripes(), dbs = keyspace.databases();
        for (int n = 0; n < dbs; n++) {
            int dbIndex = dbCursor;
            dbCursor = (dbCursor + 1) % dbs;
            Db db = keyspace.db(dbIndex);
            if (db.size() == 0 || (policy.volatileOnly && db.volatileSize() == 0)) continue;   // racy hint
            int first = Math.floorMod(random.getAsInt(), stripes);
            for (int k = 0; k < stripes; k++) {
                int st = (first + k) % stripes;
                byte[] key = null;
                keyspace.lockStripe(st);
                try {
                    KeyTable t = keyspace.db(dbIndex).stripeTable(st);
                    int slot = policy.volatileOnly ? volatileSlotFrom(t, random.getAsInt()) : t.randomSlot(random.getAsInt());
                    if (slot >= 0) key = t.keyAt(slot);
                } finally {
                    keyspace.unlockStripe(st);
                }
                if (key == null) continue;
                Outcome o = remover.remove(dbIndex, key, policy.volatileOnly);
                if (o != Outcome.NONE) return o;
            }
        }
        return Outcome.NONE;
    }

    /**
     * Samples candidates into the pool from the next stripe that has any; false when no
     * stripe of any database had a candidate.
     */
    private boolean fill(Policy policy, int samples) {
        int stripes = keyspace.stripes();
        for (int tried = 0; tried < stripes; tried++) {
            int st = stripeCursor;
            stripeCursor = (st + 1) % stripes;
            int found = 0;
            keyspace.lockStripe(st);
            try {
                int lru = keyspace.lruClock();
                for (int d = 0; d < keyspace.databases(); d++) {
                    Db db = keyspace.db(d);
                    KeyTable t = db.stripeTable(st);
                    if (t.size() == 0 || (policy.volatileOnly && t.volatileCount() == 0)) continue;
                    found += sampleTable(policy, samples, d, t, lru);
                }
            } finally {
                keyspace.unlockStripe(st);
            }
            if (found > 0) return true;
        }
        return false;
    }

    private int sampleTable(Policy policy, int samples, int db, KeyTable t, int lru) {
        int cap = t.capacity(), mask = cap - 1;
        int start = random.getAsInt() & mask;
        int taken = 0;
        // walk from a random slot: occupied (and, if asked, volatile) slots are the sample
        for (int n = 0, i = start; n < cap && taken < samples; n++, i = (i + 1) & mask) {
            byte[] k = t.keyAt(i);
            if (k == null) continue;
            long at = t.expireAt(i);
            if (policy.volatileOnly && at == 0) continue;
            taken++;
            offer(db, k, score(policy, t.accessAt(i), at, lru));
            // skip ahead so one sample does not take a whole cluster of neighbours
            if (!policy.volatileOnly) i = (i + (random.getAsInt() & 7)) & mask;
        }
        return taken;
    }

    private long score(Policy policy, int access, long expireAt, int lru) {
        return switch (policy.kind) {
            case LRU -> Math.max(0, (long) lru - access);
            case LFU -> Lfu.MAX - Lfu.decayed(access, lru, keyspace.lfuDecayTime());
            case TTL -> Long.MAX_VALUE - expireAt;
            default -> 0;
        };
    }

    /** Inserts a candidate keeping the pool sorted; the worst is dropped when it is full. */
    private void offer(int db, byte[] key, long score) {
        for (int i = 0; i < poolSize; i++) {
            if (poolDb[i] == db && Arrays.equals(poolKey[i], key)) return;     // already a candidate
        }
        int pos = 0;
        while (pos < poolSize && poolScore[pos] < score) pos++;
        if (poolSize == POOL_SIZE) {
            if (pos == 0) return;                  // worse than everything in a full pool
            // drop the worst (index 0), shifting the lower part left
            System.arraycopy(poolScore, 1, poolScore, 0, pos - 1);
            System.arraycopy(poolKey, 1, poolKey, 0, pos - 1);
            System.arraycopy(poolDb, 1, poolDb, 0, pos - 1);
            pos--;
        } else {
            System.arraycopy(poolScore, pos, poolScore, pos + 1, poolSize - pos);
            System.arraycopy(poolKey, pos, poolKey, pos + 1, poolSize - pos);
            System.arraycopy(poolDb, pos, poolDb, pos + 1, poolSize - pos);
            poolSize++;
        }
        poolScore[pos] = score;
        poolKey[pos] = key;
        poolDb[pos] = db;
    }

    /** A volatile slot at or after {@code r}'s position, or -1 (walks at most the whole table). */
    private static int volatileSlotFrom(KeyTable t, int r) {
        if (t.volatileCount() == 0) return -1;
        int cap = t.capacity(), mask = cap - 1;
        for (int n = 0, i = r & mask; n < cap; n++, i = (i + 1) & mask) {
            if (t.keyAt(i) != null && t.expireAt(i) != 0) return i;
        }
        return -1;
    }

    /** Deletes a chosen victim under its stripe lock. */
    @FunctionalInterface
    interface Remover {
        /** EVICTED when deleted, NONE when it no longer exists or no longer qualifies. */
        Outcome remove(int db, byte[] key, boolean mustBeVolatile);
    }
}
