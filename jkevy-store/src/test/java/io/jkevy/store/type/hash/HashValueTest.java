package io.jkevy.store.type.hash;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HashValueTest {
    private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static String s(byte[] b) { return b == null ? null : new String(b, StandardCharsets.UTF_8); }

    private static Map<String, String> contents(HashValue h) {
        Map<String, String> m = new HashMap<>();
        for (int t = h.first(); t >= 0; t = h.next(t)) {
            assertThat(m.put(s(h.fieldAt(t)), s(h.valueAt(t)))).as("duplicate field").isNull();
        }
        return m;
    }

    @Test
    void packedSetGetReplaceRemove() {
        HashValue h = new HashValue();
        assertThat(h.first()).isEqualTo(-1);
        assertThat(h.set(b("a"), b("1"), 128, 64)).isTrue();
        assertThat(h.set(b("b"), b("22"), 128, 64)).isTrue();
        assertThat(h.set(b("a"), b("333"), 128, 64)).isFalse();       // longer: rebuilt
        assertThat(h.set(b("b"), b("xy"), 128, 64)).isFalse();        // same length: in place
        assertThat(h.set(b(""), b(""), 128, 64)).isTrue();
        assertThat(h.encoding()).isEqualTo("listpack");
        assertThat(h.size()).isEqualTo(3);
        assertThat(s(h.get(b("a")))).isEqualTo("333");
        assertThat(s(h.get(b("b")))).isEqualTo("xy");
        assertThat(s(h.get(b("")))).isEqualTo("");
        assertThat(h.get(b("c"))).isNull();
        assertThat(h.valueLength(b("a"))).isEqualTo(3);
        assertThat(h.valueLength(b("zz"))).isZero();
        // insertion order is kept in the packed form
        assertThat(s(h.fieldAt(h.first()))).isEqualTo("a");
        assertThat(h.remove(b("a"))).isTrue();
        assertThat(h.remove(b("a"))).isFalse();
        assertThat(contents(h)).containsExactlyInAnyOrderEntriesOf(Map.of("b", "xy", "", ""));
    }

    @Test
    void longStringsUseMultiByteLengths() {
        HashValue h = new HashValue();
        String big = "x".repeat(300);
        h.set(b(big), b("v"), 128, 1000);
        h.set(b("k"), b(big), 128, 1000);
        assertThat(h.isPacked()).isTrue();
        assertThat(s(h.get(b(big)))).isEqualTo("v");
        assertThat(h.valueLength(b("k"))).isEqualTo(300);
    }

    @Test
    void convertsPastEntryCountAndNeverBack() {
        HashValue h = new HashValue();
        for (int i = 0; i < 4; i++) h.set(b("f" + i), b("v"), 4, 64);
        assertThat(h.encoding()).isEqualTo("listpack");
        h.set(b("f4"), b("v"), 4, 64);
        assertThat(h.encoding()).isEqualTo("hashtable");
        for (int i = 0; i < 5; i++) h.remove(b("f" + i));
        assertThat(h.size()).isZero();
        assertThat(h.encoding()).isEqualTo("hashtable");
    }

    @Test
    void convertsOnLongFieldOrValue() {
        HashValue h = new HashValue();
        h.set(b("a"), b("1"), 128, 3);
        h.set(b("b"), b("1234"), 128, 3);
        assertThat(h.encoding()).isEqualTo("hashtable");
        assertThat(contents(h)).isEqualTo(Map.of("a", "1", "b", "1234"));
        HashValue g = new HashValue();
        g.set(b("long"), b("1"), 128, 3);
        assertThat(g.encoding()).isEqualTo("hashtable");
    }

    @Test
    void tableMatchesModelUnderRandomWork() {
        Random r = new Random(7);
        HashValue h = new HashValue();
        Map<String, String> model = new HashMap<>();
        for (int op = 0; op < 200_000; op++) {
            String f = "f" + r.nextInt(3000);
            if (r.nextInt(3) == 0) {
                assertThat(h.remove(b(f))).isEqualTo(model.remove(f) != null);
            } else {
                String v = "v" + r.nextInt(1000);
                assertThat(h.set(b(f), b(v), 16, 64)).isEqualTo(model.put(f, v) == null);
            }
            if (op % 20_000 == 0) assertThat(contents(h)).isEqualTo(model);
        }
        assertThat(h.size()).isEqualTo(model.size());
        assertThat(contents(h)).isEqualTo(model);
        for (String f : model.keySet()) assertThat(s(h.get(b(f)))).isEqualTo(model.get(f));
        // shrink down to nothing, checking reachability after each delete
        for (String f : new HashSet<>(model.keySet())) {
            assertThat(h.remove(b(f))).isTrue();
            model.remove(f);
            if (model.size() % 97 == 0) for (String g : model.keySet()) assertThat(h.contains(b(g))).isTrue();
        }
        assertThat(h.size()).isZero();
        assertThat(h.first()).isEqualTo(-1);
    }

    @Test
    void copyIsIndependent() {
        for (int n : new int[] {3, 300}) {
            HashValue h = new HashValue();
            for (int i = 0; i < n; i++) h.set(b("f" + i), b("v" + i), 128, 64);
            HashValue c = h.copy();
            h.set(b("f0"), b("changed"), 128, 64);
            h.remove(b("f1"));
            assertThat(s(c.get(b("f0")))).isEqualTo("v0");
            assertThat(s(c.get(b("f1")))).isEqualTo("v1");
            assertThat(c.size()).isEqualTo(n);
            assertThat(c.encoding()).isEqualTo(h.encoding());
        }
    }

    @Test
    void packedScanReturnsAllWithCursorZero() {
        HashValue h = new HashValue();
        for (int i = 0; i < 50; i++) h.set(b("f" + i), b("v"), 128, 64);
        Set<String> seen = new HashSet<>();
        assertThat(h.scan(12345, 1, (f, v) -> seen.add(s(f)))).isZero();
        assertThat(seen).hasSize(50);
    }

    @Test
    void tableScanReturnsEveryStablePairDespiteResizes() {
        HashValue h = new HashValue();
        for (int i = 0; i < 1000; i++) h.set(b("s" + i), b("v"), 16, 64);
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int steps = 0, extra = 0;
        do {
            cursor = h.scan(cursor, 7, (f, v) -> seen.add(s(f)));
            // grow and shrink between steps with transient fields
            if (steps % 3 == 0) for (int k = 0; k < 400; k++) h.set(b("t" + extra++), b("x"), 16, 64);
            if (steps % 3 == 2) for (int k = extra - 400; k < extra; k++) if (k >= 0) h.remove(b("t" + k));
            steps++;
        } while (cursor != 0);
        for (int i = 0; i < 1000; i++) assertThat(seen).contains("s" + i);
        assertThat(steps).isGreaterThan(10);
    }

    @Test
    void scanStepHonoursCount() {
        HashValue h = new HashValue();
        for (int i = 0; i < 1000; i++) h.set(b("s" + i), b("v"), 16, 64);
        int[] n = {0};
        long next = h.scan(0, 5, (f, v) -> n[0]++);
        assertThat(next).isNotZero();
        assertThat(n[0]).isBetween(5, 30);
    }

    @Test
    void randomTokenCoversAllFields() {
        for (int size : new int[] {5, 500}) {
            HashValue h = new HashValue();
            for (int i = 0; i < size; i++) h.set(b("f" + i), b("v"), 128, 64);
            Random r = new Random(1);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < size * 50; i++) seen.add(s(h.fieldAt(h.randomToken(r))));
            assertThat(seen).hasSize(size);
        }
        assertThatThrownBy(() -> new HashValue().randomToken(new Random())).isInstanceOf(IllegalStateException.class);
    }
}
