package io.jkevy.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.nio.charset.StandardCharsets;

/**
 * Encodes replies into a Netty {@link ByteBuf} for RESP2 or RESP3. One per connection; not
 * thread-safe. The target buffer is owned and released by the caller.
 *
 * <p>{@link #ok()}, {@link #simple}, {@link #error}, {@link #integer}, {@link #bulk(byte[])},
 * headers and nulls allocate nothing: constants are pre-encoded and numbers are written through
 * a per-writer scratch array.
 *
 * <p>Double formatting follows Redis 7.2+ {@code d2string}: {@code nan}, {@code inf},
 * {@code -inf}, {@code 0}/{@code -0}; integral values within +/-2^62 as plain integers; other
 * values as the shortest round-trip decimal laid out like Redis {@code fpconv_dtoa} (plain
 * notation for moderate exponents, otherwise {@code 1.5e+300}). The same text is used for RESP2
 * (as a bulk string) and RESP3 (after {@code ','}).
 */
public final class RespWriter {

    private static final int CACHED = 1024;
    private static final int NO_PREFIX = -1;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] OK = ascii("+OK\r\n");
    private static final byte[] NULL_BULK2 = ascii("$-1\r\n");
    private static final byte[] NULL_ARRAY2 = ascii("*-1\r\n");
    private static final byte[] NULL3 = ascii("_\r\n");
    private static final byte[] TRUE3 = ascii("#t\r\n");
    private static final byte[] FALSE3 = ascii("#f\r\n");
    private static final byte[] LONG_MIN_DIGITS = ascii(Long.toString(Long.MIN_VALUE));
    /** {@code :n\r\n} for 0 <= n < 1024 (includes {@code :0} and {@code :1}). */
    private static final byte[][] INTEGERS = new byte[CACHED][];
    /** {@code $n\r\n} for 0 <= n < 1024. */
    private static final byte[][] BULK_HEADERS = new byte[CACHED][];

    static {
        for (int i = 0; i < CACHED; i++) {
            INTEGERS[i] = ascii(":" + i + "\r\n");
            BULK_HEADERS[i] = ascii("$" + i + "\r\n");
        }
    }

    /** Prefix byte + up to 20 digits (with sign) + CRLF. */
    private final byte[] scratch = new byte[24];
    private ByteBuf out;
    private int protocol = 2;

    public RespWriter() {
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    public void target(ByteBuf out) {
        this.out = out;
    }

    public ByteBuf target() {
        return out;
    }

    public int protocol() {
        return protocol;
    }

    /** @param v 2 or 3 */
    public void protocol(int v) {
        if (v != 2 && v != 3) {
            throw new IllegalArgumentException("protocol must be 2 or 3: " + v);
        }
        protocol = v;
    }

    // ---------------------------------------------------------------------------------------
    // number plumbing

    /**
     * Writes {@code prefix} (unless {@link #NO_PREFIX}), the decimal digits of {@code v}, then
     * CRLF, in a single buffer write.
     */
    private void prefixed(int prefix, long v) {
        byte[] s = scratch;
        int end = s.length;
        int pos = end;
        s[--pos] = '\n';
        s[--pos] = '\r';
        if (v == Long.MIN_VALUE) {
            pos -= LONG_MIN_DIGITS.length;
            System.arraycopy(LONG_MIN_DIGITS, 0, s, pos, LONG_MIN_DIGITS.length);
        } else {
            boolean neg = v < 0;
            long x = neg ? -v : v;
            do {
                s[--pos] = (byte) ('0' + (int) (x % 10));
                x /= 10;
            } while (x != 0);
            if (neg) {
                s[--pos] = '-';
            }
        }
        if (prefix != NO_PREFIX) {
            s[--pos] = (byte) prefix;
        }
        out.writeBytes(s, pos, end - pos);
    }

    /** Number of ASCII bytes of {@code v} in decimal, including a '-'. */
    private static int digitCount(long v) {
        if (v == Long.MIN_VALUE) {
            return 20;
        }
        int n = 1;
        if (v < 0) {
            n++;
            v = -v;
        }
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }

    private void bulkHeader(long len) {
        if (len < CACHED) {
            out.writeBytes(BULK_HEADERS[(int) len]);
        } else {
            prefixed((byte) '$', len);
        }
    }

    // ---------------------------------------------------------------------------------------
    // simple replies

    public void ok() {
        out.writeBytes(OK);
    }

    /** Status reply; CR and LF are replaced by spaces so the frame cannot be broken. */
    public void simple(String s) {
        out.writeByte('+');
        writeLine(s);
    }

    /** Status reply from raw bytes; CR and LF are replaced by spaces. */
    public void simple(byte[] s) {
        out.writeByte('+');
        writeLine(s);
    }

    /** Error reply; {@code msg} is given without the leading '-', e.g. "ERR syntax error". */
    public void error(String msg) {
        out.writeByte('-');
        writeLine(msg);
    }

    private void writeLine(String s) {
        if (s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0) {
            s = s.replace('\r', ' ').replace('\n', ' ');
        }
        ByteBufUtil.writeUtf8(out, s);
        out.writeBytes(CRLF);
    }

    private void writeLine(byte[] s) {
        int start = 0;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == '\r' || s[i] == '\n') {
                out.writeBytes(s, start, i - start);
                out.writeByte(' ');
                start = i + 1;
            }
        }
        out.writeBytes(s, start, s.length - start);
        out.writeBytes(CRLF);
    }

    public void integer(long v) {
        if (v >= 0 && v < CACHED) {
            out.writeBytes(INTEGERS[(int) v]);
        } else {
            prefixed((byte) ':', v);
        }
    }

    // ---------------------------------------------------------------------------------------
    // bulk strings

    /** Bulk string; {@code null} writes the protocol's null. */
    public void bulk(byte[] b) {
        if (b == null) {
            nullBulk();
            return;
        }
        bulk(b, 0, b.length);
    }

    public void bulk(byte[] b, int off, int len) {
        bulkHeader(len);
        out.writeBytes(b, off, len);
        out.writeBytes(CRLF);
    }

    /** Bulk string of the UTF-8 encoding of {@code s}; {@code null} writes the protocol's null. */
    public void bulk(String s) {
        if (s == null) {
            nullBulk();
            return;
        }
        bulkHeader(ByteBufUtil.utf8Bytes(s));
        ByteBufUtil.writeUtf8(out, s);
        out.writeBytes(CRLF);
    }

    /** The decimal text of {@code v} as a bulk string. */
    public void bulk(long v) {
        bulkHeader(digitCount(v));
        prefixed(NO_PREFIX, v);
    }

    public void nullBulk() {
        out.writeBytes(protocol == 3 ? NULL3 : NULL_BULK2);
    }

    public void nullArray() {
        out.writeBytes(protocol == 3 ? NULL3 : NULL_ARRAY2);
    }

    // ---------------------------------------------------------------------------------------
    // aggregates

    public void arrayHeader(long n) {
        prefixed((byte) '*', n);
    }

    /** Map of {@code pairs} key/value pairs: RESP3 {@code %pairs}, RESP2 a flat array. */
    public void mapHeader(long pairs) {
        if (protocol == 3) {
            prefixed((byte) '%', pairs);
        } else {
            prefixed((byte) '*', pairs * 2);
        }
    }

    public void setHeader(long n) {
        prefixed(protocol == 3 ? (byte) '~' : (byte) '*', n);
    }

    public void pushHeader(long n) {
        prefixed(protocol == 3 ? (byte) '>' : (byte) '*', n);
    }

    // ---------------------------------------------------------------------------------------
    // RESP3 scalars with RESP2 fallbacks

    public void doubleValue(double d) {
        String text = formatDouble(d);
        if (protocol == 3) {
            out.writeByte(',');
            out.writeCharSequence(text, StandardCharsets.US_ASCII);
            out.writeBytes(CRLF);
        } else {
            bulkHeader(text.length());
            out.writeCharSequence(text, StandardCharsets.US_ASCII);
            out.writeBytes(CRLF);
        }
    }

    public void bool(boolean b) {
        if (protocol == 3) {
            out.writeBytes(b ? TRUE3 : FALSE3);
        } else {
            out.writeBytes(INTEGERS[b ? 1 : 0]);
        }
    }

    /**
     * Verbatim string: RESP3 {@code =len\r\nfmt:text\r\n}, RESP2 a plain bulk of {@code text}.
     *
     * @param format3chars exactly three ASCII characters, e.g. "txt" or "mkd"
     */
    public void verbatim(String format3chars, byte[] text) {
        if (format3chars == null || format3chars.length() != 3) {
            throw new IllegalArgumentException("verbatim format must be 3 characters: " + format3chars);
        }
        if (protocol != 3) {
            bulk(text);
            return;
        }
        prefixed((byte) '=', 4L + text.length);
        out.writeCharSequence(format3chars, StandardCharsets.US_ASCII);
        out.writeByte(':');
        out.writeBytes(text);
        out.writeBytes(CRLF);
    }

    /** Big number: RESP3 {@code (digits}, RESP2 a bulk string of the digits. */
    public void bigNumber(String digits) {
        if (protocol == 3) {
            out.writeByte('(');
            out.writeCharSequence(digits, StandardCharsets.US_ASCII);
            out.writeBytes(CRLF);
        } else {
            bulkHeader(digits.length());
            out.writeCharSequence(digits, StandardCharsets.US_ASCII);
            out.writeBytes(CRLF);
        }
    }

    /** Appends already encoded protocol bytes unchanged. */
    public void raw(byte[] preEncoded) {
        out.writeBytes(preEncoded);
    }

    // ---------------------------------------------------------------------------------------
    // double formatting

    private static final double LL_HALF = (double) (Long.MAX_VALUE / 2);

    /** The text Redis 7.2+ {@code d2string} produces for {@code d}; see the class comment. */
    public static String formatDouble(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1.0 / d < 0) ? "-0" : "0";
        }
        if (d >= -LL_HALF && d <= LL_HALF) {
            long l = (long) d;
            if (l == d) {
                return Long.toString(l);
            }
        }
        boolean neg = d < 0;
        // Double.toString yields the shortest decimal that round-trips (JDK 19+); recover its
        // digit string and decimal exponent K so that |d| = digits * 10^K.
        String s = Double.toString(Math.abs(d));
        int e = s.indexOf('E');
        int exp10 = e < 0 ? 0 : Integer.parseInt(s.substring(e + 1));
        String mant = e < 0 ? s : s.substring(0, e);
        int dot = mant.indexOf('.');
        String frac = mant.substring(dot + 1);
        String all = mant.substring(0, dot) + frac;
        int k = exp10 - frac.length();
        int lead = 0;
        while (lead < all.length() - 1 && all.charAt(lead) == '0') {
            lead++;
        }
        int end = all.length();
        while (end - 1 > lead && all.charAt(end - 1) == '0') {
            end--;
            k++;
        }
        String digits = all.substring(lead, end);
        if (digits.length() == 2) {
            // Double.toString prefers a closer 2-digit decimal even when 1 digit round-trips
            // (4.9E-324); the shortest form is what Redis prints (5e-324)
            int d0 = digits.charAt(0) - '0';
            int up = digits.charAt(1) >= '5' ? 1 : 0;
            for (int i = 0; i < 2; i++) {
                int cand = d0 + (i == 0 ? up : 1 - up);
                if (Double.parseDouble(cand + "e" + (k + 1)) == Math.abs(d)) {
                    digits = cand == 10 ? "1" : Integer.toString(cand);
                    k += cand == 10 ? 2 : 1;
                    break;
                }
            }
        }
        int nd = digits.length();
        int exp = Math.abs(k + nd - 1);
        StringBuilder sb = new StringBuilder(32);
        if (neg) {
            sb.append('-');
        }
        if (k >= 0 && exp < nd + 7) {
            sb.append(digits);
            sb.repeat('0', k);
        } else if (k < 0 && (k > -7 || exp < 4)) {
            int offset = nd + k;
            if (offset <= 0) {
                sb.append("0.");
                sb.repeat('0', -offset);
                sb.append(digits);
            } else {
                sb.append(digits, 0, offset).append('.').append(digits, offset, nd);
            }
        } else {
            sb.append(digits.charAt(0));
            if (nd > 1) {
                sb.append('.').append(digits, 1, nd);
            }
            sb.append('e').append(k + nd - 1 < 0 ? '-' : '+').append(exp);
        }
        return sb.toString();
    }
}
