package io.jkevy.store.type.zset;

import java.util.Arrays;

/**
 * The member→score map of the large sorted-set encoding: open addressing with linear probing
 * over three parallel arrays (member, cached hash, score), so a lookup allocates nothing and a
 * miss rarely touches a member's bytes. Deletion shifts later entries of the probe run back
 * (no tombstones). The table doubles past 3/4 full and halves under 1/8 full (never below
 * {@link #MIN_CAP}).
 *
 * <p>Member arrays are stored as given and never mutated (the {@link OrderTree} shares them).
 */
final class ScoreMap {
    private static final int MIN_CAP = 16;

    /** Slots in the table (memory estimates). */
    int capacity() { return keys.length; }

    /** {heap bytes of the first {@code samples} members found (all when 0), how many that was}. */
    long[] sampleMembers(int samples) {
        long bytes = 0, seen = 0;
        for (byte[] k : keys) {
            if (k == null) continue;
            bytes += io.jkevy.store.Heap.bytes(k.length);
            if (++seen == samples) break;
        }
        return new long[] {bytes, seen};
    }

    private byte[][] keys;
    private int[] hashes;
    private double[] vals;
    private int size;

    ScoreMap(int expected) {
        int cap = MIN_CAP;
        while (cap * 3 / 4 < expected) cap <<= 1;
        alloc(cap);
    }

    private void alloc(int cap) {
        keys = new byte[cap][];
        hashes = new int[cap];
        vals = new double[cap];
    }

    int size() { return size; }

    /** The keyspace's hash: members are user-chosen, so no {@code Arrays.hashCode} (trivially colliding). */
    static int hash(byte[] m) { return io.jkevy.store.Hashing.hash(m); }

    /** Slot of the member, or -1 when absent. */
    int find(byte[] m) {
        int h = hash(m);
        int mask = keys.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            byte[] k = keys[i];
            if (k == null) return -1;
            if (hashes[i] == h && Arrays.equals(k, m)) return i;
        }
    }

    /** The member's score, or NaN when absent. */
    double get(byte[] m) {
        int i = find(m);
        return i < 0 ? Double.NaN : vals[i];
    }

    byte[] keyAt(int slot) { return keys[slot]; }

    double valAt(int slot) { return vals[slot]; }

    void setVal(int slot, double v) { vals[slot] = v; }

    /** Adds a member that is absent (callers check with {@link #find} first). */
    void add(byte[] m, double v) {
        if ((size + 1) * 4 > keys.length * 3) resize(keys.length * 2);
        int h = hash(m);
        int mask = keys.length - 1;
        int i = h & mask;
        while (keys[i] != null) i = (i + 1) & mask;
        keys[i] = m;
        hashes[i] = h;
        vals[i] = v;
        size++;
    }

    /** Removes the member; returns its score, or NaN when it was absent. */
    double remove(byte[] m) {
        int i = find(m);
        if (i < 0) return Double.NaN;
        double v = vals[i];
        removeSlot(i);
        if (size * 8 < keys.length && keys.length > MIN_CAP) resize(keys.length / 2);
        return v;
    }

    private void removeSlot(int i) {
        int mask = keys.length - 1;
        // backward-shift: move later members of the run into the hole when their home allows it
        for (int j = (i + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
            int home = hashes[j] & mask;
            // j's entry may fill hole i unless its home lies cyclically in (i, j]
            boolean homeInRange = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!homeInRange) {
                keys[i] = keys[j];
                hashes[i] = hashes[j];
                vals[i] = vals[j];
                i = j;
            }
        }
        keys[i] = null;
        size--;
    }

    private void resize(int cap) {
        byte[][] ok = keys;
        int[] oh = hashes;
        double[] ov = vals;
        alloc(cap);
        int mask = cap - 1;
        for (int j = 0; j < ok.length; j++) {
            if (ok[j] == null) continue;
            int i = oh[j] & mask;
            while (keys[i] != null) i = (i + 1) & mask;
            keys[i] = ok[j];
            hashes[i] = oh[j];
            vals[i] = ov[j];
        }
    }

    /** A copy with its own tables sharing the member arrays. */
    ScoreMap copy() {
        ScoreMap c = new ScoreMap(0);
        c.keys = keys.clone();
        c.hashes = hashes.clone();
        c.vals = vals.clone();
        c.size = size;
        return c;
    }
}
