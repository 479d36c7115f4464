package io.jkevy.store.type.zset;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The open-addressing member→score map against a HashMap, through growth, shrinking and deletes. */
class ScoreMapModelTest {
    @Test
    void randomOperationsAgainstHashMap() {
        for (int seed = 0; seed < 8; seed++) {
            Random r = new Random(seed);
            ScoreMap m = new ScoreMap(seed % 2 == 0 ? 0 : 1000);
            Map<String, Double> model = new HashMap<>();
            int space = seed < 4 ? 50 : 5000;
            for (int op = 0; op < 40_000; op++) {
                // grow for a while, then mostly delete so the table halves again
                boolean growing = (op / 10_000) % 2 == 0;
                String k = "k" + r.nextInt(space);
                byte[] b = k.getBytes(StandardCharsets.US_ASCII);
                int x = r.nextInt(10);
                if (x < (growing ? 6 : 2)) {
                    int slot = m.find(b);
                    assertThat(slot >= 0).isEqualTo(model.containsKey(k));
                    double v = r.nextInt(1000);
                    if (slot >= 0) {
                        assertThat(m.keyAt(slot)).isEqualTo(b);
                        m.setVal(slot, v);
                    } else {
                        m.add(b, v);
                    }
                    model.put(k, v);
                } else if (x < 8) {
                    Double want = model.remove(k);
                    double got = m.remove(b);
                    if (want == null) assertThat(got).isNaN();
                    else assertThat(got).isEqualTo(want);
                } else {
                    Double want = model.get(k);
                    if (want == null) assertThat(m.get(b)).isNaN();
                    else assertThat(m.get(b)).isEqualTo(want);
                }
                assertThat(m.size()).isEqualTo(model.size());
            }
            for (Map.Entry<String, Double> e : model.entrySet()) {
                assertThat(m.get(e.getKey().getBytes(StandardCharsets.US_ASCII))).isEqualTo(e.getValue());
            }
            ScoreMap c = m.copy();
            c.add(new byte[] {1, 2, 3}, 1);
            assertThat(m.get(new byte[] {1, 2, 3})).isNaN(); // the copy is independent
            assertThat(c.size()).isEqualTo(m.size() + 1);
        }
    }
}
