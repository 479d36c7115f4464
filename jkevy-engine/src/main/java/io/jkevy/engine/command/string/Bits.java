package io.jkevy.engine.command.string;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Bit-level helpers over strings. Bit 0 is the most significant bit of byte 0 (Redis's
 * bitmap order); bits past the end of the array read as zero.
 */
public final class Bits {
    private Bits() { }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Overflow policies of BITFIELD. */
    public static final int WRAP = 0, SAT = 1, FAIL = 2;

    /** Set bits in {@code b[from..to]} (inclusive byte indexes). */
    public static long popcount(byte[] b, int from, int to) {
        long n = 0;
        int i = from;
        for (; i + 8 <= to + 1; i += 8) n += Long.bitCount((long) LONGS.get(b, i));
        for (; i <= to; i++) n += Integer.bitCount(b[i] & 0xff);
        return n;
    }

    /**
     * The first bit equal to {@code bit} in {@code count} bytes starting at {@code from},
     * relative to {@code from}'s first bit. Not found: -1 when looking for 1, and
     * {@code count * 8} when looking for 0 (the string is as if padded with zeros).
     */
    public static long firstBit(byte[] b, int from, int count, int bit) {
        int skip = bit == 1 ? 0 : 0xff;          // bytes that cannot contain the bit
        for (int i = 0; i < count; i++) {
            int v = b[from + i] & 0xff;
            if (v != skip) {
                int x = bit == 1 ? v : (~v & 0xff);
                return (long) i * 8 + (Integer.numberOfLeadingZeros(x) - 24);
            }
        }
        return bit == 1 ? -1 : (long) count * 8;
    }

    /** {@code bits} (1..64) bits at bit {@code offset} as an unsigned number (zero past the end). */
    public static long getUnsigned(byte[] p, long offset, int bits) {
        long v = 0;
        for (int i = 0; i < bits; i++) {
            long pos = offset + i;
            long byteIdx = pos >>> 3;
            int bit = 0;
            if (byteIdx < p.length) bit = (p[(int) byteIdx] >> (7 - (int) (pos & 7))) & 1;
            v = (v << 1) | bit;
        }
        return v;
    }

    public static long getSigned(byte[] p, long offset, int bits) {
        long v = getUnsigned(p, offset, bits);
        if (bits < 64 && (v & (1L << (bits - 1))) != 0) v |= -1L << bits;
        return v;
    }

    /** Writes the low {@code bits} bits of {@code value} at bit {@code offset}; the array must be long enough. */
    public static void set(byte[] p, long offset, int bits, long value) {
        for (int i = 0; i < bits; i++) {
            int bit = (int) ((value >>> (bits - 1 - i)) & 1);
            long pos = offset + i;
            int idx = (int) (pos >>> 3);
            int shift = 7 - (int) (pos & 7);
            if (bit == 1) p[idx] |= (byte) (1 << shift); else p[idx] &= (byte) ~(1 << shift);
        }
    }

    /**
     * Signed overflow of {@code value + incr} in a {@code bits}-bit field. Returns 0 when it
     * fits, otherwise non-zero and stores in {@code limit[0]} the value to write under
     * {@code policy} (wrapped or saturated; untouched for FAIL).
     */
    public static int signedOverflow(long value, long incr, int bits, int policy, long[] limit) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long roomUp = max - value;            // wraps for far-out values; only used when in range
        long roomDown = min - value;
        int dir = 0;
        if (value > max || (bits != 64 && incr > roomUp) || (value >= 0 && incr > 0 && incr > roomUp)) {
            dir = 1;
        } else if (value < min || (bits != 64 && incr < roomDown) || (value < 0 && incr < 0 && incr < roomDown)) {
            dir = -1;
        }
        if (dir == 0) return 0;
        if (policy == WRAP) {
            long r = value + incr;            // two's complement wrap, then fold into the field width
            if (bits < 64) {
                long hi = -1L << bits;
                r = (r & (1L << (bits - 1))) != 0 ? r | hi : r & ~hi;
            }
            limit[0] = r;
        } else if (policy == SAT) {
            limit[0] = dir > 0 ? max : min;
        }
        return dir;
    }

    /** Unsigned counterpart of {@link #signedOverflow}; {@code value} is read as unsigned, bits &lt;= 63. */
    public static int unsignedOverflow(long value, long incr, int bits, int policy, long[] limit) {
        long max = (1L << bits) - 1;
        long roomUp = max - value;
        long roomDown = -value;
        int dir = 0;
        if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > roomUp)) {
            dir = 1;
        } else if (incr < 0 && incr < roomDown) {
            dir = -1;
        }
        if (dir == 0) return 0;
        if (policy == WRAP) {
            limit[0] = (value + incr) & max;
        } else if (policy == SAT) {
            limit[0] = dir > 0 ? max : 0;
        }
        return dir;
    }
}
