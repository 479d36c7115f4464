package io.jkevy.store.type.hash;

import io.jkevy.store.Hashing;
import io.jkevy.store.TypedValue;
import io.jkevy.store.ValueType;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A Redis hash: field → value, both binary strings.
 *
 * <p>Two representations, as in Redis. Small hashes are <b>packed</b> ("listpack"): one
 * exact-size {@code byte[]} holding the pairs back to back, each string as an unsigned LEB128
 * length followed by its bytes (field, value, field, value...), in insertion order; lookups
 * are linear scans, which for at most {@code hash-max-listpack-entries} pairs is cheaper than
 * hashing and costs ~2 bytes of overhead per pair. Past the thresholds the hash converts for
 * good to a <b>table</b> ("hashtable"): open addressing with linear probing over two parallel
 * arrays of {@code byte[]} (no entry objects, no stored hashes), power-of-two capacity, load
 * kept in (1/8, 3/4], deletion by backward shift (no tombstones).
 *
 * <p>Positions ("tokens") let callers iterate and sample without allocation: in packed form a
 * token is the byte offset of a pair's field, in table form a slot index. Tokens are valid
 * only until the next write.
 *
 * <p>Byte arrays handed to {@link #set} may be kept by reference (table form) and are never
 * written to afterwards; arrays returned are fresh (packed) or stored ones (table) and must
 * not be modified by callers. Not thread-safe: the caller holds the key's stripe lock.
 */
public final class HashValue implements TypedValue {
    /** Packed pairs, or null once converted to the table. */
    private byte[] packed;
    /** Number of pairs (both forms). */
    private int size;
    /** Table form: fields[i] == null marks a free slot; values[i] is its value. */
    private byte[][] fields;
    private byte[][] values;

    private static final byte[] EMPTY = new byte[0];
    private static final int MIN_TABLE = 8;

    public HashValue() { this.packed = EMPTY; }

    private HashValue(byte[] packed, int size, byte[][] fields, byte[][] values) {
        this.packed = packed;
        this.size = size;
        this.fields = fields;
        this.values = values;
    }

    @Override public ValueType type() { return ValueType.HASH; }

    @Override public String encoding() { return packed != null ? "listpack" : "hashtable"; }

    /** Packed: the one array, exact. Table: both slot arrays plus sampled field/value arrays. */
    @Override
    public long memoryBytes(int samples) {
        long self = io.jkevy.store.Heap.object(16);
        if (packed != null) return self + io.jkevy.store.Heap.bytes(packed.length);
        return self + 2 * io.jkevy.store.Heap.refs(fields.length)
                + io.jkevy.store.Heap.tableElements(fields, values, size, samples);
    }

    public boolean isPacked() { return packed != null; }

    /** Deep copy: stored arrays are never mutated in table form, so sharing them is safe. */
    @Override
    public HashValue copy() {
        if (packed != null) return new HashValue(packed.clone(), size, null, null);
        return new HashValue(null, size, fields.clone(), values.clone());
    }

    public int size() { return size; }

    // ---- lookups ----------------------------------------------------------------------------

    /** The value of {@code field}, or null when absent. */
    public byte[] get(byte[] field) {
        if (packed != null) {
            int p = packedFind(field);
            if (p < 0) return null;
            return readString(packed, skip(packed, p));
        }
        int s = slotOf(field);
        return s < 0 ? null : values[s];
    }

    public boolean contains(byte[] field) {
        return packed != null ? packedFind(field) >= 0 : slotOf(field) >= 0;
    }

    /** Length in bytes of the value of {@code field}; 0 when absent (as HSTRLEN). */
    public int valueLength(byte[] field) {
        if (packed != null) {
            int p = packedFind(field);
            if (p < 0) return 0;
            return (int) readVarint(packed, skip(packed, p));
        }
        int s = slotOf(field);
        return s < 0 ? 0 : values[s].length;
    }

    // ---- writes -----------------------------------------------------------------------------

    /**
     * Sets {@code field} to {@code value}; true when the field is new. Converts to the table
     * form when either string is longer than {@code maxValue} bytes or the pair count would
     * exceed {@code maxEntries} (hash-max-listpack-value / -entries).
     */
    public boolean set(byte[] field, byte[] value, int maxEntries, int maxValue) {
        if (packed != null) {
            if (field.length > maxValue || value.length > maxValue) {
                convert();
            } else {
                boolean added = packedSet(field, value);
                if (size > maxEntries) convert();
                return added;
            }
        }
        return tableSet(field, value);
    }

    /** Removes {@code field}; true when it was present. */
    public boolean remove(byte[] field) {
        if (packed != null) {
            int p = packedFind(field);
            if (p < 0) return false;
            int end = skip(packed, skip(packed, p));
            byte[] n = new byte[packed.length - (end - p)];
            System.arraycopy(packed, 0, n, 0, p);
            System.arraycopy(packed, end, n, p, packed.length - end);
            packed = n;
            size--;
            return true;
        }
        int s = slotOf(field);
        if (s < 0) return false;
        deleteSlot(s);
        size--;
        if (fields.length > MIN_TABLE && size * 8 < fields.length) resize(Math.max(MIN_TABLE, tableCapacityFor(size)));
        return true;
    }

    /** Converts to the table form (never back); a no-op when already converted. */
    public void convert() {
        if (packed == null) return;
        byte[] p = packed;
        int n = size;
        fields = new byte[tableCapacityFor(n)][];
        values = new byte[fields.length][];
        packed = null;
        size = 0;
        for (int off = 0, i = 0; i < n; i++) {
            byte[] f = readString(p, off);
            off = skip(p, off);
            byte[] v = readString(p, off);
            off = skip(p, off);
            tableSet(f, v);
        }
    }

    // ---- iteration and sampling ----------------------------------------------------------

    /** The first position, or -1 when empty. */
    public int first() {
        if (packed != null) return size == 0 ? -1 : 0;
        return nextSlot(0);
    }

    /** The position after {@code token}, or -1 at the end. */
    public int next(int token) {
        if (packed != null) {
            int n = skip(packed, skip(packed, token));
            return n >= packed.length ? -1 : n;
        }
        return nextSlot(token + 1);
    }

    public byte[] fieldAt(int token) {
        return packed != null ? readString(packed, token) : fields[token];
    }

    public byte[] valueAt(int token) {
        return packed != null ? readString(packed, skip(packed, token)) : values[token];
    }

    /**
     * A uniformly random position of a non-empty hash. Packed: O(size) walk. Table: expected
     * O(1) probes, since the load never drops below 1/8 (except in the minimum table).
     */
    public int randomToken(RandomGenerator r) {
        if (size == 0) throw new IllegalStateException("empty hash");
        if (packed != null) {
            int k = r.nextInt(size), t = 0;
            while (k-- > 0) t = next(t);
            return t;
        }
        int mask = fields.length - 1;
        while (true) {
            int s = r.nextInt() & mask;
            if (fields[s] != null) return s;
        }
    }

    /** Receives one pair of a scan step. */
    @FunctionalInterface
    public interface PairVisitor {
        void visit(byte[] field, byte[] value);
    }

    /**
     * One HSCAN step. Packed: every pair, and returns 0 (Redis answers small hashes in one
     * call). Table: visits home buckets in reverse-binary cursor order (as Redis's dictScan,
     * so every pair present for the whole scan is returned at least once across resizes) until
     * at least {@code count} pairs were emitted, {@code 10 * count} buckets were visited, or
     * the cursor wraps to 0; returns the next cursor (unsigned).
     */
    public long scan(long cursor, long count, PairVisitor visit) {
        if (packed != null) {
            for (int t = first(); t >= 0; t = next(t)) visit.visit(fieldAt(t), valueAt(t));
            return 0;
        }
        long mask = fields.length - 1;
        long emitted = 0, buckets = 0, budget = count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : count * 10;
        do {
            int b = (int) (cursor & mask);
            // pairs whose home bucket is b lie in the run of occupied slots starting at b
            for (int s = b; fields[s] != null; s = (s + 1) & (int) mask) {
                if ((Hashing.hash(fields[s]) & mask) == b) {
                    visit.visit(fields[s], values[s]);
                    emitted++;
                }
            }
            cursor |= ~mask;
            cursor = Long.reverse(Long.reverse(cursor) + 1);
            buckets++;
        } while (cursor != 0 && emitted < count && buckets < budget);
        return cursor;
    }

    // ---- packed form ------------------------------------------------------------------------

    /** Offset of the pair whose field equals {@code field}, or -1. */
    private int packedFind(byte[] field) {
        byte[] p = packed;
        int off = 0, n = p.length, fl = field.length;
        while (off < n) {
            long len = readVarint(p, off);
            int start = off + varintSize(len);
            if (len == fl && Arrays.equals(p, start, start + fl, field, 0, fl)) return off;
            off = skip(p, start + (int) len);
        }
        return -1;
    }

    private boolean packedSet(byte[] field, byte[] value) {
        int p = packedFind(field);
        int vl = value.length, need = varintSize(vl) + vl;
        if (p >= 0) {
            int vOff = skip(packed, p);
            int vEnd = skip(packed, vOff);
            if (vEnd - vOff == need) {
                writeString(packed, vOff, value);
            } else {
                byte[] n = new byte[packed.length - (vEnd - vOff) + need];
                System.arraycopy(packed, 0, n, 0, vOff);
                writeString(n, vOff, value);
                System.arraycopy(packed, vEnd, n, vOff + need, packed.length - vEnd);
                packed = n;
            }
            return false;
        }
        int fl = field.length, old = packed.length;
        byte[] n = Arrays.copyOf(packed, old + varintSize(fl) + fl + need);
        writeString(n, writeString(n, old, field), value);
        packed = n;
        size++;
        return true;
    }

    /** Offset just past the string at {@code off}. */
    private static int skip(byte[] p, int off) {
        long len = readVarint(p, off);
        return off + varintSize(len) + (int) len;
    }

    private static byte[] readString(byte[] p, int off) {
        long len = readVarint(p, off);
        int start = off + varintSize(len);
        return Arrays.copyOfRange(p, start, start + (int) len);
    }

    /** Writes length + bytes at {@code off}; returns the offset after them. */
    private static int writeString(byte[] p, int off, byte[] s) {
        long v = s.length;
        while (v >= 0x80) {
            p[off++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        p[off++] = (byte) v;
        System.arraycopy(s, 0, p, off, s.length);
        return off + s.length;
    }

    private static long readVarint(byte[] p, int off) {
        long v = 0;
        int shift = 0;
        while (true) {
            int b = p[off++];
            v |= (long) (b & 0x7f) << shift;
            if (b >= 0) return v;
            shift += 7;
        }
    }

    private static int varintSize(long v) {
        int n = 1;
        while (v >= 0x80) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    // ---- table form -------------------------------------------------------------------------

    /** Smallest power of two keeping {@code n} pairs at load <= 3/4 (hence > 3/8 after growth). */
    private static int tableCapacityFor(int n) {
        int cap = MIN_TABLE;
        while (cap * 3L / 4 < n) cap <<= 1;
        return cap;
    }

    private int slotOf(byte[] field) {
        byte[][] f = fields;
        int mask = f.length - 1;
        for (int s = Hashing.hash(field) & mask; f[s] != null; s = (s + 1) & mask) {
            if (Arrays.equals(f[s], field)) return s;
        }
        return -1;
    }

    private boolean tableSet(byte[] field, byte[] value) {
        int mask = fields.length - 1;
        int s = Hashing.hash(field) & mask;
        for (; fields[s] != null; s = (s + 1) & mask) {
            if (Arrays.equals(fields[s], field)) {
                values[s] = value;
                return false;
            }
        }
        fields[s] = field;
        values[s] = value;
        size++;
        if (size * 4L > fields.length * 3L) resize(fields.length * 2);
        return true;
    }

    private void resize(int cap) {
        byte[][] of = fields, ov = values;
        fields = new byte[cap][];
        values = new byte[cap][];
        int mask = cap - 1;
        for (int i = 0; i < of.length; i++) {
            if (of[i] == null) continue;
            int s = Hashing.hash(of[i]) & mask;
            while (fields[s] != null) s = (s + 1) & mask;
            fields[s] = of[i];
            values[s] = ov[i];
        }
    }

    /**
     * Backward-shift deletion: later members of the probe run move into the hole when their
     * home bucket does not lie cyclically in (hole, their slot], so every pair stays reachable
     * from its home bucket through occupied slots only.
     */
    private void deleteSlot(int hole) {
        int mask = fields.length - 1;
        int j = hole;
        while (true) {
            j = (j + 1) & mask;
            if (fields[j] == null) break;
            int home = Hashing.hash(fields[j]) & mask;
            boolean stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!stays) {
                fields[hole] = fields[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        fields[hole] = null;
        values[hole] = null;
    }

    private int nextSlot(int from) {
        byte[][] f = fields;
        for (int s = from; s < f.length; s++) if (f[s] != null) return s;
        return -1;
    }
}
