package io.jkevy.store;

import java.util.Arrays;
import java.util.function.ObjIntConsumer;

/**
 * One stripe of one database: an open-addressing hash table with linear probing and
 * parallel arrays, so an entry costs array slots rather than an object.
 *
 * <p>Per slot: key reference, value reference, version (the journal offset of the last
 * write), access time (seconds, for OBJECT IDLETIME; the LFU counter under an LFU policy),
 * the entry's recorded size estimate and, only once some key in the table has a TTL, an
 * expiry time. With compressed references that is 24 bytes per slot (32 with TTLs) at a
 * load factor between 3/8 and 3/4.
 *
 * <p>Memory accounting: {@link #setValue} and {@link #measure} record the entry's estimated
 * footprint (key array plus {@link Heap#valueBytes}) in its slot, in 8-byte units, and add
 * the difference to this table's and the {@link MemoryMeter}'s totals; removal subtracts the
 * recorded figure, so the totals return exactly to where they were however a value changed
 * in between. The slot arrays are counted as table bytes at every (re)allocation.
 *
 * <p>Deletion shifts the following cluster back (no tombstones), so a lookup never walks
 * over dead slots. An element never leaves the probe run that starts at its home slot,
 * which is what {@link #scan} relies on: it walks home slots in reverse-binary order, as
 * Redis's dictScan does, so a key present for a whole scan is returned at least once even
 * across resizes.
 *
 * <p>Not thread-safe: the owner holds the stripe lock.
 */
public final class KeyTable {
    static final int MIN_CAPACITY = 8;

    private byte[][] keys;
    private Object[] vals;
    private long[] versions;
    private int[] access;
    private long[] expires;          // null until the first TTL; 0 = no TTL
    private int[] sizes;              // recorded footprint of each entry, in 8-byte units
    private long entryBytes;          // sum of sizes, in bytes
    private long arrayBytes;          // the slot arrays
    private final MemoryMeter meter;
    private int size;
    private int volatileCount;
    private int mask;
    private int expireHand;           // clock hand of the active expiry cycle

    public KeyTable() { this(new MemoryMeter()); }

    public KeyTable(MemoryMeter meter) {
        this.meter = meter;
        allocate(MIN_CAPACITY);
    }

    private void allocate(int cap) {
        keys = new byte[cap][];
        vals = new Object[cap];
        versions = new long[cap];
        access = new int[cap];
        sizes = new int[cap];
        expires = volatileCount > 0 ? new long[cap] : null;
        mask = cap - 1;
        countArrays();
    }

    private void countArrays() {
        int cap = keys.length;
        long b = 2 * Heap.refs(cap) + Heap.longs(cap) + 2 * Heap.ints(cap) + (expires == null ? 0 : Heap.longs(cap));
        meter.tables.add(b - arrayBytes);
        arrayBytes = b;
    }

    /** Estimated bytes of this table's keys and values. */
    public long entryBytes() { return entryBytes; }

    /** Estimated bytes of this table's slot arrays. */
    public long arrayBytes() { return arrayBytes; }

    /** The recorded footprint of the entry in {@code slot} (key, value; not the slot). */
    public long sizeAt(int slot) { return (long) sizes[slot] << 3; }

    /**
     * Re-estimates the entry in {@code slot} (after its value changed in place) and adjusts
     * the totals by the difference. Cost: O(1) for strings and packed encodings, a bounded
     * sample for large structures.
     */
    public void measure(int slot) {
        Object v = vals[slot];
        long b = Heap.bytes(keys[slot].length) + (v == null ? 0 : Heap.valueBytes(v, Heap.ACCOUNTING_SAMPLES));
        int units = (int) Math.min(Integer.MAX_VALUE, (b + 7) >>> 3);
        long d = ((long) units - sizes[slot]) << 3;
        if (d != 0) {
            sizes[slot] = units;
            entryBytes += d;
            meter.entries.add(d);
        }
    }

    public int size() { return size; }

    public int volatileCount() { return volatileCount; }

    public int capacity() { return mask + 1; }

    /** The slot holding {@code key}, or -1. {@code h} is {@link Hashing#hash(byte[])} of it. */
    public int find(byte[] key, int h) {
        final byte[][] ks = keys;
        final int m = mask;
        for (int i = h & m; ; i = (i + 1) & m) {
            byte[] k = ks[i];
            if (k == null) return -1;
            if (k == key || (k.length == key.length && Arrays.equals(k, key))) return i;
        }
    }

    /** {@link #find} for a reader without the lock: -2 when the probe runs longer than the table (it changed under it). */
    public int findBounded(byte[] key, int h) {
        final byte[][] ks = keys;
        final int m = ks.length - 1;
        for (int i = h & m, n = 0; n <= m; i = (i + 1) & m, n++) {
            byte[] k = ks[i];
            if (k == null) return -1;
            if (k == key || (k.length == key.length && Arrays.equals(k, key))) return i;
        }
        return -2;
    }

    public byte[] keyAt(int slot) { return keys[slot]; }

    public Object valueAt(int slot) { return vals[slot]; }

    public long versionAt(int slot) { return versions[slot]; }

    public int accessAt(int slot) { return access[slot]; }

    /** Absolute expiry in unix milliseconds, or 0 for none. */
    public long expireAt(int slot) { return expires == null ? 0 : expires[slot]; }

    /** Stores the value of the entry in {@code slot} and records its size estimate. */
    public void setValue(int slot, Object value) {
        vals[slot] = value;
        measure(slot);
    }

    public void setVersion(int slot, long version) { versions[slot] = version; }

    public void setAccess(int slot, int seconds) { access[slot] = seconds; }

    /** Sets (or with 0 clears) the expiry of the entry in {@code slot}. */
    public void setExpire(int slot, long at) {
        if (expires == null) {
            if (at == 0) return;
            expires = new long[keys.length];
            countArrays();
        }
        long old = expires[slot];
        if (old == 0 && at != 0) volatileCount++;
        else if (old != 0 && at == 0) volatileCount--;
        expires[slot] = at;
    }

    /**
     * Inserts {@code key} (or finds it) and returns its slot; a new entry has no value,
     * version 0 and no TTL until the caller sets them. The returned slot stays valid until
     * the next insert or removal.
     */
    public int insert(byte[] key, int h) {
        if (size + 1 > ((mask + 1) >> 2) * 3) resize((mask + 1) << 1);
        final byte[][] ks = keys;
        final int m = mask;
        int i = h & m;
        for (; ; i = (i + 1) & m) {
            byte[] k = ks[i];
            if (k == null) break;
            if (k == key || (k.length == key.length && Arrays.equals(k, key))) return i;
        }
        ks[i] = key;
        size++;
        return i;
    }

    /** Removes the entry in {@code slot}, shifting its cluster back so no tombstone remains. */
    public void removeAt(int slot) {
        if (expires != null && expires[slot] != 0) volatileCount--;
        long freed = (long) sizes[slot] << 3;
        if (freed != 0) {
            entryBytes -= freed;
            meter.entries.add(-freed);
        }
        final int m = mask;
        int hole = slot;
        for (int j = (slot + 1) & m; ; j = (j + 1) & m) {
            byte[] k = keys[j];
            if (k == null) break;
            int home = Hashing.hash(k) & m;
            // move j into the hole when its home is not cyclically within (hole, j]
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                moveSlot(j, hole);
                hole = j;
            }
        }
        keys[hole] = null;
        vals[hole] = null;
        versions[hole] = 0;
        access[hole] = 0;
        sizes[hole] = 0;
        if (expires != null) expires[hole] = 0;
        size--;
        if (size * 8 < mask + 1 && mask + 1 > MIN_CAPACITY * 2) resize((mask + 1) >> 1);
    }

    private void moveSlot(int from, int to) {
        keys[to] = keys[from];
        vals[to] = vals[from];
        versions[to] = versions[from];
        access[to] = access[from];
        sizes[to] = sizes[from];
        if (expires != null) expires[to] = expires[from];
    }

    private void resize(int cap) {
        byte[][] oks = keys;
        Object[] ovs = vals;
        long[] overs = versions;
        int[] oacc = access;
        int[] osz = sizes;
        long[] oexp = expires;
        allocate(Math.max(cap, MIN_CAPACITY));
        final int m = mask;
        for (int s = 0; s < oks.length; s++) {
            byte[] k = oks[s];
            if (k == null) continue;
            int i = Hashing.hash(k) & m;
            while (keys[i] != null) i = (i + 1) & m;
            keys[i] = k;
            vals[i] = ovs[s];
            versions[i] = overs[s];
            access[i] = oacc[s];
            sizes[i] = osz[s];
            if (expires != null && oexp != null) expires[i] = oexp[s];
        }
    }

    public void clear() {
        meter.entries.add(-entryBytes);
        entryBytes = 0;
        size = 0;
        volatileCount = 0;
        expireHand = 0;
        allocate(MIN_CAPACITY);
    }

    /** A random occupied slot, or -1 when empty. {@code r} is any random int. */
    public int randomSlot(int r) {
        if (size == 0) return -1;
        final int m = mask;
        for (int i = r & m; ; i = (i + 1) & m) {
            if (keys[i] != null) return i;
        }
    }

    /**
     * One SCAN step: visits every entry whose home slot is {@code cursor} (in reverse-binary
     * order) until at least {@code count} entries were given to {@code visit}, and returns the
     * next cursor (0 when the table has been covered).
     */
    public long scan(long cursor, int count, ObjIntConsumer<KeyTable> visit) {
        if (size == 0) return 0;
        int m = mask;
        long v = cursor & m;
        int given = 0;
        do {
            given += visitHome((int) v, m, visit);
            // reverse-binary increment over the bits of the mask
            // the bits above the mask are set so the carry runs through them; when every
            // mask bit was already 1 the carry leaves the word and v becomes 0: covered.
            v |= ~(long) m;
            v = Long.reverse(v);
            v++;
            v = Long.reverse(v);
        } while (v != 0 && given < count);
        return v;
    }

    private int visitHome(int home, int m, ObjIntConsumer<KeyTable> visit) {
        int n = 0;
        for (int i = home; ; i = (i + 1) & m) {
            byte[] k = keys[i];
            if (k == null) break;
            if ((Hashing.hash(k) & m) == home) {
                visit.accept(this, i);
                n++;
            }
            if (((i + 1) & m) == home) break;   // full circle (cannot happen below load 1)
        }
        return n;
    }

    /** Calls {@code visit} for every occupied slot (no mutation allowed meanwhile). */
    public void forEach(ObjIntConsumer<KeyTable> visit) {
        for (int i = 0; i < keys.length; i++) if (keys[i] != null) visit.accept(this, i);
    }

    /**
     * One bounded step of active expiry: advances a clock hand over at most {@code maxSlots}
     * slots and removes entries whose TTL is at or before {@code now}, reporting each to
     * {@code listener}. Returns {@code {volatileSeen, expired}} packed as
     * {@code seen << 32 | expired}.
     */
    public long expireStep(long now, int maxSlots, int db, ExpiryListener listener) {
        if (volatileCount == 0 || expires == null) return 0;
        int seen = 0, expired = 0;
        int steps = Math.min(maxSlots, mask + 1);
        int i = expireHand & mask;
        for (int s = 0; s < steps; s++) {
            long at = expires[i];
            if (keys[i] != null && at != 0) {
                seen++;
                if (at <= now) {
                    byte[] k = keys[i];
                    int cap = mask + 1;
                    removeAt(i);
                    listener.expired(db, k);
                    expired++;
                    if (volatileCount == 0 || cap != mask + 1) break;   // done, or resized
                    // the shift may have moved an unvisited entry into slot i: look at it again
                    i &= mask;
                    continue;
                }
            }
            i = (i + 1) & mask;
        }
        expireHand = i;
        return ((long) seen << 32) | expired;
    }
}
