package io.jkevy.replicate.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The primary's side of the handshake: {@code REPLICATE FROM <generation> <from-offset> ID <id>}
 * as a RESP2 array of 6 bulk strings or as an inline line, keywords in any case. Incremental
 * ({@link #parse} returns null until a whole request is there); a malformed one is a
 * {@link WireException} whose message is the reason to send back as {@code -ERR <reason>}.
 */
public final class HandshakeParser {
    /** A well-formed request. */
    public record Request(long generation, long fromOffset, String replicaId) { }

    static final int MAX_LINE = 1024;

    private HandshakeParser() { }

    /**
     * Parses the request at the start of {@code b[0..len)}; null when incomplete. {@code consumed[0]}
     * gets the bytes it took.
     */
    public static Request parse(byte[] b, int len, int[] consumed) throws WireException {
        if (len == 0) return null;
        List<String> words = b[0] == '*' ? array(b, len, consumed) : inline(b, len, consumed);
        if (words == null) return null;
        return fromWords(words);
    }

    /** Validates a request already split into words (by a general RESP request parser). */
    public static Request fromWords(List<String> words) throws WireException {
        if (words.size() != 6) throw new WireException("expected REPLICATE FROM <generation> <offset> ID <replica-id>, got " + words.size() + " words");
        if (!words.get(0).toUpperCase(Locale.ROOT).equals("REPLICATE") || !words.get(1).toUpperCase(Locale.ROOT).equals("FROM")
                || !words.get(4).toUpperCase(Locale.ROOT).equals("ID")) {
            throw new WireException("expected REPLICATE FROM <generation> <offset> ID <replica-id>");
        }
        long gen = number(words.get(2), "generation");
        long off = number(words.get(3), "offset");
        String id = words.get(5);
        if (id.isEmpty()) throw new WireException("replica id must not be empty");
        return new Request(gen, off, id);
    }

    private static long number(String s, String what) throws WireException {
        if (s.isEmpty() || s.length() > 19) throw new WireException("invalid " + what + " '" + s + "'");
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw new WireException("invalid " + what + " '" + s + "'");
            v = v * 10 + (c - '0');
            if (v < 0) throw new WireException("invalid " + what + " '" + s + "'");
        }
        return v;
    }

    private static int crlf(byte[] b, int from, int len) throws WireException {
        for (int i = from; i < len - 1 && i < from + MAX_LINE; i++) if (b[i] == '\r' && b[i + 1] == '\n') return i;
        if (len - from > MAX_LINE) throw new WireException("handshake line too long");
        return -1;
    }

    private static List<String> inline(byte[] b, int len, int[] consumed) throws WireException {
        int cr = crlf(b, 0, len);
        if (cr < 0) return null;
        consumed[0] = cr + 2;
        String line = new String(b, 0, cr, StandardCharsets.UTF_8).trim();
        List<String> words = new ArrayList<>();
        for (String w : line.split(" +")) if (!w.isEmpty()) words.add(w);
        return words;
    }

    private static List<String> array(byte[] b, int len, int[] consumed) throws WireException {
        int cr = crlf(b, 1, len);
        if (cr < 0) return null;
        long n = number(new String(b, 1, cr - 1, StandardCharsets.US_ASCII), "array length");
        if (n > 16) throw new WireException("handshake array of " + n + " elements");
        int p = cr + 2;
        List<String> words = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (p >= len) return null;
            if (b[p] != '$') throw new WireException("handshake element is not a bulk string");
            int c2 = crlf(b, p + 1, len);
            if (c2 < 0) return null;
            long l = number(new String(b, p + 1, c2 - p - 1, StandardCharsets.US_ASCII), "bulk length");
            if (l > MAX_LINE) throw new WireException("handshake element too long");
            int start = c2 + 2;
            if (len - start < l + 2) return null;
            if (b[start + (int) l] != '\r' || b[start + (int) l + 1] != '\n') throw new WireException("bulk string not followed by CRLF");
            words.add(new String(b, start, (int) l, StandardCharsets.UTF_8));
            p = start + (int) l + 2;
        }
        consumed[0] = p;
        return words;
    }
}
