package io.jkevy.store.type.set;

import io.jkevy.store.Hashing;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * The "hashtable" encoding of a set: open addressing with linear probing over a
 * power-of-two array of members, with each member's hash cached beside it (so resizes and
 * backward-shift deletions never rehash a member).
 *
 * <p>Load factor is kept in [1/8, 3/4] (except at the minimum capacity), which bounds both
 * probe lengths and the expected number of draws of {@link #random}'s rejection sampling
 * (at most 8).
 *
 * <p>Deletion shifts the rest of the cluster back (no tombstones), and a member never leaves
 * the probe run that starts at its home slot, which is what {@link #scan} relies on: it
 * visits home slots in reverse-binary order (as Redis's dictScan), so a member present for
 * the whole of an SSCAN iteration is returned at least once even across resizes.
 *
 * <p>Not thread-safe; the caller holds the key's stripe lock.
 */
final class MemberTable {
    static final int MIN_CAPACITY = 8;

    private byte[][] members;
    private int[] hashes;
    private int size;
    private int mask;

    MemberTable(int expected) {
        int cap = MIN_CAPACITY;
        // smallest power of two that holds `expected` below the 3/4 load bound
        while (cap / 4 * 3 < expected && cap < (1 << 30)) cap <<= 1;
        members = new byte[cap][];
        hashes = new int[cap];
        mask = cap - 1;
    }

    int size() { return size; }

    int capacity() { return mask + 1; }

    /** The object, its member and hash arrays, and the (sampled) member byte arrays. */
    long memoryBytes(int samples) {
        return io.jkevy.store.Heap.object(16) + io.jkevy.store.Heap.refs(members.length)
                + io.jkevy.store.Heap.ints(hashes.length)
                + io.jkevy.store.Heap.tableElements(members, null, size, samples);
    }

    private int find(byte[] m, int h) {
        final byte[][] ms = members;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            byte[] k = ms[i];
            if (k == null) return -1;
            if (hashes[i] == h && Arrays.equals(k, m)) return i;
        }
    }

    boolean contains(byte[] m) { return find(m, Hashing.hash(m)) >= 0; }

    /** Adds {@code m} (kept by reference: the caller must not mutate it); false if present. */
    boolean add(byte[] m) {
        int h = Hashing.hash(m);
        if (find(m, h) >= 0) return false;
        if (size + 1 > (mask + 1) / 4 * 3) resize((mask + 1) << 1);
        int i = h & mask;
        while (members[i] != null) i = (i + 1) & mask;
        members[i] = m;
        hashes[i] = h;
        size++;
        return true;
    }

    boolean remove(byte[] m) {
        int slot = find(m, Hashing.hash(m));
        if (slot < 0) return false;
        removeAt(slot);
        return true;
    }

    private void removeAt(int slot) {
        final int m = mask;
        int hole = slot;
        for (int j = (slot + 1) & m; members[j] != null; j = (j + 1) & m) {
            int home = hashes[j] & m;
            // j may fill the hole only when its home is not cyclically within (hole, j]
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                members[hole] = members[j];
                hashes[hole] = hashes[j];
                hole = j;
            }
        }
        members[hole] = null;
        hashes[hole] = 0;
        size--;
        if (size * 8 < mask + 1 && mask + 1 > MIN_CAPACITY) resize((mask + 1) >> 1);
    }

    private void resize(int cap) {
        byte[][] oms = members;
        int[] ohs = hashes;
        members = new byte[cap][];
        hashes = new int[cap];
        mask = cap - 1;
        for (int s = 0; s < oms.length; s++) {
            if (oms[s] == null) continue;
            int i = ohs[s] & mask;
            while (members[i] != null) i = (i + 1) & mask;
            members[i] = oms[s];
            hashes[i] = ohs[s];
        }
    }

    /** A uniformly chosen member (rejection sampling over slots), or null when empty. */
    byte[] random(IntSupplier rnd) {
        if (size == 0) return null;
        while (true) {
            byte[] m = members[rnd.getAsInt() & mask];
            if (m != null) return m;
        }
    }

    /** Removes and returns a uniformly chosen member, or null when empty. */
    byte[] popRandom(IntSupplier rnd) {
        if (size == 0) return null;
        while (true) {
            int i = rnd.getAsInt() & mask;
            byte[] m = members[i];
            if (m != null) {
                removeAt(i);
                return m;
            }
        }
    }

    void forEach(Consumer<byte[]> visit) {
        for (byte[] m : members) if (m != null) visit.accept(m);
    }

    /**
     * One SSCAN step: visits the members of home slots in reverse-binary order from
     * {@code cursor} until at least {@code count} were visited or the table was covered;
     * returns the next cursor (0 = done).
     */
    long scan(long cursor, long count, Consumer<byte[]> visit) {
        if (size == 0) return 0;
        final int m = mask;
        long v = cursor & m;
        long given = 0;
        do {
            given += visitHome((int) v, m, visit);
            // bits above the mask are set so the reverse-binary carry runs through them;
            // it leaves the word (v == 0) once every home slot was visited
            v |= ~(long) m;
            v = Long.reverse(Long.reverse(v) + 1);
        } while (v != 0 && given < count);
        return v;
    }

    private int visitHome(int home, int m, Consumer<byte[]> visit) {
        int n = 0;
        for (int i = home; members[i] != null; i = (i + 1) & m) {
            if ((hashes[i] & m) == home) {
                visit.accept(members[i]);
                n++;
            }
            if (((i + 1) & m) == home) break;
        }
        return n;
    }

    MemberTable copy() {
        MemberTable t = new MemberTable(0);
        t.members = members.clone();   // members are immutable once stored, sharing is safe
        t.hashes = hashes.clone();
        t.size = size;
        t.mask = mask;
        return t;
    }
}
