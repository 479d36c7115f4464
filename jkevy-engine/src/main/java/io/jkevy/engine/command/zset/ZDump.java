package io.jkevy.engine.command.zset;

import io.jkevy.engine.Args;
import io.jkevy.engine.rdb.DumpPayload;
import io.jkevy.engine.rdb.RdbFormatException;
import io.jkevy.engine.rdb.RdbInput;
import io.jkevy.engine.rdb.RdbOutput;
import io.jkevy.store.Encodings;
import io.jkevy.store.ValueType;
import io.jkevy.store.type.zset.ZSetValue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * DUMP/RESTORE of sorted sets in Redis 7.0's RDB forms.
 *
 * <p>Written: a listpack-encoded set as type 17 (ZSET_LISTPACK: one RDB string holding a
 * listpack of member, score, member, score... in ascending order, scores as their %.17g text
 * or as integers when that text is an integer); a skiplist-encoded set as type 5 (ZSET_2:
 * length, then member string + 8-byte little-endian IEEE double, greatest element first).
 * Read: types 3 (ZSET, scores as length-prefixed text), 5, 12 (ZSET_ZIPLIST) and 17.
 *
 * <p>Loaded values take the encoding Redis would give them under the default thresholds
 * (128 entries / 64 bytes): decoders receive no server configuration.
 */
public final class ZDump {
    private ZDump() { }

    static final int TYPE_ZSET = 3, TYPE_ZSET_2 = 5, TYPE_ZSET_ZIPLIST = 12, TYPE_ZSET_LISTPACK = 17;

    private static final Encodings DEFAULTS = new Encodings();

    public static void register() {
        DumpPayload.registerEncoder(ValueType.ZSET, new DumpPayload.Encoder() {
            @Override public int typeId(Object value) {
                return ((ZSetValue) value).isPacked() ? TYPE_ZSET_LISTPACK : TYPE_ZSET_2;
            }

            @Override public void encode(Object value, RdbOutput out, boolean compress) {
                ZSetValue z = (ZSetValue) value;
                if (z.isPacked()) {
                    out.writeString(listpack(z), compress);
                    return;
                }
                out.writeLength(z.size());
                for (ZSetValue.Cursor c = z.cursor(z.size() - 1, true); c.valid(); c.next()) {
                    out.writeString(c.member(), compress);
                    out.writeLongLE(Double.doubleToRawLongBits(c.score()), 8);
                }
            }
        });
        DumpPayload.registerDecoder(TYPE_ZSET, in -> readPlain(in, false));
        DumpPayload.registerDecoder(TYPE_ZSET_2, in -> readPlain(in, true));
        DumpPayload.registerDecoder(TYPE_ZSET_LISTPACK, in -> fromPairs(Listpack.decode(in.readString())));
        DumpPayload.registerDecoder(TYPE_ZSET_ZIPLIST, in -> fromPairs(Ziplist.decode(in.readString())));
    }

    private static ZSetValue readPlain(RdbInput in, boolean binary) throws RdbFormatException {
        long len = in.readLength();
        if (len == 0) return null;
        ZSetValue z = ZSetValue.skiplist();
        for (long i = 0; i < len; i++) {
            byte[] m = in.readString();
            double s;
            if (binary) {
                long bits = 0;
                for (int k = 0; k < 8; k++) bits |= (long) in.readByte() << (8 * k);
                s = Double.longBitsToDouble(bits);
            } else {
                int n = in.readByte();
                if (n == 253) s = Double.NaN;
                else if (n == 254) s = Double.POSITIVE_INFINITY;
                else if (n == 255) s = Double.NEGATIVE_INFINITY;
                else {
                    byte[] t = new byte[n];
                    for (int k = 0; k < n; k++) t[k] = (byte) in.readByte();
                    s = ZArgs.strtod(t, 0);
                }
            }
            if (Double.isNaN(s)) throw new RdbFormatException("zset score is NaN");
            if (!z.put(m, s, DEFAULTS)) throw new RdbFormatException("duplicate zset member");
        }
        z.packIfFits(DEFAULTS);
        return z;
    }

    private static ZSetValue fromPairs(byte[][] entries) throws RdbFormatException {
        if (entries.length == 0) return null;
        if (entries.length % 2 != 0) throw new RdbFormatException("odd listpack length for a zset");
        ZSetValue z = ZSetValue.packed();
        Encodings unbounded = new Encodings();
        unbounded.zsetMaxListpackEntries = Integer.MAX_VALUE;
        unbounded.zsetMaxListpackValue = Integer.MAX_VALUE;
        for (int i = 0; i < entries.length; i += 2) {
            double s = ZArgs.strtod(entries[i + 1], 0);
            if (Double.isNaN(s) || entries[i + 1].length == 0) throw new RdbFormatException("bad zset score");
            if (!z.put(entries[i], s, unbounded)) throw new RdbFormatException("duplicate zset member");
        }
        if (z.size() > DEFAULTS.zsetMaxListpackEntries) z.convertToSkiplist();
        return z;
    }

    /** The listpack of a packed set: member, score pairs in ascending order. */
    static byte[] listpack(ZSetValue z) {
        Listpack.Writer w = new Listpack.Writer();
        for (ZSetValue.Cursor c = z.cursor(0, false); c.valid(); c.next()) {
            w.add(c.member());
            w.add(ZReply.format(c.score()).getBytes(StandardCharsets.US_ASCII));
        }
        return w.finish();
    }

    /** Redis's listpack: u32 total bytes, u16 count, entries (encoding, data, back-length), 0xFF. */
    static final class Listpack {
        private Listpack() { }

        static final class Writer {
            private final ByteArrayOutputStream body = new ByteArrayOutputStream();
            private int count;

            void add(byte[] v) {
                int start = body.size();
                long iv = Args.parseLongOr(v, Long.MIN_VALUE, true);
                boolean isInt = v.length > 0 && v.length <= 20 && (iv != Long.MIN_VALUE || Args.isLong(v));
                if (isInt) {
                    if (iv >= 0 && iv <= 127) {
                        body.write((int) iv);
                    } else if (iv >= -4096 && iv <= 4095) {
                        long u = iv < 0 ? (1L << 13) + iv : iv;
                        body.write((int) (u >> 8) | 0xC0);
                        body.write((int) (u & 0xff));
                    } else if (iv >= Short.MIN_VALUE && iv <= Short.MAX_VALUE) {
                        body.write(0xF1);
                        le(iv, 2);
                    } else if (iv >= -(1 << 23) && iv <= (1 << 23) - 1) {
                        body.write(0xF2);
                        le(iv, 3);
                    } else if (iv >= Integer.MIN_VALUE && iv <= Integer.MAX_VALUE) {
                        body.write(0xF3);
                        le(iv, 4);
                    } else {
                        body.write(0xF4);
                        le(iv, 8);
                    }
                } else if (v.length < 64) {
                    body.write(0x80 | v.length);
                    body.write(v, 0, v.length);
                } else if (v.length < 4096) {
                    body.write(0xE0 | (v.length >> 8));
                    body.write(v.length & 0xff);
                    body.write(v, 0, v.length);
                } else {
                    body.write(0xF0);
                    le(v.length, 4);
                    body.write(v, 0, v.length);
                }
                backlen(body.size() - start);
                count++;
            }

            private void le(long v, int bytes) {
                for (int i = 0; i < bytes; i++) body.write((int) (v >>> (8 * i)) & 0xff);
            }

            /** The entry length, 7 bits per byte, most significant first; all but the first byte flagged 0x80. */
            private void backlen(int l) {
                int n = l < 128 ? 1 : l < 16384 ? 2 : l < 2097152 ? 3 : l < 268435456 ? 4 : 5;
                for (int i = n - 1; i >= 0; i--) {
                    int b = (l >>> (7 * i)) & 127;
                    body.write(i == n - 1 ? b : b | 128);
                }
            }

            byte[] finish() {
                int total = 6 + body.size() + 1;
                byte[] out = new byte[total];
                for (int i = 0; i < 4; i++) out[i] = (byte) (total >>> (8 * i));
                int cnt = Math.min(count, 65535);
                out[4] = (byte) cnt;
                out[5] = (byte) (cnt >>> 8);
                byte[] b = body.toByteArray();
                System.arraycopy(b, 0, out, 6, b.length);
                out[total - 1] = (byte) 0xFF;
                return out;
            }
        }

        static byte[][] decode(byte[] lp) throws RdbFormatException {
            if (lp.length < 7) throw new RdbFormatException("listpack too short");
            long total = (lp[0] & 0xffL) | (lp[1] & 0xffL) << 8 | (lp[2] & 0xffL) << 16 | (lp[3] & 0xffL) << 24;
            if (total != lp.length || (lp[lp.length - 1] & 0xff) != 0xFF) throw new RdbFormatException("bad listpack header");
            java.util.List<byte[]> out = new java.util.ArrayList<>();
            int p = 6, end = lp.length - 1;
            while (p < end) {
                int start = p;
                int b = lp[p] & 0xff;
                byte[] v;
                if ((b & 0x80) == 0) {
                    v = num(b);
                    p += 1;
                } else if ((b & 0xC0) == 0x80) {
                    int len = b & 0x3f;
                    v = slice(lp, p + 1, len, end);
                    p += 1 + len;
                } else if ((b & 0xE0) == 0xC0) {
                    need(lp, p, 2, end);
                    int u = ((b & 0x1f) << 8) | (lp[p + 1] & 0xff);
                    v = num(u >= 4096 ? u - 8192 : u);
                    p += 2;
                } else if ((b & 0xF0) == 0xE0) {
                    need(lp, p, 2, end);
                    int len = ((b & 0x0f) << 8) | (lp[p + 1] & 0xff);
                    v = slice(lp, p + 2, len, end);
                    p += 2 + len;
                } else if (b == 0xF0) {
                    need(lp, p, 5, end);
                    long len = le(lp, p + 1, 4);
                    if (len > end - p - 5) throw new RdbFormatException("listpack entry overflows");
                    v = slice(lp, p + 5, (int) len, end);
                    p += 5 + (int) len;
                } else if (b >= 0xF1 && b <= 0xF4) {
                    int w = b == 0xF1 ? 2 : b == 0xF2 ? 3 : b == 0xF3 ? 4 : 8;
                    need(lp, p, 1 + w, end);
                    long x = le(lp, p + 1, w);
                    if (w < 8) x = (x << (64 - 8 * w)) >> (64 - 8 * w); // sign-extend
                    v = num(x);
                    p += 1 + w;
                } else {
                    throw new RdbFormatException("bad listpack entry encoding");
                }
                int l = p - start;
                int bl = l < 128 ? 1 : l < 16384 ? 2 : l < 2097152 ? 3 : l < 268435456 ? 4 : 5;
                p += bl;
                if (p > end) throw new RdbFormatException("listpack entry overflows");
                out.add(v);
            }
            return out.toArray(new byte[0][]);
        }

        private static void need(byte[] lp, int p, int n, int end) throws RdbFormatException {
            if (p + n > end) throw new RdbFormatException("listpack entry overflows");
        }

        private static byte[] slice(byte[] lp, int from, int len, int end) throws RdbFormatException {
            if (len < 0 || from + len > end) throw new RdbFormatException("listpack entry overflows");
            return java.util.Arrays.copyOfRange(lp, from, from + len);
        }
    }

    static long le(byte[] b, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) v |= (b[off + i] & 0xffL) << (8 * i);
        return v;
    }

    static byte[] num(long v) { return Long.toString(v).getBytes(StandardCharsets.US_ASCII); }

    /** The pre-7.0 ziplist: u32 bytes, u32 tail offset, u16 count, entries (prevlen, encoding, data), 0xFF. */
    static final class Ziplist {
        private Ziplist() { }

        static byte[][] decode(byte[] zl) throws RdbFormatException {
            if (zl.length < 11 || le(zl, 0, 4) != zl.length || (zl[zl.length - 1] & 0xff) != 0xFF) {
                throw new RdbFormatException("bad ziplist header");
            }
            java.util.List<byte[]> out = new java.util.ArrayList<>();
            int p = 10, end = zl.length - 1;
            while (p < end) {
                p += (zl[p] & 0xff) == 0xFE ? 5 : 1; // previous entry length
                if (p >= end) throw new RdbFormatException("ziplist entry overflows");
                int b = zl[p] & 0xff;
                int len;
                byte[] v;
                switch (b >>> 6) {
                    case 0 -> { len = b & 0x3f; p += 1; v = null; }
                    case 1 -> {
                        if (p + 2 > end) throw new RdbFormatException("ziplist entry overflows");
                        len = ((b & 0x3f) << 8) | (zl[p + 1] & 0xff);
                        p += 2;
                        v = null;
                    }
                    case 2 -> {
                        if (p + 5 > end) throw new RdbFormatException("ziplist entry overflows");
                        long l = (zl[p + 1] & 0xffL) << 24 | (zl[p + 2] & 0xffL) << 16 | (zl[p + 3] & 0xffL) << 8 | (zl[p + 4] & 0xffL);
                        if (l > end) throw new RdbFormatException("ziplist entry overflows");
                        len = (int) l;
                        p += 5;
                        v = null;
                    }
                    default -> {
                        int w;
                        if (b == 0xC0) w = 2;
                        else if (b == 0xD0) w = 4;
                        else if (b == 0xE0) w = 8;
                        else if (b == 0xF0) w = 3;
                        else if (b == 0xFE) w = 1;
                        else if (b >= 0xF1 && b <= 0xFD) w = 0;
                        else throw new RdbFormatException("bad ziplist entry encoding");
                        if (p + 1 + w > end) throw new RdbFormatException("ziplist entry overflows");
                        long x = w == 0 ? (b & 0x0f) - 1 : le(zl, p + 1, w);
                        if (w > 0 && w < 8) x = (x << (64 - 8 * w)) >> (64 - 8 * w);
                        v = num(x);
                        len = 0;
                        p += 1 + w;
                    }
                }
                if (v == null) {
                    if (p + len > end) throw new RdbFormatException("ziplist entry overflows");
                    v = java.util.Arrays.copyOfRange(zl, p, p + len);
                    p += len;
                }
                out.add(v);
            }
            return out.toArray(new byte[0][]);
        }
    }
}
