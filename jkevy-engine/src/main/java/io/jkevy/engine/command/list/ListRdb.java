package io.jkevy.engine.command.list;

import io.jkevy.engine.Args;
import io.jkevy.engine.rdb.DumpPayload;
import io.jkevy.engine.rdb.RdbFormatException;
import io.jkevy.engine.rdb.RdbInput;
import io.jkevy.engine.rdb.RdbOutput;
import io.jkevy.store.ValueType;
import io.jkevy.store.type.list.ListValue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lists in Redis's RDB serialization, for DUMP/RESTORE.
 *
 * <p>Written as Redis 7.0 does: type 18 (quicklist 2) = node count, then per node the
 * container kind (2 = packed) and the node as one RDB string holding a listpack. One listpack
 * is written per jkevy node, so node boundaries (and thus the bytes) match Redis only where
 * the node layouts coincide, e.g. every list that fits one node.
 *
 * <p>Listpack layout: {@code u32 LE total bytes, u16 LE element count (65535 = unknown),
 * entries, 0xFF}. Entry = encoding+data, then its length as a backlen (1..5 bytes, low 7
 * bits in the last byte, high bit = more bytes to the left). Encodings: {@code 0xxxxxxx}
 * 7-bit uint; {@code 10xxxxxx} string of up to 63 bytes; {@code 110xxxxx x} 13-bit signed;
 * {@code 1110xxxx x} string up to 4095 bytes; {@code F0} + u32 LE length string; {@code F1}/
 * {@code F2}/{@code F3}/{@code F4} 16/24/32/64-bit signed LE. Elements that are canonical
 * decimal integers are stored as integers (as Redis does), others as strings.
 *
 * <p>Read: types 18 (packed and plain nodes) and 1 (plain: count + strings). Restored
 * lists get node fill -2 (the default list-max-listpack-size): decoders have no access to
 * the live configuration.
 */
public final class ListRdb {
    private ListRdb() { }

    public static final int TYPE_LIST = 1;
    public static final int TYPE_QUICKLIST2 = 18;
    private static final int CONTAINER_PLAIN = 1;
    private static final int CONTAINER_PACKED = 2;
    private static final int RESTORE_FILL = -2;

    public static void register() {
        DumpPayload.registerEncoder(ValueType.LIST, new DumpPayload.Encoder() {
            @Override public int typeId(Object value) { return TYPE_QUICKLIST2; }

            @Override public void encode(Object value, RdbOutput out, boolean compress) { write((ListValue) value, out, compress); }
        });
        DumpPayload.registerDecoder(TYPE_QUICKLIST2, ListRdb::readQuicklist2);
        DumpPayload.registerDecoder(TYPE_LIST, ListRdb::readPlain);
    }

    static void write(ListValue l, RdbOutput out, boolean compress) {
        int[] counts = l.nodeCounts();
        out.writeLength(counts.length);
        ListValue.Cursor c = l.cursor(false);
        for (int n : counts) {
            RdbOutput lp = new RdbOutput(64);
            for (int i = 0; i < 6; i++) lp.writeByte(0); // header, patched below
            for (int i = 0; i < n && c.next(); i++) writeEntry(lp, c.value());
            lp.writeByte(0xFF);
            byte[] blob = lp.toByteArray();
            int total = blob.length;
            for (int i = 0; i < 4; i++) blob[i] = (byte) (total >>> (8 * i));
            int cnt = Math.min(n, 65535);
            blob[4] = (byte) cnt;
            blob[5] = (byte) (cnt >>> 8);
            out.writeLength(CONTAINER_PACKED);
            out.writeString(blob, compress);
        }
    }

    private static void writeEntry(RdbOutput lp, byte[] v) {
        int start = lp.size();
        if (v.length > 0 && v.length <= 20 && Args.isLong(v)) {
            long x = Args.parseLong(v);
            if (x >= 0 && x <= 127) {
                lp.writeByte((int) x);
            } else if (x >= -4096 && x <= 4095) {
                int u = (int) x & 0x1FFF;
                lp.writeByte(0xC0 | (u >>> 8));
                lp.writeByte(u & 0xFF);
            } else if (x >= Short.MIN_VALUE && x <= Short.MAX_VALUE) {
                lp.writeByte(0xF1);
                lp.writeLongLE(x, 2);
            } else if (x >= -(1 << 23) && x < (1 << 23)) {
                lp.writeByte(0xF2);
                lp.writeLongLE(x, 3);
            } else if (x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE) {
                lp.writeByte(0xF3);
                lp.writeLongLE(x, 4);
            } else {
                lp.writeByte(0xF4);
                lp.writeLongLE(x, 8);
            }
        } else {
            int len = v.length;
            if (len < 64) {
                lp.writeByte(0x80 | len);
            } else if (len < 4096) {
                lp.writeByte(0xE0 | (len >>> 8));
                lp.writeByte(len & 0xFF);
            } else {
                lp.writeByte(0xF0);
                lp.writeLongLE(len, 4);
            }
            lp.writeBytes(v, 0, len);
        }
        writeBacklen(lp, lp.size() - start);
    }

    /** Redis's backlen: most significant group first, every byte but the first flagged 0x80. */
    private static void writeBacklen(RdbOutput lp, long l) {
        int n = l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
        for (int i = n - 1; i >= 0; i--) {
            int b = (int) ((l >>> (7 * i)) & 127);
            lp.writeByte(i == n - 1 ? b : b | 128);
        }
    }

    private static Object readPlain(RdbInput in) throws RdbFormatException {
        long n = in.readLength();
        if (n == 0) throw new RdbFormatException("empty list");
        ListValue l = new ListValue(RESTORE_FILL);
        for (long i = 0; i < n; i++) l.push(false, in.readString());
        return l;
    }

    private static Object readQuicklist2(RdbInput in) throws RdbFormatException {
        long nodes = in.readLength();
        ListValue l = new ListValue(RESTORE_FILL);
        for (long i = 0; i < nodes; i++) {
            long container = in.readLength();
            byte[] data = in.readString();
            if (container == CONTAINER_PLAIN) l.push(false, data);
            else if (container == CONTAINER_PACKED) readListpack(data, l);
            else throw new RdbFormatException("bad quicklist container " + container);
        }
        if (l.size() == 0) throw new RdbFormatException("empty list");
        return l;
    }

    /** Appends the elements of listpack {@code lp} to {@code l}, validating every bound. */
    static void readListpack(byte[] lp, ListValue l) throws RdbFormatException {
        if (lp.length < 7) throw new RdbFormatException("listpack too short");
        long total = (lp[0] & 0xffL) | (lp[1] & 0xffL) << 8 | (lp[2] & 0xffL) << 16 | (lp[3] & 0xffL) << 24;
        if (total != lp.length) throw new RdbFormatException("listpack length mismatch");
        int declared = (lp[4] & 0xff) | (lp[5] & 0xff) << 8;
        int p = 6;
        int seen = 0;
        while (true) {
            if (p >= lp.length) throw new RdbFormatException("listpack without terminator");
            int b = lp[p] & 0xff;
            if (b == 0xFF) {
                if (p != lp.length - 1) throw new RdbFormatException("listpack data after terminator");
                break;
            }
            int start = p;
            byte[] v;
            if ((b & 0x80) == 0) {
                v = num(b);
                p += 1;
            } else if ((b & 0xC0) == 0x80) {
                int len = b & 0x3F;
                v = slice(lp, p + 1, len);
                p += 1 + len;
            } else if ((b & 0xE0) == 0xC0) {
                need(lp, p, 2);
                int u = ((b & 0x1F) << 8) | (lp[p + 1] & 0xff);
                v = num(u >= 4096 ? u - 8192 : u);
                p += 2;
            } else if ((b & 0xF0) == 0xE0) {
                need(lp, p, 2);
                int len = ((b & 0x0F) << 8) | (lp[p + 1] & 0xff);
                v = slice(lp, p + 2, len);
                p += 2 + len;
            } else if (b == 0xF0) {
                need(lp, p, 5);
                long len = le(lp, p + 1, 4);
                if (len > lp.length) throw new RdbFormatException("listpack string too long");
                v = slice(lp, p + 5, (int) len);
                p += 5 + (int) len;
            } else if (b >= 0xF1 && b <= 0xF4) {
                int bytes = b == 0xF1 ? 2 : b == 0xF2 ? 3 : b == 0xF3 ? 4 : 8;
                need(lp, p, 1 + bytes);
                long x = le(lp, p + 1, bytes);
                int shift = 64 - 8 * bytes;
                v = num((x << shift) >> shift);
                p += 1 + bytes;
            } else {
                throw new RdbFormatException("bad listpack encoding " + b);
            }
            long entryLen = p - start;
            // backlen: must state the entry length
            long back = 0;
            int n = entryLen <= 127 ? 1 : entryLen < 16383 ? 2 : entryLen < 2097151 ? 3 : entryLen < 268435455 ? 4 : 5;
            need(lp, p, n);
            for (int i = 0; i < n; i++) back = (back << 7) | (lp[p + i] & 127);
            if (back != entryLen) throw new RdbFormatException("bad listpack backlen");
            p += n;
            l.push(false, v);
            seen++;
        }
        if (declared != 65535 && declared != seen) throw new RdbFormatException("listpack count mismatch");
        if (seen == 0) throw new RdbFormatException("empty listpack node");
    }

    private static byte[] num(long x) { return Long.toString(x).getBytes(StandardCharsets.US_ASCII); }

    private static void need(byte[] lp, int p, int n) throws RdbFormatException {
        if (p + n > lp.length - 1) throw new RdbFormatException("listpack entry overflows");
    }

    private static byte[] slice(byte[] lp, int from, int len) throws RdbFormatException {
        need(lp, from, len);
        return Arrays.copyOfRange(lp, from, from + len);
    }

    private static long le(byte[] lp, int p, int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) v |= (lp[p + i] & 0xffL) << (8 * i);
        return v;
    }
}
