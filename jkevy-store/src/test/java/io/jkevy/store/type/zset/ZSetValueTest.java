package io.jkevy.store.type.zset;

import io.jkevy.store.Encodings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ZSetValueTest {
    private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private record E(String m, double s) { }

    private static final Comparator<E> ORDER = (x, y) -> x.s != y.s ? Double.compare(x.s, y.s)
            : ZSetValue.compareMembers(b(x.m), b(y.m));

    private static List<E> contents(ZSetValue z) {
        List<E> out = new ArrayList<>();
        for (ZSetValue.Cursor c = z.cursor(0, false); c.valid(); c.next()) out.add(new E(new String(c.member(), StandardCharsets.UTF_8), c.score()));
        return out;
    }

    /** Random operations against a map model, in both encodings (small thresholds force conversion). */
    @Test
    void modelCheck() {
        for (int seed = 0; seed < 20; seed++) {
            Random r = new Random(seed);
            Encodings enc = new Encodings();
            enc.zsetMaxListpackEntries = seed % 2 == 0 ? 16 : 100000;
            ZSetValue z = ZSetValue.packed();
            Map<String, Double> model = new HashMap<>();
            for (int op = 0; op < 3000; op++) {
                String m = "m" + r.nextInt(60);
                int k = r.nextInt(10);
                if (k < 5) {
                    double s = r.nextInt(20);
                    boolean added = z.put(b(m), s, enc);
                    assertThat(added).isEqualTo(!model.containsKey(m));
                    model.put(m, s);
                } else if (k < 7) {
                    assertThat(z.remove(b(m))).isEqualTo(model.remove(m) != null);
                } else if (k < 8 && z.size() > 0) {
                    int a = r.nextInt(z.size()), e = a + r.nextInt(z.size() - a + 1);
                    List<E> cur = contents(z);
                    for (E x : cur.subList(a, e)) model.remove(x.m);
                    z.removeRange(a, e);
                }
                List<E> want = new ArrayList<>();
                model.forEach((mm, s) -> want.add(new E(mm, s)));
                want.sort(ORDER);
                if (op % 50 == 0 || op > 2900) {
                    assertThat(contents(z)).isEqualTo(want);
                    assertThat(z.size()).isEqualTo(want.size());
                    for (int i = 0; i < want.size(); i++) {
                        assertThat(z.rank(b(want.get(i).m))).isEqualTo(i);
                        assertThat(z.memberAt(i)).isEqualTo(b(want.get(i).m));
                        assertThat(z.score(b(want.get(i).m))).isEqualTo(want.get(i).s);
                    }
                    double lo = r.nextInt(20);
                    long firstIncl = want.stream().filter(x -> x.s < lo).count();
                    long firstExcl = want.stream().filter(x -> x.s <= lo).count();
                    assertThat(z.firstRankByScore(lo, false)).isEqualTo((int) firstIncl);
                    assertThat(z.firstRankByScore(lo, true)).isEqualTo((int) firstExcl);
                    assertThat(z.endRankByScore(lo, false)).isEqualTo((int) firstExcl);
                    assertThat(z.endRankByScore(lo, true)).isEqualTo((int) firstIncl);
                    ZSetValue copy = z.copy();
                    assertThat(contents(copy)).isEqualTo(want);
                    assertThat(copy.encoding()).isEqualTo(z.encoding());
                }
            }
            if (seed % 2 == 0) assertThat(z.encoding()).isEqualTo("skiplist");
            else assertThat(z.encoding()).isEqualTo("listpack");
        }
    }

    @Test
    void convertsPastThresholdsAndNeverBack() {
        Encodings enc = new Encodings();
        enc.zsetMaxListpackEntries = 3;
        enc.zsetMaxListpackValue = 5;
        ZSetValue z = ZSetValue.packed();
        z.put(b("a"), 1, enc);
        z.put(b("b"), 2, enc);
        z.put(b("c"), 3, enc);
        assertThat(z.encoding()).isEqualTo("listpack");
        z.put(b("d"), 4, enc);
        assertThat(z.encoding()).isEqualTo("skiplist");
        z.remove(b("d"));
        z.remove(b("c"));
        assertThat(z.encoding()).isEqualTo("skiplist");
        ZSetValue y = ZSetValue.packed();
        y.put(b("toolong"), 1, enc);
        assertThat(y.encoding()).isEqualTo("skiplist");
        z.packIfFits(enc);
        assertThat(z.encoding()).isEqualTo("listpack");
        assertThat(contents(z)).containsExactly(new E("a", 1), new E("b", 2));
    }

    @Test
    void lexBoundsAndReverseCursor() {
        Encodings enc = new Encodings();
        for (ZSetValue z : new ZSetValue[] {ZSetValue.packed(), ZSetValue.skiplist()}) {
            for (String m : new String[] {"a", "b", "c", "d", "e"}) z.put(b(m), 0, enc);
            assertThat(z.firstRankByLex(LexBound.parse(b("[b")))).isEqualTo(1);
            assertThat(z.firstRankByLex(LexBound.parse(b("(b")))).isEqualTo(2);
            assertThat(z.endRankByLex(LexBound.parse(b("[d")))).isEqualTo(4);
            assertThat(z.endRankByLex(LexBound.parse(b("(d")))).isEqualTo(3);
            assertThat(z.firstRankByLex(LexBound.MINUS)).isEqualTo(0);
            assertThat(z.endRankByLex(LexBound.PLUS)).isEqualTo(5);
            assertThat(LexBound.parse(b("x"))).isNull();
            assertThat(LexBound.parse(b("-x"))).isNull();
            StringBuilder sb = new StringBuilder();
            for (ZSetValue.Cursor c = z.cursor(4, true); c.valid(); c.next()) sb.append(new String(c.member(), StandardCharsets.UTF_8));
            assertThat(sb.toString()).isEqualTo("edcba");
        }
    }

    /** Scores at the edges of the compact integer form survive the packed encoding exactly. */
    @Test
    void packedScoresRoundTripExactly() {
        double[] scores = {0.0, -0.0, 1, -1, 63, 64, -64, -65, 1.5, -2.25, 1e300, -1e-300,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
                (double) (1L << 61), -(double) (1L << 61), (double) ((1L << 61) - 1), (double) (1L << 53) + 2,
                (double) Long.MAX_VALUE, (double) Long.MIN_VALUE, 9007199254740993.0, 123456789012.0};
        Encodings enc = new Encodings();
        ZSetValue z = ZSetValue.packed();
        for (int i = 0; i < scores.length; i++) assertThat(z.put(b("m" + i), scores[i], enc)).isTrue();
        assertThat(z.encoding()).isEqualTo("listpack");
        for (int i = 0; i < scores.length; i++) {
            assertThat(Double.doubleToRawLongBits(z.score(b("m" + i))))
                    .as("score %s", scores[i]).isEqualTo(Double.doubleToRawLongBits(scores[i]));
        }
        ZSetValue copy = z.copy();
        copy.convertToSkiplist();
        for (int i = 0; i < scores.length; i++) {
            assertThat(Double.doubleToRawLongBits(copy.score(b("m" + i)))).isEqualTo(Double.doubleToRawLongBits(scores[i]));
        }
        copy.packIfFits(enc);
        assertThat(copy.isPacked()).isTrue();
        assertThat(contents(copy)).isEqualTo(contents(z));
        // ascending order, and the reverse cursor yields the exact reverse
        List<E> asc = contents(z);
        for (int k = 1; k < asc.size(); k++) assertThat(ORDER.compare(asc.get(k - 1), asc.get(k))).isLessThanOrEqualTo(0);
        List<E> desc = new ArrayList<>();
        for (ZSetValue.Cursor c = z.cursor(z.size() - 1, true); c.valid(); c.next()) {
            desc.add(new E(new String(c.member(), StandardCharsets.UTF_8), c.score()));
        }
        java.util.Collections.reverse(desc);
        assertThat(desc).isEqualTo(asc);
        // removeRange in the middle keeps the neighbours intact
        z.removeRange(3, 7);
        List<E> expect = new ArrayList<>(asc.subList(0, 3));
        expect.addAll(asc.subList(7, asc.size()));
        assertThat(contents(z)).isEqualTo(expect);
        for (int r = 0; r < expect.size(); r++) {
            assertThat(new String(z.memberAt(r), StandardCharsets.UTF_8)).isEqualTo(expect.get(r).m());
            assertThat(z.rank(b(expect.get(r).m()))).isEqualTo(r);
        }
    }

    /** Members of every byte value and of lengths across a varint boundary (127/128). */
    @Test
    void packedMembersOfAnyBytes() {
        Encodings enc = new Encodings();
        enc.zsetMaxListpackValue = 300;
        ZSetValue z = ZSetValue.packed();
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) all[i] = (byte) i;
        byte[] len127 = java.util.Arrays.copyOf(all, 127), len128 = java.util.Arrays.copyOf(all, 128);
        z.put(all, 5, enc);
        z.put(len127, 5, enc);
        z.put(len128, 5, enc);
        z.put(new byte[0], 5, enc);
        assertThat(z.isPacked()).isTrue();
        assertThat(z.rank(new byte[0])).isEqualTo(0);
        assertThat(z.memberAt(1)).isEqualTo(len127);
        assertThat(z.memberAt(2)).isEqualTo(len128);
        assertThat(z.memberAt(3)).isEqualTo(all);
        assertThat(z.firstRankByLex(LexBound.of(len128, true))).isEqualTo(3);
        assertThat(z.endRankByLex(LexBound.of(len128, false))).isEqualTo(3);
        assertThat(z.remove(len127)).isTrue();
        assertThat(z.remove(len127)).isFalse();
        assertThat(z.size()).isEqualTo(3);
        assertThat(z.score(all)).isEqualTo(5.0);
    }
}
