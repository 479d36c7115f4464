package io.jkevy.engine.command.stream;

import io.jkevy.engine.Args;
import io.jkevy.engine.command.hash.Listpack;
import io.jkevy.engine.rdb.DumpPayload;
import io.jkevy.engine.rdb.RdbFormatException;
import io.jkevy.engine.rdb.RdbInput;
import io.jkevy.engine.rdb.RdbOutput;
import io.jkevy.store.Encodings;
import io.jkevy.store.ValueType;
import io.jkevy.store.type.stream.ConsumerGroup;
import io.jkevy.store.type.stream.PendingEntry;
import io.jkevy.store.type.stream.StreamConsumer;
import io.jkevy.store.type.stream.StreamEntry;
import io.jkevy.store.type.stream.StreamId;
import io.jkevy.store.type.stream.StreamValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Streams in Redis's RDB serialization, for DUMP/RESTORE.
 *
 * <p>Written as Redis 7.0 writes them, type 19 (RDB_TYPE_STREAM_LISTPACKS_2):
 * <pre>
 *   node count
 *   per node:  RDB string of 16 bytes (master id: ms u64 BE, seq u64 BE)
 *              RDB string holding the node's listpack
 *   length (live entries), last id (ms, seq as RDB lengths)
 *   first id, max deleted entry id (ms, seq each), entries added        [19 and 21 only]
 *   group count; per group (ascending name bytes):
 *     name (RDB string), last delivered id (ms, seq)
 *     entries read (RDB length; 2^64-1 = unknown)                       [19 and 21 only]
 *     PEL: count; per entry (ascending id): id as 16 raw bytes BE, delivery time
 *          (unix ms, i64 LE), delivery count (RDB length)
 *     consumers: count; per consumer (ascending name bytes): name (RDB string), seen time
 *          (unix ms, i64 LE), [active time, i64 LE: type 21 only], own PEL count and ids
 *          (16 raw bytes each; times and counts come from the group PEL)
 * </pre>
 * Node listpack, every number an integer listpack entry: the master entry {@code live-count,
 * deleted-count, master-field-count, master fields..., 0}, then per entry {@code flags,
 * ms - master ms, seq - master seq (both as signed 64-bit), [field count, field, value...
 * | value... when flag SAMEFIELDS (2): same fields as the master], element count of the
 * entry excluding this one}. Flag DELETED (1) marks a tombstone.
 *
 * <p>Node boundaries are recomputed on DUMP with Redis's append rule and the default limits
 * (a new node when the listpack plus the entry's field and value bytes would reach 4096
 * bytes, or the node holds 100 entries); tombstones are not written. So a stream built
 * under the default limits without XDEL/exact trimming inside a node dumps byte for byte as
 * redis-server dumps it; others dump a different but equivalent layout. RESTORE appends the
 * live entries under the same default limits, so XINFO's radix-tree-keys after RESTORE may
 * differ from the source server's. The stored first id is not kept (jkevy derives it from
 * the entries): an empty stream dumps first id 0-0 where Redis may write the last deleted id.
 *
 * <p>Read: types 15 (STREAM_LISTPACKS: no first/max-deleted id, entries added or entries
 * read; entries added is taken as the length and each group's entries read is estimated
 * from its last id, as Redis 7.0 loads them), 19, and 21 (Redis 7.2: adds each consumer's
 * active time, which jkevy does not keep). Rejected as malformed: a node key that is not 16
 * bytes, an empty or inconsistent node listpack, entry ids not strictly ascending, a length
 * that differs from the live entries, a last id below the last entry, duplicate groups,
 * consumers or PEL ids, a consumer PEL id missing from the group PEL, and a group PEL
 * entry no consumer owns.
 */
public final class StreamRdb {
    private StreamRdb() { }

    public static final int TYPE_STREAM_LISTPACKS = 15;
    public static final int TYPE_STREAM_LISTPACKS_2 = 19;
    public static final int TYPE_STREAM_LISTPACKS_3 = 21;

    static final int FLAG_DELETED = 1, FLAG_SAMEFIELDS = 2;

    private static final Encodings DEFAULTS = new Encodings();

    public static void register() {
        DumpPayload.registerEncoder(ValueType.STREAM, new DumpPayload.Encoder() {
            @Override public int typeId(Object value) { return TYPE_STREAM_LISTPACKS_2; }

            @Override public void encode(Object value, RdbOutput out, boolean compress) {
                write((StreamValue) value, out, compress);
            }
        });
        DumpPayload.registerDecoder(TYPE_STREAM_LISTPACKS, in -> read(in, TYPE_STREAM_LISTPACKS));
        DumpPayload.registerDecoder(TYPE_STREAM_LISTPACKS_2, in -> read(in, TYPE_STREAM_LISTPACKS_2));
        DumpPayload.registerDecoder(TYPE_STREAM_LISTPACKS_3, in -> read(in, TYPE_STREAM_LISTPACKS_3));
    }

    // ---- writing -------------------------------------------------------------------------

    /** One node being filled: the listpack elements and its byte size as Redis counts it. */
    private static final class NodeBuilder {
        final StreamId master;
        final byte[][] masterFields;
        final List<byte[]> entries = new ArrayList<>();
        int count;
        /** Listpack bytes except the live-count element (which grows in place as Redis does). */
        long bytesWithoutCount;

        NodeBuilder(StreamId master, byte[][] fieldsAndValues) {
            this.master = master;
            int n = fieldsAndValues.length / 2;
            masterFields = new byte[n][];
            for (int i = 0; i < n; i++) masterFields[i] = fieldsAndValues[2 * i];
            bytesWithoutCount = 6 + 1 + entrySize(num(0)) + entrySize(num(n)) + entrySize(num(0));
            for (byte[] f : masterFields) bytesWithoutCount += entrySize(f);
        }

        long bytes() { return bytesWithoutCount + entrySize(num(count)); }

        void add(StreamId id, byte[][] fv) {
            int n = fv.length / 2;
            boolean same = n == masterFields.length;
            for (int i = 0; same && i < n; i++) same = Arrays.equals(fv[2 * i], masterFields[i]);
            List<byte[]> e = new ArrayList<>(fv.length + 5);
            e.add(num(same ? FLAG_SAMEFIELDS : 0));
            e.add(num(id.ms - master.ms));
            e.add(num(id.seq - master.seq));
            if (same) {
                for (int i = 0; i < n; i++) e.add(fv[2 * i + 1]);
            } else {
                e.add(num(n));
                e.addAll(Arrays.asList(fv));
            }
            e.add(num(e.size()));
            for (byte[] x : e) bytesWithoutCount += entrySize(x);
            entries.addAll(e);
            count++;
        }

        byte[] listpack() {
            List<byte[]> all = new ArrayList<>(entries.size() + masterFields.length + 4);
            all.add(num(count));
            all.add(num(0));
            all.add(num(masterFields.length));
            all.addAll(Arrays.asList(masterFields));
            all.add(num(0));
            all.addAll(entries);
            return Listpack.encode(all);
        }
    }

    static void write(StreamValue s, RdbOutput out, boolean compress) {
        List<NodeBuilder> nodes = new ArrayList<>();
        long maxBytes = DEFAULTS.streamNodeMaxBytes;
        int maxEntries = DEFAULTS.streamNodeMaxEntries;
        s.range(StreamId.MIN, StreamId.MAX, false, (id, packed) -> {
            byte[][] fv = StreamEntry.unpack(packed);
            NodeBuilder tail = nodes.isEmpty() ? null : nodes.get(nodes.size() - 1);
            if (tail != null) {
                long fieldBytes = 0;
                for (byte[] x : fv) fieldBytes += x.length;
                if (tail.bytes() + fieldBytes >= maxBytes || tail.count >= maxEntries) tail = null;
            }
            if (tail == null) {
                tail = new NodeBuilder(id, fv);
                nodes.add(tail);
            }
            tail.add(id, fv);
            return true;
        });
        out.writeLength(nodes.size());
        for (NodeBuilder n : nodes) {
            out.writeString(rawId(n.master), compress);
            out.writeString(n.listpack(), compress);
        }
        out.writeLength(s.length());
        writeId(out, s.lastId());
        writeId(out, s.firstId());
        writeId(out, s.maxDeletedId());
        out.writeLength(s.entriesAdded());
        out.writeLength(s.groupCount());
        for (ConsumerGroup g : s.groups()) {
            out.writeString(g.name, compress);
            writeId(out, g.lastId);
            out.writeLength(g.entriesRead);
            out.writeLength(g.pel.size());
            for (PendingEntry p : g.pel.values()) {
                byte[] raw = rawId(p.id);
                out.writeBytes(raw, 0, raw.length);
                out.writeLongLE(p.deliveryTime, 8);
                out.writeLength(p.deliveryCount);
            }
            out.writeLength(g.consumers.size());
            for (StreamConsumer c : g.consumers.values()) {
                out.writeString(c.name, compress);
                out.writeLongLE(c.seenTime, 8);
                out.writeLength(c.pel.size());
                for (StreamId id : c.pel.keySet()) {
                    byte[] raw = rawId(id);
                    out.writeBytes(raw, 0, raw.length);
                }
            }
        }
    }

    /** An id as two RDB lengths; 64-bit values past 2^63 come out as 0x81 + 8 bytes, as Redis's. */
    private static void writeId(RdbOutput out, StreamId id) {
        out.writeLength(id.ms);
        out.writeLength(id.seq);
    }

    /** An id as Redis's radix-tree key: ms then seq, each u64 big-endian. */
    static byte[] rawId(StreamId id) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (id.ms >>> (56 - 8 * i));
            b[8 + i] = (byte) (id.seq >>> (56 - 8 * i));
        }
        return b;
    }

    private static byte[] num(long v) { return Long.toString(v).getBytes(StandardCharsets.US_ASCII); }

    /** Bytes a listpack entry for {@code v} takes (encoding, data, back-length), as Listpack writes it. */
    static int entrySize(byte[] v) {
        int l;
        if (Args.isLong(v)) {
            long x = Args.parseLong(v);
            if (x >= 0 && x <= 127) l = 1;
            else if (x >= -4096 && x <= 4095) l = 2;
            else if (x >= Short.MIN_VALUE && x <= Short.MAX_VALUE) l = 3;
            else if (x >= -(1 << 23) && x < (1 << 23)) l = 4;
            else if (x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE) l = 5;
            else l = 9;
        } else {
            int n = v.length;
            l = (n < 64 ? 1 : n < 4096 ? 2 : 5) + n;
        }
        int back = l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
        return l + back;
    }

    // ---- reading -------------------------------------------------------------------------

    static StreamValue read(RdbInput in, int type) throws RdbFormatException {
        StreamValue s = new StreamValue();
        long nodes = in.readLength();
        StreamId prev = null;
        for (long n = 0; n < nodes; n++) {
            byte[] key = in.readString();
            if (key.length != 16) throw new RdbFormatException("stream node key is not 16 bytes");
            StreamId master = idFrom(key, 0);
            List<byte[]> lp = Listpack.decode(in.readString());
            if (lp.isEmpty()) throw new RdbFormatException("empty listpack inside stream");
            prev = readNode(s, master, lp, prev);
        }
        long length = in.readLength();
        if (length != s.length()) throw new RdbFormatException("stream length differs from its entries");
        StreamId last = readId(in);
        if (prev != null && last.compareTo(prev) < 0) throw new RdbFormatException("stream last id below its last entry");
        if (type == TYPE_STREAM_LISTPACKS) {
            s.setIds(last, -1, null);
        } else {
            readId(in); // first id: derived from the entries instead
            StreamId maxDeleted = readId(in);
            long added = readU64(in);
            s.setIds(last, added, maxDeleted);
        }
        long groups = in.readLength();
        for (long g = 0; g < groups; g++) readGroup(in, s, type);
        return s;
    }

    /** Appends a node's live entries; returns the greatest id seen (live or not). */
    private static StreamId readNode(StreamValue s, StreamId master, List<byte[]> lp, StreamId prev)
            throws RdbFormatException {
        int[] p = {0};
        long live = integer(lp, p), deleted = integer(lp, p), nf = integer(lp, p);
        if (nf <= 0 || nf > lp.size()) throw new RdbFormatException("bad stream master field count");
        byte[][] masterFields = new byte[(int) nf][];
        for (int i = 0; i < nf; i++) masterFields[i] = element(lp, p);
        if (integer(lp, p) != 0) throw new RdbFormatException("missing stream master terminator");
        long seenLive = 0, seenDeleted = 0;
        while (p[0] < lp.size()) {
            int start = p[0];
            long flags = integer(lp, p);
            StreamId id = new StreamId(master.ms + integer(lp, p), master.seq + integer(lp, p));
            byte[][] fv;
            if ((flags & FLAG_SAMEFIELDS) != 0) {
                fv = new byte[2 * masterFields.length][];
                for (int i = 0; i < masterFields.length; i++) {
                    fv[2 * i] = masterFields[i];
                    fv[2 * i + 1] = element(lp, p);
                }
            } else {
                long k = integer(lp, p);
                if (k <= 0 || k > lp.size()) throw new RdbFormatException("bad stream entry field count");
                fv = new byte[2 * (int) k][];
                for (int i = 0; i < fv.length; i++) fv[i] = element(lp, p);
            }
            if (integer(lp, p) != p[0] - start - 1) throw new RdbFormatException("bad stream entry element count");
            if (prev != null && id.compareTo(prev) <= 0) throw new RdbFormatException("stream ids not ascending");
            prev = id;
            if ((flags & FLAG_DELETED) != 0) {
                seenDeleted++;
                continue;
            }
            seenLive++;
            s.append(id, StreamEntry.pack(fv, 0, fv.length), DEFAULTS.streamNodeMaxEntries, DEFAULTS.streamNodeMaxBytes);
        }
        if (seenLive != live || seenDeleted != deleted) throw new RdbFormatException("stream node counts mismatch");
        return prev;
    }

    private static void readGroup(RdbInput in, StreamValue s, int type) throws RdbFormatException {
        byte[] name = in.readString();
        StreamId last = readId(in);
        long read = type == TYPE_STREAM_LISTPACKS ? s.estimateEntriesRead(last) : readU64(in);
        ConsumerGroup g = s.createGroup(name, last, read);
        if (g == null) throw new RdbFormatException("duplicate stream group");
        long n = in.readLength();
        // id -> {delivery time, delivery count}, claimed as consumers name them
        TreeMap<StreamId, long[]> pel = new TreeMap<>();
        for (long i = 0; i < n; i++) {
            StreamId id = readRawId(in);
            long time = readLongLE(in);
            long count = in.readLength();
            if (pel.put(id, new long[] {time, count}) != null) throw new RdbFormatException("duplicate PEL entry");
        }
        long consumers = in.readLength();
        for (long c = 0; c < consumers; c++) {
            byte[] cname = in.readString();
            long seen = readLongLE(in);
            if (type == TYPE_STREAM_LISTPACKS_3) readLongLE(in); // active time: not kept
            if (g.consumer(cname) != null) throw new RdbFormatException("duplicate stream consumer");
            StreamConsumer consumer = g.createConsumer(cname, seen);
            long owned = in.readLength();
            for (long i = 0; i < owned; i++) {
                StreamId id = readRawId(in);
                long[] nack = pel.remove(id);
                if (nack == null) throw new RdbFormatException("consumer PEL entry not in the group PEL");
                g.addPending(id, nack[0], nack[1], consumer);
            }
        }
        if (!pel.isEmpty()) throw new RdbFormatException("group PEL entry without a consumer");
    }

    private static long integer(List<byte[]> lp, int[] p) throws RdbFormatException {
        byte[] e = element(lp, p);
        long v = Args.parseLongOr(e, Long.MIN_VALUE, true);
        if (v == Long.MIN_VALUE && !Args.isLong(e)) throw new RdbFormatException("stream listpack: integer expected");
        return v;
    }

    private static byte[] element(List<byte[]> lp, int[] p) throws RdbFormatException {
        if (p[0] >= lp.size()) throw new RdbFormatException("stream listpack truncated");
        return lp.get(p[0]++);
    }

    private static StreamId readId(RdbInput in) throws RdbFormatException {
        long ms = readU64(in);
        return new StreamId(ms, readU64(in));
    }

    /** An RDB length read as an unsigned 64-bit value (ids and entry counters use all 64 bits). */
    private static long readU64(RdbInput in) throws RdbFormatException {
        int b = in.readByte();
        switch (b >>> 6) {
            case 0: return b & 0x3f;
            case 1: return ((long) (b & 0x3f) << 8) | in.readByte();
            default:
                int bytes = b == 0x80 ? 4 : b == 0x81 ? 8 : -1;
                if (bytes < 0) throw new RdbFormatException("unexpected encoded value where a length was expected");
                long v = 0;
                for (int i = 0; i < bytes; i++) v = (v << 8) | in.readByte();
                return v;
        }
    }

    private static long readLongLE(RdbInput in) throws RdbFormatException {
        long v = 0;
        for (int i = 0; i < 8; i++) v |= (long) in.readByte() << (8 * i);
        return v;
    }

    private static StreamId readRawId(RdbInput in) throws RdbFormatException {
        byte[] b = new byte[16];
        for (int i = 0; i < 16; i++) b[i] = (byte) in.readByte();
        return idFrom(b, 0);
    }

    private static StreamId idFrom(byte[] b, int off) {
        long ms = 0, seq = 0;
        for (int i = 0; i < 8; i++) {
            ms = (ms << 8) | (b[off + i] & 0xff);
            seq = (seq << 8) | (b[off + 8 + i] & 0xff);
        }
        return new StreamId(ms, seq);
    }
}
