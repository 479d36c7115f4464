package io.jkevy.store.type.zset;

/**
 * One end of a lexicographic range: {@code -} (before everything), {@code +} (after
 * everything), or a member that is included ({@code [x}) or excluded ({@code (x}).
 */
public final class LexBound {
    public static final LexBound MINUS = new LexBound(-1, null, false);
    public static final LexBound PLUS = new LexBound(1, null, false);

    /** -1 for "-", +1 for "+", 0 for a member bound */
    private final int inf;
    private final byte[] value;
    private final boolean exclusive;

    private LexBound(int inf, byte[] value, boolean exclusive) {
        this.inf = inf;
        this.value = value;
        this.exclusive = exclusive;
    }

    public static LexBound of(byte[] value, boolean exclusive) { return new LexBound(0, value, exclusive); }

    /**
     * Parses Redis's syntax ({@code -}, {@code +}, {@code [member}, {@code (member});
     * returns null when {@code arg} is none of them.
     */
    public static LexBound parse(byte[] arg) {
        if (arg.length == 0) return null;
        switch (arg[0]) {
            case '-': return arg.length == 1 ? MINUS : null;
            case '+': return arg.length == 1 ? PLUS : null;
            case '[': return of(java.util.Arrays.copyOfRange(arg, 1, arg.length), false);
            case '(': return of(java.util.Arrays.copyOfRange(arg, 1, arg.length), true);
            default: return null;
        }
    }

    /** True when {@code m} is at or after this bound taken as a range minimum. */
    public boolean admitsAsMin(byte[] m) { return admitsAsMin(m, 0, m.length); }

    /** True when {@code m} is at or before this bound taken as a range maximum. */
    public boolean admitsAsMax(byte[] m) { return admitsAsMax(m, 0, m.length); }

    /** {@link #admitsAsMin(byte[])} for the member {@code b[from, to)}. */
    boolean admitsAsMin(byte[] b, int from, int to) {
        if (inf != 0) return inf < 0;
        int c = java.util.Arrays.compareUnsigned(b, from, to, value, 0, value.length);
        return exclusive ? c > 0 : c >= 0;
    }

    /** {@link #admitsAsMax(byte[])} for the member {@code b[from, to)}. */
    boolean admitsAsMax(byte[] b, int from, int to) {
        if (inf != 0) return inf > 0;
        int c = java.util.Arrays.compareUnsigned(b, from, to, value, 0, value.length);
        return exclusive ? c < 0 : c <= 0;
    }
}
