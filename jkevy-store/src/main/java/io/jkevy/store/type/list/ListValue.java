package io.jkevy.store.type.list;

import io.jkevy.store.TypedValue;
import io.jkevy.store.ValueType;

import java.util.function.Consumer;

/**
 * A Redis list: a sequence of packed nodes ({@link Pack}), like Redis's quicklist of
 * listpacks. A small list is a single node, i.e. one {@code byte[]}.
 *
 * <p>Node size is governed by {@code fill} (list-max-listpack-size, captured when the list is
 * created, as Redis does): a positive value caps elements per node (and node bytes at the
 * 8 KB safety limit), -1..-5 cap node bytes at 4/8/16/32/64 KB. A node always accepts its
 * first element, however large. Nodes live in an array with free room at both ends, so
 * push/pop at either end is O(1) amortized (plus the bounded in-node shift at the head);
 * index lookup is O(nodes + node entries).
 *
 * <p>Invariant: no node is empty; {@link #size} is the sum of node counts. Not thread-safe:
 * callers hold the key's stripe lock.
 */
public final class ListValue implements TypedValue {
    /** Per-node byte cap for fill -1..-5. */
    private static final int[] SIZE_LIMITS = {4096, 8192, 16384, 32768, 65536};
    /** Byte cap of a node when fill counts entries. */
    private static final int SAFETY_LIMIT = 8192;

    private final int fill;
    private Pack[] nodes;
    private int lo;
    private int hi;
    private long size;

    public ListValue(int fill) {
        this.fill = fill < -5 ? -5 : fill;
        this.nodes = new Pack[4];
        this.lo = 2;
        this.hi = 2;
    }

    @Override public ValueType type() { return ValueType.LIST; }

    /** Redis 7.0 reports every list as "quicklist" (the listpack list encoding came in 7.2). */
    @Override public String encoding() { return "quicklist"; }

    /** The node array, each node object and its buffer (capacity, not just used bytes). */
    @Override
    public long memoryBytes(int samples) {
        long total = io.jkevy.store.Heap.object(24) + io.jkevy.store.Heap.refs(nodes.length);
        int count = hi - lo;
        long step = io.jkevy.store.Heap.step(count, samples);
        long sum = 0;
        int seen = 0;
        for (int i = lo; i < hi; i += (int) step) {
            sum += io.jkevy.store.Heap.object(12) + io.jkevy.store.Heap.bytes(nodes[i].buf.length);
            seen++;
        }
        return total + (seen == 0 ? 0 : sum * count / seen);
    }

    @Override
    public ListValue copy() {
        ListValue c = new ListValue(fill);
        c.nodes = new Pack[nodes.length];
        c.lo = lo;
        c.hi = hi;
        for (int i = lo; i < hi; i++) c.nodes[i] = nodes[i].copy();
        c.size = size;
        return c;
    }

    public long size() { return size; }

    /** Number of packed nodes (1 for a small list). */
    public int nodeCount() { return hi - lo; }

    public int fill() { return fill; }

    Pack node(int i) { return nodes[lo + i]; }

    // ---- node array -----------------------------------------------------------------

    /** Most bytes a node may hold (a node's single element may exceed it). */
    private int byteLimit() { return fill >= 0 ? SAFETY_LIMIT : SIZE_LIMITS[-fill - 1]; }

    private boolean accepts(Pack p, byte[] v) {
        if (p.count == 0) return true;
        int newSize = p.used + Pack.entrySize(v);
        if (fill >= 0) return p.count < fill && newSize <= SAFETY_LIMIT;
        return newSize <= SIZE_LIMITS[-fill - 1];
    }

    /**
     * Capacity of a new end node beside the full node {@code full} (null when the list is
     * empty): a list that has filled a node likely fills the next one about as far, so it gets
     * that size at once (no growth copies); a new list starts exact and grows.
     */
    private int newNodeCapacity(Pack full, byte[] v) {
        int first = Pack.entrySize(v);
        if (full == null) return first;
        return Math.max(first, Math.min(full.used + first, byteLimit()));
    }

    private boolean oversized(Pack p) {
        if (p.count <= 1) return false;
        if (fill >= 0) return p.count > Math.max(fill, 1) || p.used > SAFETY_LIMIT;
        return p.used > SIZE_LIMITS[-fill - 1];
    }

    /** Inserts node {@code p} at position {@code i} (0..nodeCount). */
    private void insertNode(int i, Pack p) {
        int n = hi - lo;
        if (i == 0 && lo > 0) {
            nodes[--lo] = p;
            return;
        }
        if (i == n && hi < nodes.length) {
            nodes[hi++] = p;
            return;
        }
        // Re-centre (growing when more than half full) and retry: O(nodes), amortized O(1) at the ends.
        int cap = nodes.length;
        if (n + 1 > cap / 2) cap *= 2;
        Pack[] a = new Pack[cap];
        int nlo = (cap - (n + 1)) / 2;
        System.arraycopy(nodes, lo, a, nlo, i);
        a[nlo + i] = p;
        System.arraycopy(nodes, lo + i, a, nlo + i + 1, n - i);
        nodes = a;
        lo = nlo;
        hi = nlo + n + 1;
    }

    private void removeNode(int i) {
        int at = lo + i;
        if (i == 0) {
            nodes[lo++] = null;
        } else if (at == hi - 1) {
            nodes[--hi] = null;
        } else {
            System.arraycopy(nodes, at + 1, nodes, at, hi - at - 1);
            nodes[--hi] = null;
        }
        if (lo == hi) lo = hi = nodes.length / 2;
    }

    /** Splits node {@code i} in two halves if it exceeds the node limits. */
    private void rebalance(int i) {
        Pack p = node(i);
        if (!oversized(p)) return;
        int keep = p.count / 2;
        int off = p.offsetOf(keep);
        insertNode(i + 1, p.splitAt(off, p.count - keep)); // both halves exact-size
        rebalance(i + 1);
        rebalance(i);
    }

    // ---- ends -----------------------------------------------------------------------

    /** Adds {@code v} at the head ({@code left}) or the tail. */
    public void push(boolean left, byte[] v) {
        int n = hi - lo;
        if (left) {
            Pack p = n == 0 ? null : node(0);
            if (p == null || !accepts(p, v)) {
                if (p != null) p.trim(); // full: its spare room would never be used
                p = new Pack(newNodeCapacity(p, v));
                insertNode(0, p);
            }
            p.insertAt(0, v, byteLimit());
        } else {
            Pack p = n == 0 ? null : node(n - 1);
            if (p == null || !accepts(p, v)) {
                if (p != null) p.trim(); // full: its spare room would never be used
                p = new Pack(newNodeCapacity(p, v));
                insertNode(n, p);
            }
            p.insertAt(p.used, v, byteLimit());
        }
        size++;
    }

    /** Removes and returns the head ({@code left}) or tail element; null when empty. */
    public byte[] pop(boolean left) {
        if (size == 0) return null;
        int i = left ? 0 : hi - lo - 1;
        Pack p = node(i);
        int off = left ? 0 : p.prev(p.used);
        byte[] v = p.get(off);
        p.removeAt(off);
        if (p.count == 0) removeNode(i);
        size--;
        return v;
    }

    // ---- by index (0 <= index < size, already normalized by the caller) ---------------

    /** Node position (high 32 bits) and in-node offset (low 32 bits) of element {@code index}. */
    private long locate(long index) {
        int n = hi - lo;
        int i;
        if (index < size / 2) {
            i = 0;
            while (index >= node(i).count) index -= node(i++).count;
        } else {
            long fromEnd = size - 1 - index;
            i = n - 1;
            while (fromEnd >= node(i).count) fromEnd -= node(i--).count;
            index = node(i).count - 1 - fromEnd;
        }
        return ((long) i << 32) | node(i).offsetOf((int) index);
    }

    public byte[] get(long index) {
        long at = locate(index);
        return node((int) (at >>> 32)).get((int) at);
    }

    public void set(long index, byte[] v) {
        long at = locate(index);
        int ni = (int) (at >>> 32);
        Pack p = node(ni);
        p.replaceAt((int) at, v, byteLimit());
        if (!oversized(p)) p.trim(); // a split trims both halves itself
        rebalance(ni);
    }

    /** Feeds elements [start, start+count) in order; 0 <= start, start+count <= size. */
    public void forEach(long start, long count, Consumer<byte[]> out) {
        if (count <= 0) return;
        Cursor c = cursorAt(start);
        for (long k = 0; k < count && c.next(); k++) out.accept(c.value());
    }

    /** Keeps only elements [start, end] (normalized, start <= end < size); returns how many went. */
    public long trim(long start, long end) {
        long left = start;
        long right = size - 1 - end;
        removeHead(left);
        removeTail(right);
        return left + right;
    }

    private void removeHead(long n) {
        while (n > 0) {
            Pack p = node(0);
            if (p.count <= n) {
                n -= p.count;
                size -= p.count;
                removeNode(0);
            } else {
                int k = (int) n;
                p.removeRange(0, p.offsetOf(k), k);
                size -= k;
                n = 0;
            }
        }
    }

    private void removeTail(long n) {
        while (n > 0) {
            int last = hi - lo - 1;
            Pack p = node(last);
            if (p.count <= n) {
                n -= p.count;
                size -= p.count;
                removeNode(last);
            } else {
                int k = (int) n;
                p.removeRange(p.offsetOf(p.count - k), p.used, k);
                size -= k;
                n = 0;
            }
        }
    }

    /**
     * Removes elements equal to {@code v}: up to {@code count} from the head when positive,
     * up to {@code -count} from the tail when negative, all when 0. Returns how many.
     */
    public long remove(long count, byte[] v) {
        Cursor c = count < 0 ? cursor(true) : cursor(false);
        long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
        long removed = 0;
        while (removed < limit && c.next()) {
            if (c.matches(v)) {
                c.remove();
                removed++;
            }
        }
        return removed;
    }

    /** Inserts {@code v} before/after the first {@code pivot} from the head; false if none. */
    public boolean insert(boolean before, byte[] pivot, byte[] v) {
        Cursor c = cursor(false);
        while (c.next()) {
            if (c.matches(pivot)) {
                c.insert(before, v);
                return true;
            }
        }
        return false;
    }

    /** A cursor walking from the head, or from the tail when {@code reverse}. */
    public Cursor cursor(boolean reverse) { return new Cursor(reverse); }

    /** A forward cursor whose first {@link Cursor#next()} yields element {@code index}. */
    public Cursor cursorAt(long index) {
        Cursor c = new Cursor(false);
        if (index < size) {
            long at = locate(index);
            c.ni = (int) (at >>> 32);
            c.off = (int) at;
            c.stay = true;
        } else {
            c.ni = hi - lo;
            c.stay = true;
        }
        return c;
    }

    /**
     * Walks the list one element at a time; {@link #next()} moves to the next element (false
     * past the end). {@link #remove()} deletes the current element; the walk then goes on with
     * the element that followed it in the walk's direction.
     */
    public final class Cursor {
        private final boolean reverse;
        int ni;
        int off;
        /** Position already holds the element the next {@link #next()} must yield. */
        boolean stay;

        Cursor(boolean reverse) {
            this.reverse = reverse;
            int n = hi - lo;
            if (reverse) {
                ni = n - 1;
                off = n == 0 ? 0 : node(ni).prev(node(ni).used);
            } else {
                ni = 0;
                off = 0;
            }
            stay = true;
        }

        public boolean next() {
            int n = hi - lo;
            if (stay) {
                stay = false;
                return ni >= 0 && ni < n;
            }
            if (ni < 0 || ni >= n) return false;
            Pack p = node(ni);
            if (!reverse) {
                off = p.next(off);
                if (off >= p.used) {
                    ni++;
                    off = 0;
                }
                return ni < n;
            }
            if (off == 0) {
                ni--;
                if (ni < 0) return false;
                off = node(ni).prev(node(ni).used);
                return true;
            }
            off = p.prev(off);
            return true;
        }

        public byte[] value() { return node(ni).get(off); }

        public boolean matches(byte[] v) { return node(ni).equalsAt(off, v); }

        public void remove() {
            Pack p = node(ni);
            p.removeAt(off);
            size--;
            stay = true;
            if (p.count == 0) {
                removeNode(ni);
                if (reverse) {
                    ni--;
                    if (ni >= 0) off = node(ni).prev(node(ni).used);
                } else {
                    off = 0;
                }
                return;
            }
            if (!reverse) {
                if (off >= p.used) {
                    ni++;
                    off = 0;
                }
            } else if (off == 0) {
                ni--;
                if (ni >= 0) off = node(ni).prev(node(ni).used);
            } else {
                off = p.prev(off);
            }
        }

        /** Inserts {@code v} next to the current element; the cursor must not be used after. */
        void insert(boolean before, byte[] v) {
            Pack p = node(ni);
            p.insertAt(before ? off : p.next(off), v, byteLimit());
            size++;
            if (!oversized(p)) p.trim(); // a split trims both halves itself
            rebalance(ni);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        forEach(0, size, b -> {
            if (sb.length() > 1) sb.append(", ");
            sb.append(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1));
        });
        return sb.append(']').toString();
    }

    /** Element count of each packed node, head first (DUMP writes one listpack per node). */
    public int[] nodeCounts() {
        int[] r = new int[hi - lo];
        for (int i = 0; i < r.length; i++) r[i] = node(i).count;
        return r;
    }
}
