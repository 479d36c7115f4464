package io.jkevy.store.type.stream;

import java.nio.charset.StandardCharsets;

/**
 * A stream entry id {@code ms-seq}: two unsigned 64-bit integers held in Java longs and
 * compared unsigned, so ids above 2^63 order correctly. Immutable.
 */
public final class StreamId implements Comparable<StreamId> {
    public static final StreamId MIN = new StreamId(0, 0);
    /** 18446744073709551615-18446744073709551615: the greatest id (unsigned all-ones). */
    public static final StreamId MAX = new StreamId(-1L, -1L);

    public final long ms;
    public final long seq;

    public StreamId(long ms, long seq) { this.ms = ms; this.seq = seq; }

    @Override
    public int compareTo(StreamId o) {
        int c = Long.compareUnsigned(ms, o.ms);
        return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
    }

    public boolean isZero() { return ms == 0 && seq == 0; }

    public boolean isMax() { return ms == -1L && seq == -1L; }

    /** The id just after this one, or null when this is {@link #MAX}. */
    public StreamId next() {
        if (seq != -1L) return new StreamId(ms, seq + 1);
        if (ms != -1L) return new StreamId(ms + 1, 0);
        return null;
    }

    /** The id just before this one, or null when this is {@link #MIN}. */
    public StreamId prev() {
        if (seq != 0) return new StreamId(ms, seq - 1);
        if (ms != 0) return new StreamId(ms - 1, -1L);
        return null;
    }

    @Override
    public boolean equals(Object o) { return o instanceof StreamId s && s.ms == ms && s.seq == seq; }

    @Override
    public int hashCode() { return Long.hashCode(ms) * 31 + Long.hashCode(seq); }

    @Override
    public String toString() { return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq); }

    public byte[] toBytes() { return toString().getBytes(StandardCharsets.US_ASCII); }

    /**
     * Parses an unsigned decimal of 1..20 digits (no sign, no spaces) as Redis accepts in
     * stream ids; returns false in {@code ok[0]} when invalid or above 2^64-1.
     */
    public static long parseUnsigned(byte[] b, int from, int to, boolean[] ok) {
        int n = to - from;
        if (n <= 0 || n > 20) { ok[0] = false; return 0; }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) { ok[0] = false; return 0; }
            long hi = Math.unsignedMultiplyHigh(v, 10);
            long lo = v * 10;
            if (hi != 0) { ok[0] = false; return 0; }
            long r = lo + d;
            if (Long.compareUnsigned(r, lo) < 0) { ok[0] = false; return 0; }
            v = r;
        }
        ok[0] = true;
        return v;
    }
}
