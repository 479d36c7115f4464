package io.jkevy.store.type.list;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ListValueTest {
    private static byte[] b(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    private static List<String> all(ListValue l) {
        List<String> out = new ArrayList<>();
        l.forEach(0, l.size(), e -> out.add(new String(e, StandardCharsets.ISO_8859_1)));
        return out;
    }

    /** Numbers near every integer-encoding boundary, and look-alikes that must stay strings. */
    private static final String[] NUMBERISH = {
        "0", "-0", "00", "01", "+1", "-", "1-", " 1", "127", "128", "-1", "4095", "4096", "-4096", "-4097",
        "32767", "32768", "-32768", "-32769", "8388607", "8388608", "-8388608", "-8388609",
        "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "99999999999999999999",
        "123456789012345678901", "1.5", "1e3"};

    private static String rnd(Random r) {
        if (r.nextInt(5) == 0) {
            return r.nextBoolean() ? NUMBERISH[r.nextInt(NUMBERISH.length)] : Long.toString(r.nextLong() >> r.nextInt(64));
        }
        int len = switch (r.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 100 + r.nextInt(300);   // two-byte headers
            case 2 -> 16_000 + r.nextInt(2000); // bigger than a node limit on its own
            default -> 1 + r.nextInt(12);
        };
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) sb.append((char) ('a' + r.nextInt(3)));
        return sb.toString();
    }

    /** Random operations checked against an ArrayList model, for several node fills. */
    @ParameterizedTest
    @ValueSource(ints = {-5, -2, -1, 0, 1, 3, 128})
    void matchesModelUnderRandomOperations(int fill) {
        Random r = new Random(42 + fill);
        ListValue l = new ListValue(fill);
        List<String> m = new ArrayList<>();
        for (int step = 0; step < 4000; step++) {
            int op = r.nextInt(10);
            if (op <= 3) {
                String v = r.nextInt(4) == 0 ? rnd(r) : "v" + r.nextInt(5);
                boolean left = r.nextBoolean();
                l.push(left, b(v));
                if (left) m.add(0, v); else m.add(v);
            } else if (op == 4) {
                boolean left = r.nextBoolean();
                byte[] got = l.pop(left);
                String want = m.isEmpty() ? null : (left ? m.remove(0) : m.remove(m.size() - 1));
                assertThat(got == null ? null : new String(got, StandardCharsets.ISO_8859_1)).isEqualTo(want);
            } else if (op == 5 && !m.isEmpty()) {
                int i = r.nextInt(m.size());
                assertThat(new String(l.get(i), StandardCharsets.ISO_8859_1)).isEqualTo(m.get(i));
                String v = rnd(r);
                l.set(i, b(v));
                m.set(i, v);
            } else if (op == 6) {
                long cnt = r.nextInt(5) - 2;
                String v = "v" + r.nextInt(5);
                long removed = l.remove(cnt, b(v));
                long expect = 0;
                if (cnt >= 0) {
                    for (int i = 0; i < m.size() && (cnt == 0 || expect < cnt); ) {
                        if (m.get(i).equals(v)) { m.remove(i); expect++; } else i++;
                    }
                } else {
                    for (int i = m.size() - 1; i >= 0 && expect < -cnt; i--) {
                        if (m.get(i).equals(v)) { m.remove(i); expect++; }
                    }
                }
                assertThat(removed).isEqualTo(expect);
            } else if (op == 7) {
                String pivot = "v" + r.nextInt(5);
                String v = r.nextInt(3) == 0 ? rnd(r) : "i" + step;
                boolean before = r.nextBoolean();
                int at = m.indexOf(pivot);
                assertThat(l.insert(before, b(pivot), b(v))).isEqualTo(at >= 0);
                if (at >= 0) m.add(before ? at : at + 1, v);
            } else if (op == 8 && m.size() > 2 && r.nextInt(8) == 0) {
                int s = r.nextInt(m.size());
                int e = s + r.nextInt(m.size() - s);
                assertThat(l.trim(s, e)).isEqualTo(m.size() - (e - s + 1));
                m = new ArrayList<>(m.subList(s, e + 1));
            } else if (op == 9 && !m.isEmpty()) {
                int s = r.nextInt(m.size());
                int n = r.nextInt(m.size() - s + 1);
                List<String> got = new ArrayList<>();
                l.forEach(s, n, e -> got.add(new String(e, StandardCharsets.ISO_8859_1)));
                assertThat(got).isEqualTo(m.subList(s, s + n));
            }
            assertThat(l.size()).isEqualTo(m.size());
        }
        assertThat(all(l)).isEqualTo(m);
        List<String> rev = new ArrayList<>();
        ListValue.Cursor c = l.cursor(true);
        while (c.next()) rev.add(new String(c.value(), StandardCharsets.ISO_8859_1));
        assertThat(rev).isEqualTo(m.reversed());
        for (int n : l.nodeCounts()) assertThat(n).isPositive();
    }

    @Test
    void positiveFillCapsEntriesPerNode() {
        ListValue l = new ListValue(3);
        for (int i = 0; i < 10; i++) l.push(false, b("x" + i));
        assertThat(l.nodeCounts()).containsExactly(3, 3, 3, 1);
        for (int i = 0; i < 2; i++) l.push(true, b("y" + i));
        assertThat(l.nodeCounts()).containsExactly(2, 3, 3, 3, 1);
    }

    @Test
    void negativeFillCapsNodeBytes() {
        ListValue l = new ListValue(-1); // 4 KB nodes
        byte[] v = new byte[1000];
        for (int i = 0; i < 8; i++) l.push(false, v);
        assertThat(l.nodeCounts()).containsExactly(4, 4);
        assertThat(l.nodeCount()).isEqualTo(2);
        ListValue small = new ListValue(-2);
        for (int i = 0; i < 100; i++) small.push(false, b("e" + i));
        assertThat(small.nodeCount()).as("a small list is one packed node").isEqualTo(1);
        assertThat(small.encoding()).isEqualTo("quicklist");
    }

    @Test
    void insertSplitsAFullNode() {
        ListValue l = new ListValue(4);
        for (int i = 0; i < 4; i++) l.push(false, b("" + i));
        assertThat(l.insert(false, b("1"), b("x"))).isTrue();
        assertThat(all(l)).containsExactly("0", "1", "x", "2", "3");
        assertThat(l.nodeCounts()).containsExactly(2, 3);
    }

    @Test
    void copyIsDeep() {
        ListValue l = new ListValue(-2);
        l.push(false, b("a"));
        l.push(false, b("b"));
        ListValue c = l.copy();
        c.set(0, b("z"));
        c.push(false, b("c"));
        assertThat(all(l)).containsExactly("a", "b");
        assertThat(all(c)).containsExactly("z", "b", "c");
    }

    @Test
    void integerLookalikesRoundTripExactly() {
        ListValue l = new ListValue(-2);
        for (String v : NUMBERISH) l.push(false, b(v));
        assertThat(all(l)).containsExactly(NUMBERISH);
        for (int i = 0; i < NUMBERISH.length; i++) {
            assertThat(l.remove(1, b(NUMBERISH[i]))).as(NUMBERISH[i]).isEqualTo(1);
        }
        assertThat(l.size()).isZero();
    }

    @Test
    void smallIntegersAndShortStringsAreCompact() {
        ListValue l = new ListValue(-2);
        l.push(false, b("7"));         // 1-byte integer + backlen
        l.push(false, b("-4096"));     // 13-bit integer + backlen
        l.push(false, b("v123456"));   // 1-byte header + 7 + backlen
        l.push(false, b("1234567890")); // 32-bit integer: 1 + 4 + backlen
        assertThat(l.node(0).used).isEqualTo(2 + 3 + 9 + 6);
    }

    @Test
    void fullNodesHoldNoSpareRoom() {
        for (boolean left : new boolean[] {false, true}) {
            ListValue l = new ListValue(-2);
            for (int i = 0; i < 100_000; i++) l.push(left, b("v" + i));
            int n = l.nodeCount();
            assertThat(n).isGreaterThan(10);
            int open = left ? 0 : n - 1;
            for (int i = 0; i < n; i++) {
                Pack p = l.node(i);
                assertThat(p.used).isLessThanOrEqualTo(8192);
                if (i != open) assertThat(p.buf.length - p.used).as("node %d", i).isLessThanOrEqualTo(p.used >> 5);
                else assertThat(p.buf.length).isLessThanOrEqualTo(8192);
            }
        }
    }
}
