package io.jkevy.engine.command.string;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * INCRBYFLOAT arithmetic emulating the C {@code long double} of Redis on x86-64 (80-bit
 * extended: 64-bit significand, 15-bit exponent). Values are kept as exact
 * {@link BigDecimal}s that are always representable in that format: parsing rounds like
 * {@code strtold}, addition rounds the exact sum once (round half to even, as the FPU does),
 * and formatting prints the exact binary value with 17 fractional digits like
 * {@code printf("%.17Lf")}, then trims trailing zeros as Redis does.
 *
 * <p>Subnormal long doubles are treated as normal (more precision than the hardware keeps,
 * only below 1e-4931).
 */
public final class LongDouble {
    private LongDouble() { }

    /** Redis rejects float texts of this many bytes or more (MAX_LONG_DOUBLE_CHARS). */
    private static final int MAX_CHARS = 5 * 1024;
    private static final int SIGNIFICAND_BITS = 64;
    /** Largest finite long double: (2^64 - 1) * 2^(16383 - 63). */
    private static volatile BigDecimal max;
    /** Magnitudes below half the smallest subnormal (2^-16446) round to zero (ERANGE). */
    private static volatile BigDecimal minHalf;

    /** Outcome of parsing: a finite value, or {@link #INFINITE} for +-inf texts. */
    public static final BigDecimal INFINITE = new BigDecimal(BigInteger.TWO, 0);

    /**
     * Parses as Redis's string2ld: strtold over the text up to its first NUL, no leading
     * space, nothing left over, no NaN, no overflow and no underflow to zero. Returns null
     * when invalid, {@link #INFINITE} (compare by identity) for infinities.
     */
    public static BigDecimal parse(byte[] b) {
        int n = b.length;
        if (n == 0 || n >= MAX_CHARS) return null;
        if (isSpace(b[0])) return null;
        int end = 0;
        while (end < n && b[end] != 0) end++;
        if (end == 0) return BigDecimal.ZERO;          // strtold("") converts nothing: 0 and eptr at NUL
        int i = 0;
        boolean neg = false;
        if (b[i] == '+' || b[i] == '-') {
            neg = b[i] == '-';
            i++;
        }
        String rest = new String(b, i, end - i, java.nio.charset.StandardCharsets.ISO_8859_1);
        String lower = rest.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) return INFINITE;
        BigDecimal v;
        if (lower.startsWith("0x")) {
            v = parseHex(lower.substring(2));
        } else {
            v = parseDecimal(rest);
        }
        if (v == null) return null;
        if (neg) v = v.negate();
        v = round(v);
        if (v == null) return null;                     // overflow or underflow: ERANGE
        return v;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }

    /** Digits with an optional point and an optional signed exponent; null when malformed. */
    private static BigDecimal parseDecimal(String s) {
        int n = s.length(), i = 0, digits = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') { i++; digits++; }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') { i++; digits++; }
        }
        if (digits == 0) return null;
        int mantEnd = i;
        long exp = 0;
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int j = i + 1;
            boolean eneg = false;
            if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) { eneg = s.charAt(j) == '-'; j++; }
            int start = j;
            while (j < n && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
                if (exp < 1_000_000_000L) exp = exp * 10 + (s.charAt(j) - '0');
                j++;
            }
            if (j == start) return null;                // "1e" leaves "e" unparsed
            if (eneg) exp = -exp;
            i = j;
        }
        if (i != n) return null;
        String m = s.substring(0, mantEnd);
        if (m.endsWith(".")) m = m.substring(0, m.length() - 1);
        if (m.startsWith(".")) m = "0" + m;
        BigDecimal v = new BigDecimal(m);
        if (v.signum() == 0) return BigDecimal.ZERO;
        if (exp > 100_000) return null;                 // certainly beyond the long double range
        if (exp < -100_000) return null;                // certainly rounds to zero
        return v.scaleByPowerOfTen((int) exp);
    }

    /** Hex significand with optional point and optional binary exponent ("1.8p3"). */
    private static BigDecimal parseHex(String s) {
        int n = s.length(), i = 0, frac = 0, digits = 0;
        BigInteger m = BigInteger.ZERO;
        boolean point = false;
        for (; i < n; i++) {
            char ch = s.charAt(i);
            int d = Character.digit(ch, 16);
            if (ch == '.' && !point) { point = true; continue; }
            if (d < 0 || ch > 127) break;
            m = m.shiftLeft(4).or(BigInteger.valueOf(d));
            digits++;
            if (point) frac++;
        }
        if (digits == 0) return null;
        long exp = 0;
        if (i < n && s.charAt(i) == 'p') {
            int j = i + 1;
            boolean eneg = false;
            if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) { eneg = s.charAt(j) == '-'; j++; }
            int start = j;
            while (j < n && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
                if (exp < 1_000_000_000L) exp = exp * 10 + (s.charAt(j) - '0');
                j++;
            }
            if (j == start) return null;
            if (eneg) exp = -exp;
            i = j;
        }
        if (i != n) return null;
        if (m.signum() == 0) return BigDecimal.ZERO;
        long e2 = exp - 4L * frac;
        if (e2 > 100_000 || e2 < -100_000) return null;
        return pow2(new BigDecimal(m), (int) e2);
    }

    private static BigDecimal pow2(BigDecimal v, int e) {
        if (e >= 0) return v.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(e)));
        // v / 2^k == v * 5^k / 10^k exactly
        return v.multiply(new BigDecimal(BigInteger.valueOf(5).pow(-e))).scaleByPowerOfTen(e);
    }

    /** The sum rounded to a long double; null on overflow (the caller reports NaN/Infinity). */
    public static BigDecimal add(BigDecimal a, BigDecimal b) { return round(a.add(b)); }

    /**
     * Rounds an exact value to the nearest long double (half to even); null when the result
     * would be infinite or, for a non-zero input, zero.
     */
    static BigDecimal round(BigDecimal v) {
        int sign = v.signum();
        if (sign == 0) return BigDecimal.ZERO;
        BigDecimal a = v.abs();
        if (a.compareTo(minHalf()) <= 0) return null;
        // a = num / den exactly
        BigInteger num, den;
        if (a.scale() > 0) {
            num = a.unscaledValue();
            den = BigInteger.TEN.pow(a.scale());
        } else {
            num = a.unscaledValue().multiply(BigInteger.TEN.pow(-a.scale()));
            den = BigInteger.ONE;
        }
        // choose k with 2^63 <= a * 2^k < 2^64
        int k = SIGNIFICAND_BITS - (num.bitLength() - den.bitLength());
        BigInteger q;
        while (true) {
            BigInteger sn = k >= 0 ? num.shiftLeft(k) : num;
            BigInteger sd = k >= 0 ? den : den.shiftLeft(-k);
            BigInteger[] qr = sn.divideAndRemainder(sd);
            int bits = qr[0].bitLength();
            if (bits > SIGNIFICAND_BITS) { k--; continue; }
            if (bits < SIGNIFICAND_BITS) { k++; continue; }
            q = qr[0];
            int cmp = qr[1].shiftLeft(1).compareTo(sd);
            if (cmp > 0 || (cmp == 0 && q.testBit(0))) q = q.add(BigInteger.ONE);
            break;
        }
        BigDecimal r = pow2(new BigDecimal(q), -k);
        if (r.compareTo(max()) > 0) return null;
        return sign < 0 ? r.negate() : r;
    }

    /** Redis's human-friendly long double text: "%.17Lf", trailing zeros and point trimmed. */
    public static String format(BigDecimal v) {
        String s = v.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int l = s.length();
        if (s.indexOf('.') >= 0) {
            while (s.charAt(l - 1) == '0') l--;
            if (s.charAt(l - 1) == '.') l--;
        }
        s = s.substring(0, l);
        return s.equals("-0") ? "0" : s;
    }

    private static BigDecimal max() {
        BigDecimal m = max;
        if (m == null) {
            BigInteger sig = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
            max = m = new BigDecimal(sig.shiftLeft(16383 - 63));
        }
        return m;
    }

    private static BigDecimal minHalf() {
        BigDecimal m = minHalf;
        if (m == null) minHalf = m = pow2(BigDecimal.ONE, -16446);
        return m;
    }
}
