package io.jkevy.resp;

import io.netty.buffer.ByteBuf;

/** Strict ASCII integer parsing with Redis {@code string2ll} acceptance rules. */
final class AsciiNumbers {

    /** Returned when the text is not a valid number; no valid input maps to it except itself. */
    static final long INVALID = Long.MIN_VALUE;

    private AsciiNumbers() {
    }

    /**
     * Parses bytes {@code [from, to)} of {@code buf} as a signed decimal long. Accepts what Redis
     * {@code string2ll} accepts: optional '-', no '+', no leading zeros, no "-0", no spaces,
     * no overflow. Long.MIN_VALUE itself is reported as {@link #INVALID}, which is harmless
     * because every caller needs far smaller magnitudes.
     */
    static long parseLong(ByteBuf buf, int from, int to) {
        int len = to - from;
        if (len <= 0 || len > 20) {
            return INVALID;
        }
        int i = from;
        boolean negative = false;
        if (buf.getByte(i) == '-') {
            negative = true;
            i++;
            if (i == to) {
                return INVALID;
            }
        }
        byte first = buf.getByte(i);
        if (first == '0') {
            // only a bare "0" may start with zero
            return (len == 1) ? 0 : INVALID;
        }
        if (first < '1' || first > '9') {
            return INVALID;
        }
        long v = 0;
        for (; i < to; i++) {
            byte b = buf.getByte(i);
            if (b < '0' || b > '9') {
                return INVALID;
            }
            int d = b - '0';
            // accumulate as a negative number so the full positive range fits without overflow
            if (v < (Long.MIN_VALUE + d) / 10) {
                return INVALID;
            }
            v = v * 10 - d;
        }
        if (negative) {
            return v;
        }
        if (v == Long.MIN_VALUE) {
            return INVALID;
        }
        return -v;
    }
}
