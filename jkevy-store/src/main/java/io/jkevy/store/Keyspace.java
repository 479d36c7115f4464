package io.jkevy.store;

import java.util.concurrent.locks.ReentrantLock;

/**
 * All databases and their lock stripes.
 *
 * <p>Stripe {@code s} of every database is guarded by {@code lock(s)}. A single-key command
 * takes one stripe; a multi-key command takes its stripes in ascending order
 * ({@link #lockStripes(int[], int)}); transactions, scripts and whole-keyspace commands
 * take all of them ({@link #lockAll()}). With one stripe this is Redis's global order.
 */
public final class Keyspace {
    private final Db[] dbs;
    private final ReentrantLock[] locks;
    private final int stripeShift;
    private final Clock clock;
    private volatile ExpiryListener expiryListener = ExpiryListener.NONE;
    private volatile int lruClock;
    private final Encodings encodings = new Encodings();

    /**
     * @param databases number of databases (Redis's {@code databases}, 16 by default)
     * @param stripes   lock stripes, a power of two between 1 and 256
     */
    public Keyspace(int databases, int stripes, Clock clock) {
        if (Integer.bitCount(stripes) != 1 || stripes > 256) throw new IllegalArgumentException("stripes must be a power of two <= 256");
        this.clock = clock;
        this.locks = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) locks[i] = new ReentrantLock();
        this.stripeShift = 32 - Integer.numberOfTrailingZeros(stripes);
        this.dbs = new Db[databases];
        for (int i = 0; i < databases; i++) dbs[i] = new Db(i, stripes, this);
        this.lruClock = (int) (clock.millis() / 1000);
    }

    public int databases() { return dbs.length; }

    public Db db(int index) { return dbs[index]; }

    public int stripes() { return locks.length; }

    public Clock clock() { return clock; }

    /** Compact-encoding thresholds (CONFIG SET hash-max-listpack-entries, ...). */
    public Encodings encodings() { return encodings; }

    public ExpiryListener expiryListener() { return expiryListener; }

    public void expiryListener(ExpiryListener l) { expiryListener = l; }

    /** Seconds clock for access times, advanced by the owner's periodic tick (no clock read on the hot path). */
    public int lruClock() { return lruClock; }

    public void tick(long nowMillis) { lruClock = (int) (nowMillis / 1000); }

    public int stripeOf(byte[] key) {
        return stripeShift == 32 ? 0 : Hashing.hash(key) >>> stripeShift;
    }

    public void lockStripe(int s) { locks[s].lock(); }

    public void unlockStripe(int s) { locks[s].unlock(); }

    /** Takes stripe {@code s}'s lock only if it is free now (background work that must not wait). */
    public boolean tryLockStripe(int s) { return locks[s].tryLock(); }

    /** Locks the distinct stripes among {@code stripes[0..n)}, which must be sorted ascending. */
    public void lockStripes(int[] stripes, int n) {
        int prev = -1;
        for (int i = 0; i < n; i++) {
            if (stripes[i] != prev) locks[stripes[i]].lock();
            prev = stripes[i];
        }
    }

    public void unlockStripes(int[] stripes, int n) {
        int prev = -1;
        for (int i = 0; i < n; i++) {
            if (stripes[i] != prev) locks[stripes[i]].unlock();
            prev = stripes[i];
        }
    }

    public void lockAll() { for (ReentrantLock l : locks) l.lock(); }

    public void unlockAll() { for (int i = locks.length - 1; i >= 0; i--) locks[i].unlock(); }

    /** True when the current thread holds every stripe lock. */
    public boolean holdsAll() {
        for (ReentrantLock l : locks) if (!l.isHeldByCurrentThread()) return false;
        return true;
    }

    /** Swaps two databases; the caller holds all locks. */
    public void swap(int a, int b) {
        Db t = dbs[a];
        dbs[a] = dbs[b];
        dbs[b] = t;
        dbs[a].index(a);
        dbs[b].index(b);
    }

    /**
     * One bounded active-expiry step over stripe {@code s} of every database; the caller
     * holds that stripe's lock. Returns {@code seen << 32 | expired} summed over databases.
     */
    public long expireStep(int s, long now, int maxSlotsPerTable) {
        long seen = 0, expired = 0;
        for (Db db : dbs) {
            long r = db.stripeTable(s).expireStep(now, maxSlotsPerTable, db.index(), expiryListener);
            seen += r >>> 32;
            expired += r & 0xffffffffL;
        }
        return (seen << 32) | expired;
    }
}
