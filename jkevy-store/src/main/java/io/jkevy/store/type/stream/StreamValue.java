package io.jkevy.store.type.stream;

import io.jkevy.store.TypedValue;
import io.jkevy.store.ValueType;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A Redis stream. Entries live in nodes (Redis's listpacks in a radix tree) keyed by the id
 * of the first entry appended to the node; a node holds up to stream-node-max-entries slots
 * and about stream-node-max-bytes of packed field/value data, slots in ascending id order.
 * Deleting an entry clears its slot (a tombstone inside the node); a node whose live count
 * drops to zero by XDEL is removed; trimming removes whole nodes from the head, and exact
 * trimming also tombstones entries inside the first remaining node. So the node layout,
 * and with it approximate ({@code ~}) trimming and XINFO's radix-tree-keys, follows Redis.
 *
 * <p>Also kept as Redis 7.0 does: the last generated id, the greatest id deleted by XDEL
 * (max-deleted-entry-id), the count of entries ever added (entries-added) and the consumer
 * groups ordered by name bytes. An empty stream is a valid value (streams are not deleted
 * when they become empty).
 */
public final class StreamValue implements TypedValue {
    /** Node byte limit used when stream-node-max-bytes is 0 (Redis's listpack ceiling, 1 GB). */
    static final long NODE_BYTES_CEILING = 1L << 30;
    /** Fixed per-entry bytes counted besides the packed fields (flags, id deltas, back-count). */
    static final int ENTRY_OVERHEAD = 8;

    static final class Node {
        StreamId[] ids;
        /** Packed field/values per slot; null marks a deleted slot. */
        byte[][] packed;
        int used;
        int live;
        long bytes;

        Node(int cap) {
            ids = new StreamId[cap];
            packed = new byte[cap][];
        }

        void add(StreamId id, byte[] p) {
            if (used == ids.length) {
                int n = Math.max(4, used * 2);
                ids = Arrays.copyOf(ids, n);
                packed = Arrays.copyOf(packed, n);
            }
            ids[used] = id;
            packed[used] = p;
            used++;
            live++;
            bytes += p.length + ENTRY_OVERHEAD;
        }

        /** First slot whose id is >= {@code id} (== used when none). */
        int lowerBound(StreamId id) {
            int lo = 0, hi = used;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (ids[mid].compareTo(id) < 0) lo = mid + 1; else hi = mid;
            }
            return lo;
        }

        Node copy() {
            Node n = new Node(0);
            n.ids = Arrays.copyOf(ids, used);
            n.packed = Arrays.copyOf(packed, used);  // packed arrays are immutable: shared
            n.used = used;
            n.live = live;
            n.bytes = bytes;
            return n;
        }
    }

    /** Visits entries in order; return false to stop. */
    @FunctionalInterface
    public interface EntryVisitor {
        boolean visit(StreamId id, byte[] packed);
    }

    private final TreeMap<StreamId, Node> nodes = new TreeMap<>();
    private long length;
    private StreamId lastId = StreamId.MIN;
    private StreamId maxDeletedId = StreamId.MIN;
    private long entriesAdded;
    private TreeMap<byte[], ConsumerGroup> groups;

    @Override public ValueType type() { return ValueType.STREAM; }

    @Override public String encoding() { return "stream"; }

    /**
     * Nodes: the tree entry (40), the node (40), its two slot arrays, an id object (32) per
     * slot and the packed arrays (from the node's byte count: payload plus array header less
     * the counted entry overhead). Nodes are sampled from the newest; groups and their
     * pending entries (tree entry 40 + entry object 40 each, in the group and its consumer)
     * are counted in full.
     */
    @Override
    public long memoryBytes(int samples) {
        long total = io.jkevy.store.Heap.object(56) + io.jkevy.store.Heap.object(36);
        int count = nodes.size(), seen = 0;
        long sum = 0;
        for (Node n : nodes.descendingMap().values()) {
            if (samples > 0 && seen >= samples) break;
            sum += 80 + 2 * io.jkevy.store.Heap.refs(n.ids.length) + 32L * n.used
                    + n.bytes + (long) n.live * (io.jkevy.store.Heap.ARRAY_HEADER + 4 - ENTRY_OVERHEAD);
            seen++;
        }
        if (seen > 0) total += sum * count / seen;
        if (groups != null) {
            for (ConsumerGroup g : groups.values()) {
                total += 40 + io.jkevy.store.Heap.object(40) + io.jkevy.store.Heap.bytes(g.name.length) + 80L * g.pel.size();
                for (StreamConsumer c : g.consumers.values()) {
                    total += 40 + io.jkevy.store.Heap.object(24) + io.jkevy.store.Heap.bytes(c.name.length) + 40L * c.pel.size();
                }
            }
        }
        return total;
    }

    @Override
    public StreamValue copy() {
        StreamValue s = new StreamValue();
        for (Map.Entry<StreamId, Node> e : nodes.entrySet()) s.nodes.put(e.getKey(), e.getValue().copy());
        s.length = length;
        s.lastId = lastId;
        s.maxDeletedId = maxDeletedId;
        s.entriesAdded = entriesAdded;
        if (groups != null) {
            s.groups = new TreeMap<>(Arrays::compareUnsigned);
            for (ConsumerGroup g : groups.values()) s.groups.put(g.name, g.copy());
        }
        return s;
    }

    public long length() { return length; }

    public StreamId lastId() { return lastId; }

    public StreamId maxDeletedId() { return maxDeletedId; }

    public long entriesAdded() { return entriesAdded; }

    /** Number of nodes (XINFO radix-tree-keys). */
    public int nodeCount() { return nodes.size(); }

    /** XSETID: the caller validated the values against the stream. */
    public void setIds(StreamId last, long added, StreamId maxDeleted) {
        lastId = last;
        if (added >= 0) entriesAdded = added;
        if (maxDeleted != null) maxDeletedId = maxDeleted;
    }

    // ---- entries -------------------------------------------------------------------------

    /**
     * Appends an entry whose id the caller checked is greater than {@link #lastId()}. A new
     * node starts when the tail node holds {@code maxEntries} slots (0 = unbounded) or the
     * entry would take it to {@code maxBytes} (0 = 1 GB). O(log nodes).
     */
    public void append(StreamId id, byte[] packed, int maxEntries, int maxBytes) {
        Map.Entry<StreamId, Node> tail = nodes.lastEntry();
        Node n = tail == null ? null : tail.getValue();
        long byteLimit = maxBytes <= 0 || maxBytes > NODE_BYTES_CEILING ? NODE_BYTES_CEILING : maxBytes;
        if (n != null && (n.bytes + packed.length + ENTRY_OVERHEAD >= byteLimit
                || (maxEntries > 0 && n.used >= maxEntries))) n = null;
        if (n == null) {
            n = new Node(Math.max(1, Math.min(maxEntries <= 0 ? 16 : maxEntries, 16)));
            n.bytes = packed.length;    // the node's master field list
            nodes.put(id, n);
        }
        n.add(id, packed);
        length++;
        entriesAdded++;
        lastId = id;
    }

    /** The packed field/values of a live entry, or null. */
    public byte[] get(StreamId id) {
        Map.Entry<StreamId, Node> e = nodes.floorEntry(id);
        if (e == null) return null;
        Node n = e.getValue();
        int i = n.lowerBound(id);
        return i < n.used && n.ids[i].equals(id) ? n.packed[i] : null;
    }

    public boolean exists(StreamId id) { return get(id) != null; }

    /** Deletes a live entry (XDEL): tombstones its slot, drops an emptied node. */
    public boolean delete(StreamId id) {
        Map.Entry<StreamId, Node> e = nodes.floorEntry(id);
        if (e == null) return false;
        Node n = e.getValue();
        int i = n.lowerBound(id);
        if (i >= n.used || !n.ids[i].equals(id) || n.packed[i] == null) return false;
        n.packed[i] = null;
        n.live--;
        length--;
        if (n.live == 0) nodes.remove(e.getKey());
        if (id.compareTo(maxDeletedId) > 0) maxDeletedId = id;
        return true;
    }

    /** Visits live entries with start <= id <= end, ascending or descending. */
    public void range(StreamId start, StreamId end, boolean reverse, EntryVisitor v) {
        if (start.compareTo(end) > 0 || nodes.isEmpty()) return;
        if (!reverse) {
            StreamId from = nodes.floorKey(start);
            NavigableMap<StreamId, Node> tail = from == null ? nodes : nodes.tailMap(from, true);
            for (Node n : tail.values()) {
                for (int i = n.lowerBound(start); i < n.used; i++) {
                    if (n.ids[i].compareTo(end) > 0) return;
                    if (n.packed[i] != null && !v.visit(n.ids[i], n.packed[i])) return;
                }
            }
        } else {
            StreamId from = nodes.floorKey(end);
            if (from == null) return;
            for (Node n : nodes.headMap(from, true).descendingMap().values()) {
                int i = n.lowerBound(end);
                if (i == n.used || !n.ids[i].equals(end)) i--;
                for (; i >= 0; i--) {
                    if (n.ids[i].compareTo(start) < 0) return;
                    if (n.packed[i] != null && !v.visit(n.ids[i], n.packed[i])) return;
                }
            }
        }
    }

    /** The id of the first live entry, or 0-0 when empty. */
    public StreamId firstId() {
        for (Node n : nodes.values()) {
            for (int i = 0; i < n.used; i++) if (n.packed[i] != null) return n.ids[i];
        }
        return StreamId.MIN;
    }

    /** The id of the last live entry, or 0-0 when empty. */
    public StreamId lastEntryId() {
        for (Node n : nodes.descendingMap().values()) {
            for (int i = n.used - 1; i >= 0; i--) if (n.packed[i] != null) return n.ids[i];
        }
        return StreamId.MIN;
    }

    /**
     * Trims from the head: with {@code minId == null} down to {@code maxLen} entries, else
     * every entry below {@code minId}. Whole nodes go first; {@code approx} stops at the
     * first node that cannot go whole; {@code limit} (0 = none) caps the entries removed by
     * whole-node removal as Redis's LIMIT does. Returns the number of entries removed.
     */
    public long trim(long maxLen, StreamId minId, boolean approx, long limit) {
        long removed = 0;
        Iterator<Map.Entry<StreamId, Node>> it = nodes.entrySet().iterator();
        while (it.hasNext()) {
            if (minId == null && length <= maxLen) break;
            Node n = it.next().getValue();
            long entries = n.live;
            if (limit != 0 && removed + entries > limit) break;
            boolean whole = minId == null ? length - entries >= maxLen : n.ids[n.used - 1].compareTo(minId) < 0;
            if (whole) {
                it.remove();
                length -= entries;
                removed += entries;
                continue;
            }
            if (approx) break;
            for (int i = 0; i < n.used; i++) {
                if (n.packed[i] == null) continue;
                boolean stop = minId == null ? length <= maxLen : n.ids[i].compareTo(minId) >= 0;
                if (stop) break;
                n.packed[i] = null;
                n.live--;
                length--;
                removed++;
            }
            break;
        }
        return removed;
    }

    // ---- groups --------------------------------------------------------------------------

    public ConsumerGroup group(byte[] name) { return groups == null ? null : groups.get(name); }

    /** Groups in name byte order (empty when none). */
    public java.util.Collection<ConsumerGroup> groups() {
        return groups == null ? java.util.List.of() : groups.values();
    }

    public int groupCount() { return groups == null ? 0 : groups.size(); }

    /** Creates a group; null when one with that name exists. */
    public ConsumerGroup createGroup(byte[] name, StreamId lastDelivered, long entriesRead) {
        if (groups == null) groups = new TreeMap<>(Arrays::compareUnsigned);
        if (groups.containsKey(name)) return null;
        ConsumerGroup g = new ConsumerGroup(name, lastDelivered, entriesRead);
        groups.put(name, g);
        return g;
    }

    public boolean destroyGroup(byte[] name) { return groups != null && groups.remove(name) != null; }

    /**
     * Whether an XDEL tombstone may lie in [start, end] (end null = to the top): true when
     * max-deleted-entry-id falls in the range of a non-empty stream (Redis's conservative test).
     */
    public boolean rangeHasTombstones(StreamId start, StreamId end) {
        if (length == 0 || maxDeletedId.isZero()) return false;
        StreamId e = end == null ? StreamId.MAX : end;
        return start.compareTo(maxDeletedId) <= 0 && maxDeletedId.compareTo(e) <= 0;
    }

    /**
     * The logical offset (entries read to reach {@code id} from the first entry ever added),
     * or {@link ConsumerGroup#INVALID_ENTRIES_READ} when it cannot be known because of
     * deletions.
     */
    public long estimateEntriesRead(StreamId id) {
        if (entriesAdded == 0) return 0;
        if (length == 0 && id.compareTo(lastId) < 1) return entriesAdded;
        int c = id.compareTo(lastId);
        if (c == 0) return entriesAdded;
        if (c > 0) return ConsumerGroup.INVALID_ENTRIES_READ;
        StreamId first = firstId();
        int cFirst = id.compareTo(first);
        if (maxDeletedId.isZero() || maxDeletedId.compareTo(first) < 0) {
            if (cFirst < 0) return entriesAdded - length;
            if (cFirst == 0) return entriesAdded - length + 1;
        }
        return ConsumerGroup.INVALID_ENTRIES_READ;
    }

    /** The group's lag (entries not yet read), or -1 when it cannot be computed. */
    public long lag(ConsumerGroup g) {
        if (entriesAdded == 0) return 0;
        if (g.entriesRead != ConsumerGroup.INVALID_ENTRIES_READ && !rangeHasTombstones(g.lastId, null)) {
            return entriesAdded - g.entriesRead;
        }
        long read = estimateEntriesRead(g.lastId);
        return read == ConsumerGroup.INVALID_ENTRIES_READ ? -1 : entriesAdded - read;
    }

    /** Records that the group was served entry {@code id} with {@code >} (last id and offset). */
    public void advanceGroup(ConsumerGroup g, StreamId id) {
        if (id.compareTo(g.lastId) <= 0) return;
        if (g.entriesRead != ConsumerGroup.INVALID_ENTRIES_READ && !rangeHasTombstones(id, null)) {
            g.entriesRead++;
        } else if (entriesAdded != 0) {
            g.entriesRead = estimateEntriesRead(id);
        }
        g.lastId = id;
    }
}
