package io.jkevy.store.type.set;

import io.jkevy.store.Encodings;
import io.jkevy.store.TypedValue;
import io.jkevy.store.ValueType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * A Redis set in one of three encodings, with Redis 7.2's conversion rules:
 * <ul>
 *   <li><b>intset</b>: every member is a canonical decimal 64-bit integer; stored as a sorted
 *       {@code long[]} (binary search), at most {@code set-max-intset-entries} members.</li>
 *   <li><b>listpack</b>: one packed {@code byte[]} of entries {@code varint(len) bytes}
 *       (varint: 7 bits per byte, low group first, high bit = more), at most
 *       {@code set-max-listpack-entries} members of at most {@code set-max-listpack-value}
 *       bytes each; linear search, insertion order.</li>
 *   <li><b>hashtable</b>: a {@link MemberTable}.</li>
 * </ul>
 * Conversions only go intset → listpack → hashtable or intset → hashtable, never back (the
 * one exception is a result built for a *STORE command, see {@link #compactIfIntegers}).
 * Members given to {@link #add} are kept by reference and must not be mutated afterwards;
 * members handed out must not be mutated by the caller.
 *
 * <p>Not thread-safe; the caller holds the key's stripe lock.
 */
public final class SetValue implements TypedValue {
    public static final byte INTSET = 0, LISTPACK = 1, HASHTABLE = 2;

    /** Intsets are capped at 2^30 entries whatever the configuration says (as Redis). */
    private static final int INTSET_HARD_MAX = 1 << 30;

    private byte enc;
    private int size;
    // intset: sorted ascending, valid in [0, size)
    private long[] ints;
    // listpack: entries in [0, lpUsed)
    private byte[] lp;
    private int lpUsed;
    // hashtable
    private MemberTable ht;

    private SetValue(byte enc) { this.enc = enc; }

    /** Intset and listpack: their one array, exact; hashtable: see {@link MemberTable}. */
    @Override
    public long memoryBytes(int samples) {
        long self = io.jkevy.store.Heap.object(24);
        return switch (enc) {
            case INTSET -> self + io.jkevy.store.Heap.longs(ints.length);
            case LISTPACK -> self + io.jkevy.store.Heap.bytes(lp.length);
            default -> self + ht.memoryBytes(samples);
        };
    }

    /** An empty intset-encoded set (the start of every *STORE result). */
    public static SetValue emptyIntset() {
        SetValue s = new SetValue(INTSET);
        s.ints = new long[4];
        return s;
    }

    /**
     * The set SADD creates for its first member {@code first} when it will receive about
     * {@code sizeHint} members: intset if {@code first} is an integer and the hint fits an
     * intset, else listpack if the hint fits one, else a hashtable presized for the hint.
     */
    public static SetValue create(byte[] first, int sizeHint, Encodings e) {
        if (isCanonicalLong(first) && sizeHint <= intsetMax(e)) return emptyIntset();
        if (sizeHint <= e.setMaxListpackEntries) {
            SetValue s = new SetValue(LISTPACK);
            s.lp = new byte[32];
            return s;
        }
        SetValue s = new SetValue(HASHTABLE);
        s.ht = new MemberTable(sizeHint);
        return s;
    }

    /** Converts to a hashtable up front when about {@code sizeHint} members will be added. */
    public void maybeConvert(int sizeHint, Encodings e) {
        if ((enc == LISTPACK && sizeHint > e.setMaxListpackEntries)
                || (enc == INTSET && sizeHint > intsetMax(e))) {
            toHashtable(size + sizeHint);
        }
    }

    private static int intsetMax(Encodings e) { return Math.min(e.setMaxIntsetEntries, INTSET_HARD_MAX); }

    @Override public ValueType type() { return ValueType.SET; }

    @Override public String encoding() {
        return switch (enc) {
            case INTSET -> "intset";
            case LISTPACK -> "listpack";
            default -> "hashtable";
        };
    }

    public byte enc() { return enc; }

    public int size() { return size; }

    @Override public SetValue copy() {
        SetValue s = new SetValue(enc);
        s.size = size;
        switch (enc) {
            case INTSET -> s.ints = Arrays.copyOf(ints, Math.max(size, 4));
            case LISTPACK -> {
                s.lp = Arrays.copyOf(lp, Math.max(lpUsed, 16));
                s.lpUsed = lpUsed;
            }
            default -> s.ht = ht.copy();
        }
        return s;
    }

    // ---- membership ----

    public boolean contains(byte[] m) {
        return switch (enc) {
            case INTSET -> {
                long v = parseCanonicalLong(m);
                yield v != NOT_LONG_SENTINEL || isMinLong(m) ? Arrays.binarySearch(ints, 0, size, v) >= 0 : false;
            }
            case LISTPACK -> lpFind(m) >= 0;
            default -> ht.contains(m);
        };
    }

    /** Adds {@code m}; false if it was already a member. May convert the encoding. */
    public boolean add(byte[] m, Encodings e) {
        switch (enc) {
            case INTSET -> {
                long v = parseCanonicalLong(m);
                if (v != NOT_LONG_SENTINEL || isMinLong(m)) {
                    int at = Arrays.binarySearch(ints, 0, size, v);
                    if (at >= 0) return false;
                    at = -at - 1;
                    if (size == ints.length) ints = Arrays.copyOf(ints, Math.max(4, size + (size >> 1) + 1));
                    System.arraycopy(ints, at, ints, at + 1, size - at);
                    ints[at] = v;
                    size++;
                    if (size > intsetMax(e)) toHashtable(size);
                    return true;
                }
                // not an integer: the whole set must go to a string encoding
                boolean fits = fitsListpack(m, e) && intsetWidestMember() <= e.setMaxListpackValue;
                if (fits) toListpack();
                addString(m, fits);
                return true;
            }
            case LISTPACK -> {
                if (lpFind(m) >= 0) return false;
                addString(m, fitsListpack(m, e));
                return true;
            }
            default -> {
                if (!ht.add(m)) return false;
                size++;
                return true;
            }
        }
    }

    private boolean fitsListpack(byte[] m, Encodings e) {
        return size < e.setMaxListpackEntries && m.length <= e.setMaxListpackValue;
    }

    /** Adds an absent member to a listpack set while it fits, else converts to the table first. */
    private void addString(byte[] m, boolean fits) {
        if (fits) {
            lpAppend(m);
        } else {
            toHashtable(size + 1);
            ht.add(m);
        }
        size++;
    }

    /** Removes {@code m}; false if it was not a member. The caller deletes the key at size 0. */
    public boolean remove(byte[] m) {
        switch (enc) {
            case INTSET -> {
                long v = parseCanonicalLong(m);
                if (v == NOT_LONG_SENTINEL && !isMinLong(m)) return false;
                int at = Arrays.binarySearch(ints, 0, size, v);
                if (at < 0) return false;
                removeIntAt(at);
                return true;
            }
            case LISTPACK -> {
                int off = lpFind(m);
                if (off < 0) return false;
                lpRemoveAt(off);
                return true;
            }
            default -> {
                if (!ht.remove(m)) return false;
                size--;
                return true;
            }
        }
    }

    // ---- iteration and sampling ----

    /** Every member once, in encoding order (ascending for intset, insertion for listpack). */
    public void forEach(Consumer<byte[]> visit) {
        switch (enc) {
            case INTSET -> { for (int i = 0; i < size; i++) visit.accept(longBytes(ints[i])); }
            case LISTPACK -> {
                for (int off = 0; off < lpUsed; ) {
                    long h = lpHeader(lp, off);
                    int data = (int) h, len = (int) (h >>> 32);
                    visit.accept(Arrays.copyOfRange(lp, data, data + len));
                    off = data + len;
                }
            }
            default -> ht.forEach(visit);
        }
    }

    public List<byte[]> members() {
        List<byte[]> out = new ArrayList<>(size);
        forEach(out::add);
        return out;
    }

    /** A uniformly chosen member, or null when empty. {@code rnd} yields any 32-bit ints. */
    public byte[] random(IntSupplier rnd) {
        if (size == 0) return null;
        return switch (enc) {
            case INTSET -> longBytes(ints[bounded(rnd, size)]);
            case LISTPACK -> lpEntry(lpOffsetOf(bounded(rnd, size)));
            default -> ht.random(rnd);
        };
    }

    /** Removes and returns a uniformly chosen member, or null when empty. */
    public byte[] popRandom(IntSupplier rnd) {
        if (size == 0) return null;
        switch (enc) {
            case INTSET -> {
                int i = bounded(rnd, size);
                byte[] m = longBytes(ints[i]);
                removeIntAt(i);
                return m;
            }
            case LISTPACK -> {
                int off = lpOffsetOf(bounded(rnd, size));
                byte[] m = lpEntry(off);
                lpRemoveAt(off);
                return m;
            }
            default -> {
                byte[] m = ht.popRandom(rnd);
                size--;
                return m;
            }
        }
    }

    /**
     * One SSCAN step. The compact encodings return every member at once with cursor 0 (as
     * Redis); a hashtable walks {@code count} home slots' worth from {@code cursor}.
     */
    public long scan(long cursor, long count, Consumer<byte[]> visit) {
        if (enc != HASHTABLE) {
            forEach(visit);
            return 0;
        }
        return ht.scan(cursor, count, visit);
    }

    /**
     * For SINTERSTORE results: when every member is an integer and they fit an intset, use
     * the intset encoding (Redis does the same for intersections built as listpacks).
     */
    public void compactIfIntegers(Encodings e) {
        if (enc == INTSET || size > intsetMax(e)) return;
        long[] vals = new long[Math.max(size, 4)];
        int[] n = {0};
        boolean[] ok = {true};
        forEach(m -> {
            if (!ok[0]) return;
            long v = parseCanonicalLong(m);
            if (v == NOT_LONG_SENTINEL && !isMinLong(m)) ok[0] = false;
            else vals[n[0]++] = v;
        });
        if (!ok[0]) return;
        Arrays.sort(vals, 0, n[0]);
        enc = INTSET;
        ints = vals;
        lp = null;
        lpUsed = 0;
        ht = null;
    }

    // ---- intset internals ----

    private void removeIntAt(int at) {
        System.arraycopy(ints, at + 1, ints, at, size - at - 1);
        size--;
        if (ints.length > 16 && size < ints.length / 4) ints = Arrays.copyOf(ints, ints.length / 2);
    }

    /** Decimal length (with sign) of the widest member, the bound checked against listpack's value limit. */
    private int intsetWidestMember() {
        if (size == 0) return 0;
        return Math.max(longBytes(ints[0]).length, longBytes(ints[size - 1]).length);
    }

    // ---- listpack internals ----

    private int lpFind(byte[] m) {
        final byte[] p = lp;
        for (int off = 0; off < lpUsed; ) {
            long h = lpHeader(p, off);
            int data = (int) h, len = (int) (h >>> 32);
            if (len == m.length && Arrays.equals(p, data, data + len, m, 0, len)) return off;
            off = data + len;
        }
        return -1;
    }

    /** Byte offset of the entry with index {@code idx} (0-based). */
    private int lpOffsetOf(int idx) {
        int off = 0;
        for (int i = 0; i < idx; i++) off = lpNext(off);
        return off;
    }

    /**
     * Reads the varint length prefix of the entry at {@code off}: returns the member length in
     * the high 32 bits and the offset of its first byte in the low 32 bits.
     */
    private static long lpHeader(byte[] p, int off) {
        int len = 0, shift = 0, b;
        do {
            b = p[off++];
            len |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return (long) len << 32 | off;
    }

    private int lpNext(int off) {
        long h = lpHeader(lp, off);
        return (int) h + (int) (h >>> 32);
    }

    private byte[] lpEntry(int off) {
        long h = lpHeader(lp, off);
        int data = (int) h;
        return Arrays.copyOfRange(lp, data, data + (int) (h >>> 32));
    }

    private void lpAppend(byte[] m) {
        int need = lpUsed + 5 + m.length;
        if (need > lp.length) lp = Arrays.copyOf(lp, Math.max(need, lp.length + (lp.length >> 1)));
        int len = m.length;
        while (len >= 0x80) {
            lp[lpUsed++] = (byte) (len | 0x80);
            len >>>= 7;
        }
        lp[lpUsed++] = (byte) len;
        System.arraycopy(m, 0, lp, lpUsed, m.length);
        lpUsed += m.length;
    }

    private void lpRemoveAt(int off) {
        int end = lpNext(off);
        System.arraycopy(lp, end, lp, off, lpUsed - end);
        lpUsed -= end - off;
        size--;
        if (lp.length > 64 && lpUsed < lp.length / 4) lp = Arrays.copyOf(lp, lp.length / 2);
    }

    // ---- conversions ----

    private void toListpack() {
        byte[] old = new byte[Math.max(32, size * 8)];
        lp = old;
        lpUsed = 0;
        for (int i = 0; i < size; i++) lpAppend(longBytes(ints[i]));
        ints = null;
        enc = LISTPACK;
    }

    private void toHashtable(int expected) {
        MemberTable t = new MemberTable(expected);
        forEach(t::add);
        ht = t;
        ints = null;
        lp = null;
        lpUsed = 0;
        enc = HASHTABLE;
    }

    // ---- numbers ----

    private static final long NOT_LONG_SENTINEL = Long.MIN_VALUE;
    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    private static boolean isMinLong(byte[] b) { return Arrays.equals(b, MIN_LONG); }

    /** True when {@code b} is a canonical signed 64-bit decimal (Redis's string2ll). */
    public static boolean isCanonicalLong(byte[] b) {
        return parseCanonicalLong(b) != NOT_LONG_SENTINEL || isMinLong(b);
    }

    /**
     * Parses a canonical decimal: optional '-', no leading zeros, no '+', no spaces, "-0"
     * rejected, at most 20 characters. Returns {@link Long#MIN_VALUE} on failure (callers
     * tell it from a real MIN_VALUE with {@link #isMinLong}).
     */
    static long parseCanonicalLong(byte[] b) {
        int n = b.length;
        if (n == 0 || n > 20) return NOT_LONG_SENTINEL;
        int i = 0;
        boolean neg = false;
        if (b[0] == '-') {
            if (n == 1) return NOT_LONG_SENTINEL;
            neg = true;
            i = 1;
        }
        if (b[i] == '0') return (n == 1) ? 0 : NOT_LONG_SENTINEL;
        long v = 0;
        for (; i < n; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return NOT_LONG_SENTINEL;
            if (v > (Long.MAX_VALUE - d) / 10) return NOT_LONG_SENTINEL;
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }

    static byte[] longBytes(long v) { return Long.toString(v).getBytes(StandardCharsets.US_ASCII); }

    /** A uniform int in [0, n) from a 32-bit random int (multiply-shift, bias below 2^-32 * n). */
    static int bounded(IntSupplier rnd, int n) {
        return (int) (((rnd.getAsInt() & 0xffffffffL) * n) >>> 32);
    }
}
