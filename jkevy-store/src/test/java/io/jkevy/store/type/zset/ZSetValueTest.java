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
}
