package io.jkevy.engine;

import io.jkevy.engine.command.Errors;

/** Argument parsing with Redis's rules and error texts. */
public final class Args {
    private Args() { }

    /** True when {@code a} equals {@code lowerWord} ignoring ASCII case. */
    public static boolean is(byte[] a, String lowerWord) {
        int n = lowerWord.length();
        if (a.length != n) return false;
        for (int i = 0; i < n; i++) {
            int ch = a[i];
            if (ch >= 'A' && ch <= 'Z') ch += 32;
            if (ch != lowerWord.charAt(i)) return false;
        }
        return true;
    }

    /** Strict signed 64-bit decimal, as Redis's string2ll: no spaces, no '+', no leading zeros. */
    public static boolean isLong(byte[] b) {
        return parseLongOr(b, Long.MIN_VALUE, true) != Long.MIN_VALUE || isMinLong(b);
    }

    private static boolean isMinLong(byte[] b) {
        return java.util.Arrays.equals(b, "-9223372036854775808".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    public static long parseLong(byte[] b) { return parseLong(b, Errors.NOT_INTEGER); }

    public static long parseLong(byte[] b, String error) {
        if (isMinLong(b)) return Long.MIN_VALUE;
        long v = parseLongOr(b, Long.MIN_VALUE, true);
        if (v == Long.MIN_VALUE) throw new CommandError(error);
        return v;
    }

    /**
     * Parses like Redis's string2ll; returns {@code fallback} on any error. With
     * {@code strict} the text must be the canonical form (what Redis requires for integers
     * stored as strings and for arguments).
     */
    public static long parseLongOr(byte[] b, long fallback, boolean strict) {
        int n = b.length;
        if (n == 0 || n > 20) return fallback;
        int i = 0;
        boolean neg = false;
        if (b[0] == '-') {
            neg = true;
            i = 1;
            if (n == 1) return fallback;
        }
        if (b[i] == '0') return (n == i + 1 && !neg) ? 0 : fallback;
        long v = 0;
        for (; i < n; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return fallback;
            if (v > (Long.MAX_VALUE - d) / 10) return fallback;
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }

    /** Parses a double as Redis's getDoubleFromObject: no spaces, no NaN; "inf" accepted. */
    public static double parseDouble(byte[] b) { return parseDouble(b, Errors.NOT_FLOAT); }

    public static double parseDouble(byte[] b, String error) {
        int n = b.length;
        if (n == 0 || n > 5120) throw new CommandError(error);
        boolean neg = b[0] == '-';
        if (n - (neg ? 1 : 0) <= 15) {
            // fast path without garbage (ZADD scores): [-]digits, at most 15 of them, is exact as a double
            int i = neg ? 1 : 0;
            if (i < n) {
                long v = 0;
                while (i < n && b[i] >= '0' && b[i] <= '9') v = v * 10 + (b[i++] - '0');
                if (i == n) return neg ? (v == 0 ? -0.0 : -v) : v;
            }
        }
        String s = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
        char c0 = s.charAt(0), cl = s.charAt(n - 1);
        if (Character.isWhitespace(c0) || Character.isWhitespace(cl)) throw new CommandError(error);
        String l = s.toLowerCase(java.util.Locale.ROOT);
        switch (l) {
            case "inf", "+inf", "infinity", "+infinity": return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity": return Double.NEGATIVE_INFINITY;
            default: break;
        }
        if (l.contains("nan") || l.endsWith("d") || l.endsWith("f") || l.startsWith("0x") || l.startsWith("-0x")
                || l.contains("infinity")) throw new CommandError(error);
        try {
            double d = Double.parseDouble(s);
            if (Double.isNaN(d)) throw new CommandError(error);
            return d;
        } catch (NumberFormatException e) {
            throw new CommandError(error);
        }
    }

    /**
     * A blocking command's timeout in seconds (fractions allowed) as milliseconds, with
     * Redis's errors; 0 means wait forever, and a positive fraction of a millisecond waits 1.
     */
    public static long blockingTimeoutMillis(byte[] arg) {
        double secs = parseDouble(arg, "ERR timeout is not a float or out of range");
        if (Double.isInfinite(secs)) throw new CommandError("ERR timeout is not a float or out of range");
        if (secs < 0) throw new CommandError("ERR timeout is negative");
        double ms = secs * 1000;
        if (ms > Long.MAX_VALUE / 2) throw new CommandError("ERR timeout is out of range");
        return ms > 0 && ms < 1 ? 1 : (long) ms;
    }
}
