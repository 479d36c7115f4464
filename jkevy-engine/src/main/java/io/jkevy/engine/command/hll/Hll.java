package io.jkevy.engine.command.hll;

import java.util.Arrays;

/**
 * A HyperLogLog in Redis's byte format, so that a value written by either server is read by the
 * other. Layout (all offsets in bytes):
 * <pre>
 *   0..3   "HYLL"
 *   4      encoding: 0 dense, 1 sparse
 *   5..7   unused, zero
 *   8..15  cached cardinality, little-endian; bit 7 of byte 15 set = cache invalid
 *   16..   registers: dense = 16384 six-bit registers packed LSB first (12288 bytes);
 *          sparse = run-length opcodes (see {@link #ZERO_MAX}).
 * </pre>
 * Sparse opcodes: {@code 00xxxxxx} ZERO, xxxxxx+1 (1..64) zero registers; {@code 01xxxxxx
 * yyyyyyyy} XZERO, the 14-bit number +1 (1..16384) zero registers; {@code 1vvvvvxx} VAL,
 * xx+1 (1..4) registers of value vvvvv+1 (1..32). A sparse HLL whose register would exceed 32,
 * or whose size would exceed hll-sparse-max-bytes, becomes dense (never back).
 *
 * <p>An instance is a working copy over a stored value: it reads the value in place and copies
 * it on the first change ({@link #bytes()} then returns the new array), because stored strings
 * are shared and treated as immutable.
 */
public final class Hll {
    public static final int P = 14;
    public static final int REGISTERS = 1 << P;
    /** Bits of the hash left after the register index; a register holds at most Q + 1. */
    public static final int Q = 64 - P;
    public static final int HDR = 16;
    public static final int DENSE_SIZE = HDR + (REGISTERS * 6 + 7) / 8;
    public static final int DENSE = 0, SPARSE = 1;

    static final int ZERO_MAX = 64, XZERO_MAX = 16384, VAL_MAX_VALUE = 32, VAL_MAX_LEN = 4;
    private static final long SEED = 0xadc83b19L;
    /** 1 / (2 ln 2): the asymptotic bias constant of the estimator. */
    private static final double ALPHA_INF = 0.721347520444481703680;

    private byte[] b;
    private int len;
    /** True while {@link #b} is the caller's stored array, which must not be written. */
    private boolean shared;
    private boolean changed;

    private Hll(byte[] b, int len, boolean shared) {
        this.b = b;
        this.len = len;
        this.shared = shared;
    }

    /** A working copy over a stored value already checked by {@link #isHll}. */
    public static Hll wrap(byte[] stored) { return new Hll(stored, stored.length, true); }

    /** An empty sparse HLL: one XZERO covering every register; cached cardinality 0, valid. */
    public static Hll empty() {
        byte[] v = new byte[HDR + 2];
        header(v, SPARSE);
        v[HDR] = (byte) (0x40 | ((XZERO_MAX - 1) >>> 8));
        v[HDR + 1] = (byte) ((XZERO_MAX - 1) & 0xff);
        Hll h = new Hll(v, v.length, false);
        h.changed = true;
        return h;
    }

    private static void header(byte[] v, int enc) {
        v[0] = 'H'; v[1] = 'Y'; v[2] = 'L'; v[3] = 'L';
        v[4] = (byte) enc;
    }

    /** Redis's test for "a valid HyperLogLog string": magic, known encoding, exact dense size. */
    public static boolean isHll(byte[] v) {
        if (v.length < HDR) return false;
        if (v[0] != 'H' || v[1] != 'Y' || v[2] != 'L' || v[3] != 'L') return false;
        int enc = v[4] & 0xff;
        if (enc > SPARSE) return false;
        return enc != DENSE || v.length == DENSE_SIZE;
    }

    public int encoding() { return b[4]; }

    /** Whether any change was made since {@link #wrap}. */
    public boolean changed() { return changed; }

    /** The current value: the stored array if unchanged, else a new exact-length array. */
    public byte[] bytes() {
        if (!shared && len != b.length) {
            b = Arrays.copyOf(b, len);
        }
        return b;
    }

    private void own(int capacity) {
        if (shared || capacity > b.length) {
            b = Arrays.copyOf(b, Math.max(capacity, len));
            shared = false;
        }
        changed = true;
    }

    // ---- cached cardinality ----------------------------------------------------------

    public boolean cacheValid() { return (b[15] & 0x80) == 0; }

    public long cached() {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = (v << 8) | (b[8 + i] & 0xff);
        return v;
    }

    public void setCached(long card) {
        own(len);
        for (int i = 0; i < 8; i++) b[8 + i] = (byte) (card >>> (8 * i));
    }

    public void invalidateCache() {
        if ((b[15] & 0x80) != 0) return;
        own(len);
        b[15] |= (byte) 0x80;
    }

    // ---- hashing -----------------------------------------------------------------------

    /** MurmurHash64A (Appleby) over {@code data}, 8-byte blocks read little-endian. */
    public static long murmur64a(byte[] data, long seed) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        int n = data.length;
        long h = seed ^ (n * m);
        int blocks = n & ~7;
        for (int i = 0; i < blocks; i += 8) {
            long k = (data[i] & 0xffL) | (data[i + 1] & 0xffL) << 8 | (data[i + 2] & 0xffL) << 16
                    | (data[i + 3] & 0xffL) << 24 | (data[i + 4] & 0xffL) << 32 | (data[i + 5] & 0xffL) << 40
                    | (data[i + 6] & 0xffL) << 48 | (data[i + 7] & 0xffL) << 56;
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        int tail = n & 7;
        if (tail > 0) {
            for (int j = tail - 1; j >= 0; j--) h ^= (data[blocks + j] & 0xffL) << (8 * j);
            h *= m;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }

    /**
     * The register an element maps to (low 14 bits of the hash) in the low 16 bits, and the
     * value it proposes (1 + the number of trailing zeros of the remaining 50 bits, at most 51)
     * shifted left by 16.
     */
    public static int position(byte[] element) {
        long hash = murmur64a(element, SEED);
        int index = (int) (hash & (REGISTERS - 1));
        long rest = (hash >>> P) | (1L << Q);
        int count = Long.numberOfTrailingZeros(rest) + 1;
        return index | count << 16;
    }

    // ---- dense registers ---------------------------------------------------------------

    /** Register {@code i} of a dense array whose registers start at {@code base}. */
    static int denseGet(byte[] v, int base, int i) {
        int bit = i * 6, at = base + (bit >>> 3), shift = bit & 7;
        int lo = (v[at] & 0xff) >>> shift;
        int hi = at + 1 < v.length ? (v[at + 1] & 0xff) << (8 - shift) : 0;
        return (lo | hi) & 63;
    }

    static void denseSet(byte[] v, int base, int i, int val) {
        int bit = i * 6, at = base + (bit >>> 3), shift = bit & 7;
        v[at] = (byte) ((v[at] & ~(63 << shift)) | (val << shift));
        if (shift > 2) {  // the register spills into the next byte
            int hs = 8 - shift;
            v[at + 1] = (byte) ((v[at + 1] & ~(63 >>> hs)) | (val >>> hs));
        }
    }

    public int register(int i) { return denseGet(b, HDR, i); }

    // ---- adding ------------------------------------------------------------------------

    /**
     * Adds an element; returns 1 if a register grew, 0 if not, -1 if the sparse data is
     * corrupt (in which case nothing was changed).
     */
    public int add(byte[] element, int sparseMax) {
        int pos = position(element);
        return set(pos & 0xffff, pos >>> 16, sparseMax);
    }

    /** Raises register {@code index} to {@code count} if lower; same results as {@link #add}. */
    public int set(int index, int count, int sparseMax) {
        if (b[4] == DENSE) {
            if (denseGet(b, HDR, index) >= count) return 0;
            own(len);
            denseSet(b, HDR, index, count);
            return 1;
        }
        return sparseSet(index, count, sparseMax);
    }

    private static int opSpan(byte[] v, int p, int end) {
        int op = v[p] & 0xff;
        if ((op & 0xc0) == 0) return (op & 0x3f) + 1;
        if ((op & 0xc0) == 0x40) return p + 1 < end ? (((op & 0x3f) << 8) | (v[p + 1] & 0xff)) + 1 : -1;
        return (op & 3) + 1;
    }

    private static int opLen(byte[] v, int p) { return (v[p] & 0xc0) == 0x40 ? 2 : 1; }

    private static boolean isVal(byte[] v, int p) { return (v[p] & 0x80) != 0; }

    private static int valValue(byte[] v, int p) { return ((v[p] >>> 2) & 0x1f) + 1; }

    private static byte val(int value, int run) { return (byte) (0x80 | (value - 1) << 2 | (run - 1)); }

    /** Appends the zero-run opcode(s) for {@code n} (1..16384) registers to seq at k. */
    private static int zeros(byte[] seq, int k, int n) {
        if (n > ZERO_MAX) {
            seq[k++] = (byte) (0x40 | ((n - 1) >>> 8));
            seq[k++] = (byte) ((n - 1) & 0xff);
        } else {
            seq[k++] = (byte) (n - 1);
        }
        return k;
    }

    private int sparseSet(int index, int count, int sparseMax) {
        if (count > VAL_MAX_VALUE) return promoteAndSet(index, count);
        // find the opcode covering index; first = its first register, prev = the opcode before
        int p = HDR, end = len, first = 0, prev = -1, span = 0;
        while (p < end) {
            span = opSpan(b, p, end);
            if (span < 0) return -1;
            if (index <= first + span - 1) break;
            prev = p;
            first += span;
            p += opLen(b, p);
        }
        if (p >= end) return -1;
        int oldLen = opLen(b, p);
        boolean valOp = isVal(b, p);
        int oldVal = valOp ? valValue(b, p) : 0;
        if (valOp && oldVal >= count) return 0;
        if (span == 1 && oldLen == 1) {
            // a single-register VAL or ZERO: rewrite it in place
            own(len);
            b[p] = val(count, 1);
        } else {
            int last = first + span - 1;
            byte[] seq = new byte[5];
            int k = 0;
            if (!valOp) {
                if (index != first) k = zeros(seq, k, index - first);
                seq[k++] = val(count, 1);
                if (index != last) k = zeros(seq, k, last - index);
            } else {
                if (index != first) seq[k++] = val(oldVal, index - first);
                seq[k++] = val(count, 1);
                if (index != last) seq[k++] = val(oldVal, last - index);
            }
            int delta = k - oldLen;
            if (delta > 0 && len + delta > sparseMax) return promoteAndSet(index, count);
            own(len + Math.max(delta, 0));
            System.arraycopy(b, p + oldLen, b, p + k, len - (p + oldLen));
            System.arraycopy(seq, 0, b, p, k);
            len += delta;
        }
        mergeVals(prev >= 0 ? prev : HDR);
        invalidateCache();
        return 1;
    }

    /**
     * Joins adjacent VAL opcodes of equal value whose runs fit in one opcode, looking at no more
     * than five opcodes from {@code p} (a change affects only its neighbourhood).
     */
    private void mergeVals(int p) {
        int scan = 5;
        while (p < len && scan-- > 0) {
            if (!isVal(b, p)) {
                p += opLen(b, p);
                continue;
            }
            if (p + 1 < len && isVal(b, p + 1) && valValue(b, p) == valValue(b, p + 1)) {
                int run = (b[p] & 3) + (b[p + 1] & 3) + 2;
                if (run <= VAL_MAX_LEN) {
                    b[p] = val(valValue(b, p), run);
                    System.arraycopy(b, p + 2, b, p + 1, len - (p + 2));
                    len--;
                    continue;  // the merged opcode may join the next one too
                }
            }
            p++;
        }
    }

    private int promoteAndSet(int index, int count) {
        if (!toDense()) return -1;
        if (denseGet(b, HDR, index) >= count) return 0;
        denseSet(b, HDR, index, count);
        return 1;
    }

    /** Converts a sparse HLL to dense, keeping the header; false if the sparse data is corrupt. */
    public boolean toDense() {
        if (b[4] == DENSE) return true;
        byte[] d = new byte[DENSE_SIZE];
        System.arraycopy(b, 0, d, 0, HDR);
        d[4] = DENSE;
        int idx = 0, p = HDR;
        while (p < len) {
            int span = opSpan(b, p, len);
            if (span < 0) return false;
            if (isVal(b, p)) {
                if (idx + span > REGISTERS) return false;
                int v = valValue(b, p);
                for (int i = 0; i < span; i++) denseSet(d, HDR, idx + i, v);
            }
            idx += span;
            p += opLen(b, p);
        }
        if (idx != REGISTERS) return false;
        b = d;
        len = d.length;
        shared = false;
        changed = true;
        return true;
    }

    /** The sparse opcodes as PFDEBUG DECODE prints them ("z:n", "Z:n", "v:value,run"). */
    public String decode() {
        StringBuilder sb = new StringBuilder();
        int p = HDR;
        while (p < len) {
            int span = opSpan(b, p, len);
            if (span < 0) break;
            if (sb.length() > 0) sb.append(' ');
            if (isVal(b, p)) sb.append("v:").append(valValue(b, p)).append(',').append(span);
            else sb.append((b[p] & 0xc0) == 0 ? "z:" : "Z:").append(span);
            p += opLen(b, p);
        }
        return sb.toString();
    }

    // ---- counting and merging ----------------------------------------------------------

    /** Adds this HLL's registers into {@code hist} (64 buckets); false if corrupt. */
    private boolean histogram(int[] hist) {
        if (b[4] == DENSE) {
            for (int i = 0; i < REGISTERS; i++) hist[denseGet(b, HDR, i)]++;
            return true;
        }
        int idx = 0, p = HDR;
        while (p < len) {
            int span = opSpan(b, p, len);
            if (span < 0) return false;
            hist[isVal(b, p) ? valValue(b, p) : 0] += span;
            idx += span;
            p += opLen(b, p);
        }
        return idx == REGISTERS;
    }

    /** The estimated cardinality, or -1 if the registers are corrupt. */
    public long count() {
        int[] hist = new int[64];
        if (!histogram(hist)) return -1;
        return estimate(hist);
    }

    /** The estimate over raw registers (one byte each), as for a union of several HLLs. */
    public static long countRaw(byte[] registers) {
        int[] hist = new int[64];
        for (byte r : registers) hist[r & 63]++;
        return estimate(hist);
    }

    /**
     * Ertl's improved raw estimator ("New cardinality estimation algorithms for HyperLogLog
     * sketches", 2017): a histogram of register values, with the sigma correction for zero
     * registers and the tau correction for saturated (Q + 1) ones. Needs no bias tables and
     * no range switching.
     */
    static long estimate(int[] hist) {
        double m = REGISTERS;
        double z = m * tau((m - hist[Q + 1]) / m);
        for (int j = Q; j >= 1; j--) {
            z += hist[j];
            z *= 0.5;
        }
        z += m * sigma(hist[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    /** sigma(x) = x + sum_k x^(2^k) 2^(k-1), summed until the double stops changing. */
    static double sigma(double x) {
        if (x == 1.0) return Double.POSITIVE_INFINITY;
        double y = 1, z = x, prev;
        do {
            x *= x;
            prev = z;
            z += x * y;
            y += y;
        } while (prev != z);
        return z;
    }

    /** tau(x) = (1 - x - sum_k (1 - x^(2^-k))^2 2^-k) / 3, summed until it stops changing. */
    static double tau(double x) {
        if (x == 0.0 || x == 1.0) return 0.0;
        double y = 1.0, z = 1 - x, prev;
        do {
            x = Math.sqrt(x);
            prev = z;
            y *= 0.5;
            double d = 1 - x;
            z -= d * d * y;
        } while (prev != z);
        return z / 3;
    }

    /** Raises {@code max[i]} to each register of this HLL; false if the sparse data is corrupt. */
    public boolean mergeInto(byte[] max) {
        if (b[4] == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                int v = denseGet(b, HDR, i);
                if (v > max[i]) max[i] = (byte) v;
            }
            return true;
        }
        int idx = 0, p = HDR;
        while (p < len) {
            int span = opSpan(b, p, len);
            if (span < 0) return false;
            if (isVal(b, p)) {
                if (idx + span > REGISTERS) return false;
                int v = valValue(b, p);
                for (int i = idx; i < idx + span; i++) if (v > max[i]) max[i] = (byte) v;
            }
            idx += span;
            p += opLen(b, p);
        }
        return idx == REGISTERS;
    }
}
