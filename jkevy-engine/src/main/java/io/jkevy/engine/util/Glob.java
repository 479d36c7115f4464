package io.jkevy.engine.util;

/**
 * Redis's glob matching (KEYS, SCAN MATCH, CONFIG GET, PSUBSCRIBE): {@code *}, {@code ?},
 * {@code [abc]}, {@code [^a]}, {@code [a-z]} and backslash escapes, over raw bytes.
 * Backtracking is bounded by iterating the star positions (no recursion), so a hostile
 * pattern costs at most O(pattern x string).
 */
public final class Glob {
    private Glob() { }

    public static boolean match(byte[] pattern, byte[] string, boolean nocase) {
        int p = 0, s = 0;
        int starP = -1, starS = -1;
        final int pn = pattern.length, sn = string.length;
        while (s < sn) {
            if (p < pn) {
                int pc = pattern[p] & 0xff;
                if (pc == '*') {
                    while (p + 1 < pn && pattern[p + 1] == '*') p++;
                    if (p + 1 == pn) return true;
                    starP = p++;
                    starS = s;
                    continue;
                }
                int consumed = step(pattern, p, string[s] & 0xff, nocase);
                if (consumed > 0) {
                    p += consumed;
                    s++;
                    continue;
                }
            }
            if (starP >= 0) {
                p = starP + 1;
                s = ++starS;
                continue;
            }
            return false;
        }
        while (p < pn && pattern[p] == '*') p++;
        return p == pn;
    }

    /** Matches one string byte at pattern position {@code p}; returns pattern bytes consumed, 0 on mismatch. */
    private static int step(byte[] pat, int p, int ch, boolean nocase) {
        final int pn = pat.length;
        int pc = pat[p] & 0xff;
        switch (pc) {
            case '?':
                return 1;
            case '[': {
                int i = p + 1;
                boolean not = i < pn && pat[i] == '^';
                if (not) i++;
                boolean hit = false;
                while (i < pn && pat[i] != ']') {
                    int c = pat[i] & 0xff;
                    if (c == '\\' && i + 1 < pn) {
                        i++;
                        if (eq(pat[i] & 0xff, ch, nocase)) hit = true;
                        i++;
                    } else if (i + 2 < pn && pat[i + 1] == '-' && pat[i + 2] != ']') {
                        int lo = c, hi = pat[i + 2] & 0xff;
                        if (lo > hi) { int t = lo; lo = hi; hi = t; }
                        int x = ch;
                        if (nocase) {
                            lo = Character.toLowerCase(lo); hi = Character.toLowerCase(hi); x = Character.toLowerCase(x);
                        }
                        if (x >= lo && x <= hi) hit = true;
                        i += 3;
                    } else {
                        if (eq(c, ch, nocase)) hit = true;
                        i++;
                    }
                }
                // an unterminated class ends at the pattern's end, as in Redis
                int end = i < pn ? i + 1 : pn;
                if (not) hit = !hit;
                return hit ? end - p : 0;
            }
            case '\\':
                if (p + 1 < pn) return eq(pat[p + 1] & 0xff, ch, nocase) ? 2 : 0;
                return eq(pc, ch, nocase) ? 1 : 0;
            default:
                return eq(pc, ch, nocase) ? 1 : 0;
        }
    }

    private static boolean eq(int a, int b, boolean nocase) {
        if (a == b) return true;
        return nocase && Character.toLowerCase(a) == Character.toLowerCase(b);
    }

    public static boolean match(String pattern, String s, boolean nocase) {
        return match(pattern.getBytes(java.nio.charset.StandardCharsets.UTF_8), s.getBytes(java.nio.charset.StandardCharsets.UTF_8), nocase);
    }
}
