package io.jkevy.journal.disk;

/**
 * Validates a frame read from disk before anything trusts it: the checksum guards against
 * damage, this guards against a frame that checksums fine but was never well formed.
 */
final class FrameCheck {
    private FrameCheck() { }

    /** The frame's offset, or -1 when {@code f} is not exactly one well-formed frame. */
    static long offset(byte[] f) {
        int[] p = {0};
        if (!lit(f, p, "*2\r\n:")) return -1;
        long off = number(f, p);
        if (off < 0) return -1;
        if (!lit(f, p, "*")) return -1;
        long argc = number(f, p);
        if (argc < 1) return -1;
        for (long i = 0; i < argc; i++) {
            if (!lit(f, p, "$")) return -1;
            long len = number(f, p);
            if (len < 0 || p[0] + len + 2 > f.length) return -1;
            p[0] += (int) len;
            if (!lit(f, p, "\r\n")) return -1;
        }
        return p[0] == f.length ? off : -1;
    }

    private static boolean lit(byte[] f, int[] p, String s) {
        if (p[0] + s.length() > f.length) return false;
        for (int i = 0; i < s.length(); i++) if (f[p[0] + i] != s.charAt(i)) return false;
        p[0] += s.length();
        return true;
    }

    /** A non-negative decimal followed by CRLF, or -1. */
    private static long number(byte[] f, int[] p) {
        int i = p[0];
        long v = 0;
        int digits = 0;
        while (i < f.length && f[i] >= '0' && f[i] <= '9') {
            if (++digits > 18) return -1;
            v = v * 10 + (f[i++] - '0');
        }
        if (digits == 0 || i + 1 >= f.length || f[i] != '\r' || f[i + 1] != '\n') return -1;
        p[0] = i + 2;
        return v;
    }
}
