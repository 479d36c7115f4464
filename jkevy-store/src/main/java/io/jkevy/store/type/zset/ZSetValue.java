package io.jkevy.store.type.zset;

import io.jkevy.store.Encodings;
import io.jkevy.store.TypedValue;
import io.jkevy.store.ValueType;

import java.util.Arrays;

/**
 * A sorted set: unique members ordered by (score, member bytes unsigned).
 *
 * <p>Two representations, named as Redis names them for OBJECT ENCODING:
 * <ul>
 *   <li>{@code listpack}: one exact-length {@code byte[]} holding the entries in
 *       (score, member) order, at most zset-max-listpack-entries of them with members of at
 *       most zset-max-listpack-value bytes. An entry is
 *       {@code varint(member length) member-bytes score}; the score is either
 *       {@code varint(zigzag(v) << 1)} for an integral score v with |v| < 2^62 (not -0), or
 *       the byte 0x01 followed by the 8 IEEE-754 bytes big-endian. Varints are unsigned
 *       LEB128 (7 bits a byte, low groups first). Every operation is a linear scan, O(n) on
 *       n ≤ the threshold; every change replaces the array (never mutated in place), so a
 *       cursor reading a snapshot stays consistent.</li>
 *   <li>{@code skiplist}: the large encoding. Not a skip list any more but an order-statistics
 *       B+tree ({@link OrderTree}: rank, access by rank and range bounds in O(log n)) plus a
 *       member→score open-addressing hash map ({@link ScoreMap}: score lookup in O(1)). It
 *       keeps the name Redis uses for its large encoding, which is what OBJECT ENCODING
 *       reports and what users and tools expect to see.</li>
 * </ul>
 * A value converts from listpack to skiplist when an insert would exceed either threshold
 * and never converts back on its own ({@link #packIfFits} does, for the stores of ZUNIONSTORE
 * and friends). Member arrays of the large encoding are never mutated after insertion, so
 * they may be shared with the caller's argv and between copies; members read from the
 * listpack are fresh copies.
 *
 * <p>Ranks are 0-based and ascending. Scores are never NaN. Callers hold the key's lock.
 *
 * <p>API for other types built on sorted sets (geo): {@link #score}, {@link #put},
 * {@link #firstRankByScore}/{@link #endRankByScore} and {@link #cursor} give "add", "score"
 * and "range by score" in ranks.
 */
public final class ZSetValue implements TypedValue {
    private static final byte[] EMPTY = new byte[0];
    /** score tag: an 8-byte double follows */
    private static final int DOUBLE_TAG = 1;
    /** integral scores at or beyond this magnitude are stored as doubles (zigzag << 1 must stay a non-negative long) */
    private static final long INT_LIMIT = 1L << 61;

    // listpack representation (lp == null once converted)
    private byte[] lp;
    private int n;
    // large ("skiplist") representation: the tree, which also carries the member→score map
    private OrderTree tree;

    private ZSetValue() { }

    /** An empty sorted set in the listpack encoding. */
    public static ZSetValue packed() {
        ZSetValue z = new ZSetValue();
        z.lp = EMPTY;
        return z;
    }

    /** An empty sorted set in the skiplist encoding. */
    public static ZSetValue skiplist() {
        ZSetValue z = new ZSetValue();
        z.tree = new OrderTree();
        z.tree.dict = new ScoreMap(0);
        return z;
    }

    /**
     * An empty sorted set encoded as Redis creates one expected to hold {@code sizeHint}
     * members of at most {@code maxMemberLen} bytes.
     */
    public static ZSetValue create(long sizeHint, long maxMemberLen, Encodings enc) {
        if (enc.zsetMaxListpackEntries == 0 || sizeHint > enc.zsetMaxListpackEntries
                || maxMemberLen > enc.zsetMaxListpackValue) return skiplist();
        return packed();
    }

    /** Redis's member order: unsigned bytewise, a prefix sorts first. */
    public static int compareMembers(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    @Override public ValueType type() { return ValueType.ZSET; }

    @Override public String encoding() { return lp != null ? "listpack" : "skiplist"; }

    /**
     * Listpack: the one array, exact. Tree encoding: the leaves (parallel score and member
     * arrays of {@link OrderTree#LEAF_CAP}, counted at the three-quarters fill a bulk build and
     * splits leave on average), the inner nodes (one per leaf's worth of children), the
     * member map's three parallel arrays, and the member arrays, sampled.
     */
    @Override
    public long memoryBytes(int samples) {
        long self = io.jkevy.store.Heap.object(16);
        if (lp != null) return self + io.jkevy.store.Heap.bytes(lp.length);
        int size = tree.size();
        long leaf = io.jkevy.store.Heap.object(24) + io.jkevy.store.Heap.bytes(8 * OrderTree.LEAF_CAP)
                + io.jkevy.store.Heap.refs(OrderTree.LEAF_CAP);
        long leaves = size / (OrderTree.LEAF_CAP * 3 / 4) + 1;
        long inner = io.jkevy.store.Heap.object(16) + io.jkevy.store.Heap.refs(OrderTree.INNER_CAP) * 2
                + io.jkevy.store.Heap.ints(OrderTree.INNER_CAP) + io.jkevy.store.Heap.bytes(8 * OrderTree.INNER_CAP);
        long inners = leaves / (OrderTree.INNER_CAP * 3 / 4) + 1;
        int cap = tree.dict.capacity();
        long map = io.jkevy.store.Heap.object(24) + io.jkevy.store.Heap.refs(cap) + io.jkevy.store.Heap.ints(cap)
                + io.jkevy.store.Heap.bytes(8L * cap);
        long[] m = tree.dict.sampleMembers(samples);
        long members = m[1] == 0 ? 0 : m[0] * size / m[1];
        return self + leaves * leaf + inners * inner + map + members;
    }

    public boolean isPacked() { return lp != null; }

    public int size() { return lp != null ? n : tree.size(); }

    @Override
    public ZSetValue copy() {
        ZSetValue z = new ZSetValue();
        if (lp != null) {
            z.lp = lp.length == 0 ? EMPTY : lp.clone();
            z.n = n;
        } else {
            z.tree = tree.copy();
            z.tree.dict = tree.dict.copy();
        }
        return z;
    }

    // ---- listpack entry codec -------------------------------------------------------------
    // An entry offset `off` addresses the member-length varint; helpers below decode from it.

    private static int varLen(long v) {
        int k = 1;
        while ((v >>>= 7) != 0) k++;
        return k;
    }

    private static long varint(byte[] b, int off) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int x = b[off++];
            v |= (long) (x & 0x7f) << shift;
            if (x >= 0) return v;
        }
    }

    /** Bytes of the varint starting at off. */
    private static int varSize(byte[] b, int off) {
        int k = 1;
        while (b[off++] < 0) k++;
        return k;
    }

    private static int putVarint(byte[] b, int off, long v) {
        while ((v & ~0x7fL) != 0) {
            b[off++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        b[off++] = (byte) v;
        return off;
    }

    /** The score's integer header (zigzag << 1), or -1 when it must be stored as a double. */
    private static long intHeader(double s) {
        long v = (long) s;
        if ((double) v != s || v >= INT_LIMIT || v <= -INT_LIMIT) return -1;
        if (v == 0 && Double.doubleToRawLongBits(s) != 0) return -1; // -0 keeps its sign
        return ((v << 1) ^ (v >> 63)) << 1;
    }

    private static int scoreSize(double s) {
        long h = intHeader(s);
        return h < 0 ? 9 : varLen(h);
    }

    private static int putScore(byte[] b, int off, double s) {
        long h = intHeader(s);
        if (h >= 0) return putVarint(b, off, h);
        b[off++] = DOUBLE_TAG;
        long bits = Double.doubleToRawLongBits(s);
        for (int i = 7; i >= 0; i--) b[off++] = (byte) (bits >>> (8 * i));
        return off;
    }

    /** Offset of the entry's member bytes. */
    private static int memberStart(byte[] b, int off) { return off + varSize(b, off); }

    /** Offset of the entry's score. */
    private static int scoreOff(byte[] b, int off) {
        return off + varSize(b, off) + (int) varint(b, off);
    }

    private static double scoreAtOff(byte[] b, int so) {
        if (b[so] == DOUBLE_TAG) {
            long bits = 0;
            for (int i = 1; i <= 8; i++) bits = (bits << 8) | (b[so + i] & 0xff);
            return Double.longBitsToDouble(bits);
        }
        long zz = varint(b, so) >>> 1;
        return (double) ((zz >>> 1) ^ -(zz & 1));
    }

    private static int scoreEnd(byte[] b, int so) {
        return b[so] == DOUBLE_TAG ? so + 9 : so + varSize(b, so);
    }

    /** Offset of the entry after the one at off. */
    private static int nextOff(byte[] b, int off) { return scoreEnd(b, scoreOff(b, off)); }

    private static double entryScore(byte[] b, int off) { return scoreAtOff(b, scoreOff(b, off)); }

    private static byte[] entryMember(byte[] b, int off) {
        int ms = memberStart(b, off);
        return Arrays.copyOfRange(b, ms, ms + (int) varint(b, off));
    }

    /** Offset of the entry with rank r (0 ≤ r ≤ n; r == n gives the end). */
    private static int offsetOfRank(byte[] b, int r) {
        int off = 0;
        for (int i = 0; i < r; i++) off = nextOff(b, off);
        return off;
    }

    /** (rank << 32 | offset) of the member's entry, or -1 when absent. */
    private long locate(byte[] m) {
        byte[] b = lp;
        int off = 0;
        for (int i = 0; i < n; i++) {
            int len = (int) varint(b, off), ms = off + varSize(b, off);
            if (len == m.length && Arrays.equals(b, ms, ms + len, m, 0, len)) return ((long) i << 32) | off;
            off = scoreEnd(b, ms + len);
        }
        return -1;
    }

    // ---- point operations ---------------------------------------------------------------

    /** The member's score, or NaN when absent. */
    public double score(byte[] member) {
        if (lp != null) {
            long loc = locate(member);
            return loc < 0 ? Double.NaN : entryScore(lp, (int) loc);
        }
        return tree.dict.get(member);
    }

    public boolean contains(byte[] member) { return !Double.isNaN(score(member)); }

    /**
     * Sets the member's score, inserting it when absent; converts to skiplist first when the
     * insert would pass the thresholds. Returns true when the member was added.
     */
    public boolean put(byte[] member, double score, Encodings enc) {
        if (lp != null) {
            long loc = locate(member);
            if (loc >= 0) {
                int off = (int) loc;
                if (entryScore(lp, off) == score) return false; // -0 == 0: unchanged, as Redis
                packedRemoveRange(off, nextOff(lp, off), 1);
                packedInsert(member, score);
                return false;
            }
            if (n + 1 > enc.zsetMaxListpackEntries || member.length > enc.zsetMaxListpackValue) {
                convertToSkiplist();
            } else {
                packedInsert(member, score);
                return true;
            }
        }
        ScoreMap dict = tree.dict;
        int slot = dict.find(member);
        if (slot >= 0) {
            double old = dict.valAt(slot);
            if (old == score) return false;
            byte[] m = dict.keyAt(slot);
            tree.delete(old, m);
            tree.insert(score, m);
            dict.setVal(slot, score);
            return false;
        }
        dict.add(member, score);
        tree.insert(score, member);
        return true;
    }

    /** Removes the member; false when it was absent. */
    public boolean remove(byte[] member) {
        if (lp != null) {
            long loc = locate(member);
            if (loc < 0) return false;
            int off = (int) loc;
            packedRemoveRange(off, nextOff(lp, off), 1);
            return true;
        }
        int slot = tree.dict.find(member);
        if (slot < 0) return false;
        byte[] m = tree.dict.keyAt(slot);
        tree.delete(tree.dict.remove(m), m);
        return true;
    }

    /** 0-based ascending rank of the member, or -1 when absent. */
    public int rank(byte[] member) {
        if (lp != null) {
            long loc = locate(member);
            return loc < 0 ? -1 : (int) (loc >>> 32);
        }
        double s = tree.dict.get(member);
        return Double.isNaN(s) ? -1 : tree.rankOf(s, member);
    }

    /** The member at {@code rank} (a fresh copy in the listpack encoding: O(rank)). */
    public byte[] memberAt(int rank) {
        if (lp != null) return entryMember(lp, offsetOfRank(lp, rank));
        OrderTree.Pos p = new OrderTree.Pos();
        if (!tree.seek(rank, p)) throw new IndexOutOfBoundsException(rank);
        return p.leaf.members[p.i];
    }

    public double scoreAt(int rank) {
        if (lp != null) return entryScore(lp, offsetOfRank(lp, rank));
        OrderTree.Pos p = new OrderTree.Pos();
        if (!tree.seek(rank, p)) throw new IndexOutOfBoundsException(rank);
        return p.leaf.scores[p.i];
    }

    // ---- range bounds (as ranks) --------------------------------------------------------

    /** Rank of the first element with score ≥ min (> min when exclusive); size() if none. */
    public int firstRankByScore(double min, boolean exclusive) {
        if (lp != null) {
            byte[] b = lp;
            int i = 0, off = 0;
            while (i < n) {
                int so = scoreOff(b, off);
                double s = scoreAtOff(b, so);
                if (exclusive ? s > min : s >= min) break;
                off = scoreEnd(b, so);
                i++;
            }
            return i;
        }
        return exclusive ? tree.countPrefix((s, m) -> s <= min) : tree.countPrefix((s, m) -> s < min);
    }

    /** One past the rank of the last element with score ≤ max (< max when exclusive). */
    public int endRankByScore(double max, boolean exclusive) {
        if (lp != null) {
            byte[] b = lp;
            int i = 0, off = 0;
            while (i < n) {
                int so = scoreOff(b, off);
                double s = scoreAtOff(b, so);
                if (exclusive ? s >= max : s > max) break;
                off = scoreEnd(b, so);
                i++;
            }
            return i;
        }
        return exclusive ? tree.countPrefix((s, m) -> s < max) : tree.countPrefix((s, m) -> s <= max);
    }

    /** Rank of the first element whose member is at or after {@code min}. */
    public int firstRankByLex(LexBound min) {
        if (lp != null) {
            byte[] b = lp;
            int i = 0, off = 0;
            while (i < n) {
                int ms = memberStart(b, off), me = ms + (int) varint(b, off);
                if (min.admitsAsMin(b, ms, me)) break;
                off = scoreEnd(b, me);
                i++;
            }
            return i;
        }
        return tree.countPrefix((s, m) -> !min.admitsAsMin(m));
    }

    /** One past the rank of the last element whose member is at or before {@code max}. */
    public int endRankByLex(LexBound max) {
        if (lp != null) {
            byte[] b = lp;
            int i = 0, off = 0;
            while (i < n) {
                int ms = memberStart(b, off), me = ms + (int) varint(b, off);
                if (!max.admitsAsMax(b, ms, me)) break;
                off = scoreEnd(b, me);
                i++;
            }
            return i;
        }
        return tree.countPrefix((s, m) -> max.admitsAsMax(m));
    }

    /** Removes the elements with ranks in [start, end). */
    public void removeRange(int start, int end) {
        if (start >= end) return;
        if (lp != null) {
            int from = offsetOfRank(lp, start);
            int to = from;
            for (int i = start; i < end; i++) to = nextOff(lp, to);
            packedRemoveRange(from, to, end - start);
            return;
        }
        int count = Math.min(end, tree.size()) - start;
        if (count <= 0) return;
        // collect first: deleting reshapes the leaves a position points into
        double[] ss = new double[count];
        byte[][] ms = new byte[count][];
        OrderTree.Pos p = new OrderTree.Pos();
        if (!tree.seek(start, p)) return;
        for (int i = 0; i < count; i++, p.forward()) {
            ss[i] = p.leaf.scores[p.i];
            ms[i] = p.leaf.members[p.i];
        }
        for (int i = 0; i < count; i++) {
            tree.dict.remove(ms[i]);
            tree.delete(ss[i], ms[i]);
        }
    }

    // ---- iteration ----------------------------------------------------------------------

    /**
     * A position in rank order; moves forward (ascending) or backward (descending). In the
     * listpack encoding it reads the array it was created on; a backward cursor first
     * records every entry's offset (n ints) since entries can only be decoded forward.
     */
    public final class Cursor {
        private int rank;
        private final OrderTree.Pos node;
        private final boolean reverse;
        private final byte[] b;
        private final int count;
        private int off;
        private int[] offs;

        Cursor(int rank, boolean reverse) {
            this.rank = rank;
            this.reverse = reverse;
            this.b = lp;
            this.count = size();
            if (b == null) {
                OrderTree.Pos p = new OrderTree.Pos();
                node = tree.seek(rank, p) ? p : null;
                return;
            }
            node = null;
            if (reverse) {
                offs = new int[count];
                for (int i = 0, o = 0; i < count; i++) {
                    offs[i] = o;
                    if (i + 1 < count) o = nextOff(b, o);
                }
                if (rank >= 0 && rank < count) off = offs[rank];
            } else if (rank >= 0 && rank < count) {
                off = offsetOfRank(b, rank);
            }
        }

        public boolean valid() { return rank >= 0 && rank < count && (b != null || node != null); }

        public byte[] member() { return b != null ? entryMember(b, off) : node.leaf.members[node.i]; }

        public double score() { return b != null ? entryScore(b, off) : node.leaf.scores[node.i]; }

        public void next() {
            if (reverse) {
                rank--;
                if (b != null) {
                    if (rank >= 0 && rank < count) off = offs[rank];
                } else if (node != null && rank >= 0) {
                    node.backward();
                }
            } else {
                rank++;
                if (b != null) {
                    if (rank > 0 && rank < count) off = nextOff(b, off);
                } else if (node != null && rank < count) {
                    node.forward();
                }
            }
        }
    }

    /** A cursor at {@code rank} (invalid when out of range); must not outlive a change. */
    public Cursor cursor(int rank, boolean reverse) { return new Cursor(rank, reverse); }

    // ---- representation changes ----------------------------------------------------------

    /** Inserts an absent member at its (score, member) position: O(n), one new array. */
    private void packedInsert(byte[] m, double s) {
        byte[] b = lp;
        int off = 0;
        for (int i = 0; i < n; i++) {
            int len = (int) varint(b, off), ms = off + varSize(b, off), so = ms + len;
            double si = scoreAtOff(b, so);
            if (!(si < s || (si == s && Arrays.compareUnsigned(b, ms, so, m, 0, m.length) < 0))) break;
            off = scoreEnd(b, so);
        }
        int size = varLen(m.length) + m.length + scoreSize(s);
        byte[] r = new byte[b.length + size];
        System.arraycopy(b, 0, r, 0, off);
        int w = putVarint(r, off, m.length);
        System.arraycopy(m, 0, r, w, m.length);
        w = putScore(r, w + m.length, s);
        System.arraycopy(b, off, r, w, b.length - off);
        lp = r;
        n++;
    }

    /** Drops the bytes [from, to) holding {@code count} entries. */
    private void packedRemoveRange(int from, int to, int count) {
        byte[] b = lp;
        byte[] r = b.length == to - from ? EMPTY : new byte[b.length - (to - from)];
        System.arraycopy(b, 0, r, 0, from);
        System.arraycopy(b, to, r, from, b.length - to);
        lp = r;
        n -= count;
    }

    /** Converts to the skiplist encoding (no-op when already there). */
    public void convertToSkiplist() {
        if (lp == null) return;
        byte[] b = lp;
        int[] offs = new int[n];
        for (int i = 0, o = 0; i < n; i++) {
            offs[i] = o;
            o = nextOff(b, o);
        }
        double[] ss = new double[n];
        byte[][] ms = new byte[n][];
        ScoreMap dict = new ScoreMap(n + 1);
        for (int i = 0; i < n; i++) {
            ss[i] = entryScore(b, offs[i]);
            ms[i] = entryMember(b, offs[i]);
            dict.add(ms[i], ss[i]);
        }
        tree = OrderTree.build(ss, ms, n);
        tree.dict = dict;
        lp = null;
        n = 0;
    }

    /**
     * Converts to listpack when the set fits the thresholds (Redis does this for the
     * destination of ZUNIONSTORE/ZINTERSTORE/ZDIFFSTORE).
     */
    public void packIfFits(Encodings enc) {
        if (lp != null || tree.size() > enc.zsetMaxListpackEntries) return;
        int bytes = 0;
        for (OrderTree.Leaf l = tree.firstLeaf(); l != null; l = l.next) {
            for (int i = 0; i < l.n; i++) {
                byte[] m = l.members[i];
                if (m.length > enc.zsetMaxListpackValue) return;
                bytes += varLen(m.length) + m.length + scoreSize(l.scores[i]);
            }
        }
        byte[] r = bytes == 0 ? EMPTY : new byte[bytes];
        int w = 0;
        for (OrderTree.Leaf l = tree.firstLeaf(); l != null; l = l.next) {
            for (int i = 0; i < l.n; i++) {
                byte[] m = l.members[i];
                w = putVarint(r, w, m.length);
                System.arraycopy(m, 0, r, w, m.length);
                w = putScore(r, w + m.length, l.scores[i]);
            }
        }
        n = tree.size();
        lp = r;
        tree = null;
    }
}
