package io.jkevy.store.type.set;

import io.jkevy.store.Encodings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class SetValueTest {
    private final Encodings e = new Encodings();

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static Set<String> strings(SetValue s) {
        Set<String> out = new TreeSet<>();
        s.forEach(m -> out.add(new String(m, StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void canonicalIntegersOnly() {
        assertThat(SetValue.isCanonicalLong(b("0"))).isTrue();
        assertThat(SetValue.isCanonicalLong(b("-9223372036854775808"))).isTrue();
        assertThat(SetValue.isCanonicalLong(b("9223372036854775807"))).isTrue();
        assertThat(SetValue.isCanonicalLong(b("9223372036854775808"))).isFalse();
        assertThat(SetValue.isCanonicalLong(b("-0"))).isFalse();
        assertThat(SetValue.isCanonicalLong(b("01"))).isFalse();
        assertThat(SetValue.isCanonicalLong(b("+1"))).isFalse();
        assertThat(SetValue.isCanonicalLong(b(" 1"))).isFalse();
        assertThat(SetValue.isCanonicalLong(b(""))).isFalse();
        assertThat(SetValue.isCanonicalLong(b("-"))).isFalse();
    }

    @Test
    void intsetStaysSortedAndConvertsPastItsLimit() {
        e.setMaxIntsetEntries = 4;
        SetValue s = SetValue.create(b("5"), 1, e);
        for (String m : new String[] {"5", "-3", "100", "5", "-9223372036854775808"}) s.add(b(m), e);
        assertThat(s.encoding()).isEqualTo("intset");
        assertThat(s.size()).isEqualTo(4);
        StringBuilder order = new StringBuilder();
        s.forEach(m -> order.append(new String(m)).append(','));
        assertThat(order).hasToString("-9223372036854775808,-3,5,100,");
        assertThat(s.contains(b("-9223372036854775808"))).isTrue();
        assertThat(s.contains(b("05"))).isFalse();
        s.add(b("7"), e);
        assertThat(s.encoding()).isEqualTo("hashtable");
        assertThat(strings(s)).containsExactlyInAnyOrder("-9223372036854775808", "-3", "5", "100", "7");
    }

    @Test
    void intsetWithAStringBecomesListpackOrHashtable() {
        SetValue s = SetValue.create(b("1"), 1, e);
        s.add(b("1"), e);
        s.add(b("2"), e);
        s.add(b("x"), e);
        assertThat(s.encoding()).isEqualTo("listpack");
        assertThat(strings(s)).containsExactlyInAnyOrder("1", "2", "x");
        assertThat(s.contains(b("1"))).isTrue();

        SetValue big = SetValue.create(b("1"), 1, e);
        big.add(b("1"), e);
        big.add(b("y".repeat(65)), e);
        assertThat(big.encoding()).isEqualTo("hashtable");

        e.setMaxListpackValue = 3;
        SetValue wide = SetValue.create(b("1"), 1, e);
        wide.add(b("-1000"), e);   // 5 characters: too wide for a listpack value of 3
        wide.add(b("ab"), e);
        assertThat(wide.encoding()).isEqualTo("hashtable");
    }

    @Test
    void listpackConvertsOnEntriesOrValueLength() {
        e.setMaxListpackEntries = 3;
        SetValue s = SetValue.create(b("a"), 1, e);
        s.add(b("a"), e);
        s.add(b("b"), e);
        s.add(b("c"), e);
        assertThat(s.encoding()).isEqualTo("listpack");
        assertThat(s.add(b("b"), e)).isFalse();
        assertThat(s.remove(b("b"))).isTrue();
        assertThat(s.remove(b("b"))).isFalse();
        assertThat(strings(s)).containsExactlyInAnyOrder("a", "c");
        s.add(b("d"), e);
        s.add(b("e"), e);
        assertThat(s.encoding()).isEqualTo("hashtable");
        assertThat(strings(s)).containsExactlyInAnyOrder("a", "c", "d", "e");
    }

    @Test
    void listpackHandlesLongMembersWithMultiByteLengths() {
        e.setMaxListpackValue = 1000;
        SetValue s = SetValue.create(b("a"), 1, e);
        String long1 = "L".repeat(300), long2 = "M".repeat(200);
        s.add(b(long1), e);
        s.add(b("z"), e);
        s.add(b(long2), e);
        assertThat(s.encoding()).isEqualTo("listpack");
        assertThat(s.contains(b(long2))).isTrue();
        assertThat(s.remove(b(long1))).isTrue();
        assertThat(strings(s)).containsExactlyInAnyOrder("z", long2);
    }

    @Test
    void createUsesTheSizeHint() {
        assertThat(SetValue.create(b("1"), 513, e).encoding()).isEqualTo("hashtable");
        assertThat(SetValue.create(b("a"), 129, e).encoding()).isEqualTo("hashtable");
        assertThat(SetValue.create(b("a"), 128, e).encoding()).isEqualTo("listpack");
        SetValue s = SetValue.create(b("a"), 2, e);
        s.add(b("a"), e);
        s.maybeConvert(129, e);
        assertThat(s.encoding()).isEqualTo("hashtable");
        assertThat(s.contains(b("a"))).isTrue();
    }

    @Test
    void hashtableAddRemoveManyAndShrink() {
        SetValue s = SetValue.create(b("a"), 1000, e);
        for (int i = 0; i < 5000; i++) assertThat(s.add(b("m" + i), e)).isTrue();
        assertThat(s.size()).isEqualTo(5000);
        for (int i = 0; i < 5000; i += 2) assertThat(s.remove(b("m" + i))).isTrue();
        for (int i = 0; i < 5000; i++) assertThat(s.contains(b("m" + i))).isEqualTo(i % 2 == 1);
        assertThat(s.size()).isEqualTo(2500);
    }

    @Test
    void scanCoversEveryMemberPresentThroughoutDespiteResizes() {
        SetValue s = SetValue.create(b("a"), 200, e);
        for (int i = 0; i < 300; i++) s.add(b("k" + i), e);
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int step = 0;
        do {
            cursor = s.scan(cursor, 10, m -> seen.add(new String(m)));
            // grow then shrink the table while iterating; k0..k99 stay throughout
            if (step == 2) for (int i = 300; i < 3000; i++) s.add(b("k" + i), e);
            if (step == 5) for (int i = 100; i < 3000; i++) s.remove(b("k" + i));
            step++;
        } while (cursor != 0);
        for (int i = 0; i < 100; i++) assertThat(seen).contains("k" + i);
    }

    @Test
    void compactEncodingsScanInOneStep() {
        SetValue s = SetValue.create(b("1"), 1, e);
        s.add(b("1"), e);
        s.add(b("2"), e);
        Set<String> seen = new HashSet<>();
        assertThat(s.scan(0, 1, m -> seen.add(new String(m)))).isZero();
        assertThat(seen).containsExactlyInAnyOrder("1", "2");
    }

    @Test
    void randomIsRoughlyUniformInEveryEncoding() {
        for (String first : new String[] {"1", "a", "big"}) {
            SetValue s = SetValue.create(b(first.equals("1") ? "1" : "a"), first.equals("big") ? 1000 : 1, e);
            for (int i = 0; i < 10; i++) s.add(b(first.equals("1") ? Integer.toString(i) : "x" + i), e);
            Random r = new Random(42);
            int[] hits = new int[10];
            for (int i = 0; i < 20000; i++) {
                String m = new String(s.random(r::nextInt));
                hits[Integer.parseInt(m.replace("x", ""))]++;
            }
            for (int h : hits) assertThat(h).as(first).isBetween(1700, 2300);
        }
    }

    @Test
    void popRandomDrainsEveryEncoding() {
        for (int hint : new int[] {1, 1000}) {
            SetValue s = SetValue.create(b("a"), hint, e);
            for (int i = 0; i < 50; i++) s.add(b("p" + i), e);
            Random r = new Random(7);
            Set<String> popped = new HashSet<>();
            while (s.size() > 0) popped.add(new String(s.popRandom(r::nextInt)));
            assertThat(popped).hasSize(50);
            assertThat(s.popRandom(r::nextInt)).isNull();
        }
        SetValue ints = SetValue.create(b("1"), 1, e);
        for (int i = 0; i < 20; i++) ints.add(b(Integer.toString(i)), e);
        Random r = new Random(1);
        Set<String> popped = new HashSet<>();
        while (ints.size() > 0) popped.add(new String(ints.popRandom(r::nextInt)));
        assertThat(popped).hasSize(20);
    }

    @Test
    void copyIsIndependent() {
        for (int hint : new int[] {1, 1000}) {
            for (String first : new String[] {"1", "a"}) {
                SetValue s = SetValue.create(b(first), hint, e);
                s.add(b(first), e);
                SetValue c = s.copy();
                c.add(b("other"), e);
                c.remove(b(first));
                assertThat(strings(s)).containsExactly(first);
                assertThat(strings(c)).containsExactly("other");
            }
        }
    }

    @Test
    void compactIfIntegersTurnsAllIntegerSetsIntoIntsets() {
        SetValue s = SetValue.create(b("a"), 1000, e);
        s.add(b("3"), e);
        s.add(b("-1"), e);
        s.compactIfIntegers(e);
        assertThat(s.encoding()).isEqualTo("intset");
        assertThat(strings(s)).containsExactlyInAnyOrder("3", "-1");
        SetValue t = SetValue.create(b("a"), 1000, e);
        t.add(b("a"), e);
        t.compactIfIntegers(e);
        assertThat(t.encoding()).isEqualTo("hashtable");
    }
}
