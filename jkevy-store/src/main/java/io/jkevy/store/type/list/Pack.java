package io.jkevy.store.type.list;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A run of list elements packed into one {@code byte[]}, in the spirit of Redis's listpack:
 * walkable in both directions without any per-element object.
 *
 * <p>Entry layout: {@code header | payload | backlen}. An element whose bytes are the
 * canonical decimal form of a 64-bit integer (no sign on zero, no leading zeros, no '+') is
 * stored as that integer, so reading it back yields the same bytes. Header forms (first byte):
 * <pre>
 *   0xxxxxxx                 integer 0..127, no payload             (entry: 2 bytes)
 *   10llllll                 string of 0..63 bytes follows
 *   110xxxxx xxxxxxxx        integer -4096..4095 (13 bits, two's complement, big-endian)
 *   1110llll llllllll        string of 64..4095 bytes follows (12-bit length, big-endian)
 *   0xF0 + 4 bytes           string, 32-bit length (little-endian)
 *   0xF1 / F2 / F3 / F4      integer in 2 / 3 / 4 / 8 little-endian bytes
 * </pre>
 * The backlen is {@code header+payload} length, written so it can be read from its last byte
 * backwards: the last byte holds the low 7 bits and its high bit says another (more
 * significant) byte precedes it; 1 byte up to 127. Offsets handed out are entry starts;
 * {@link #used} is the end of the last entry.
 *
 * <p>Capacity: {@link #buf} may be longer than {@link #used}; growth is 1.5x but never past
 * the caller's byte limit (unless one entry needs it), and {@link #trim()} drops the spare
 * room once a node stops growing (when over 1/32 of it). Removals shrink the buffer when it falls under half full.
 *
 * <p>Costs: push/pop at the tail O(1) amortized, at the head O(bytes) (one shift); both are
 * bounded by the node size limit the owning {@link ListValue} enforces.
 */
final class Pack {
    private static final int STR6 = 0x80, INT13 = 0xC0, STR12 = 0xE0;
    private static final int STR32 = 0xF0, INT16 = 0xF1, INT24 = 0xF2, INT32 = 0xF3, INT64 = 0xF4;
    /** Buffers at most this long are never shrunk on removal. */
    private static final int SHRINK_FLOOR = 64;

    byte[] buf;
    int used;
    int count;

    Pack(int capacity) { buf = new byte[Math.max(1, capacity)]; }

    Pack(byte[] buf, int used, int count) {
        this.buf = buf;
        this.used = used;
        this.count = count;
    }

    Pack copy() { return new Pack(Arrays.copyOf(buf, used), used, count); }

    /**
     * Drops the spare capacity (the buffer becomes exactly {@link #used} bytes) when it is
     * over 1/32 of the used bytes; less is not worth a copy of the whole node.
     */
    void trim() {
        if (buf.length - used > used >> 5) buf = Arrays.copyOf(buf, used);
    }

    static int varLen(int v) {
        if (v < (1 << 7)) return 1;
        if (v < (1 << 14)) return 2;
        if (v < (1 << 21)) return 3;
        if (v < (1 << 28)) return 4;
        return 5;
    }

    // ---- integer recognition ----------------------------------------------------------

    /** True when {@code v} is exactly {@code Long.toString(x)} for some long x. */
    static boolean isCanonicalLong(byte[] v) {
        int n = v.length;
        if (n == 0 || n > 20) return false;
        int i = v[0] == '-' ? 1 : 0;
        if (i == n) return false;
        if (v[i] == '0') return n == 1; // "0" only; rejects "-0", "01"
        // Accumulate negatively: Long.MIN_VALUE has no positive counterpart.
        long acc = 0;
        for (int k = i; k < n; k++) {
            int d = v[k] - '0';
            if (d < 0 || d > 9) return false;
            if (acc < Long.MIN_VALUE / 10) return false;
            acc *= 10;
            if (acc < Long.MIN_VALUE + d) return false;
            acc -= d;
        }
        return i == 1 || acc != Long.MIN_VALUE;
    }

    /** The value of {@code v}, which {@link #isCanonicalLong} accepted. */
    static long parseLong(byte[] v) {
        int i = v[0] == '-' ? 1 : 0;
        long acc = 0;
        for (int k = i; k < v.length; k++) acc = acc * 10 - (v[k] - '0');
        return i == 1 ? acc : -acc;
    }

    /** Header+payload bytes of integer {@code x}. */
    private static int intSize(long x) {
        if (x >= 0 && x <= 127) return 1;
        if (x >= -4096 && x <= 4095) return 2;
        if (x == (short) x) return 3;
        if (x >= -(1 << 23) && x < (1 << 23)) return 4;
        if (x == (int) x) return 5;
        return 9;
    }

    /** Header+payload bytes of string of {@code len} bytes. */
    private static int strSize(int len) {
        if (len <= 63) return 1 + len;
        if (len <= 4095) return 2 + len;
        return 5 + len;
    }

    private static int headPayloadSize(byte[] v) {
        return isCanonicalLong(v) ? intSize(parseLong(v)) : strSize(v.length);
    }

    /** Bytes element {@code v} occupies in a pack. */
    static int entrySize(byte[] v) {
        int hp = headPayloadSize(v);
        return hp + varLen(hp);
    }

    // ---- reading --------------------------------------------------------------------

    private int u8(int p) { return buf[p] & 0xFF; }

    private long le(int p, int n) {
        long x = 0;
        for (int i = 0; i < n; i++) x |= (long) u8(p + i) << (8 * i);
        return x;
    }

    /** True when the entry at {@code off} holds an integer. */
    private boolean isInt(int off) {
        int b = u8(off);
        return b < 0x80 || (b & 0xE0) == INT13 || (b >= INT16 && b <= INT64);
    }

    /** Integer value of the integer entry at {@code off}. */
    private long intAt(int off) {
        int b = u8(off);
        if (b < 0x80) return b;
        if ((b & 0xE0) == INT13) {
            int x = ((b & 0x1F) << 8) | u8(off + 1);
            return (x << 19) >> 19; // sign-extend 13 bits
        }
        return switch (b) {
            case INT16 -> (short) le(off + 1, 2);
            case INT24 -> (le(off + 1, 3) << 40) >> 40;
            case INT32 -> (int) le(off + 1, 4);
            default -> le(off + 1, 8);
        };
    }

    /** String length of the string entry at {@code off}. */
    private int strLen(int off) {
        int b = u8(off);
        if ((b & 0xC0) == STR6) return b & 0x3F;
        if ((b & 0xF0) == STR12) return ((b & 0x0F) << 8) | u8(off + 1);
        return (int) le(off + 1, 4);
    }

    /** Header bytes of the string entry at {@code off}. */
    private int strHeader(int off) {
        int b = u8(off);
        if ((b & 0xC0) == STR6) return 1;
        if ((b & 0xF0) == STR12) return 2;
        return 5;
    }

    /** Header+payload bytes of the entry at {@code off}. */
    private int headPayloadAt(int off) {
        int b = u8(off);
        if (b < 0x80) return 1;
        if ((b & 0xC0) == STR6) return 1 + (b & 0x3F);
        if ((b & 0xE0) == INT13) return 2;
        if ((b & 0xF0) == STR12) return 2 + (((b & 0x0F) << 8) | u8(off + 1));
        return switch (b) {
            case STR32 -> 5 + (int) le(off + 1, 4);
            case INT16 -> 3;
            case INT24 -> 4;
            case INT32 -> 5;
            default -> 9;
        };
    }

    /** Start of the entry following the one at {@code off} ({@link #used} when last). */
    int next(int off) {
        int hp = headPayloadAt(off);
        return off + hp + varLen(hp);
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
        if (isInt(off)) return Long.toString(intAt(off)).getBytes(StandardCharsets.US_ASCII);
        int l = strLen(off);
        int p = off + strHeader(off);
        return Arrays.copyOfRange(buf, p, p + l);
    }

    boolean equalsAt(int off, byte[] v) {
        if (isInt(off)) return isCanonicalLong(v) && parseLong(v) == intAt(off);
        int l = strLen(off);
        if (l != v.length) return false;
        int p = off + strHeader(off);
        return Arrays.equals(buf, p, p + l, v, 0, l);
    }

    // ---- writing --------------------------------------------------------------------

    private void putLe(int p, long x, int n) {
        for (int i = 0; i < n; i++) buf[p + i] = (byte) (x >>> (8 * i));
    }

    /** Writes {@code v} as an entry at {@code off}, where exactly its size is free. */
    private void write(int off, byte[] v) {
        int p = off;
        if (isCanonicalLong(v)) {
            long x = parseLong(v);
            switch (intSize(x)) {
                case 1 -> buf[p++] = (byte) x;
                case 2 -> {
                    buf[p++] = (byte) (INT13 | ((x >> 8) & 0x1F));
                    buf[p++] = (byte) x;
                }
                case 3 -> { buf[p++] = (byte) INT16; putLe(p, x, 2); p += 2; }
                case 4 -> { buf[p++] = (byte) INT24; putLe(p, x, 3); p += 3; }
                case 5 -> { buf[p++] = (byte) INT32; putLe(p, x, 4); p += 4; }
                default -> { buf[p++] = (byte) INT64; putLe(p, x, 8); p += 8; }
            }
        } else {
            int l = v.length;
            if (l <= 63) {
                buf[p++] = (byte) (STR6 | l);
            } else if (l <= 4095) {
                buf[p++] = (byte) (STR12 | (l >> 8));
                buf[p++] = (byte) l;
            } else {
                buf[p++] = (byte) STR32;
                putLe(p, l, 4);
                p += 4;
            }
            System.arraycopy(v, 0, buf, p, l);
            p += l;
        }
        int back = p - off;
        int n = varLen(back);
        for (int i = 0; i < n; i++) {
            buf[p + n - 1 - i] = (byte) (((back >>> (7 * i)) & 0x7f) | (i < n - 1 ? 0x80 : 0));
        }
    }

    /** Makes room for {@code extra} more bytes, growing 1.5x but not past {@code limit} unless needed. */
    private void ensure(int extra, int limit) {
        int need = used + extra;
        if (need <= buf.length) return;
        int grown = Math.min(buf.length + (buf.length >> 1), limit);
        buf = Arrays.copyOf(buf, Math.max(need, grown));
    }

    /** Halves the buffer when under half of it is used (amortized O(1) per removed byte). */
    private void maybeShrink() {
        if (buf.length > SHRINK_FLOOR && used < buf.length / 2) buf = Arrays.copyOf(buf, used + (used >> 2));
    }

    /** Inserts {@code v} so that it starts at {@code off} (0..used); growth stops at {@code limit} bytes. */
    void insertAt(int off, byte[] v, int limit) {
        int sz = entrySize(v);
        ensure(sz, limit);
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
        maybeShrink();
    }

    /** Removes the entries in byte range [from, to) holding {@code n} elements. */
    void removeRange(int from, int to, int n) {
        System.arraycopy(buf, to, buf, from, used - to);
        used -= to - from;
        count -= n;
        maybeShrink();
    }

    /** Replaces the entry at {@code off} with {@code v}. */
    void replaceAt(int off, byte[] v, int limit) {
        int end = next(off);
        int old = end - off;
        int sz = entrySize(v);
        if (sz > old) ensure(sz - old, limit);
        System.arraycopy(buf, end, buf, off + sz, used - end);
        write(off, v);
        used += sz - old;
    }

    /** Splits off the entries from {@code off} on into a new, exact-size pack holding {@code n} of them. */
    Pack splitAt(int off, int n) {
        int len = used - off;
        Pack tail = new Pack(Arrays.copyOfRange(buf, off, used), len, n);
        used = off;
        count -= n;
        trim();
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
