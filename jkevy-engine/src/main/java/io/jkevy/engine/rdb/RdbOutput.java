package io.jkevy.engine.rdb;

import io.jkevy.engine.Args;

import java.util.Arrays;

/**
 * A growable byte buffer with RDB's primitive encodings (see {@link DumpPayload} for the
 * layout they make up): lengths and strings as redis-server writes them.
 */
public final class RdbOutput {
    private byte[] buf;
    private int n;

    public RdbOutput(int initialCapacity) { buf = new byte[Math.max(16, initialCapacity)]; }

    public int size() { return n; }

    public byte[] toByteArray() { return Arrays.copyOf(buf, n); }

    /** The internal buffer; valid up to {@link #size()}. */
    public byte[] buffer() { return buf; }

    /** Empties the buffer for reuse. */
    public void reset() { n = 0; }

    private void ensure(int more) {
        if (n + more > buf.length) buf = Arrays.copyOf(buf, Math.max(n + more, buf.length * 2));
    }

    public void writeByte(int b) {
        ensure(1);
        buf[n++] = (byte) b;
    }

    public void writeBytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, n, len);
        n += len;
    }

    public void writeLongLE(long v, int bytes) {
        ensure(bytes);
        for (int i = 0; i < bytes; i++) buf[n++] = (byte) (v >>> (8 * i));
    }

    private void writeLongBE(long v, int bytes) {
        ensure(bytes);
        for (int i = bytes - 1; i >= 0; i--) buf[n++] = (byte) (v >>> (8 * i));
    }

    /** RDB length: 6-bit (00xxxxxx), 14-bit (01xxxxxx xxxxxxxx), 0x80 + u32 BE, 0x81 + u64 BE. */
    public void writeLength(long len) {
        if (len < (1 << 6) && len >= 0) {
            writeByte((int) len);
        } else if (len < (1 << 14) && len >= 0) {
            writeByte(0x40 | (int) (len >>> 8));
            writeByte((int) len & 0xff);
        } else if (len >= 0 && len <= 0xffffffffL) {
            writeByte(RdbInput.LEN_32BIT);
            writeLongBE(len, 4);
        } else {
            writeByte(RdbInput.LEN_64BIT);
            writeLongBE(len, 8);
        }
    }

    /**
     * A string as redis-server's rdbSaveRawString writes it: a canonical integer of at most 11
     * characters that fits in 32 bits as a special int encoding; else, when {@code compress}
     * and longer than 20 bytes, LZF if that saves at least 4 bytes; else length + raw bytes.
     */
    public void writeString(byte[] s, boolean compress) {
        int len = s.length;
        if (len <= 11 && len > 0) {
            long v = Args.parseLongOr(s, Long.MIN_VALUE, true);
            if (v != Long.MIN_VALUE && writeIntEncoded(v)) return;
        }
        if (compress && len > 20) {
            byte[] c = Lzf.compress(s, len, len - 4);
            if (c != null) {
                writeByte(RdbInput.ENC_LZF);
                writeLength(c.length);
                writeLength(len);
                writeBytes(c, 0, c.length);
                return;
            }
        }
        writeLength(len);
        writeBytes(s, 0, len);
    }

    /** Writes the smallest special int encoding holding {@code v}; false when none does (> 32 bits). */
    public boolean writeIntEncoded(long v) {
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            writeByte(RdbInput.ENC_INT8);
            writeLongLE(v, 1);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            writeByte(RdbInput.ENC_INT16);
            writeLongLE(v, 2);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            writeByte(RdbInput.ENC_INT32);
            writeLongLE(v, 4);
        } else {
            return false;
        }
        return true;
    }
}
