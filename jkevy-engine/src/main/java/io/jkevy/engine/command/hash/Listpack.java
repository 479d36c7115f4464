package io.jkevy.engine.command.hash;

import io.jkevy.engine.Args;
import io.jkevy.engine.rdb.RdbFormatException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis's listpack serialization, as RDB carries it (RDB_TYPE_HASH_LISTPACK and friends).
 *
 * <pre>
 *   total bytes (u32 LE) | element count (u16 LE, 65535 = too many to say) | entries | 0xFF
 *   entry = encoding [+ data] + backlen
 * </pre>
 * Encodings: {@code 0xxxxxxx} uint7; {@code 10xxxxxx} string of up to 63 bytes;
 * {@code 110xxxxx yyyyyyyy} int13; {@code 1110xxxx yyyyyyyy} string of up to 4095 bytes (length
 * high bits first); {@code 0xF0} + u32 LE length, string; {@code 0xF1..0xF4} int16/24/32/64 LE.
 * backlen = length of encoding+data in 1..5 bytes, 7 bits each, most significant first, every
 * byte but the first with its top bit set (so it can be read right to left).
 * Strings that are canonical 64-bit integers are written in the smallest integer encoding, as
 * Redis does, so DUMP payloads match redis-server's byte for byte.
 */
public final class Listpack {
    private Listpack() { }

    public static byte[] encode(List<byte[]> elements) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 6; i++) out.write(0);
        byte[] entry = new byte[16];
        for (byte[] e : elements) {
            int n;
            if (Args.isLong(e)) {
                long v = Args.parseLong(e);
                n = encodeInt(v, entry);
                out.write(entry, 0, n);
            } else {
                int len = e.length;
                if (len < 64) {
                    out.write(0x80 | len);
                    n = 1;
                } else if (len < 4096) {
                    out.write(0xE0 | (len >>> 8));
                    out.write(len & 0xff);
                    n = 2;
                } else {
                    out.write(0xF0);
                    for (int k = 0; k < 4; k++) out.write((len >>> (8 * k)) & 0xff);
                    n = 5;
                }
                out.write(e, 0, len);
                n += len;
            }
            writeBacklen(out, n);
        }
        out.write(0xFF);
        byte[] lp = out.toByteArray();
        int total = lp.length, count = elements.size() < 65535 ? elements.size() : 65535;
        for (int k = 0; k < 4; k++) lp[k] = (byte) (total >>> (8 * k));
        lp[4] = (byte) count;
        lp[5] = (byte) (count >>> 8);
        return lp;
    }

    /** Writes the smallest integer encoding of {@code v} into {@code b}; returns its size. */
    private static int encodeInt(long v, byte[] b) {
        if (v >= 0 && v <= 127) {
            b[0] = (byte) v;
            return 1;
        }
        if (v >= -4096 && v <= 4095) {
            long u = v & 0x1fff;
            b[0] = (byte) (0xC0 | (u >>> 8));
            b[1] = (byte) u;
            return 2;
        }
        int bytes, tag;
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) { bytes = 2; tag = 0xF1; }
        else if (v >= -(1 << 23) && v < (1 << 23)) { bytes = 3; tag = 0xF2; }
        else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) { bytes = 4; tag = 0xF3; }
        else { bytes = 8; tag = 0xF4; }
        b[0] = (byte) tag;
        for (int k = 0; k < bytes; k++) b[1 + k] = (byte) (v >>> (8 * k));
        return 1 + bytes;
    }

    /** Bytes of the backlen of an entry of {@code l} bytes (Redis's thresholds, exclusive above 127). */
    private static int backlenSize(int l) {
        if (l <= 127) return 1;
        if (l < 16383) return 2;
        if (l < 2097151) return 3;
        if (l < 268435455) return 4;
        return 5;
    }

    private static void writeBacklen(ByteArrayOutputStream out, int l) {
        int groups = backlenSize(l);
        for (int g = groups - 1; g >= 0; g--) {
            int bits = (l >>> (7 * g)) & 0x7f;
            out.write(g == groups - 1 ? bits : bits | 0x80);
        }
    }

    /** The elements of a listpack blob, integers rendered as decimal text. */
    public static List<byte[]> decode(byte[] lp) throws RdbFormatException {
        if (lp.length < 7) throw new RdbFormatException("listpack too short");
        long total = u(lp, 0, 4);
        if (total != lp.length) throw new RdbFormatException("listpack size mismatch");
        if ((lp[lp.length - 1] & 0xff) != 0xFF) throw new RdbFormatException("listpack without terminator");
        int declared = (int) u(lp, 4, 2);
        List<byte[]> out = new ArrayList<>();
        int p = 6, end = lp.length - 1;
        while (p < end) {
            int b = lp[p] & 0xff;
            int start = p, hdr, len = 0;
            long iv = 0;
            boolean isInt = true;
            if ((b & 0x80) == 0) { iv = b; hdr = 1; }
            else if ((b & 0xC0) == 0x80) { isInt = false; len = b & 0x3f; hdr = 1; }
            else if ((b & 0xE0) == 0xC0) {
                need(p, 2, end);
                int u = ((b & 0x1f) << 8) | (lp[p + 1] & 0xff);
                iv = (u << 19) >> 19;
                hdr = 2;
            } else if ((b & 0xF0) == 0xE0) {
                need(p, 2, end);
                isInt = false;
                len = ((b & 0x0f) << 8) | (lp[p + 1] & 0xff);
                hdr = 2;
            } else if (b == 0xF0) {
                need(p, 5, end);
                isInt = false;
                long l = u(lp, p + 1, 4);
                if (l > Integer.MAX_VALUE) throw new RdbFormatException("listpack string too long");
                len = (int) l;
                hdr = 5;
            } else if (b >= 0xF1 && b <= 0xF4) {
                int bytes = b == 0xF1 ? 2 : b == 0xF2 ? 3 : b == 0xF3 ? 4 : 8;
                need(p, 1 + bytes, end);
                long raw = u(lp, p + 1, bytes);
                int shift = 64 - 8 * bytes;
                iv = (raw << shift) >> shift;
                hdr = 1 + bytes;
            } else {
                throw new RdbFormatException("bad listpack entry encoding " + b);
            }
            if (isInt) {
                out.add(Long.toString(iv).getBytes(StandardCharsets.US_ASCII));
                p += hdr;
            } else {
                need(p, hdr + len, end);
                byte[] s = new byte[len];
                System.arraycopy(lp, p + hdr, s, 0, len);
                out.add(s);
                p += hdr + len;
            }
            int entryLen = p - start;
            p += backlenSize(entryLen);
            if (p > end) throw new RdbFormatException("listpack entry overruns");
        }
        if (declared != 65535 && declared != out.size()) throw new RdbFormatException("listpack count mismatch");
        return out;
    }

    private static void need(int p, int n, int end) throws RdbFormatException {
        if ((long) p + n > end) throw new RdbFormatException("listpack entry overruns");
    }

    private static long u(byte[] b, int off, int bytes) {
        long v = 0;
        for (int k = 0; k < bytes; k++) v |= (long) (b[off + k] & 0xff) << (8 * k);
        return v;
    }
}
