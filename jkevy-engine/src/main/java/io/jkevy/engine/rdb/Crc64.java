package io.jkevy.engine.rdb;

/**
 * The CRC-64 variant RDB files and DUMP payloads are checksummed with ("Jones"): polynomial
 * 0xad93d23594c935a9, input and output reflected, initial value 0, no final xor. Check value:
 * {@code update(0, "123456789")} = 0xe9c6d914c4b8d9ca.
 *
 * <p>Table-driven, one byte per step, using the bit-reversed polynomial because the register
 * is reflected (the low bit is the oldest).
 */
public final class Crc64 {
    private Crc64() { }

    /** 0xad93d23594c935a9 with its 64 bits reversed. */
    private static final long POLY_REFLECTED = Long.reverse(0xad93d23594c935a9L);
    private static final long[] TABLE = new long[256];

    static {
        for (int b = 0; b < 256; b++) {
            long r = b;
            for (int i = 0; i < 8; i++) r = (r & 1) != 0 ? (r >>> 1) ^ POLY_REFLECTED : r >>> 1;
            TABLE[b] = r;
        }
    }

    /** Continues {@code crc} over {@code data[off, off+len)}; start with 0. */
    public static long update(long crc, byte[] data, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            crc = TABLE[(int) (crc ^ data[i]) & 0xff] ^ (crc >>> 8);
        }
        return crc;
    }

    public static long of(byte[] data) { return update(0, data, 0, data.length); }
}
