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
    @SuppressWarnings("unused") private final long[][] lockPadding;
    private final MemoryMeter memoryMeter = new MemoryMeter();
    private volatile boolean lfu;
    private volatile long lfuLogFactor = 10;
    private volatile long lfuDecayTime = 1;

    /**
     * @param databases number of databases (Redis's {@code databases}, 16 by default)
     * @param stripes   lock stripes, a power of two between 1 and 256
     */
    public Keyspace(int databases, int stripes, Clock clock) {
        if (Integer.bitCount(stripes) != 1 || stripes > 256) throw new IllegalArgumentException("stripes must be a power of two <= 256");
        this.clock = clock;
        this.locks = new ReentrantLock[stripes];
        // padding arrays allocated between the locks keep them apart on the heap, so threads
        // taking different stripes seldom share a cache line (false sharing)
        this.lockPadding = new long[stripes][];
        this.seq = new long[stripes * SEQ_PAD];
        for (int i = 0; i < stripes; i++) {
            locks[i] = new ReentrantLock();
            lockPadding[i] = new long[16];
        }
        this.stripeShift = 32 - Integer.numberOfTrailingZeros(stripes);
        this.dbs = new Db[databases];
        for (int i = 0; i < databases; i++) dbs[i] = new Db(i, stripes, this);
        this.lruClock = (int) (clock.millis() / 1000);
    }

    public int databases() { return dbs.length; }

    /** Running estimate of the keyspace's heap footprint (see {@link MemoryMeter}). */
    public MemoryMeter memoryMeter() { return memoryMeter; }

    /**
     * Selects what a key's access slot holds: the LRU clock of its last access (false) or
     * the {@link Lfu} counter (true), as the maxmemory policy asks.
     */
    public void lfu(boolean on) { lfu = on; }

    public boolean lfu() { return lfu; }

    /** lfu-log-factor and lfu-decay-time. */
    public void lfuParams(long logFactor, long decayTime) {
        lfuLogFactor = logFactor;
        lfuDecayTime = decayTime;
    }

    public long lfuDecayTime() { return lfuDecayTime; }

    /** Records an access to the entry in {@code slot}: its LRU time or its LFU counter. */
    public void touch(KeyTable t, int slot) {
        if (lfu) {
            t.setAccess(slot, Lfu.touch(t.accessAt(slot), lruClock, lfuLogFactor, lfuDecayTime,
                    java.util.concurrent.ThreadLocalRandom.current().nextDouble()));
        } else {
            int now = lruClock;
            // a read that changes nothing writes nothing: readers on other cores keep the line shared
            if (t.accessAt(slot) != now) t.setAccess(slot, now);
        }
    }

    /** Stamps a written entry: a new one starts afresh, an overwritten one counts an access. */
    public void stamp(KeyTable t, int slot, boolean fresh) {
        if (lfu && fresh) t.setAccess(slot, Lfu.fresh(lruClock));
        else touch(t, slot);
    }

    public Db db(int index) { return dbs[index]; }

    public int stripes() { return locks.length; }

    public Clock clock() { return clock; }

    /** Compact-encoding thresholds (CONFIG SET hash-max-listpack-entries, ...). */
    public Encodings encodings() { return encodings; }

    public ExpiryListener expiryListener() { return expiryListener; }

    public void expiryListener(ExpiryListener l) { expiryListener = l; }

    /** Seconds clock for access times, advanced by the owner's periodic tick (no clock read on the hot path). */
    public int lruClock() { return lruClock; }

    private volatile boolean expiryPaused;

    /**
     * While paused, keys past their TTL stay live on access and are not collected: a journal
     * replay (or a replica) applies frames whose effects already include every expiry as an
     * explicit DEL, so expiring on its own would add writes the history does not have.
     */
    public void pauseExpiry(boolean paused) { expiryPaused = paused; }

    public boolean expiryPaused() { return expiryPaused; }

    private volatile boolean hideExpired;
    private static final ThreadLocal<Boolean> APPLIER = ThreadLocal.withInitial(() -> Boolean.FALSE);

    /**
     * A replica's reads: with expiry paused, a key whose time has passed is still stored (the
     * upstream's DEL removes it) but reads treat it as absent, as Redis replicas do. The thread
     * that applies the upstream's frames ({@link #markApplierThread}) still sees it, so applying
     * never depends on this node's clock.
     */
    public void hideExpired(boolean on) { hideExpired = on; }

    /** Marks the calling thread as the one applying an upstream's frames (see {@link #hideExpired}). */
    public static void markApplierThread() { APPLIER.set(Boolean.TRUE); }

    /** True when a read on this thread must treat an expired key as absent without deleting it. */
    boolean hidesExpired() { return hideExpired && !APPLIER.get(); }

    public void tick(long nowMillis) { lruClock = (int) (nowMillis / 1000); }

    public int stripeOf(byte[] key) {
        return stripeShift == 32 ? 0 : Hashing.hash(key) >>> stripeShift;
    }

    public void lockStripe(int s) {
        ReentrantLock l = locks[s];
        l.lock();
        if (l.getHoldCount() == 1) enter(s);
    }

    public void unlockStripe(int s) {
        ReentrantLock l = locks[s];
        if (l.getHoldCount() == 1) leave(s);
        l.unlock();
    }

    /** Takes stripe {@code s}'s lock only if it is free now (background work that must not wait). */
    public boolean tryLockStripe(int s) {
        ReentrantLock l = locks[s];
        if (!l.tryLock()) return false;
        if (l.getHoldCount() == 1) enter(s);
        return true;
    }

    // ---- optimistic reads (a sequence lock beside each stripe lock) ----------------------

    private static final java.lang.invoke.VarHandle SEQ = java.lang.invoke.MethodHandles.arrayElementVarHandle(long[].class);
    private static final int SEQ_PAD = 16;         // one 128-byte span per stripe: no false sharing
    private final long[] seq;

    /** The owner of stripe {@code s}'s lock may now change it: the sequence goes odd. */
    private void enter(int s) {
        int i = s * SEQ_PAD;
        SEQ.setVolatile(seq, i, (long) SEQ.getVolatile(seq, i) + 1);
        java.lang.invoke.VarHandle.storeStoreFence();
    }

    /** The changes are done: the sequence goes even again (release: they are visible first). */
    private void leave(int s) {
        int i = s * SEQ_PAD;
        SEQ.setRelease(seq, i, (long) SEQ.getVolatile(seq, i) + 1);
    }

    /**
     * Starts an optimistic read of stripe {@code s} without its lock: a stamp to pass to
     * {@link #validate}, or -1 when someone holds the lock now (take it instead).
     */
    public long optimisticRead(int s) {
        long v = (long) SEQ.getAcquire(seq, s * SEQ_PAD);
        return (v & 1) == 0 ? v : -1;
    }

    /** True when nothing took stripe {@code s}'s lock since {@code stamp}: what was read is consistent. */
    public boolean validate(int s, long stamp) {
        java.lang.invoke.VarHandle.loadLoadFence();
        return (long) SEQ.getAcquire(seq, s * SEQ_PAD) == stamp;
    }

    /** Locks the distinct stripes among {@code stripes[0..n)}, which must be sorted ascending. */
    public void lockStripes(int[] stripes, int n) {
        int prev = -1;
        for (int i = 0; i < n; i++) {
            if (stripes[i] != prev) lockStripe(stripes[i]);
            prev = stripes[i];
        }
    }

    public void unlockStripes(int[] stripes, int n) {
        int prev = -1;
        for (int i = 0; i < n; i++) {
            if (stripes[i] != prev) unlockStripe(stripes[i]);
            prev = stripes[i];
        }
    }

    public void lockAll() { for (int i = 0; i < locks.length; i++) lockStripe(i); }

    public void unlockAll() { for (int i = locks.length - 1; i >= 0; i--) unlockStripe(i); }

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
        if (expiryPaused) return 0;
        long seen = 0, expired = 0;
        for (Db db : dbs) {
            long r = db.stripeTable(s).expireStep(now, maxSlotsPerTable, db.index(), expiryListener);
            seen += r >>> 32;
            expired += r & 0xffffffffL;
        }
        return (seen << 32) | expired;
    }
}
