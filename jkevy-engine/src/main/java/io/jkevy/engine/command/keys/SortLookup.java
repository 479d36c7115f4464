package io.jkevy.engine.command.keys;

import io.jkevy.engine.CommandContext;
import io.jkevy.store.type.hash.HashValue;

import java.nio.charset.StandardCharsets;

/**
 * The C-string rules SORT inherits from Redis: patterns, weights and ALPHA comparisons are
 * read as NUL-terminated strings (Redis hands the raw buffers to strchr/strstr/strtod/strcoll),
 * so whatever follows an embedded NUL byte is ignored there. The server collates in the C
 * locale, where strcoll is strcmp: unsigned byte order.
 */
final class SortLookup {
    private SortLookup() { }

    /** Length of {@code b} as a C string: up to its first NUL byte. */
    static int cLength(byte[] b) {
        for (int i = 0; i < b.length; i++) if (b[i] == 0) return i;
        return b.length;
    }

    /** Index of the first '*' of {@code pattern} as a C string, or -1. */
    static int star(byte[] pattern) {
        int n = cLength(pattern);
        for (int i = 0; i < n; i++) if (pattern[i] == '*') return i;
        return -1;
    }

    /** True for the GET pattern "#" (the element itself). */
    static boolean isSelf(byte[] pattern) {
        return pattern.length > 0 && pattern[0] == '#' && (pattern.length == 1 || pattern[1] == 0);
    }

    /**
     * The string a BY/GET pattern designates for {@code element}, or null. The first '*' is
     * replaced by the element; a "->field" after the '*' (field non-empty) reads that hash
     * field instead of a string key. A pattern without '*' designates nothing (no lookup).
     * Each key lookup counts a keyspace hit or miss, as Redis's read lookups do; a key of the
     * wrong type yields null.
     */
    static byte[] lookup(CommandContext c, byte[] pattern, byte[] element) {
        if (isSelf(pattern)) return element;
        int p = star(pattern);
        if (p < 0) return null;
        int cl = cLength(pattern);
        int arrow = -1;
        for (int i = p + 1; i + 1 < cl; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                arrow = i;
                break;
            }
        }
        // "->" ending the C string is not a dereference: it stays part of the key name.
        if (arrow >= 0 && arrow + 2 >= cl) arrow = -1;
        int fieldLen = arrow < 0 ? 0 : pattern.length - arrow - 2;
        int postfix = pattern.length - p - 1 - (arrow < 0 ? 0 : fieldLen + 2);
        byte[] key = new byte[p + element.length + postfix];
        System.arraycopy(pattern, 0, key, 0, p);
        System.arraycopy(element, 0, key, p, element.length);
        System.arraycopy(pattern, p + 1, key, p + element.length, postfix);
        Object v = c.db().get(key);
        if (v == null) {
            c.miss();
            return null;
        }
        c.hit();
        if (arrow >= 0) {
            if (!(v instanceof HashValue h)) return null;
            byte[] field = new byte[fieldLen];
            System.arraycopy(pattern, arrow + 2, field, 0, fieldLen);
            return h.get(field);
        }
        return v instanceof byte[] s ? s : null;
    }

    /** Binary comparison (memcmp, then length), as Redis compares when storing. */
    static int binary(byte[] a, byte[] b) { return java.util.Arrays.compareUnsigned(a, b); }

    /** strcmp over the C strings: unsigned bytes up to the first NUL of either. */
    static int cString(byte[] a, byte[] b) {
        for (int i = 0; ; i++) {
            int x = i < a.length ? a[i] & 0xff : 0;
            int y = i < b.length ? b[i] & 0xff : 0;
            if (x != y) return x - y;
            if (x == 0) return 0;
        }
    }

    /**
     * C's strtod over the C string {@code b}, requiring it to consume everything; NaN when
     * it would not, when the result is NaN, or when strtod would report ERANGE (overflow to
     * infinity from a finite literal, or underflow to a subnormal or zero). As with strtod,
     * leading whitespace is skipped, "inf"/"infinity" are accepted, hex literals are read, and
     * an empty string converts to 0 (nothing parsed, the end pointer is at the terminator).
     */
    static double strtod(byte[] b) {
        int n = cLength(b);
        if (n == 0) return 0;
        String s = new String(b, 0, n, StandardCharsets.ISO_8859_1);
        int i = 0;
        while (i < n && " \t\n\u000b\f\r".indexOf(s.charAt(i)) >= 0) i++;
        int signAt = i;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
        String rest = s.substring(i).toLowerCase(java.util.Locale.ROOT);
        boolean neg = signAt < n && s.charAt(signAt) == '-';
        if (rest.equals("inf") || rest.equals("infinity")) return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        if (rest.startsWith("nan")) return Double.NaN;
        double d;
        boolean nonZeroDigit = false;
        if (rest.startsWith("0x")) {
            // Hex float: mantissa hex digits with an optional point, optional p exponent.
            int j = 2, digits = 0;
            while (j < rest.length() && Character.digit(rest.charAt(j), 16) >= 0) {
                if (rest.charAt(j) != '0') nonZeroDigit = true;
                j++;
                digits++;
            }
            if (j < rest.length() && rest.charAt(j) == '.') {
                j++;
                while (j < rest.length() && Character.digit(rest.charAt(j), 16) >= 0) {
                    if (rest.charAt(j) != '0') nonZeroDigit = true;
                    j++;
                    digits++;
                }
            }
            if (digits == 0) return Double.NaN; // strtod stops after the "0": 'x' remains
            String mant = rest.substring(0, j);
            String exp = "p0";
            if (j < rest.length()) {
                if (rest.charAt(j) != 'p') return Double.NaN;
                int k = j + 1;
                if (k < rest.length() && (rest.charAt(k) == '+' || rest.charAt(k) == '-')) k++;
                int e0 = k;
                while (k < rest.length() && Character.isDigit(rest.charAt(k))) k++;
                if (k == e0 || k != rest.length()) return Double.NaN;
                exp = rest.substring(j);
            }
            try {
                d = Double.parseDouble(mant + exp);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        } else {
            int j = 0, digits = 0;
            while (j < rest.length() && isDigit(rest.charAt(j))) {
                if (rest.charAt(j) != '0') nonZeroDigit = true;
                j++;
                digits++;
            }
            if (j < rest.length() && rest.charAt(j) == '.') {
                j++;
                while (j < rest.length() && isDigit(rest.charAt(j))) {
                    if (rest.charAt(j) != '0') nonZeroDigit = true;
                    j++;
                    digits++;
                }
            }
            if (digits == 0) return Double.NaN;
            if (j < rest.length()) {
                if (rest.charAt(j) != 'e') return Double.NaN;
                int k = j + 1;
                if (k < rest.length() && (rest.charAt(k) == '+' || rest.charAt(k) == '-')) k++;
                int e0 = k;
                while (k < rest.length() && isDigit(rest.charAt(k))) k++;
                if (k == e0 || k != rest.length()) return Double.NaN;
            }
            try {
                d = Double.parseDouble(rest);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        if (Double.isInfinite(d)) return Double.NaN;                      // overflow: ERANGE
        if (nonZeroDigit && Math.abs(d) < Double.MIN_NORMAL) return Double.NaN; // underflow
        return neg ? -d : d;
    }

    private static boolean isDigit(char ch) { return ch >= '0' && ch <= '9'; }
}
