package io.jkevy.store.type.stream;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StreamValueTest {
    static byte[] p(String... s) {
        byte[][] a = new byte[s.length][];
        for (int i = 0; i < s.length; i++) a[i] = s[i].getBytes();
        return StreamEntry.pack(a, 0, a.length);
    }

    static List<String> ids(StreamValue s) {
        List<String> out = new ArrayList<>();
        s.range(StreamId.MIN, StreamId.MAX, false, (id, packed) -> out.add(id.toString()) || true);
        return out;
    }

    @Test
    void idsCompareUnsigned() {
        StreamId big = new StreamId(-1L, 0);
        assertThat(big.compareTo(new StreamId(Long.MAX_VALUE, 5))).isPositive();
        assertThat(big.toString()).isEqualTo("18446744073709551615-0");
        assertThat(StreamId.MAX.next()).isNull();
        assertThat(StreamId.MIN.prev()).isNull();
        assertThat(new StreamId(1, -1L).next()).isEqualTo(new StreamId(2, 0));
    }

    @Test
    void packRoundTrips() {
        byte[][] f = StreamEntry.unpack(p("a", "", "long".repeat(100), "x"));
        assertThat(f).hasNumberOfRows(4);
        assertThat(new String(f[2])).isEqualTo("long".repeat(100));
        assertThat(f[1]).isEmpty();
    }

    @Test
    void nodesTrimAndCopyIndependence() {
        StreamValue s = new StreamValue();
        for (int i = 1; i <= 10; i++) s.append(new StreamId(i, 0), p("f", "v"), 4, 4096);
        assertThat(s.nodeCount()).isEqualTo(3);
        StreamValue c = s.copy();
        assertThat(s.trim(5, null, true, 0)).isEqualTo(4);     // only whole nodes: 10 → 6
        assertThat(s.length()).isEqualTo(6);
        assertThat(s.trim(5, null, false, 0)).isEqualTo(1);
        assertThat(ids(s)).containsExactly("6-0", "7-0", "8-0", "9-0", "10-0");
        assertThat(c.length()).isEqualTo(10);
        assertThat(s.delete(new StreamId(6, 0))).isTrue();
        assertThat(s.delete(new StreamId(6, 0))).isFalse();
        assertThat(s.maxDeletedId()).isEqualTo(new StreamId(6, 0));
        assertThat(s.firstId()).isEqualTo(new StreamId(7, 0));
        assertThat(s.entriesAdded()).isEqualTo(10);
        assertThat(s.trim(0, new StreamId(9, 0), false, 0)).isEqualTo(2);
        assertThat(ids(s)).containsExactly("9-0", "10-0");
        assertThat(ids(c)).hasSize(10);
    }
}
