package io.jkevy.store.type.zset;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order-statistics B+tree against a sorted-set model, checking every structural
 * invariant ({@link OrderTree#verify()}) as it grows to several levels and shrinks back.
 */
class OrderTreeModelTest {
    private record E(double s, byte[] m) { }

    private static final Comparator<E> ORDER = (x, y) -> x.s != y.s ? (x.s < y.s ? -1 : 1)
            : Arrays.compareUnsigned(x.m, y.m);

    private static byte[] member(Random r, int space) {
        int v = r.nextInt(space);
        // distinct per v (37 is odd); bytes above 0x7f and members that are prefixes of others,
        // so signed and unsigned orders differ and a shorter member sorts first
        return v % 2 == 0 ? new byte[] {(byte) (v * 37), (byte) (v >>> 8)}
                : new byte[] {(byte) (v * 37), (byte) (v >>> 8), 0};
    }

    @Test
    void randomOperationsAgainstModel() {
        for (int seed = 0; seed < 6; seed++) {
            Random r = new Random(seed);
            OrderTree t = new OrderTree();
            TreeSet<E> model = new TreeSet<>(ORDER);
            java.util.HashMap<String, Double> scores = new java.util.HashMap<>();
            int target = seed % 2 == 0 ? 5000 : 600; // 5000 entries need three levels
            int ops = 30_000;
            int maxSize = 0;
            for (int op = 0; op < ops; op++) {
                boolean growing = op < ops / 2;
                int k = r.nextInt(10);
                byte[] m = member(r, 20_000);
                String key = Arrays.toString(m);
                if (k < (growing ? 7 : 3) && model.size() < target) {
                    if (scores.containsKey(key)) continue;
                    double s = r.nextInt(seed < 2 ? 3 : 1000) - (seed < 2 ? 1 : 500);
                    if (r.nextInt(50) == 0) s = r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                    t.insert(s, m);
                    model.add(new E(s, m));
                    scores.put(key, s);
                } else if (k < 9 && !model.isEmpty()) {
                    // delete an existing entry (or a missing one: false)
                    E victim = r.nextBoolean() ? pick(model, r) : new E(r.nextInt(10), m);
                    boolean present = model.contains(victim);
                    assertThat(t.delete(victim.s, victim.m)).isEqualTo(present);
                    if (present) {
                        model.remove(victim);
                        scores.remove(Arrays.toString(victim.m));
                    }
                } else if (!model.isEmpty()) {
                    List<E> all = new ArrayList<>(model);
                    int i = r.nextInt(all.size());
                    E e = all.get(i);
                    assertThat(t.rankOf(e.s, e.m)).isEqualTo(i);
                    OrderTree.Pos p = new OrderTree.Pos();
                    assertThat(t.seek(i, p)).isTrue();
                    assertThat(p.leaf.scores[p.i]).isEqualTo(e.s);
                    assertThat(p.leaf.members[p.i]).isEqualTo(e.m);
                    double bound = r.nextInt(1000) - 500;
                    int below = (int) all.stream().filter(x -> x.s < bound).count();
                    assertThat(t.countPrefix((s, mm) -> s < bound)).isEqualTo(below);
                    int atOrBelow = (int) all.stream().filter(x -> x.s <= bound).count();
                    assertThat(t.countPrefix((s, mm) -> s <= bound)).isEqualTo(atOrBelow);
                    assertThat(t.seek(all.size(), p)).isFalse();
                    assertThat(t.seek(-1, p)).isFalse();
                }
                assertThat(t.size()).isEqualTo(model.size());
                maxSize = Math.max(maxSize, model.size());
                if (op % 97 == 0 || op > ops - 20) {
                    t.verify();
                    assertThat(contents(t)).containsExactlyElementsOf(model);
                }
            }
            assertThat(maxSize).isEqualTo(target); // reached: several levels, then shrank
            // drain completely: the tree collapses back to one empty leaf
            for (E e : new ArrayList<>(model)) assertThat(t.delete(e.s, e.m)).isTrue();
            t.verify();
            assertThat(t.size()).isZero();
            assertThat(t.firstLeaf()).isNull();
        }
    }

    private static E pick(TreeSet<E> model, Random r) {
        int i = r.nextInt(model.size());
        for (E e : model) if (i-- == 0) return e;
        throw new AssertionError();
    }

    private static List<E> contents(OrderTree t) {
        List<E> out = new ArrayList<>();
        for (OrderTree.Leaf l = t.firstLeaf(); l != null; l = l.next) {
            for (int i = 0; i < l.n; i++) out.add(new E(l.scores[i], l.members[i]));
        }
        // and backwards through the prev links
        List<E> back = new ArrayList<>();
        OrderTree.Pos p = new OrderTree.Pos();
        if (t.seek(t.size() - 1, p)) {
            for (; p.leaf != null; p.backward()) back.add(new E(p.leaf.scores[p.i], p.leaf.members[p.i]));
        }
        java.util.Collections.reverse(back);
        assertThat(back).containsExactlyElementsOf(out);
        return out;
    }

    @Test
    void ascendingAndDescendingRunsFillLeavesThreeQuarters() {
        for (boolean up : new boolean[] {true, false}) {
            OrderTree t = new OrderTree();
            int n = 20_000;
            for (int i = 0; i < n; i++) t.insert(up ? i : -i, new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16)});
            t.verify();
            int leaves = 0;
            for (OrderTree.Leaf l = t.firstLeaf(); l != null; l = l.next) leaves++;
            assertThat(leaves).isLessThanOrEqualTo(n / (OrderTree.LEAF_CAP * 3 / 4) + 2);
        }
    }

    @Test
    void bulkBuildAndCopyMatchInsertion() {
        for (int n : new int[] {0, 1, 47, 48, 49, 129, 3000, 100_000}) {
            double[] s = new double[n];
            byte[][] m = new byte[n][];
            for (int i = 0; i < n; i++) {
                s[i] = i / 3;
                m[i] = new byte[] {(byte) (i % 3)};
            }
            OrderTree t = OrderTree.build(s, m, n);
            t.verify();
            OrderTree c = t.copy();
            c.verify();
            assertThat(c.size()).isEqualTo(n);
            if (n > 0) {
                assertThat(t.rankOf(s[n - 1], m[n - 1])).isEqualTo(n - 1);
                assertThat(c.delete(s[0], m[0])).isTrue();
                assertThat(t.rankOf(s[0], m[0])).isZero(); // the copy is independent
                c.verify();
            }
        }
    }
}
