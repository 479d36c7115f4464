package io.jkevy.store.type.zset;

import io.jkevy.store.Encodings;
import io.jkevy.store.TypedValue;
import io.jkevy.store.ValueType;

import java.util.Arrays;
import java.util.HashMap;

/**
 * A sorted set: unique members ordered by (score, member bytes unsigned).
 *
 * <p>Two representations, named as Redis names them for OBJECT ENCODING:
 * <ul>
 *   <li>{@code listpack}: two parallel sorted arrays (members, scores), at most
 *       zset-max-listpack-entries elements each of at most zset-max-listpack-value bytes;
 *       every operation is O(n) on n ≤ that threshold.</li>
 *   <li>{@code skiplist}: a {@link SkipList} with span counts (rank and range bounds in
 *       O(log n)) plus a member→node hash map (score lookup in O(1)).</li>
 * </ul>
 * A value converts from listpack to skiplist when an insert would exceed either threshold
 * and never converts back. Member arrays are never mutated after insertion, so they may be
 * shared with the caller's argv and between copies.
 *
 * <p>Ranks are 0-based and ascending. Scores are never NaN. Callers hold the key's lock.
 *
 * <p>API for other types built on sorted sets (geo): {@link #score}, {@link #put},
 * {@link #firstRankByScore}/{@link #endRankByScore} and {@link #cursor} give "add", "score"
 * and "range by score" in ranks.
 */
public final class ZSetValue implements TypedValue {
    // listpack representation (members == null once converted)
    private byte[][] members;
    private double[] scores;
    private int n;
    // skiplist representation
    private SkipList list;
    private HashMap<Key, SkipList.Node> dict;

    private ZSetValue() { }

    /** An empty sorted set in the listpack encoding. */
    public static ZSetValue packed() {
        ZSetValue z = new ZSetValue();
        z.members = new byte[4][];
        z.scores = new double[4];
        return z;
    }

    /** An empty sorted set in the skiplist encoding. */
    public static ZSetValue skiplist() {
        ZSetValue z = new ZSetValue();
        z.list = new SkipList();
        z.dict = new HashMap<>();
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

    @Override public String encoding() { return members != null ? "listpack" : "skiplist"; }

    public boolean isPacked() { return members != null; }

    public int size() { return members != null ? n : list.size; }

    @Override
    public ZSetValue copy() {
        ZSetValue z = new ZSetValue();
        if (members != null) {
            z.members = Arrays.copyOf(members, Math.max(4, n));
            z.scores = Arrays.copyOf(scores, Math.max(4, n));
            z.n = n;
        } else {
            z.list = new SkipList();
            z.dict = new HashMap<>(dict.size() * 4 / 3 + 1);
            // insert in reverse order so every insert lands at the head: O(level) each
            for (SkipList.Node x = list.tail; x != null; x = x.prev) {
                z.dict.put(new Key(x.member), z.list.insert(x.score, x.member));
            }
        }
        return z;
    }

    // ---- point operations ---------------------------------------------------------------

    private int packedIndexOf(byte[] m) {
        for (int i = 0; i < n; i++) if (Arrays.equals(members[i], m)) return i;
        return -1;
    }

    /** The member's score, or NaN when absent. */
    public double score(byte[] member) {
        if (members != null) {
            int i = packedIndexOf(member);
            return i < 0 ? Double.NaN : scores[i];
        }
        SkipList.Node x = dict.get(new Key(member));
        return x == null ? Double.NaN : x.score;
    }

    public boolean contains(byte[] member) { return !Double.isNaN(score(member)); }

    /**
     * Sets the member's score, inserting it when absent; converts to skiplist first when the
     * insert would pass the thresholds. Returns true when the member was added.
     */
    public boolean put(byte[] member, double score, Encodings enc) {
        if (members != null) {
            int i = packedIndexOf(member);
            if (i >= 0) {
                if (scores[i] == score) return false; // -0 == 0: unchanged, as Redis
                packedRemoveAt(i);
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
        Key k = new Key(member);
        SkipList.Node x = dict.get(k);
        if (x != null) {
            if (x.score == score) return false;
            // re-link only when the order changes; otherwise update in place (Redis does the same)
            boolean stays = (x.prev == null || SkipList.less(x.prev.score, x.prev.member, score, member))
                    && (x.next[0] == null || SkipList.less(score, member, x.next[0].score, x.next[0].member));
            if (stays) {
                x.score = score;
            } else {
                list.delete(x.score, x.member);
                dict.put(k, list.insert(score, x.member));
            }
            return false;
        }
        dict.put(k, list.insert(score, member));
        return true;
    }

    /** Removes the member; false when it was absent. */
    public boolean remove(byte[] member) {
        if (members != null) {
            int i = packedIndexOf(member);
            if (i < 0) return false;
            packedRemoveAt(i);
            return true;
        }
        SkipList.Node x = dict.remove(new Key(member));
        if (x == null) return false;
        list.delete(x.score, x.member);
        return true;
    }

    /** 0-based ascending rank of the member, or -1 when absent. */
    public int rank(byte[] member) {
        if (members != null) return packedIndexOf(member);
        SkipList.Node x = dict.get(new Key(member));
        return x == null ? -1 : list.rankOf(x.score, x.member);
    }

    public byte[] memberAt(int rank) {
        return members != null ? members[rank] : list.byRank(rank).member;
    }

    public double scoreAt(int rank) {
        return members != null ? scores[rank] : list.byRank(rank).score;
    }

    // ---- range bounds (as ranks) --------------------------------------------------------

    /** Rank of the first element with score ≥ min (> min when exclusive); size() if none. */
    public int firstRankByScore(double min, boolean exclusive) {
        if (members != null) {
            int i = 0;
            while (i < n && (exclusive ? scores[i] <= min : scores[i] < min)) i++;
            return i;
        }
        return list.countPrefix(x -> exclusive ? x.score <= min : x.score < min);
    }

    /** One past the rank of the last element with score ≤ max (< max when exclusive). */
    public int endRankByScore(double max, boolean exclusive) {
        if (members != null) {
            int i = 0;
            while (i < n && (exclusive ? scores[i] < max : scores[i] <= max)) i++;
            return i;
        }
        return list.countPrefix(x -> exclusive ? x.score < max : x.score <= max);
    }

    /** Rank of the first element whose member is at or after {@code min}. */
    public int firstRankByLex(LexBound min) {
        if (members != null) {
            int i = 0;
            while (i < n && !min.admitsAsMin(members[i])) i++;
            return i;
        }
        return list.countPrefix(x -> !min.admitsAsMin(x.member));
    }

    /** One past the rank of the last element whose member is at or before {@code max}. */
    public int endRankByLex(LexBound max) {
        if (members != null) {
            int i = 0;
            while (i < n && max.admitsAsMax(members[i])) i++;
            return i;
        }
        return list.countPrefix(x -> max.admitsAsMax(x.member));
    }

    /** Removes the elements with ranks in [start, end). */
    public void removeRange(int start, int end) {
        if (start >= end) return;
        if (members != null) {
            System.arraycopy(members, end, members, start, n - end);
            System.arraycopy(scores, end, scores, start, n - end);
            for (int i = n - (end - start); i < n; i++) members[i] = null;
            n -= end - start;
            return;
        }
        SkipList.Node x = list.byRank(start);
        for (int i = start; i < end && x != null; i++) {
            SkipList.Node next = x.next[0];
            dict.remove(new Key(x.member));
            list.delete(x.score, x.member);
            x = next;
        }
    }

    // ---- iteration ----------------------------------------------------------------------

    /** A position in rank order; moves forward (ascending) or backward (descending). */
    public final class Cursor {
        private int rank;
        private SkipList.Node node;
        private final boolean reverse;

        Cursor(int rank, boolean reverse) {
            this.rank = rank;
            this.reverse = reverse;
            if (members == null) node = list.byRank(rank);
        }

        public boolean valid() { return rank >= 0 && rank < size() && (members != null || node != null); }

        public byte[] member() { return members != null ? members[rank] : node.member; }

        public double score() { return members != null ? scores[rank] : node.score; }

        public void next() {
            if (reverse) {
                rank--;
                if (node != null) node = node.prev;
            } else {
                rank++;
                if (node != null) node = node.next[0];
            }
        }
    }

    /** A cursor at {@code rank} (invalid when out of range); must not outlive a change. */
    public Cursor cursor(int rank, boolean reverse) { return new Cursor(rank, reverse); }

    // ---- representation changes ----------------------------------------------------------

    private void packedInsert(byte[] m, double s) {
        int lo = 0, hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (SkipList.less(scores[mid], members[mid], s, m)) lo = mid + 1;
            else hi = mid;
        }
        if (n == members.length) {
            members = Arrays.copyOf(members, n * 2);
            scores = Arrays.copyOf(scores, n * 2);
        }
        System.arraycopy(members, lo, members, lo + 1, n - lo);
        System.arraycopy(scores, lo, scores, lo + 1, n - lo);
        members[lo] = m;
        scores[lo] = s;
        n++;
    }

    private void packedRemoveAt(int i) {
        System.arraycopy(members, i + 1, members, i, n - i - 1);
        System.arraycopy(scores, i + 1, scores, i, n - i - 1);
        members[--n] = null;
    }

    /** Converts to the skiplist encoding (no-op when already there). */
    public void convertToSkiplist() {
        if (members == null) return;
        list = new SkipList();
        dict = new HashMap<>(n * 2);
        for (int i = n - 1; i >= 0; i--) dict.put(new Key(members[i]), list.insert(scores[i], members[i]));
        members = null;
        scores = null;
        n = 0;
    }

    /**
     * Converts to listpack when the set fits the thresholds (Redis does this for the
     * destination of ZUNIONSTORE/ZINTERSTORE/ZDIFFSTORE).
     */
    public void packIfFits(Encodings enc) {
        if (members != null || list.size > enc.zsetMaxListpackEntries) return;
        for (SkipList.Node x = list.head.next[0]; x != null; x = x.next[0]) {
            if (x.member.length > enc.zsetMaxListpackValue) return;
        }
        int size = list.size;
        byte[][] m = new byte[Math.max(4, size)][];
        double[] s = new double[Math.max(4, size)];
        int i = 0;
        for (SkipList.Node x = list.head.next[0]; x != null; x = x.next[0], i++) {
            m[i] = x.member;
            s[i] = x.score;
        }
        members = m;
        scores = s;
        n = size;
        list = null;
        dict = null;
    }

    /** Hash-map key wrapping a member (content equality, cached hash). */
    static final class Key {
        final byte[] b;
        private final int h;

        Key(byte[] b) {
            this.b = b;
            this.h = Arrays.hashCode(b);
        }

        @Override public int hashCode() { return h; }

        @Override public boolean equals(Object o) { return o instanceof Key k && k.h == h && Arrays.equals(k.b, b); }
    }
}
