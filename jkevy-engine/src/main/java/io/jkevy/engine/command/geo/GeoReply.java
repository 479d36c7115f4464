package io.jkevy.engine.command.geo;

import io.jkevy.resp.RespWriter;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/** Number formats of the geo replies, as Redis 7.0 writes them. */
public final class GeoReply {
    private GeoReply() { }

    /**
     * A distance: C's {@code "%.4f"} (exact binary value rounded half-even, as glibc does),
     * always a bulk string, RESP3 included.
     */
    public static void distance(RespWriter out, double d) {
        out.bulk(fixed4(d));
    }

    static String fixed4(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        String s = new BigDecimal(d).setScale(4, RoundingMode.HALF_EVEN).toPlainString();
        // BigDecimal drops the sign of a negative value rounding to zero; C keeps it
        if (d < 0 && !s.startsWith("-")) s = "-" + s;
        return s;
    }

    /**
     * A coordinate: C's {@code "%.17Lf"} of the value with trailing zeros (and a bare '.')
     * removed and "-0" written "0"; RESP2 bulk, RESP3 double.
     */
    public static void coordinate(RespWriter out, double d) {
        String s = human(d);
        if (out.protocol() == 3) {
            out.raw(("," + s + "\r\n").getBytes(StandardCharsets.US_ASCII));
        } else {
            out.bulk(s);
        }
    }

    static String human(double d) {
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (Double.isNaN(d)) return "nan";
        String s = new BigDecimal(d).setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        if (d < 0 && !s.startsWith("-")) s = "-" + s;
        int end = s.length();
        while (s.charAt(end - 1) == '0') end--;
        if (s.charAt(end - 1) == '.') end--;
        s = s.substring(0, end);
        return s.equals("-0") ? "0" : s;
    }
}
