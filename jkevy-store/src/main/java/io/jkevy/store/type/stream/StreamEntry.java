package io.jkevy.store.type.stream;

import java.util.Arrays;

/**
 * One stream entry: its id and its field/value pairs packed in one array (see {@link #pack}).
 * The packed array is never mutated once stored, so copies of a stream may share it.
 */
public record StreamEntry(StreamId id, byte[] packed) {

    /**
     * Packs {@code n} field/value byte strings {@code argv[from..from+n)} as
     * {@code varint count, then per string varint length + bytes}. Cost O(total bytes).
     */
    public static byte[] pack(byte[][] argv, int from, int n) {
        int size = varintSize(n);
        for (int i = from; i < from + n; i++) size += varintSize(argv[i].length) + argv[i].length;
        byte[] out = new byte[size];
        int p = putVarint(out, 0, n);
        for (int i = from; i < from + n; i++) {
            p = putVarint(out, p, argv[i].length);
            System.arraycopy(argv[i], 0, out, p, argv[i].length);
            p += argv[i].length;
        }
        return out;
    }

    /** The field/value strings in order (field1, value1, field2, value2, ...). */
    public byte[][] fields() { return unpack(packed); }

    public static byte[][] unpack(byte[] packed) {
        int[] pos = {0};
        int n = getVarint(packed, pos);
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            int len = getVarint(packed, pos);
            out[i] = Arrays.copyOfRange(packed, pos[0], pos[0] + len);
            pos[0] += len;
        }
        return out;
    }

    static int varintSize(int v) {
        int s = 1;
        while ((v >>>= 7) != 0) s++;
        return s;
    }

    static int putVarint(byte[] b, int p, int v) {
        while ((v & ~0x7f) != 0) {
            b[p++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }

    static int getVarint(byte[] b, int[] pos) {
        int v = 0, shift = 0, p = pos[0];
        while (true) {
            int x = b[p++] & 0xff;
            v |= (x & 0x7f) << shift;
            if ((x & 0x80) == 0) break;
            shift += 7;
        }
        pos[0] = p;
        return v;
    }
}
