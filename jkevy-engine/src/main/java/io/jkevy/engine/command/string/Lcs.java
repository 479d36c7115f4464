package io.jkevy.engine.command.string;

/**
 * Longest common subsequence of two byte strings by the classic dynamic-programming table,
 * walked back from the end to recover the subsequence and its matching ranges. The walk
 * prefers moving in {@code b} (j) when both directions keep the same length, which fixes
 * which subsequence and ranges are reported (the same ones Redis reports).
 */
public final class Lcs {
    /** The subsequence itself. */
    public final byte[] subsequence;
    /**
     * Matching ranges, last match first, as {@code [aStart, aEnd, bStart, bEnd]} (inclusive,
     * 0-based); one range is a maximal run of consecutive matches in both strings.
     */
    public final java.util.List<long[]> ranges;

    private Lcs(byte[] subsequence, java.util.List<long[]> ranges) {
        this.subsequence = subsequence;
        this.ranges = ranges;
    }

    /** Cells of the table for strings of these lengths; callers bound memory with it. */
    public static long tableCells(int alen, int blen) { return (alen + 1L) * (blen + 1L); }

    /**
     * Computes the LCS. {@code wantRanges} also collects the ranges (otherwise the list is
     * empty). The table must fit an int[] (checked by the caller via {@link #tableCells}).
     */
    public static Lcs compute(byte[] a, byte[] b, boolean wantRanges) {
        final int alen = a.length, blen = b.length, w = blen + 1;
        int[] t = new int[(alen + 1) * w];   // t[i*w+j] = LCS length of a[0..i) and b[0..j)
        for (int i = 1; i <= alen; i++) {
            byte ai = a[i - 1];
            int row = i * w, prev = row - w;
            for (int j = 1; j <= blen; j++) {
                if (ai == b[j - 1]) {
                    t[row + j] = t[prev + j - 1] + 1;
                } else {
                    int up = t[prev + j], left = t[row + j - 1];
                    t[row + j] = Math.max(up, left);
                }
            }
        }
        int len = t[alen * w + blen];
        byte[] out = new byte[len];
        java.util.List<long[]> ranges = new java.util.ArrayList<>();
        int i = alen, j = blen, k = len;
        boolean open = false;
        int aStart = 0, aEnd = 0, bStart = 0, bEnd = 0;
        while (i > 0 && j > 0) {
            if (a[i - 1] == b[j - 1]) {
                out[--k] = a[i - 1];
                if (!open) {
                    open = true;
                    aStart = aEnd = i - 1;
                    bStart = bEnd = j - 1;
                } else {
                    // a match right after a match is always adjacent in both strings
                    aStart = i - 1;
                    bStart = j - 1;
                }
                i--;
                j--;
                if (open && (aStart == 0 || bStart == 0)) {
                    if (wantRanges) ranges.add(new long[] {aStart, aEnd, bStart, bEnd});
                    open = false;
                }
            } else {
                if (t[(i - 1) * w + j] > t[i * w + j - 1]) i--; else j--;
                if (open) {
                    if (wantRanges) ranges.add(new long[] {aStart, aEnd, bStart, bEnd});
                    open = false;
                }
            }
        }
        return new Lcs(out, ranges);
    }

    /** LCS length only, with two rows of memory. */
    public static int length(byte[] a, byte[] b) {
        int blen = b.length;
        int[] prev = new int[blen + 1], cur = new int[blen + 1];
        for (byte ai : a) {
            for (int j = 1; j <= blen; j++) {
                cur[j] = ai == b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
            }
            int[] s = prev; prev = cur; cur = s;
        }
        return prev[blen];
    }
}
