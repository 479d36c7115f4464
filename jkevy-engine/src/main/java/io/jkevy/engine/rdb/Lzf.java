package io.jkevy.engine.rdb;

/**
 * LZF, the compression RDB uses for strings.
 *
 * <p>Stream format: a sequence of items, each starting with a control byte {@code c}:
 * <ul>
 *   <li>{@code c < 0x20}: a literal run; the next {@code c + 1} bytes (1..32) are copied.</li>
 *   <li>otherwise a back reference: {@code n = c >> 5} (1..7); when {@code n == 7} the next
 *       byte is added to it; then one more byte {@code lo}. The match copies {@code n + 2}
 *       bytes (3..264) starting {@code ((c & 0x1f) << 8 | lo) + 1} bytes (1..8192) back in
 *       the output; source and destination may overlap (a run of one byte repeats it).</li>
 * </ul>
 *
 * <p>{@link #compress} reproduces, byte for byte, the output of the liblzf 3.6 compressor as
 * Redis builds it (16-bit hash table of offsets, the "very fast" variant that re-hashes the
 * last two positions of every match, the table starting out empty): a DUMP is then identical to
 * redis-server's for the same value. The decisions below (which positions are hashed, how a
 * match is extended, when output space counts as exhausted) are therefore part of the
 * contract, not tuning knobs.
 */
public final class Lzf {
    private Lzf() { }

    private static final int HLOG = 16;
    private static final int HSIZE = 1 << HLOG;
    private static final int MAX_LIT = 32;
    private static final int MAX_OFF = 1 << 13;
    private static final int MAX_REF = (1 << 8) + (1 << 3);

    /**
     * Per-thread hash table: slot -> input position + 0 (0 doubles as "empty", which is also
     * why position 0 can never be a match source). Only the slots written by a call are
     * cleared afterwards, so a short string does not pay for the 64K-entry table.
     */
    private static final ThreadLocal<int[][]> TABLES = ThreadLocal.withInitial(() -> new int[][] {new int[HSIZE], new int[64]});

    private static int hashIndex(int h) {
        // 32-bit unsigned arithmetic; only the last three bytes shifted into h matter
        return ((h >>> (24 - HLOG)) - h * 5) & (HSIZE - 1);
    }

    /**
     * Compresses {@code in[0, inLen)} into at most {@code outLimit} bytes. Returns the
     * compressed bytes, or null when they would not fit in {@code outLimit} (as judged by
     * liblzf's own, slightly conservative, space checks).
     */
    public static byte[] compress(byte[] in, int inLen, int outLimit) {
        if (inLen == 0 || outLimit <= 0) return null;
        int[][] state = TABLES.get();
        int[] htab = state[0];
        int[] used = state[1];
        int usedN = 0;
        byte[] out = new byte[outLimit + 8];     // slack: the checks below allow a few bytes past the limit transiently
        int op = 0, ip = 0, lit = 0;
        final int outEnd = outLimit;
        boolean full = false;
        try {
            op++;                                 // room for the first literal run's control byte
            int hval = ((in[0] & 0xff) << 8) | (in[1 < inLen ? 1 : 0] & 0xff);
            while (ip < inLen - 2) {
                hval = (hval << 8) | (in[ip + 2] & 0xff);
                int slot = hashIndex(hval);
                int ref = htab[slot];
                if (ref == 0) {
                    if (usedN == used.length) state[1] = used = java.util.Arrays.copyOf(used, usedN * 2);
                    used[usedN++] = slot;
                }
                htab[slot] = ip;
                int off = ip - ref - 1;
                if (ref > 0 && off < MAX_OFF && off >= 0
                        && in[ref + 2] == in[ip + 2] && in[ref] == in[ip] && in[ref + 1] == in[ip + 1]) {
                    int len = 2;
                    int maxLen = inLen - ip - len;
                    if (maxLen > MAX_REF) maxLen = MAX_REF;
                    if (op + 3 + 1 >= outEnd && op - (lit == 0 ? 1 : 0) + 3 + 1 >= outEnd) {
                        full = true;
                        break;
                    }
                    out[op - lit - 1] = (byte) (lit - 1);     // close the literal run
                    if (lit == 0) op--;                       // ... or drop it when empty
                    len = matchLength(in, ref, ip, maxLen);
                    len -= 2;                                  // encoded length: matched bytes - 2
                    ip++;
                    if (len < 7) {
                        out[op++] = (byte) ((off >>> 8) + (len << 5));
                    } else {
                        out[op++] = (byte) ((off >>> 8) + (7 << 5));
                        out[op++] = (byte) (len - 7);
                    }
                    out[op++] = (byte) off;
                    lit = 0;
                    op++;                                      // next literal run's control byte
                    ip += len + 1;
                    if (ip >= inLen - 2) break;
                    // hash the last two positions covered by the match
                    ip -= 2;
                    hval = ((in[ip] & 0xff) << 8) | (in[ip + 1] & 0xff);
                    for (int k = 0; k < 2; k++) {
                        hval = (hval << 8) | (in[ip + 2] & 0xff);
                        int s = hashIndex(hval);
                        if (htab[s] == 0) {
                            if (usedN == used.length) state[1] = used = java.util.Arrays.copyOf(used, usedN * 2);
                            used[usedN++] = s;
                        }
                        htab[s] = ip;
                        ip++;
                    }
                } else {
                    if (op >= outEnd) {
                        full = true;
                        break;
                    }
                    lit++;
                    out[op++] = in[ip++];
                    if (lit == MAX_LIT) {
                        out[op - lit - 1] = (byte) (lit - 1);
                        lit = 0;
                        op++;
                    }
                }
            }
            if (full || op + 3 > outEnd) return null;
            while (ip < inLen) {
                lit++;
                out[op++] = in[ip++];
                if (lit == MAX_LIT) {
                    out[op - lit - 1] = (byte) (lit - 1);
                    lit = 0;
                    op++;
                }
            }
            out[op - lit - 1] = (byte) (lit - 1);
            if (lit == 0) op--;
            return java.util.Arrays.copyOf(out, op);
        } finally {
            for (int i = 0; i < usedN; i++) htab[used[i]] = 0;
        }
    }

    /**
     * Bytes matched at {@code ip} against {@code ref}, given that the first three already
     * match. Mirrors liblzf's extension loop: when more than 16 bytes may follow it first
     * compares up to 16 bytes without checking {@code maxLen} (so a match may end up to two
     * bytes past it, still inside the input), then continues one byte at a time while below
     * {@code maxLen}. Either phase always advances at least once.
     */
    private static int matchLength(byte[] in, int ref, int ip, int maxLen) {
        int len = 2;
        if (maxLen > 16) {
            for (int k = 0; k < 16; k++) {
                len++;
                if (in[ref + len] != in[ip + len]) return len;
            }
        }
        do {
            len++;
        } while (len < maxLen && in[ref + len] == in[ip + len]);
        return len;
    }

    /**
     * Decompresses {@code in[off, off+len)} into exactly {@code outLen} bytes.
     *
     * @throws RdbFormatException when the stream is malformed or does not produce exactly
     *                            {@code outLen} bytes
     */
    public static byte[] decompress(byte[] in, int off, int len, int outLen) throws RdbFormatException {
        byte[] out = new byte[outLen];
        int ip = off, end = off + len, op = 0;
        while (ip < end) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int n = ctrl + 1;
                if (op + n > outLen) throw new RdbFormatException("lzf: output overflow");
                if (ip + n > end) throw new RdbFormatException("lzf: input truncated");
                System.arraycopy(in, ip, out, op, n);
                ip += n;
                op += n;
            } else {
                int n = ctrl >>> 5;
                int ref = op - ((ctrl & 0x1f) << 8) - 1;
                if (ip >= end) throw new RdbFormatException("lzf: input truncated");
                if (n == 7) {
                    n += in[ip++] & 0xff;
                    if (ip >= end) throw new RdbFormatException("lzf: input truncated");
                }
                ref -= in[ip++] & 0xff;
                n += 2;
                if (op + n > outLen) throw new RdbFormatException("lzf: output overflow");
                if (ref < 0) throw new RdbFormatException("lzf: back reference before start");
                for (int i = 0; i < n; i++) out[op + i] = out[ref + i];   // may overlap: byte by byte
                op += n;
            }
        }
        if (op != outLen) throw new RdbFormatException("lzf: length mismatch");
        return out;
    }
}
