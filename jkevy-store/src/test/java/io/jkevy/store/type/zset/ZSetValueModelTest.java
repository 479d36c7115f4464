package io.jkevy.store.type.zset;

import io.jkevy.store.Encodings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ZSetValue against a sorted-list model through every public operation, with thresholds small
 * enough that values cross between the packed and the large encoding in both directions
 * (growing past zset-max-listpack-entries or -value, and {@link ZSetValue#packIfFits}).
 */
class ZSetValueModelTest {
    private record E(byte[] m, double s) {
        String key() { return HexFormat.of().formatHex(m); }
    }

    private static int order(E x, E y) {
        return x.s < y.s ? -1 : x.s > y.s ? 1 : Arrays.compareUnsigned(x.m, y.m);
    }

    private static final double[] SCORES = {Double.NEGATIVE_INFINITY, -3.5, -1, 0, 1, 2, 2.5, 7, 1e12, Double.POSITIVE_INFINITY};

    private static byte[] member(Random r, int space, boolean longOnes) {
        int v = r.nextInt(space);
        if (longOnes && r.nextInt(40) == 0) {
            byte[] b = new byte[70];
            Arrays.fill(b, (byte) (0x80 + v % 100));
            return b;
        }
        // a few members are prefixes of others, some bytes are above 0x7f
        return v % 3 == 0 ? new byte[] {(byte) (0x61 + v % 26)}
                : v % 3 == 1 ? new byte[] {(byte) (0x61 + v % 26), (byte) (v * 7)}
                : new byte[] {(byte) (0xf0 + v % 16), (byte) v, (byte) (v >> 8)};
    }

    private static List<E> sorted(Map<String, E> model) {
        List<E> l = new ArrayList<>(model.values());
        l.sort(ZSetValueModelTest::order);
        return l;
    }

    private static List<String> contents(ZSetValue z, boolean reverse) {
        List<String> out = new ArrayList<>();
        for (ZSetValue.Cursor c = z.cursor(reverse ? z.size() - 1 : 0, reverse); c.valid(); c.next()) {
            out.add(HexFormat.of().formatHex(c.member()) + "=" + c.score());
        }
        if (reverse) java.util.Collections.reverse(out);
        return out;
    }

    private static List<String> render(List<E> l) {
        List<String> out = new ArrayList<>();
        for (E e : l) out.add(e.key() + "=" + e.s);
        return out;
    }

    @Test
    void randomSequencesBothEncodings() {
        for (int seed = 0; seed < 24; seed++) {
            Random r = new Random(seed);
            Encodings enc = new Encodings();
            enc.zsetMaxListpackEntries = new int[] {0, 1, 8, 32, 128}[seed % 5];
            enc.zsetMaxListpackValue = 64;
            boolean lexPhase = seed % 3 == 0; // every score equal: lex ranges are defined
            int space = seed % 4 == 0 ? 3000 : 90;
            ZSetValue z = r.nextBoolean() ? ZSetValue.packed() : ZSetValue.create(0, 0, enc);
            Map<String, E> model = new HashMap<>();
            boolean sawPacked = false, sawLarge = false;
            for (int op = 0; op < 4000; op++) {
                int k = r.nextInt(20);
                if (k < 9) {
                    byte[] m = member(r, space, true);
                    double s = lexPhase ? 0 : SCORES[r.nextInt(SCORES.length)];
                    E old = model.get(HexFormat.of().formatHex(m));
                    assertThat(z.put(m, s, enc)).isEqualTo(old == null);
                    model.put(HexFormat.of().formatHex(m), new E(m, s));
                } else if (k < 12) {
                    byte[] m = member(r, space, true);
                    assertThat(z.remove(m)).isEqualTo(model.remove(HexFormat.of().formatHex(m)) != null);
                } else if (k < 13 && !model.isEmpty()) {
                    // ZREMRANGEBYRANK
                    List<E> l = sorted(model);
                    int a = r.nextInt(l.size()), e = a + r.nextInt(Math.min(l.size() - a, 20) + 1);
                    for (E x : l.subList(a, e)) model.remove(x.key());
                    z.removeRange(a, e);
                } else if (k < 14) {
                    // ZREMRANGEBYSCORE min max with inclusive/exclusive/infinite bounds
                    double min = SCORES[r.nextInt(SCORES.length)], max = SCORES[r.nextInt(SCORES.length)];
                    boolean exMin = r.nextBoolean(), exMax = r.nextBoolean();
                    int a = z.firstRankByScore(min, exMin), e = z.endRankByScore(max, exMax);
                    List<E> l = sorted(model);
                    int want = 0;
                    for (E x : l) {
                        if ((exMin ? x.s > min : x.s >= min) && (exMax ? x.s < max : x.s <= max)) {
                            model.remove(x.key());
                            want++;
                        }
                    }
                    assertThat(Math.max(0, e - a)).isEqualTo(want);
                    z.removeRange(a, e);
                } else if (k < 15 && lexPhase) {
                    // ZREMRANGEBYLEX
                    LexBound min = lex(r, space), max = lex(r, space);
                    int a = z.firstRankByLex(min), e = z.endRankByLex(max);
                    int want = 0;
                    for (E x : sorted(model)) {
                        if (min.admitsAsMin(x.m) && max.admitsAsMax(x.m)) {
                            model.remove(x.key());
                            want++;
                        }
                    }
                    assertThat(Math.max(0, e - a)).isEqualTo(want);
                    z.removeRange(a, e);
                } else if (k < 16) {
                    z.packIfFits(enc);
                } else if (k < 17 && r.nextInt(4) == 0) {
                    z.convertToSkiplist();
                } else if (k < 18) {
                    ZSetValue c = z.copy();
                    assertThat(c.encoding()).isEqualTo(z.encoding());
                    assertThat(contents(c, false)).isEqualTo(contents(z, false));
                    c.put(new byte[] {0}, 0, enc); // the copy is independent
                    assertThat(z.contains(new byte[] {0})).isEqualTo(model.containsKey("00"));
                }
                sawPacked |= z.isPacked();
                sawLarge |= !z.isPacked();
                assertThat(z.size()).isEqualTo(model.size());
                if (z.isPacked()) {
                    assertThat(z.size()).isLessThanOrEqualTo(enc.zsetMaxListpackEntries);
                }
                if (op % 40 == 0 || op > 3980) check(z, model, r, lexPhase, space);
            }
            if (enc.zsetMaxListpackEntries >= 8) {
                assertThat(sawPacked && sawLarge).as("seed %d crossed both ways", seed).isTrue();
            }
        }
    }

    private static LexBound lex(Random r, int space) {
        int k = r.nextInt(6);
        if (k == 0) return LexBound.MINUS;
        if (k == 1) return LexBound.PLUS;
        return LexBound.of(member(r, space, false), r.nextBoolean());
    }

    private static void check(ZSetValue z, Map<String, E> model, Random r, boolean lexPhase, int space) {
        List<E> want = sorted(model);
        assertThat(contents(z, false)).isEqualTo(render(want));
        assertThat(contents(z, true)).isEqualTo(render(want));
        for (int q = 0; q < 20 && !want.isEmpty(); q++) {
            int i = r.nextInt(want.size());
            E e = want.get(i);
            assertThat(z.rank(e.m)).isEqualTo(i);
            assertThat(z.score(e.m)).isEqualTo(e.s);
            assertThat(z.memberAt(i)).isEqualTo(e.m);
            assertThat(z.scoreAt(i)).isEqualTo(e.s);
            // a cursor from the middle, both directions
            int n = r.nextInt(5);
            ZSetValue.Cursor f = z.cursor(i, false), b = z.cursor(i, true);
            for (int j = 0; j < n; j++, f.next(), b.next()) {
                if (i + j < want.size()) assertThat(f.member()).isEqualTo(want.get(i + j).m);
                else assertThat(f.valid()).isFalse();
                if (i - j >= 0) assertThat(b.member()).isEqualTo(want.get(i - j).m);
                else assertThat(b.valid()).isFalse();
            }
        }
        byte[] absent = {(byte) 0xee, (byte) 0xee, (byte) 0xee, (byte) 0xee};
        assertThat(z.rank(absent)).isEqualTo(-1);
        assertThat(z.score(absent)).isNaN();
        assertThat(z.cursor(want.size(), false).valid()).isFalse();
        assertThat(z.cursor(-1, true).valid()).isFalse();
        for (double bound : SCORES) {
            int below = 0, atOrBelow = 0;
            for (E e : want) {
                if (e.s < bound) below++;
                if (e.s <= bound) atOrBelow++;
            }
            assertThat(z.firstRankByScore(bound, false)).isEqualTo(below);
            assertThat(z.firstRankByScore(bound, true)).isEqualTo(atOrBelow);
            assertThat(z.endRankByScore(bound, false)).isEqualTo(atOrBelow);
            assertThat(z.endRankByScore(bound, true)).isEqualTo(below);
        }
        if (lexPhase) {
            for (int q = 0; q < 10; q++) {
                LexBound lb = lex(r, space);
                int before = 0, notAfter = 0;
                for (E e : want) {
                    if (!lb.admitsAsMin(e.m)) before++;
                    if (lb.admitsAsMax(e.m)) notAfter++;
                }
                assertThat(z.firstRankByLex(lb)).isEqualTo(before);
                assertThat(z.endRankByLex(lb)).isEqualTo(notAfter);
            }
        }
    }
}
