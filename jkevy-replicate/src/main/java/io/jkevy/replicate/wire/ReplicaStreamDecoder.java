package io.jkevy.replicate.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes what a primary sends a replica (spec/replication.md), incrementally: bytes go in with
 * {@link #feed} in any split, events come out of {@link #next} — null means "need more bytes",
 * the only soft outcome. Everything else malformed is a {@link WireException}: drop the link and
 * handshake again. Pure: no sockets, no clock.
 *
 * <pre>
 *   +ACK gen from | +SNAPSHOT | $len chunk (inside a snapshot) | +SNAPSHOT_END offset
 *   +PING gen next-offset (anywhere) | -ERR ... | *2 :offset *N $len arg ... (a frame)
 * </pre>
 */
public final class ReplicaStreamDecoder {
    /** What the primary said. */
    public sealed interface Event {
        record Ack(long generation, long fromOffset) implements Event { }
        record SnapshotStart() implements Event { }
        record SnapshotChunk(byte[] data) implements Event { }
        record SnapshotEnd(long offset) implements Event { }
        record Ping(long generation, long nextOffset) implements Event { }
        record Frame(long offset, byte[][] argv, byte[] raw) implements Event { }
        record Error(String message) implements Event { }
    }

    public static final int MAX_LINE = 256;
    public static final int MAX_CHUNK = 65536;
    public static final int MAX_ARGS = 1 << 20;
    public static final long MAX_BULK = 512L << 20;
    static final int SHRINK_ABOVE = 1 << 20;

    private byte[] buf = new byte[4096];
    private int start, end;
    private boolean acked, inSnapshot;
    /** Progress of the scan of an incomplete frame at {@code start}: arguments checked, and where they end (from start). */
    private int scannedArgs, scannedTo;
    private long expected = -1;

    /** Appends received bytes. */
    public void feed(byte[] b, int off, int len) {
        if (start == end && buf.length > SHRINK_ABOVE) {
            // everything was consumed: a big frame's buffer is not kept for the rest of the link
            buf = new byte[4096];
            start = 0;
            end = 0;
        }
        if (end + len > buf.length) {
            int live = end - start;
            if (live + len <= buf.length / 2 && start > 0) {
                System.arraycopy(buf, start, buf, 0, live);
            } else {
                byte[] nb = new byte[Math.max(buf.length * 2, live + len)];
                System.arraycopy(buf, start, nb, 0, live);
                buf = nb;
            }
            start = 0;
            end = live;
        }
        System.arraycopy(b, off, buf, end, len);
        end += len;
    }

    /** The size of the receive buffer (for tests). */
    int capacity() { return buf.length; }

    /** The offset the next frame must carry, -1 before the stream says. */
    public long expectedOffset() { return expected; }

    public boolean inSnapshot() { return inSnapshot; }

    /** The next event, or null when more bytes are needed. */
    public Event next() throws WireException {
        if (start == end) return null;
        byte t = buf[start];
        return switch (t) {
            case '+' -> status();
            case '-' -> error();
            case '$' -> chunk();
            case '*' -> frame();
            default -> throw new WireException("unexpected byte 0x" + Integer.toHexString(t & 0xff) + " at the start of a unit");
        };
    }

    /** Index of the CR of the line starting at {@code from}, -1 if incomplete; enforces the line limit. */
    private int lineEnd(int from, int limit) throws WireException {
        int max = Math.min(end, from + limit + 2);
        for (int i = from; i < max - 1; i++) {
            if (buf[i] == '\r') {
                if (buf[i + 1] != '\n') throw new WireException("CR without LF");
                return i;
            }
        }
        if (end - from > limit + 1) throw new WireException("line longer than " + limit + " bytes");
        return -1;
    }

    private Event status() throws WireException {
        int cr = lineEnd(start, MAX_LINE);
        if (cr < 0) return null;
        String line = new String(buf, start + 1, cr - start - 1, StandardCharsets.US_ASCII);
        String[] w = line.split(" ", -1);
        Event e;
        switch (w[0]) {
            case "ACK" -> {
                need(w, 3, line);
                e = new Event.Ack(number(w[1]), number(w[2]));
                acked = true;
                inSnapshot = false;
                expected = ((Event.Ack) e).fromOffset();
            }
            case "SNAPSHOT" -> {
                need(w, 1, line);
                if (!acked) throw new WireException("+SNAPSHOT before +ACK");
                if (inSnapshot) throw new WireException("+SNAPSHOT inside a snapshot");
                inSnapshot = true;
                expected = -1;
                e = new Event.SnapshotStart();
            }
            case "SNAPSHOT_END" -> {
                need(w, 2, line);
                if (!inSnapshot) throw new WireException("+SNAPSHOT_END without +SNAPSHOT");
                inSnapshot = false;
                expected = number(w[1]);
                e = new Event.SnapshotEnd(expected);
            }
            case "PING" -> {
                need(w, 3, line);
                e = new Event.Ping(number(w[1]), number(w[2]));
            }
            default -> throw new WireException("unknown status line '" + line + "'");
        }
        start = cr + 2;
        return e;
    }

    private static void need(String[] w, int n, String line) throws WireException {
        if (w.length != n) throw new WireException("malformed line '" + line + "'");
    }

    /** A non-negative decimal that fits a signed 64-bit integer. */
    private static long number(String s) throws WireException {
        if (s.isEmpty() || s.length() > 19) throw new WireException("bad number '" + s + "'");
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw new WireException("bad number '" + s + "'");
            v = v * 10 + (c - '0');
            if (v < 0) throw new WireException("number out of range '" + s + "'");
        }
        return v;
    }

    /** {@link #number} of {@code buf[from..to)} without making a string unless it is bad. */
    private long numberAt(int from, int to) throws WireException {
        int n = to - from;
        if (n < 1 || n > 19) return number(new String(buf, from, n, StandardCharsets.US_ASCII));
        long v = 0;
        for (int i = from; i < to; i++) {
            int c = buf[i] - '0';
            if (c < 0 || c > 9) return number(new String(buf, from, n, StandardCharsets.US_ASCII));
            v = v * 10 + c;
            if (v < 0) return number(new String(buf, from, n, StandardCharsets.US_ASCII));
        }
        return v;
    }

    private Event error() throws WireException {
        int cr = lineEnd(start, MAX_LINE);
        if (cr < 0) return null;
        String msg = new String(buf, start + 1, cr - start - 1, StandardCharsets.UTF_8);
        start = cr + 2;
        return new Event.Error(msg);
    }

    private Event chunk() throws WireException {
        if (!inSnapshot) throw new WireException("a bulk string outside a snapshot");
        int cr = lineEnd(start, 20);
        if (cr < 0) return null;
        long len = numberAt(start + 1, cr);
        if (len < 1 || len > MAX_CHUNK) throw new WireException("snapshot chunk of " + len + " bytes (1.." + MAX_CHUNK + ")");
        int body = cr + 2;
        if (end - body < len + 2) return null;
        if (buf[body + (int) len] != '\r' || buf[body + (int) len + 1] != '\n') throw new WireException("chunk not followed by CRLF");
        byte[] data = Arrays.copyOfRange(buf, body, body + (int) len);
        start = body + (int) len + 2;
        return new Event.SnapshotChunk(data);
    }

    private Event frame() throws WireException {
        if (inSnapshot) throw new WireException("a frame inside a snapshot");
        if (!acked) throw new WireException("a frame before +ACK");
        int p = start;
        int[] pos = {p};
        if (!lit(pos, "*2\r\n")) return incompleteOr("frame envelope is not *2");
        if (pos[0] >= end) return null;
        if (buf[pos[0]] != ':') throw new WireException("frame offset is not an integer");
        pos[0]++;
        long off = line(pos, 20);
        if (off == -2) return null;
        if (pos[0] >= end) return null;
        if (buf[pos[0]] != '*') throw new WireException("frame payload is not an array");
        pos[0]++;
        long n = line(pos, 20);
        if (n == -2) return null;
        if (n < 1 || n > MAX_ARGS) throw new WireException("frame argument count " + n);
        // first pass: the whole frame must be here before anything is allocated, so a declared
        // count or length costs nothing and a frame arriving in many reads is not copied each time
        int args = pos[0];
        int i = 0;
        if (scannedArgs > 0) {                  // this frame was partly scanned by an earlier call
            i = scannedArgs;
            pos[0] = start + scannedTo;
        }
        for (; i < n; i++) {
            scannedArgs = i;                    // arguments before i are checked, up to here
            scannedTo = pos[0] - start;
            if (pos[0] >= end) return null;
            if (buf[pos[0]] != '$') throw new WireException("frame argument is not a bulk string");
            pos[0]++;
            long len = line(pos, 20);
            if (len == -2) return null;
            if (len > MAX_BULK) throw new WireException("frame argument of " + len + " bytes");
            if (end - pos[0] < len + 2) return null;
            int a = pos[0];
            if (buf[a + (int) len] != '\r' || buf[a + (int) len + 1] != '\n') throw new WireException("argument not followed by CRLF");
            pos[0] = a + (int) len + 2;
        }
        scannedArgs = 0;
        if (expected >= 0 && off != expected) throw new WireException("frame offset " + off + " where " + expected + " was expected");
        byte[][] argv = new byte[(int) n][];
        int[] at = {args};
        for (int k = 0; k < n; k++) {           // second pass over checked bytes
            at[0]++;
            int len = (int) line(at, 20);
            argv[k] = Arrays.copyOfRange(buf, at[0], at[0] + len);
            at[0] += len + 2;
        }
        byte[] raw = Arrays.copyOfRange(buf, start, pos[0]);
        start = pos[0];
        expected = off + 1;
        return new Event.Frame(off, argv, raw);
    }

    private Event incompleteOr(String problem) throws WireException {
        // "*2\r\n" not all here yet is fine; anything else is a bad envelope
        byte[] want = "*2\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < want.length && start + i < end; i++) if (buf[start + i] != want[i]) throw new WireException(problem);
        return null;
    }

    private boolean lit(int[] pos, String s) {
        if (end - pos[0] < s.length()) return false;
        for (int i = 0; i < s.length(); i++) if (buf[pos[0] + i] != s.charAt(i)) return false;
        pos[0] += s.length();
        return true;
    }

    /** A non-negative decimal line at pos; -2 when incomplete. */
    private long line(int[] pos, int limit) throws WireException {
        int cr = lineEnd(pos[0], limit);
        if (cr < 0) return -2;
        long v = numberAt(pos[0], cr);
        pos[0] = cr + 2;
        return v;
    }
}
