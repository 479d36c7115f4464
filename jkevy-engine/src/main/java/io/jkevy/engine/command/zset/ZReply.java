package io.jkevy.engine.command.zset;

import io.jkevy.resp.RespWriter;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Score formatting and replies as Redis 7.0 writes them: every score reply (ZSCORE,
 * WITHSCORES, ZINCRBY, pops, ZSCAN) is C's {@code %.17g} of the double, with "inf"/"-inf",
 * so 0.1 is {@code 0.10000000000000001} and 1e20 is {@code 1e+20}. (Redis 7.2 switched to
 * the shortest round-trip form, which {@link RespWriter#formatDouble} implements; 7.0 is the
 * reference here.) RESP2 sends the text as a bulk string, RESP3 as a {@code ,} double.
 */
public final class ZReply {
    private ZReply() { }

    private static final MathContext SEVENTEEN = new MathContext(17, RoundingMode.HALF_EVEN);

    /** C's {@code printf("%.17g", d)}, with Redis's spelling of infinities and zero signs. */
    public static String format(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0) return 1.0 / d < 0 ? "-0" : "0";
        // the exact binary value rounded half-even to 17 significant digits, as glibc does
        BigDecimal bd = new BigDecimal(Math.abs(d)).round(SEVENTEEN);
        String digits = bd.unscaledValue().toString();
        int exp = digits.length() - 1 - bd.scale(); // decimal exponent of the first digit
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') end--;
        digits = digits.substring(0, end);
        StringBuilder sb = new StringBuilder(26);
        if (d < 0) sb.append('-');
        if (exp < -4 || exp >= 17) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
            sb.append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            if (a < 10) sb.append('0');
            sb.append(a);
        } else if (exp >= 0) {
            if (digits.length() <= exp + 1) {
                sb.append(digits).repeat('0', exp + 1 - digits.length());
            } else {
                sb.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, digits.length());
            }
        } else {
            sb.append("0.").repeat('0', -exp - 1).append(digits);
        }
        return sb.toString();
    }

    /** A score reply: RESP2 bulk string, RESP3 double. */
    public static void score(RespWriter out, double d) {
        String s = format(d);
        if (out.protocol() == 3) {
            out.raw(("," + s + "\r\n").getBytes(StandardCharsets.US_ASCII));
        } else {
            out.bulk(s);
        }
    }
}
