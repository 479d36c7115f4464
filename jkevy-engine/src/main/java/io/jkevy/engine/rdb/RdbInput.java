package io.jkevy.engine.rdb;

import java.nio.charset.StandardCharsets;

/** Reads RDB's primitive encodings from a byte array (see {@link DumpPayload} for the layout). */
public final class RdbInput {
    static final int LEN_32BIT = 0x80;
    static final int LEN_64BIT = 0x81;
    static final int ENC_INT8 = 0xC0;
    static final int ENC_INT16 = 0xC1;
    static final int ENC_INT32 = 0xC2;
    static final int ENC_LZF = 0xC3;

    private final byte[] buf;
    private int pos;
    private final int end;

    public RdbInput(byte[] buf, int off, int end) {
        this.buf = buf;
        this.pos = off;
        this.end = end;
    }

    public int position() { return pos; }

    /** {@code n} raw bytes. */
    public byte[] readBytes(int n) throws RdbFormatException {
        if (n < 0 || n > end - pos) throw new RdbFormatException("unexpected end of data");
        byte[] out = java.util.Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    /** A little-endian integer of {@code bytes} bytes. */
    public long readLongLE(int bytes) throws RdbFormatException { return readLE(bytes); }

    public int readByte() throws RdbFormatException {
        if (pos >= end) throw new RdbFormatException("unexpected end of data");
        return buf[pos++] & 0xff;
    }

    private long readBE(int bytes) throws RdbFormatException {
        long v = 0;
        for (int i = 0; i < bytes; i++) v = (v << 8) | readByte();
        return v;
    }

    private long readLE(int bytes) throws RdbFormatException {
        long v = 0;
        for (int i = 0; i < bytes; i++) v |= (long) readByte() << (8 * i);
        return v;
    }

    /** A plain RDB length; a special (11xxxxxx) encoding here is malformed. */
    public long readLength() throws RdbFormatException {
        int b = readByte();
        long len = lengthOrEncoding(b);
        if (len < 0) throw new RdbFormatException("unexpected encoded value where a length was expected");
        return len;
    }

    /** The length for a first byte {@code b}, or -1 when {@code b} announces a special encoding. */
    private long lengthOrEncoding(int b) throws RdbFormatException {
        switch (b >>> 6) {
            case 0: return b & 0x3f;
            case 1: return ((long) (b & 0x3f) << 8) | readByte();
            case 2:
                if (b == LEN_32BIT) return readBE(4);
                if (b == LEN_64BIT) {
                    long v = readBE(8);
                    if (v < 0) throw new RdbFormatException("length out of range");
                    return v;
                }
                throw new RdbFormatException("unknown length encoding " + b);
            default: return -1;
        }
    }

    /** A string in any of its encodings (raw, int8/16/32, LZF), as its bytes. */
    public byte[] readString() throws RdbFormatException {
        int b = readByte();
        long len = lengthOrEncoding(b);
        if (len >= 0) return readRaw(len);
        switch (b) {
            case ENC_INT8: return ascii((byte) readLE(1));
            case ENC_INT16: return ascii((short) readLE(2));
            case ENC_INT32: return ascii((int) readLE(4));
            case ENC_LZF: {
                long clen = readLength();
                long ulen = readLength();
                if (clen > end - pos) throw new RdbFormatException("unexpected end of data");
                if (ulen > Integer.MAX_VALUE - 8) throw new RdbFormatException("string too long");
                byte[] s = Lzf.decompress(buf, pos, (int) clen, (int) ulen);
                pos += (int) clen;
                return s;
            }
            default: throw new RdbFormatException("unknown string encoding " + b);
        }
    }

    private byte[] readRaw(long len) throws RdbFormatException {
        if (len > end - pos) throw new RdbFormatException("unexpected end of data");
        byte[] s = java.util.Arrays.copyOfRange(buf, pos, pos + (int) len);
        pos += (int) len;
        return s;
    }

    private static byte[] ascii(long v) { return Long.toString(v).getBytes(StandardCharsets.US_ASCII); }
}
