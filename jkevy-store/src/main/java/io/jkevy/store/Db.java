package io.jkevy.store;

import java.util.function.Consumer;

/**
 * One of the numbered databases. Its keys are spread over the keyspace's stripes: stripe
 * {@code s} of every database is guarded by the same lock, so a key keeps its stripe when it
 * moves between databases (MOVE) and whole databases can be swapped under all locks.
 *
 * <p>Every method assumes the caller holds the stripe lock of each key it passes (see
 * {@link Keyspace}); whole-database methods ({@link #size()}, {@link #clear()},
 * {@link #scan}) assume all locks, or accept a racy answer where noted.
 */
public final class Db {
    private int index;
    private final KeyTable[] tables;
    private final int shift;
    private final Keyspace keyspace;

    Db(int index, int stripes, Keyspace keyspace) {
        this.index = index;
        this.tables = new KeyTable[stripes];
        for (int i = 0; i < stripes; i++) tables[i] = new KeyTable(keyspace.memoryMeter());
        this.shift = 32 - Integer.numberOfTrailingZeros(stripes);
        this.keyspace = keyspace;
    }

    public int index() { return index; }

    void index(int i) { index = i; }

    private KeyTable table(int h) { return shift == 32 ? tables[0] : tables[h >>> shift]; }

    /** Table and slot of a live key, lazily expiring a dead one; -1 slot when absent. */
    private int live(KeyTable t, byte[] key, int h) {
        int slot = t.find(key, h);
        if (slot < 0) return -1;
        long at = t.expireAt(slot);
        if (at != 0 && at <= keyspace.clock().millis()) {
            if (!keyspace.expiryPaused()) {
                byte[] k = t.keyAt(slot);
                t.removeAt(slot);
                keyspace.expiryListener().expired(index, k);
                return -1;
            }
            if (keyspace.hidesExpired()) return -1;       // a replica's read: logically gone
        }
        return slot;
    }

    /** The live value of {@code key} (touching its access time), or null. */
    public Object get(byte[] key) {
        int h = Hashing.hash(key);
        KeyTable t = table(h);
        int slot = live(t, key, h);
        if (slot < 0) return null;
        keyspace.touch(t, slot);
        return t.valueAt(slot);
    }

    /** {@link #readOptimistic}'s answer when the read must be done under the lock instead. */
    public static final Object RETRY = new Object();

    /**
     * A GET's lookup without the stripe lock, for callers that validate it with
     * {@link Keyspace#optimisticRead} / {@link Keyspace#validate}: the value (not copied, and only
     * meaningful once validated), null when absent, or {@link #RETRY} when the read has to
     * change something (lazy expiry, the access time, LFU) or saw the table mid-change.
     */
    public Object readOptimistic(byte[] key, long nowMillis) {
        try {
            int h = Hashing.hash(key);
            KeyTable t = table(h);
            int slot = t.findBounded(key, h);
            if (slot == -2) return RETRY;
            if (slot < 0) return null;
            long at = t.expireAt(slot);
            if (at != 0 && at <= nowMillis) return RETRY;
            if (keyspace.lfu() || t.accessAt(slot) != keyspace.lruClock()) return RETRY;
            return t.valueAt(slot);
        } catch (RuntimeException concurrentChange) {
            return RETRY;
        }
    }

    /** Like {@link #get} but leaves the access time alone (OBJECT, TYPE-like peeks). */
    public Object peek(byte[] key) {
        int h = Hashing.hash(key);
        KeyTable t = table(h);
        int slot = live(t, key, h);
        return slot < 0 ? null : t.valueAt(slot);
    }

    public boolean exists(byte[] key) {
        int h = Hashing.hash(key);
        return live(table(h), key, h) >= 0;
    }

    /** Absolute expiry (unix ms) of a live key, 0 when it has none, -1 when absent. */
    public long expireAt(byte[] key) {
        int h = Hashing.hash(key);
        KeyTable t = table(h);
        int slot = live(t, key, h);
        return slot < 0 ? -1 : t.expireAt(slot);
    }

    /** Version (journal offset of the last write) of a live key, 0 when absent. */
    public long version(byte[] key) {
        int h = Hashing.hash(key);
        KeyTable t = table(h);
        int slot = live(t, key, h);
        return slot < 0 ? 0 : t.versionAt(slot);
    }

    /** {@link #peekVersion}: no entry for the key. */
    public static final long ABSENT = -1;
    /** {@link #peekVersion}: an entry past its TTL that nothing has collected yet. */
    public static final long EXPIRED = -2;

    /**
     * The version of {@code key} without collecting it when it has expired (WATCH must not
     * delete what it looks at): its version when live, {@link #ABSENT} or {@link #EXPIRED}.
     */
    public long peekVersion(byte[] key) {
        int h = Hashing.hash(key);
        KeyTable t = table(h);
        int slot = t.find(key, h);
        if (slot < 0) return ABSENT;
        long at = t.expireAt(slot);
        if (at != 0 && at <= keyspace.clock().millis()) return EXPIRED;
        return t.versionAt(slot);
    }

    /** Seconds of the LRU clock when the key was last read or written, -1 when absent. */
    public int accessTime(byte[] key) {
        int h = Hashing.hash(key);
        KeyTable t = table(h);
        int slot = live(t, key, h);
        return slot < 0 ? -1 : t.accessAt(slot);
    }

    /** Stores {@code value} with the given expiry (0 = none), replacing any entry. */
    public void put(byte[] key, Object value, long expireAt) {
        int h = Hashing.hash(key);
        KeyTable t = table(h);
        int before = t.size();
        int slot = t.insert(key, h);
        t.setValue(slot, value);
        t.setExpire(slot, expireAt);
        keyspace.stamp(t, slot, t.size() != before);
    }

    /** Stores {@code value} and clears any TTL, as a plain SET does. */
    public void put(byte[] key, Object value) { put(key, value, 0); }

    /**
     * Replaces the value of {@code key} keeping its TTL (KEEPTTL, APPEND, INCR, ...). A key
     * that is absent or expired is created without a TTL.
     */
    public void putKeepTtl(byte[] key, Object value) {
        int h = Hashing.hash(key);
        KeyTable t = table(h);
        int slot = live(t, key, h);
        boolean fresh = slot < 0;
        if (fresh) slot = t.insert(key, h);
        t.setValue(slot, value);
        keyspace.stamp(t, slot, fresh);
    }

    /** Removes a live key; false when it was absent (or had just expired). */
    public boolean remove(byte[] key) {
        int h = Hashing.hash(key);
        KeyTable t = table(h);
        int slot = live(t, key, h);
        if (slot < 0) return false;
        t.removeAt(slot);
        return true;
    }

    /** Sets (at > 0) or clears (at == 0) the TTL of a live key; false when absent. */
    public boolean setExpire(byte[] key, long at) {
        int h = Hashing.hash(key);
        KeyTable t = table(h);
        int slot = live(t, key, h);
        if (slot < 0) return false;
        t.setExpire(slot, at);
        return true;
    }

    /**
     * After a write command: records the journal offset that last wrote {@code key} and
     * re-estimates its size (its value may have changed in place); ignored when absent.
     */
    public void committed(byte[] key, long version) {
        int h = Hashing.hash(key);
        KeyTable t = table(h);
        int slot = t.find(key, h);
        if (slot >= 0) {
            t.setVersion(slot, version);
            t.measure(slot);
        }
    }

    /** Re-estimates the size of {@code key}'s entry (its value changed in place); ignored when absent. */
    public void remeasure(byte[] key) {
        int h = Hashing.hash(key);
        KeyTable t = table(h);
        int slot = t.find(key, h);
        if (slot >= 0) t.measure(slot);
    }

    /** The recorded size estimate of a live key's entry (key and value), -1 when absent. */
    public long recordedSize(byte[] key) {
        int h = Hashing.hash(key);
        KeyTable t = table(h);
        int slot = live(t, key, h);
        return slot < 0 ? -1 : t.sizeAt(slot);
    }

    /** Estimated bytes of keys and values in this database (racy without the locks). */
    public long entryBytes() {
        long n = 0;
        for (KeyTable t : tables) n += t.entryBytes();
        return n;
    }

    /** Estimated bytes of this database's slot arrays (racy without the locks). */
    public long tableBytes() {
        long n = 0;
        for (KeyTable t : tables) n += t.arrayBytes();
        return n;
    }

    /** Records the journal offset that last wrote {@code key}; ignored when absent. */
    public void setVersion(byte[] key, long version) {
        int h = Hashing.hash(key);
        KeyTable t = table(h);
        int slot = t.find(key, h);
        if (slot >= 0) t.setVersion(slot, version);
    }

    /** Keys in the database, expired-but-not-yet-collected ones included (as Redis's DBSIZE). */
    public long size() {
        long n = 0;
        for (KeyTable t : tables) n += t.size();
        return n;
    }

    public long volatileSize() {
        long n = 0;
        for (KeyTable t : tables) n += t.volatileCount();
        return n;
    }

    public void clear() { for (KeyTable t : tables) t.clear(); }

    /**
     * One SCAN step over the whole database. The cursor keeps the stripe in its low
     * {@code stripeBits} bits and the table's reverse-binary cursor above them. Expired keys
     * are skipped (not collected). Returns the next cursor, 0 when done.
     */
    public long scan(long cursor, int count, Consumer<byte[]> visit) {
        int bits = 32 - shift;
        int stripe = (int) (cursor & ((1L << bits) - 1));
        long inner = cursor >>> bits;
        if (stripe >= tables.length) return 0;
        long now = keyspace.clock().millis();
        int[] given = {0};
        while (true) {
            KeyTable t = tables[stripe];
            inner = t.scan(inner, Math.max(1, count - given[0]), (tab, slot) -> {
                long at = tab.expireAt(slot);
                if (at == 0 || at > now) visit.accept(tab.keyAt(slot));
                given[0]++;
            });
            if (inner == 0) {
                stripe++;
                if (stripe == tables.length) return 0;
            }
            if (given[0] >= count) return (inner << bits) | stripe;
        }
    }

    /** A random live key or null; {@code r} supplies randomness (a seedable source). */
    public byte[] randomKey(java.util.function.IntSupplier r) {
        long now = keyspace.clock().millis();
        for (int attempt = 0; attempt < 100; attempt++) {
            if (size() == 0) return null;
            KeyTable t = tables[Math.floorMod(r.getAsInt(), tables.length)];
            if (t.size() == 0) continue;
            int slot = t.randomSlot(r.getAsInt());
            long at = t.expireAt(slot);
            if (at != 0 && at <= now) {
                byte[] k = t.keyAt(slot);
                t.removeAt(slot);
                keyspace.expiryListener().expired(index, k);
                continue;
            }
            return t.keyAt(slot);
        }
        return null;
    }

    /** The table of stripe {@code s}: for active expiry and snapshot iteration. */
    public KeyTable stripeTable(int s) { return tables[s]; }
}
