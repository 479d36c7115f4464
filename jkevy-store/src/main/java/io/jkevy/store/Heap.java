package io.jkevy.store;

/**
 * Estimates of JVM heap footprints, for memory accounting (INFO used_memory, MEMORY USAGE,
 * maxmemory). The figures assume a 64-bit HotSpot JVM with compressed class pointers and
 * compressed references (the default for heaps under 32 GB): a 12-byte object header, a
 * 16-byte array header (header plus length), 4-byte references, everything padded to 8 bytes.
 * They are estimates, not measurements: no allocator or GC overhead is included.
 */
public final class Heap {
    private Heap() { }

    public static final int OBJECT_HEADER = 12;
    public static final int ARRAY_HEADER = 16;
    public static final int REF = 4;

    /** Elements sampled by the incremental accounting (bounded cost per write). */
    public static final int ACCOUNTING_SAMPLES = 16;

    /** {@code n} rounded up to a multiple of 8. */
    public static long align(long n) { return (n + 7) & ~7L; }

    /** A {@code byte[]} of {@code n} elements. */
    public static long bytes(long n) { return align(ARRAY_HEADER + n); }

    /** An array of {@code n} references. */
    public static long refs(long n) { return align(ARRAY_HEADER + n * REF); }

    /** A {@code long[]} (or {@code double[]}) of {@code n} elements. */
    public static long longs(long n) { return align(ARRAY_HEADER + n * 8); }

    /** An {@code int[]} of {@code n} elements. */
    public static long ints(long n) { return align(ARRAY_HEADER + n * 4); }

    /** An object whose fields take {@code fieldBytes} bytes. */
    public static long object(int fieldBytes) { return align(OBJECT_HEADER + fieldBytes); }

    /**
     * Estimated footprint of a stored value: a string is its {@code byte[]}; every other type
     * estimates itself ({@link TypedValue#memoryBytes(int)}, {@code samples} elements sampled,
     * 0 for all of them); anything else counts as one small object.
     */
    public static long valueBytes(Object value, int samples) {
        if (value instanceof byte[] b) return bytes(b.length);
        if (value instanceof TypedValue t) return t.memoryBytes(samples);
        return object(16);          // not a stored type (tables used directly, in tests)
    }

    /**
     * Evenly spaced positions for sampling {@code n} items with at most {@code samples}
     * picks (0 = all): the step between picks. Deterministic, so the same structure always
     * gets the same estimate (the accounting subtracts exactly what it added).
     */
    public static long step(long n, int samples) {
        if (samples <= 0 || n <= samples) return 1;
        return n / samples;
    }

    /**
     * Estimated bytes of the {@code byte[]} elements of an open-addressing table holding
     * {@code size} entries ({@code keys[i] == null} marks a free slot; {@code vals} is a
     * parallel array or null): exact when {@code samples <= 0} or the table is small, else
     * the average of up to {@code samples} entries, one from each of evenly spaced windows,
     * times {@code size}. The arrays themselves are not included.
     */
    public static long tableElements(byte[][] keys, byte[][] vals, int size, int samples) {
        if (size == 0) return 0;
        int cap = keys.length;
        long sum = 0;
        int seen = 0;
        if (samples > 0 && size > samples) {
            int stride = Math.max(1, cap / samples);
            for (int start = 0; start < cap && seen < samples; start += stride) {
                for (int i = start, end = Math.min(cap, start + stride); i < end; i++) {
                    byte[] k = keys[i];
                    if (k == null) continue;
                    sum += bytes(k.length) + (vals == null ? 0 : bytes(vals[i].length));
                    seen++;
                    break;
                }
            }
            if (seen > 0) return sum * size / seen;
            sum = 0;
        }
        for (int i = 0; i < cap; i++) {
            byte[] k = keys[i];
            if (k != null) sum += bytes(k.length) + (vals == null ? 0 : bytes(vals[i].length));
        }
        return sum;
    }
}
