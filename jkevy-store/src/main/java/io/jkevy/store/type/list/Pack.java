package io.jkevy.store.type.list;

import java.util.Arrays;

/**
 * A run of list elements packed into one {@code byte[]}, in the spirit of Redis's listpack:
 * walkable in both directions without any per-element object.
 *
 * <p>Entry layout: {@code header | payload | backlen}. The header is the payload length as
 * an unsigned LEB128 varint (1..5 bytes). The backlen is {@code header+payload} length,
 * written so it can be read from its last byte backwards: the last byte holds the low 7
 * bits and its high bit says another (more significant) byte precedes it. Offsets handed
 * out are entry starts; {@link #used} is the end of the last entry.
 *
 * <p>Costs: push/pop at the tail O(1) amortized, at the head O(bytes) (one shift); both are
 * bounded by the node size limit the owning {@link ListValue} enforces.
 */
final class Pack {
    byte[] buf;
    int used;
    int count;

    Pack(int capacity) { buf = new byte[Math.max(16, capacity)]; }

    Pack(byte[] buf, int used, int count) {
        this.buf = buf;
        this.used = used;
        this.count = count;
    }

    Pack copy() { return new Pack(Arrays.copyOf(buf, Math.max(used, 16)), used, count); }

    static int varLen(int v) {
        if (v < (1 << 7)) return 1;
        if (v < (1 << 14)) return 2;
        if (v < (1 << 21)) return 3;
        if (v < (1 << 28)) return 4;
        return 5;
    }

    /** Bytes an element of {@code len} payload bytes occupies. */
    static int entrySize(int len) {
        int h = varLen(len);
        return h + len + varLen(h + len);
    }

    /** Payload length of the entry at {@code off}. */
    int len(int off) {
        int v = 0;
        for (int shift = 0; ; shift += 7) {
            int b = buf[off++];
            v |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) return v;
        }
    }

    /** Offset of the payload of the entry at {@code off}. */
    int payload(int off) { return off + varLen(len(off)); }

    /** Start of the entry following the one at {@code off} ({@link #used} when last). */
    int next(int off) {
        int l = len(off);
        int h = varLen(l);
        return off + h + l + varLen(h + l);
    }

    /** Start of the entry ending at {@code end} (an entry start or {@link #used}); {@code end > 0}. */
    int prev(int end) {
        int p = end - 1;
        int v = 0;
        int shift = 0;
        while (true) {
            int b = buf[p];
            v |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) break;
            p--;
            shift += 7;
        }
        return p - v;
    }

    byte[] get(int off) {
        int l = len(off);
        int p = off + varLen(l);
        return Arrays.copyOfRange(buf, p, p + l);
    }

    boolean equalsAt(int off, byte[] v) {
        int l = len(off);
        if (l != v.length) return false;
        int p = off + varLen(l);
        return Arrays.equals(buf, p, p + l, v, 0, l);
    }

    /** Writes {@code v} as an entry at {@code off}, where exactly its size is free. */
    private void write(int off, byte[] v) {
        int l = v.length;
        int p = off;
        int x = l;
        while (x >= 0x80) {
            buf[p++] = (byte) ((x & 0x7f) | 0x80);
            x >>>= 7;
        }
        buf[p++] = (byte) x;
        System.arraycopy(v, 0, buf, p, l);
        p += l;
        int back = p - off;
        int n = varLen(back);
        for (int i = 0; i < n; i++) {
            buf[p + n - 1 - i] = (byte) (((back >>> (7 * i)) & 0x7f) | (i < n - 1 ? 0x80 : 0));
        }
    }

    private void ensure(int extra) {
        if (used + extra > buf.length) buf = Arrays.copyOf(buf, Math.max(used + extra, buf.length + (buf.length >> 1)));
    }

    /** Inserts {@code v} so that it starts at {@code off} (0..used). */
    void insertAt(int off, byte[] v) {
        int sz = entrySize(v.length);
        ensure(sz);
        System.arraycopy(buf, off, buf, off + sz, used - off);
        write(off, v);
        used += sz;
        count++;
    }

    /** Removes the entry at {@code off}. */
    void removeAt(int off) {
        int end = next(off);
        System.arraycopy(buf, end, buf, off, used - end);
        used -= end - off;
        count--;
    }

    /** Removes the entries in byte range [from, to) holding {@code n} elements. */
    void removeRange(int from, int to, int n) {
        System.arraycopy(buf, to, buf, from, used - to);
        used -= to - from;
        count -= n;
    }

    /** Replaces the entry at {@code off} with {@code v}. */
    void replaceAt(int off, byte[] v) {
        int end = next(off);
        int old = end - off;
        int sz = entrySize(v.length);
        if (sz > old) ensure(sz - old);
        System.arraycopy(buf, end, buf, off + sz, used - end);
        write(off, v);
        used += sz - old;
    }

    /** Splits off the entries from {@code off} on into a new pack holding {@code n} of them. */
    Pack splitAt(int off, int n) {
        int len = used - off;
        Pack tail = new Pack(Arrays.copyOfRange(buf, off, off + Math.max(len, 16)), len, n);
        used = off;
        count -= n;
        return tail;
    }

    /** Offset of the {@code i}-th entry (0-based), walking from the nearer end. */
    int offsetOf(int i) {
        if (i <= count / 2) {
            int off = 0;
            for (int k = 0; k < i; k++) off = next(off);
            return off;
        }
        int off = used;
        for (int k = count; k > i; k--) off = prev(off);
        return off;
    }
}
