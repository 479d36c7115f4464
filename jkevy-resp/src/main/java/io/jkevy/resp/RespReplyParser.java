package io.jkevy.resp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Decodes RESP2 and RESP3 replies into {@link RespValue}s, for tests and replication.
 * Not thread-safe.
 *
 * <p>{@link #parse} either consumes one complete top-level value or returns null and leaves the
 * reader index where it was; an incomplete value is re-parsed from its start on the next call, so
 * this parser suits replies of moderate size. Attributes ({@code |n}) are read and discarded,
 * returning the value they annotate. Streamed strings and aggregates ({@code $?}, {@code *?})
 * are not supported and are reported as protocol errors.
 *
 * <p>Limits: bulk/verbatim/blob-error lengths above {@code maxBulkLen}, aggregate counts above
 * {@code maxMultibulkLen}, lines (simple strings, errors, numbers) longer than
 * {@code maxInlineLen} and nesting deeper than {@link #MAX_DEPTH} are protocol errors. Lists are
 * never pre-sized from an announced count.
 */
public final class RespReplyParser {

    public static final int MAX_DEPTH = 128;

    private static final int INITIAL_LIST = 16;

    private final RespLimits limits;
    /** Absolute read position while a value is being decoded. */
    private int pos;
    private int limit;

    public RespReplyParser(RespLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public RespReplyParser() {
        this(new RespLimits());
    }

    /**
     * Returns the next complete reply, or null if more bytes are needed (reader index unchanged).
     *
     * @throws RespProtocolException on malformed input
     */
    public RespValue parse(ByteBuf in) {
        pos = in.readerIndex();
        limit = in.writerIndex();
        RespValue v = value(in, 0);
        if (v != null) {
            in.readerIndex(pos);
        }
        return v;
    }

    private static RespProtocolException error(String what) {
        return new RespProtocolException("ERR Protocol error: " + what);
    }

    /** Returns the absolute index of the CR ending the line at {@code pos}, or -1 if incomplete. */
    private int lineEnd(ByteBuf in) {
        int max = limits.maxInlineLen();
        int searchEnd = (int) Math.min(limit, (long) pos + max + 1);
        int cr = in.indexOf(pos, searchEnd, (byte) '\r');
        if (cr < 0) {
            if (limit - pos > max) {
                throw error("too big line");
            }
            return -1;
        }
        if (cr + 1 >= limit) {
            return -1;
        }
        if (in.getByte(cr + 1) != '\n') {
            throw error("expected CRLF");
        }
        return cr;
    }

    private String lineText(ByteBuf in, int cr) {
        String s = in.toString(pos, cr - pos, StandardCharsets.UTF_8);
        pos = cr + 2;
        return s;
    }

    /** Reads a length/count line; returns Long.MIN_VALUE when incomplete. */
    private long number(ByteBuf in, String what) {
        int cr = lineEnd(in);
        if (cr < 0) {
            return Long.MIN_VALUE;
        }
        long n = AsciiNumbers.parseLong(in, pos, cr);
        if (n == AsciiNumbers.INVALID) {
            throw error("invalid " + what);
        }
        pos = cr + 2;
        return n;
    }

    /** Reads {@code len} bytes plus CRLF; returns null when incomplete. */
    private byte[] blob(ByteBuf in, long len) {
        if (len < 0 || len > limits.maxBulkLen() || len > Integer.MAX_VALUE - 16) {
            throw error("invalid bulk length");
        }
        if (limit - pos < len + 2) {
            return null;
        }
        int n = (int) len;
        if (in.getByte(pos + n) != '\r' || in.getByte(pos + n + 1) != '\n') {
            throw error("expected CRLF after bulk");
        }
        byte[] b = new byte[n];
        in.getBytes(pos, b);
        pos += n + 2;
        return b;
    }

    private long count(ByteBuf in) {
        if (pos < limit && in.getByte(pos) == '?') {
            throw error("streamed aggregates are not supported");
        }
        long n = number(in, "multibulk length");
        if (n != Long.MIN_VALUE && n > limits.maxMultibulkLen()) {
            throw error("invalid multibulk length");
        }
        return n;
    }

    /** Reads {@code n} values; returns null when incomplete. */
    private List<RespValue> elements(ByteBuf in, long n, int depth) {
        if (depth + 1 > MAX_DEPTH) {
            throw error("nesting too deep");
        }
        List<RespValue> list = new ArrayList<>((int) Math.min(n, INITIAL_LIST));
        for (long i = 0; i < n; i++) {
            RespValue v = value(in, depth + 1);
            if (v == null) {
                return null;
            }
            list.add(v);
        }
        return Collections.unmodifiableList(list);
    }

    private RespValue value(ByteBuf in, int depth) {
        if (pos >= limit) {
            return null;
        }
        byte type = in.getByte(pos++);
        switch (type) {
            case '+', '-' -> {
                int cr = lineEnd(in);
                if (cr < 0) {
                    return null;
                }
                String s = lineText(in, cr);
                return type == '+' ? new RespValue.SimpleString(s) : new RespValue.Error(s);
            }
            case ':' -> {
                long n = number(in, "integer");
                return n == Long.MIN_VALUE ? null : new RespValue.Integer(n);
            }
            case '$', '!', '=' -> {
                if (pos < limit && in.getByte(pos) == '?') {
                    throw error("streamed strings are not supported");
                }
                long len = number(in, "bulk length");
                if (len == Long.MIN_VALUE) {
                    return null;
                }
                if (len == -1 && type == '$') {
                    return new RespValue.Bulk(null);
                }
                byte[] b = blob(in, len);
                if (b == null) {
                    return null;
                }
                if (type == '$') {
                    return new RespValue.Bulk(b);
                }
                if (type == '!') {
                    return new RespValue.Error(new String(b, StandardCharsets.UTF_8));
                }
                if (b.length < 4 || b[3] != ':') {
                    throw error("invalid verbatim string");
                }
                byte[] text = new byte[b.length - 4];
                System.arraycopy(b, 4, text, 0, text.length);
                return new RespValue.Verbatim(new String(b, 0, 3, StandardCharsets.US_ASCII), text);
            }
            case '*', '~', '>' -> {
                long n = count(in);
                if (n == Long.MIN_VALUE) {
                    return null;
                }
                if (n < 0) {
                    if (n == -1 && type == '*') {
                        return new RespValue.Array(null);
                    }
                    throw error("invalid multibulk length");
                }
                List<RespValue> list = elements(in, n, depth);
                if (list == null) {
                    return null;
                }
                return switch (type) {
                    case '*' -> new RespValue.Array(list);
                    case '~' -> new RespValue.Set(list);
                    default -> new RespValue.Push(list);
                };
            }
            case '%', '|' -> {
                long n = count(in);
                if (n == Long.MIN_VALUE) {
                    return null;
                }
                if (n < 0 || n > limits.maxMultibulkLen() / 2) {
                    throw error("invalid multibulk length");
                }
                List<RespValue> list = elements(in, n * 2, depth);
                if (list == null) {
                    return null;
                }
                if (type == '%') {
                    return new RespValue.Map(list);
                }
                // an attribute annotates the value that follows it; the annotation is dropped
                return value(in, depth + 1);
            }
            case '_' -> {
                int cr = lineEnd(in);
                if (cr < 0) {
                    return null;
                }
                if (cr != pos) {
                    throw error("invalid null");
                }
                pos = cr + 2;
                return new RespValue.Null();
            }
            case '#' -> {
                int cr = lineEnd(in);
                if (cr < 0) {
                    return null;
                }
                byte b = in.getByte(pos);
                if (cr != pos + 1 || (b != 't' && b != 'f')) {
                    throw error("invalid boolean");
                }
                pos = cr + 2;
                return new RespValue.Bool(b == 't');
            }
            case ',' -> {
                int cr = lineEnd(in);
                if (cr < 0) {
                    return null;
                }
                return new RespValue.Double(parseDouble(lineText(in, cr)));
            }
            case '(' -> {
                int cr = lineEnd(in);
                if (cr < 0) {
                    return null;
                }
                String s = lineText(in, cr);
                int start = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
                if (s.length() == start) {
                    throw error("invalid big number");
                }
                for (int i = start; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c < '0' || c > '9') {
                        throw error("invalid big number");
                    }
                }
                return new RespValue.BigNumber(s);
            }
            default -> throw error("unknown reply type '" + (char) (type & 0xFF) + "'");
        }
    }

    private static double parseDouble(String s) {
        switch (s) {
            case "inf", "+inf" -> {
                return java.lang.Double.POSITIVE_INFINITY;
            }
            case "-inf" -> {
                return java.lang.Double.NEGATIVE_INFINITY;
            }
            case "nan", "-nan" -> {
                return java.lang.Double.NaN;
            }
            default -> {
            }
        }
        // Double.parseDouble accepts Java-only forms ("1d", "0x1p3", "Infinity"); allow only RESP's
        if (s.isEmpty()) {
            throw error("invalid double");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) {
                throw error("invalid double");
            }
        }
        try {
            return java.lang.Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw error("invalid double");
        }
    }
}
