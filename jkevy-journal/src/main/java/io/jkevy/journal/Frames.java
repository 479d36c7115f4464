package io.jkevy.journal;

import java.nio.charset.StandardCharsets;

/**
 * The journal frame, byte for byte the replication wire's frame:
 *
 * <pre>
 *   *2\r\n
 *   :&lt;offset&gt;\r\n
 *   *&lt;N&gt;\r\n $&lt;len&gt;\r\n &lt;arg&gt;\r\n ...   (the effect argv, RESP2 multibulk)
 * </pre>
 *
 * An atomic group is a {@code MULTI} frame, its frames, and an {@code EXEC} frame, each with
 * its own offset.
 */
public final class Frames {
    private Frames() { }

    public static final byte[][] MULTI = {"MULTI".getBytes(StandardCharsets.US_ASCII)};
    public static final byte[][] EXEC = {"EXEC".getBytes(StandardCharsets.US_ASCII)};

    /** Encoded size of the frame for {@code argv} at {@code offset}. */
    public static int size(long offset, byte[][] argv) {
        int n = 4 + 1 + digits(offset) + 2 + 1 + digits(argv.length) + 2;
        for (byte[] a : argv) n += 1 + digits(a.length) + 2 + a.length + 2;
        return n;
    }

    /** Encodes the frame into a new array of exactly {@link #size} bytes. */
    public static byte[] encode(long offset, byte[][] argv) {
        byte[] out = new byte[size(offset, argv)];
        int p = 0;
        out[p++] = '*'; out[p++] = '2'; out[p++] = '\r'; out[p++] = '\n';
        out[p++] = ':';
        p = writeLong(out, p, offset);
        out[p++] = '\r'; out[p++] = '\n';
        out[p++] = '*';
        p = writeLong(out, p, argv.length);
        out[p++] = '\r'; out[p++] = '\n';
        for (byte[] a : argv) {
            out[p++] = '$';
            p = writeLong(out, p, a.length);
            out[p++] = '\r'; out[p++] = '\n';
            System.arraycopy(a, 0, out, p, a.length);
            p += a.length;
            out[p++] = '\r'; out[p++] = '\n';
        }
        return out;
    }

    static int digits(long v) {
        if (v < 0) return 1 + digits(v == Long.MIN_VALUE ? Long.MAX_VALUE : -v);
        int d = 1;
        while (v >= 10) { v /= 10; d++; }
        return d;
    }

    private static int writeLong(byte[] out, int p, long v) {
        if (v < 0) { out[p++] = '-'; v = -v; }
        int d = digits(v);
        for (int i = p + d - 1; i >= p; i--) { out[i] = (byte) ('0' + (v % 10)); v /= 10; }
        return p + d;
    }

    /** Decodes the argv of a frame made by {@link #encode} (trusted input: our own frames). */
    public static byte[][] decodeArgv(byte[] frame) {
        int p = 4;                               // "*2\r\n"
        while (frame[p] != '\n') p++;            // ":offset\r\n"
        p++;
        int[] pos = {p + 1};
        int n = (int) readLine(frame, pos);
        byte[][] argv = new byte[n][];
        for (int i = 0; i < n; i++) {
            pos[0]++;                            // '$'
            int len = (int) readLine(frame, pos);
            argv[i] = java.util.Arrays.copyOfRange(frame, pos[0], pos[0] + len);
            pos[0] += len + 2;
        }
        return argv;
    }

    /** The offset carried by a frame made by {@link #encode}. */
    public static long offsetOf(byte[] frame) {
        int[] pos = {5};
        return readLine(frame, pos);
    }

    private static long readLine(byte[] b, int[] pos) {
        int p = pos[0];
        boolean neg = b[p] == '-';
        if (neg) p++;
        long v = 0;
        while (b[p] != '\r') v = v * 10 + (b[p++] - '0');
        pos[0] = p + 2;
        return neg ? -v : v;
    }
}
