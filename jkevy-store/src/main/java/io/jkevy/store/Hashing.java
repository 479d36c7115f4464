package io.jkevy.store;

/** The key hash: stripe from the high bits, table slot from the low bits. */
public final class Hashing {
    private Hashing() { }

    /**
     * A 32-bit hash of a byte array with good avalanche in both the high bits (stripe) and
     * the low bits (slot). Reads 8 bytes per step; short keys (the common case) cost a few
     * multiplies.
     */
    public static int hash(byte[] key) {
        long h = 0x9E3779B97F4A7C15L ^ key.length;
        int i = 0;
        final int n = key.length;
        for (; i + 8 <= n; i += 8) {
            long k = (key[i] & 0xffL) | (key[i + 1] & 0xffL) << 8 | (key[i + 2] & 0xffL) << 16
                    | (key[i + 3] & 0xffL) << 24 | (key[i + 4] & 0xffL) << 32 | (key[i + 5] & 0xffL) << 40
                    | (key[i + 6] & 0xffL) << 48 | (key[i + 7] & 0xffL) << 56;
            h = (h ^ mix(k)) * 0xBF58476D1CE4E5B9L;
        }
        long tail = 0;
        for (int s = 0; i < n; i++, s += 8) tail |= (key[i] & 0xffL) << s;
        h = (h ^ mix(tail)) * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        return (int) (h ^ (h >>> 32));
    }

    private static long mix(long k) {
        k *= 0xff51afd7ed558ccdL;
        return k ^ (k >>> 33);
    }
}
