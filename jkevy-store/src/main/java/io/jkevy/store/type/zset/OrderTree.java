package io.jkevy.store.type.zset;

/**
 * An order-statistics B+tree of (score, member) entries, ordered by score and then by member
 * bytes (unsigned), the large sorted-set encoding. Members are unique only because the owning
 * {@link ZSetValue} guarantees it (it keeps the member→score map).
 *
 * <p>Leaves hold up to {@link #LEAF_CAP} entries in two parallel arrays (scores in a
 * {@code double[]}, members in a {@code byte[][]}) and are linked both ways for iteration.
 * Inner nodes hold up to {@link #INNER_CAP} children with each child's entry count (so rank
 * lookups, rank of a bound and access by rank are O(log n)) and, for every child but the first,
 * a separator key: a lower bound of that child's keys and greater than every key of the child
 * before it. Separators are set when a node splits or entries move between siblings; removing a
 * child's smallest entry leaves its separator as it was (still a valid lower bound).
 *
 * <p>Invariants: every node except the root holds at least a quarter of its capacity; the root
 * is an inner node only when it has two or more children; {@code Inner.total} is the sum of
 * its {@code counts}. Ranks are 0-based. Scores are never NaN; -0.0 and 0.0 compare equal
 * (the order then falls to the members), as the listpack encoding and Redis order them.
 *
 * <p>Why not a skip list: an update of a random member in a 100k-member skip list walks about
 * 33 nodes twice, each step two dependent cache misses (node, then its level array). Here the
 * upper levels are few and small enough to stay cached and a leaf is searched in a contiguous
 * {@code double[]} (docs/benchmarks.md has the measurements).
 */
final class OrderTree {
    static final int LEAF_CAP = 64;
    static final int INNER_CAP = 64;
    private static final int LEAF_MIN = LEAF_CAP / 4;
    private static final int INNER_MIN = INNER_CAP / 4;
    /** Bulk builds fill leaves to this many entries (room left for inserts without a split). */
    private static final int BUILD_FILL = LEAF_CAP * 3 / 4;

    abstract static sealed class Node permits Leaf, Inner {
        /** entries (leaf) or children (inner) */
        int n;
    }

    static final class Leaf extends Node {
        final double[] scores = new double[LEAF_CAP];
        final byte[][] members = new byte[LEAF_CAP][];
        Leaf prev;
        Leaf next;
    }

    static final class Inner extends Node {
        final Node[] kids = new Node[INNER_CAP];
        final int[] counts = new int[INNER_CAP];
        /** separator of kids[i] for i ≥ 1 (index 0 unused) */
        final double[] sepS = new double[INNER_CAP];
        final byte[][] sepM = new byte[INNER_CAP][];
        int total;
    }

    /** A monotone predicate over keys: true for a prefix of the key order, false after it. */
    interface Prefix {
        boolean test(double score, byte[] member);
    }

    /**
     * The owner's member→score map. It lives here only to keep {@link ZSetValue} (one per
     * sorted set, most of them small and packed) at a single field for the large encoding.
     */
    ScoreMap dict;

    private Node root = new Leaf();
    private Leaf first = (Leaf) root;
    private Leaf last = first;
    private int size;

    int size() { return size; }

    Leaf firstLeaf() { return size == 0 ? null : first; }

    Leaf lastLeaf() { return size == 0 ? null : last; }

    // ---- comparisons ----------------------------------------------------------------------

    static int compare(double s1, byte[] m1, double s2, byte[] m2) {
        if (s1 < s2) return -1;
        if (s1 > s2) return 1;
        return ZSetValue.compareMembers(m1, m2);
    }

    static boolean less(double s1, byte[] m1, double s2, byte[] m2) {
        return s1 < s2 || (s1 == s2 && ZSetValue.compareMembers(m1, m2) < 0);
    }

    private static int sizeOf(Node x) { return x instanceof Leaf l ? l.n : ((Inner) x).total; }

    /** Index of the first entry of {@code l} that is not less than (s, m); l.n when none. */
    private static int lowerBound(Leaf l, double s, byte[] m) {
        double[] sc = l.scores;
        int lo = 0, hi = l.n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            double x = sc[mid];
            if (x < s || (x == s && ZSetValue.compareMembers(l.members[mid], m) < 0)) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** The child of {@code in} whose key range holds (s, m): the last child with separator ≤ key. */
    private static int childFor(Inner in, double s, byte[] m) {
        double[] sc = in.sepS;
        int lo = 1, hi = in.n; // answer = (number of separators ≤ key), searched over [1, n)
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            double x = sc[mid];
            if (x < s || (x == s && ZSetValue.compareMembers(in.sepM[mid], m) <= 0)) lo = mid + 1;
            else hi = mid;
        }
        return lo - 1;
    }

    // ---- insert -----------------------------------------------------------------------------

    /** Inserts (score, member); the member must not be present. */
    void insert(double score, byte[] member) {
        Node sp = insert(root, score, member);
        if (sp != null) {
            Inner r = new Inner();
            r.kids[0] = root;
            r.counts[0] = sizeOf(root);
            r.kids[1] = sp;
            r.counts[1] = sizeOf(sp);
            adoptSep(r, 1, sp);
            r.n = 2;
            r.total = r.counts[0] + r.counts[1];
            root = r;
        }
        size++;
    }

    /** Inserts below x; returns a new right sibling of x when x split, else null. */
    private Node insert(Node x, double s, byte[] m) {
        if (x instanceof Leaf l) return leafInsert(l, lowerBound(l, s, m), s, m);
        Inner in = (Inner) x;
        int c = childFor(in, s, m);
        Node sp = insert(in.kids[c], s, m);
        in.total++;
        if (sp == null) {
            in.counts[c]++;
            return null;
        }
        in.counts[c] = sizeOf(in.kids[c]);
        return innerAdd(in, c + 1, sp, sizeOf(sp));
    }

    private Leaf leafInsert(Leaf l, int i, double s, byte[] m) {
        if (l.n < LEAF_CAP) {
            leafPut(l, i, s, m);
            return null;
        }
        // full: split; appends at either end of the whole tree keep the full leaf full
        // (splitting at 3/4 keeps ascending or descending runs of inserts 3/4 full, not half)
        int mid = i == LEAF_CAP && l.next == null ? LEAF_CAP - LEAF_MIN
                : i == 0 && l.prev == null ? LEAF_MIN : LEAF_CAP / 2;
        Leaf r = new Leaf();
        int k = LEAF_CAP - mid;
        System.arraycopy(l.scores, mid, r.scores, 0, k);
        System.arraycopy(l.members, mid, r.members, 0, k);
        java.util.Arrays.fill(l.members, mid, LEAF_CAP, null);
        r.n = k;
        l.n = mid;
        r.next = l.next;
        if (r.next != null) r.next.prev = r;
        else last = r;
        r.prev = l;
        l.next = r;
        if (i <= mid) leafPut(l, i, s, m);
        else leafPut(r, i - mid, s, m);
        return r;
    }

    private static void leafPut(Leaf l, int i, double s, byte[] m) {
        int k = l.n - i;
        if (k > 0) {
            System.arraycopy(l.scores, i, l.scores, i + 1, k);
            System.arraycopy(l.members, i, l.members, i + 1, k);
        }
        l.scores[i] = s;
        l.members[i] = m;
        l.n++;
    }

    /** Sets in.sep[i] to the smallest key of {@code x}. */
    private static void setSep(Inner in, int i, Node x) {
        while (x instanceof Inner y) x = y.kids[0];
        Leaf l = (Leaf) x;
        in.sepS[i] = l.scores[0];
        in.sepM[i] = l.members[0];
    }

    /**
     * Adds child {@code x} (holding {@code cnt} entries, already included in in.total) at
     * position i ≥ 1; splits when full and returns the new right sibling.
     */
    private Inner innerAdd(Inner in, int i, Node x, int cnt) {
        if (in.n < INNER_CAP) {
            innerPut(in, i, x, cnt);
            return null;
        }
        int mid = INNER_CAP / 2;
        Inner r = new Inner();
        int k = INNER_CAP - mid;
        System.arraycopy(in.kids, mid, r.kids, 0, k);
        System.arraycopy(in.counts, mid, r.counts, 0, k);
        System.arraycopy(in.sepS, mid, r.sepS, 0, k);
        System.arraycopy(in.sepM, mid, r.sepM, 0, k); // r.sep[0] is r's own separator in the parent
        java.util.Arrays.fill(in.kids, mid, INNER_CAP, null);
        java.util.Arrays.fill(in.sepM, mid, INNER_CAP, null);
        r.n = k;
        in.n = mid;
        if (i <= mid) innerPut(in, i, x, cnt);
        else innerPut(r, i - mid, x, cnt);
        // in.total already counts every entry below it, x included: move r's share over
        for (int j = 0; j < r.n; j++) r.total += r.counts[j];
        in.total -= r.total;
        return r;
    }

    /** Inserts child x at i ≥ 1 into a non-full inner node (in.total is the caller's business). */
    private void innerPut(Inner in, int i, Node x, int cnt) {
        int k = in.n - i;
        if (k > 0) {
            System.arraycopy(in.kids, i, in.kids, i + 1, k);
            System.arraycopy(in.counts, i, in.counts, i + 1, k);
            System.arraycopy(in.sepS, i, in.sepS, i + 1, k);
            System.arraycopy(in.sepM, i, in.sepM, i + 1, k);
        }
        in.kids[i] = x;
        in.counts[i] = cnt;
        adoptSep(in, i, x);
        in.n++;
    }

    /**
     * Sets in.sep[i] for a node just split off: a leaf's smallest key, or the separator a split
     * inner node carries in its slot 0 (copied there from its old parent's slot).
     */
    private static void adoptSep(Inner in, int i, Node x) {
        if (x instanceof Inner y) {
            in.sepS[i] = y.sepS[0];
            in.sepM[i] = y.sepM[0];
            y.sepM[0] = null;
        } else {
            setSep(in, i, x);
        }
    }

    // ---- delete -----------------------------------------------------------------------------

    /** Removes the entry (score, member); false when it is absent. */
    boolean delete(double score, byte[] member) {
        if (!delete(root, score, member)) return false;
        size--;
        if (root instanceof Inner r && r.n == 1) root = r.kids[0];
        return true;
    }

    private boolean delete(Node x, double s, byte[] m) {
        if (x instanceof Leaf l) {
            int i = lowerBound(l, s, m);
            if (i == l.n || l.scores[i] != s || ZSetValue.compareMembers(l.members[i], m) != 0) return false;
            leafRemove(l, i);
            return true;
        }
        Inner in = (Inner) x;
        int c = childFor(in, s, m);
        if (!delete(in.kids[c], s, m)) return false;
        in.counts[c]--;
        in.total--;
        fixUnderflow(in, c);
        return true;
    }

    private static void leafRemove(Leaf l, int i) {
        int k = l.n - i - 1;
        if (k > 0) {
            System.arraycopy(l.scores, i + 1, l.scores, i, k);
            System.arraycopy(l.members, i + 1, l.members, i, k);
        }
        l.members[--l.n] = null;
    }

    /** Restores the minimum fill of in.kids[c] by merging with or borrowing from a sibling. */
    private void fixUnderflow(Inner in, int c) {
        Node k = in.kids[c];
        boolean leaf = k instanceof Leaf;
        if (k.n >= (leaf ? LEAF_MIN : INNER_MIN) || in.n < 2) return;
        int a = c > 0 ? c - 1 : c; // left of the pair
        int b = a + 1;
        Node left = in.kids[a], right = in.kids[b];
        int cap = leaf ? LEAF_CAP : INNER_CAP;
        if (left.n + right.n <= cap) {
            if (leaf) mergeLeaves((Leaf) left, (Leaf) right);
            else mergeInner((Inner) left, (Inner) right, in.sepS[b], in.sepM[b]);
            in.counts[a] += in.counts[b];
            int t = in.n - b - 1;
            System.arraycopy(in.kids, b + 1, in.kids, b, t);
            System.arraycopy(in.counts, b + 1, in.counts, b, t);
            System.arraycopy(in.sepS, b + 1, in.sepS, b, t);
            System.arraycopy(in.sepM, b + 1, in.sepM, b, t);
            in.n--;
            in.kids[in.n] = null;
            in.sepM[in.n] = null;
            return;
        }
        int move = (left.n - right.n) / 2; // > 0: left → right, < 0: right → left
        if (leaf) shiftLeaves(in, b, (Leaf) left, (Leaf) right, move);
        else shiftInner(in, b, (Inner) left, (Inner) right, move);
    }

    private void mergeLeaves(Leaf l, Leaf r) {
        System.arraycopy(r.scores, 0, l.scores, l.n, r.n);
        System.arraycopy(r.members, 0, l.members, l.n, r.n);
        l.n += r.n;
        l.next = r.next;
        if (r.next != null) r.next.prev = l;
        else last = l;
    }

    private static void mergeInner(Inner l, Inner r, double sepS, byte[] sepM) {
        System.arraycopy(r.kids, 0, l.kids, l.n, r.n);
        System.arraycopy(r.counts, 0, l.counts, l.n, r.n);
        System.arraycopy(r.sepS, 0, l.sepS, l.n, r.n);
        System.arraycopy(r.sepM, 0, l.sepM, l.n, r.n);
        l.sepS[l.n] = sepS; // r's first child is bounded by r's separator in the parent
        l.sepM[l.n] = sepM;
        l.n += r.n;
        l.total += r.total;
    }

    /** Moves |move| entries between adjacent leaves (in.kids[b-1], in.kids[b]) and resets the separator. */
    private static void shiftLeaves(Inner in, int b, Leaf l, Leaf r, int move) {
        if (move > 0) {
            System.arraycopy(r.scores, 0, r.scores, move, r.n);
            System.arraycopy(r.members, 0, r.members, move, r.n);
            System.arraycopy(l.scores, l.n - move, r.scores, 0, move);
            System.arraycopy(l.members, l.n - move, r.members, 0, move);
            java.util.Arrays.fill(l.members, l.n - move, l.n, null);
            l.n -= move;
            r.n += move;
        } else {
            int k = -move;
            System.arraycopy(r.scores, 0, l.scores, l.n, k);
            System.arraycopy(r.members, 0, l.members, l.n, k);
            System.arraycopy(r.scores, k, r.scores, 0, r.n - k);
            System.arraycopy(r.members, k, r.members, 0, r.n - k);
            java.util.Arrays.fill(r.members, r.n - k, r.n, null);
            l.n += k;
            r.n -= k;
        }
        in.counts[b - 1] = l.n;
        in.counts[b] = r.n;
        in.sepS[b] = r.scores[0];
        in.sepM[b] = r.members[0];
    }

    /** Moves |move| children between adjacent inner nodes (in.kids[b-1], in.kids[b]). */
    private static void shiftInner(Inner in, int b, Inner l, Inner r, int move) {
        int cnt = 0;
        if (move > 0) {
            // r's old first child is bounded by r's separator in the parent
            r.sepS[0] = in.sepS[b];
            r.sepM[0] = in.sepM[b];
            System.arraycopy(r.kids, 0, r.kids, move, r.n);
            System.arraycopy(r.counts, 0, r.counts, move, r.n);
            System.arraycopy(r.sepS, 0, r.sepS, move, r.n);
            System.arraycopy(r.sepM, 0, r.sepM, move, r.n);
            int from = l.n - move;
            System.arraycopy(l.kids, from, r.kids, 0, move);
            System.arraycopy(l.counts, from, r.counts, 0, move);
            System.arraycopy(l.sepS, from, r.sepS, 0, move);
            System.arraycopy(l.sepM, from, r.sepM, 0, move);
            for (int j = 0; j < move; j++) cnt += r.counts[j];
            in.sepS[b] = r.sepS[0];
            in.sepM[b] = r.sepM[0];
            r.sepM[0] = null;
            java.util.Arrays.fill(l.kids, from, l.n, null);
            java.util.Arrays.fill(l.sepM, from, l.n, null);
            l.n -= move;
            r.n += move;
            l.total -= cnt;
            r.total += cnt;
        } else {
            int k = -move;
            System.arraycopy(r.kids, 0, l.kids, l.n, k);
            System.arraycopy(r.counts, 0, l.counts, l.n, k);
            System.arraycopy(r.sepS, 0, l.sepS, l.n, k);
            System.arraycopy(r.sepM, 0, l.sepM, l.n, k);
            l.sepS[l.n] = in.sepS[b];
            l.sepM[l.n] = in.sepM[b];
            for (int j = 0; j < k; j++) cnt += r.counts[j];
            in.sepS[b] = r.sepS[k];
            in.sepM[b] = r.sepM[k];
            int t = r.n - k;
            System.arraycopy(r.kids, k, r.kids, 0, t);
            System.arraycopy(r.counts, k, r.counts, 0, t);
            System.arraycopy(r.sepS, k, r.sepS, 0, t);
            System.arraycopy(r.sepM, k, r.sepM, 0, t);
            java.util.Arrays.fill(r.kids, t, r.n, null);
            java.util.Arrays.fill(r.sepM, t, r.n, null);
            r.sepM[0] = null;
            l.n += k;
            r.n -= k;
            l.total += cnt;
            r.total -= cnt;
        }
        in.counts[b - 1] = l.total;
        in.counts[b] = r.total;
    }

    // ---- rank queries -----------------------------------------------------------------------

    /** 0-based rank of (score, member), or -1 when absent. */
    int rankOf(double score, byte[] member) {
        Node x = root;
        int r = 0;
        while (x instanceof Inner in) {
            int c = childFor(in, score, member);
            for (int j = 0; j < c; j++) r += in.counts[j];
            x = in.kids[c];
        }
        Leaf l = (Leaf) x;
        int i = lowerBound(l, score, member);
        if (i == l.n || l.scores[i] != score || ZSetValue.compareMembers(l.members[i], member) != 0) return -1;
        return r + i;
    }

    /** The number of leading entries for which {@code p} holds. */
    int countPrefix(Prefix p) {
        Node x = root;
        int r = 0;
        while (x instanceof Inner in) {
            // the last child whose separator satisfies p: every child before it is all-true
            int lo = 1, hi = in.n;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (p.test(in.sepS[mid], in.sepM[mid])) lo = mid + 1;
                else hi = mid;
            }
            int c = lo - 1;
            for (int j = 0; j < c; j++) r += in.counts[j];
            x = in.kids[c];
        }
        Leaf l = (Leaf) x;
        int lo = 0, hi = l.n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (p.test(l.scores[mid], l.members[mid])) lo = mid + 1;
            else hi = mid;
        }
        return r + lo;
    }

    /** Positions {@code pos} on the entry at {@code rank}; false (pos untouched) when out of range. */
    boolean seek(int rank, Pos pos) {
        if (rank < 0 || rank >= size) return false;
        Node x = root;
        while (x instanceof Inner in) {
            int c = 0;
            while (rank >= in.counts[c]) rank -= in.counts[c++];
            x = in.kids[c];
        }
        pos.leaf = (Leaf) x;
        pos.i = rank;
        return true;
    }

    /** A position in the leaves: entry {@code i} of {@code leaf}. */
    static class Pos {
        Leaf leaf;
        int i;

        /** Moves to the next entry; leaf becomes null past the end. */
        final void forward() {
            if (++i >= leaf.n) {
                leaf = leaf.next;
                i = 0;
            }
        }

        /** Moves to the previous entry; leaf becomes null before the start. */
        final void backward() {
            if (--i < 0) {
                leaf = leaf.prev;
                i = leaf == null ? 0 : leaf.n - 1;
            }
        }
    }

    // ---- bulk -------------------------------------------------------------------------------

    /** A tree holding the {@code n} entries given in strictly ascending order. */
    static OrderTree build(double[] scores, byte[][] members, int n) {
        OrderTree t = new OrderTree();
        if (n == 0) return t;
        int leaves = (n + BUILD_FILL - 1) / BUILD_FILL;
        Node[] level = new Node[leaves];
        int[] counts = new int[leaves];
        Leaf prev = null;
        for (int j = 0, at = 0; j < leaves; j++) {
            // spread evenly so that no leaf is under the minimum
            int take = (n - at) / (leaves - j);
            Leaf l = new Leaf();
            System.arraycopy(scores, at, l.scores, 0, take);
            System.arraycopy(members, at, l.members, 0, take);
            l.n = take;
            at += take;
            l.prev = prev;
            if (prev != null) prev.next = l;
            else t.first = l;
            prev = l;
            level[j] = l;
            counts[j] = take;
        }
        t.last = prev;
        int fill = INNER_CAP * 3 / 4;
        while (level.length > 1) {
            int m = (level.length + fill - 1) / fill;
            Node[] up = new Node[m];
            int[] upCounts = new int[m];
            for (int j = 0, at = 0; j < m; j++) {
                int take = (level.length - at) / (m - j);
                Inner in = new Inner();
                for (int q = 0; q < take; q++) {
                    in.kids[q] = level[at + q];
                    in.counts[q] = counts[at + q];
                    in.total += counts[at + q];
                    if (q > 0) setSep(in, q, level[at + q]);
                }
                in.n = take;
                at += take;
                up[j] = in;
                upCounts[j] = in.total;
            }
            level = up;
            counts = upCounts;
        }
        t.root = level[0];
        t.size = n;
        return t;
    }

    /** A structurally independent copy sharing the (immutable) member arrays. */
    OrderTree copy() {
        double[] s = new double[size];
        byte[][] m = new byte[size][];
        int k = 0;
        for (Leaf l = firstLeaf(); l != null; l = l.next) {
            System.arraycopy(l.scores, 0, s, k, l.n);
            System.arraycopy(l.members, 0, m, k, l.n);
            k += l.n;
        }
        return build(s, m, size);
    }

    /** Checks every invariant (tests); throws IllegalStateException on the first violation. */
    void verify() {
        int[] leafCount = {0};
        int n = verify(root, true, null, null, 0.0, null, leafCount);
        if (n != size) throw new IllegalStateException("size " + size + " but tree holds " + n);
        int k = 0;
        Leaf p = null;
        for (Leaf l = first; l != null; l = l.next) {
            if (l.prev != p) throw new IllegalStateException("broken prev link");
            p = l;
            k += l.n;
        }
        if (p != last) throw new IllegalStateException("last is not the last leaf");
        if (k != size) throw new IllegalStateException("leaf chain holds " + k + ", size " + size);
    }

    /** Verifies x's subtree: keys in [lo, hi) (null = unbounded); returns its entry count. */
    private int verify(Node x, boolean isRoot, Double loS, byte[] loM, double hiS, byte[] hiM, int[] leafCount) {
        if (x instanceof Leaf l) {
            if (!isRoot && l.n < LEAF_MIN) throw new IllegalStateException("leaf under minimum: " + l.n);
            for (int i = 0; i < l.n; i++) {
                if (i > 0 && !less(l.scores[i - 1], l.members[i - 1], l.scores[i], l.members[i]))
                    throw new IllegalStateException("leaf out of order");
                if (loS != null && less(l.scores[i], l.members[i], loS, loM))
                    throw new IllegalStateException("entry below its separator");
                if (hiM != null && !less(l.scores[i], l.members[i], hiS, hiM))
                    throw new IllegalStateException("entry at or above the next separator");
            }
            for (int i = l.n; i < LEAF_CAP; i++) if (l.members[i] != null) throw new IllegalStateException("stale slot");
            return l.n;
        }
        Inner in = (Inner) x;
        if (in.n < (isRoot ? 2 : INNER_MIN)) throw new IllegalStateException("inner under minimum: " + in.n);
        int total = 0;
        for (int c = 0; c < in.n; c++) {
            Double cl = c == 0 ? loS : Double.valueOf(in.sepS[c]);
            byte[] clm = c == 0 ? loM : in.sepM[c];
            double ch = c + 1 < in.n ? in.sepS[c + 1] : hiS;
            byte[] chm = c + 1 < in.n ? in.sepM[c + 1] : hiM;
            if (c > 0 && in.sepM[c] == null) throw new IllegalStateException("missing separator");
            int k = verify(in.kids[c], false, cl, clm, ch, chm, leafCount);
            if (k != in.counts[c]) throw new IllegalStateException("count " + in.counts[c] + " but child holds " + k);
            total += k;
        }
        if (total != in.total) throw new IllegalStateException("total " + in.total + " but children hold " + total);
        return total;
    }
}
