package io.jkevy.journal;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The byte-bounded ring, against a deque model of "drop oldest while over budget, keep one". */
class BacklogTest {

    static byte[] frame(long offset, int payload) {
        return Frames.encode(offset, new byte[][] {"SET".getBytes(), new byte[payload]});
    }

    @Example
    void newestFrameSurvivesEvenWhenAloneOverBudget() {
        Backlog b = new Backlog(10, 1);
        byte[] big = frame(1, 1000);
        b.add(big);
        assertThat(b.frames()).isEqualTo(1);
        assertThat(b.bytes()).isEqualTo(big.length);
        assertThat(b.firstOffset()).isEqualTo(1);
        assertThat(b.read(1, 10)).containsExactly(big);
        // the next frame, small or big, evicts it: only the newest is protected
        byte[] small = frame(2, 0);
        b.add(small);
        assertThat(b.frames()).isEqualTo(1);
        assertThat(b.firstOffset()).isEqualTo(2);
        assertThat(b.read(2, 10)).containsExactly(small);
        // a zero budget still keeps the newest frame
        b.budget(0);
        assertThat(b.frames()).isEqualTo(1);
    }

    @Example
    void evictsOldestFirstWithinBudget() {
        byte[] f = frame(0, 10);
        Backlog b = new Backlog(f.length * 3L, 0);
        for (int i = 0; i < 5; i++) b.add(frame(i, 10));            // offsets below 10: same size
        assertThat(b.frames()).isEqualTo(3);
        assertThat(b.firstOffset()).isEqualTo(2);
        assertThat(b.bytes()).isEqualTo(f.length * 3L);             // exactly at budget is allowed
        List<byte[]> got = b.read(2, 10);
        assertThat(got).hasSize(3);
        for (int i = 0; i < 3; i++) assertThat(Frames.offsetOf(got.get(i))).isEqualTo(2 + i);
        b.budget(f.length * 3L - 1);                                // one byte less: one more goes
        assertThat(b.frames()).isEqualTo(2);
        assertThat(b.firstOffset()).isEqualTo(3);
        b.budget(Long.MAX_VALUE);                                   // raising never brings back
        assertThat(b.frames()).isEqualTo(2);
    }

    @Example
    void resetStartsEmptyAtTheGivenOffset() {
        Backlog b = new Backlog(1 << 20, 5);
        for (int i = 0; i < 200; i++) b.add(frame(5 + i, 3));
        b.reset(500);
        assertThat(b.frames()).isZero();
        assertThat(b.bytes()).isZero();
        assertThat(b.firstOffset()).isEqualTo(500);
        assertThat(b.read(500, 10)).isEmpty();
        b.add(frame(500, 1));
        assertThat(Frames.offsetOf(b.read(500, 10).get(0))).isEqualTo(500);
    }

    record Op(boolean add, int size) { }

    @Provide
    Arbitrary<List<Op>> backlogOps() {
        // frame payloads from empty to bigger than most budgets; budgets from 0 to roomy
        Arbitrary<Op> add = Arbitraries.integers().between(0, 400).map(n -> new Op(true, n));
        Arbitrary<Op> budget = Arbitraries.integers().between(0, 20_000).map(n -> new Op(false, n));
        Arbitrary<Op> op = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(20, add), net.jqwik.api.Tuple.of(1, budget)).flatMap(a -> a);
        return op.list().ofMaxSize(600);
    }

    /** Many frames so the ring grows past 64 slots, then budget cuts so it shrinks and wraps. */
    @Property(tries = 200)
    void matchesDequeModel(@ForAll("backlogOps") List<Op> ops, @ForAll("startBudgets") long startBudget) {
        long first = 42;
        Backlog b = new Backlog(startBudget, first);
        Deque<byte[]> model = new ArrayDeque<>();
        long modelFirst = first, next = first, bytes = 0, budget = startBudget;
        for (Op op : ops) {
            if (op.add()) {
                byte[] f = frame(next++, op.size());
                b.add(f);
                model.addLast(f);
                bytes += f.length;
            } else {
                budget = op.size();
                b.budget(budget);
            }
            while (bytes > budget && model.size() > 1) {
                bytes -= model.pollFirst().length;
                modelFirst++;
            }
            assertThat(b.frames()).isEqualTo(model.size());
            assertThat(b.bytes()).isEqualTo(bytes);
            assertThat(b.firstOffset()).isEqualTo(modelFirst);
            assertThat(b.budget()).isEqualTo(budget);
            // the newest frame is always retained once anything was added
            if (next > first) assertThat(b.frames()).isGreaterThanOrEqualTo(1);
            List<byte[]> got = b.read(modelFirst, Integer.MAX_VALUE);
            assertThat(got).containsExactlyElementsOf(new ArrayList<>(model));
            // a read from the middle with a limit
            if (model.size() > 2) {
                List<byte[]> mid = b.read(modelFirst + 1, 1);
                assertThat(mid).hasSize(1);
                assertThat(Frames.offsetOf(mid.get(0))).isEqualTo(modelFirst + 1);
            }
            assertThat(b.read(next, 10)).isEmpty();
        }
    }

    @Provide
    Arbitrary<Long> startBudgets() {
        return Arbitraries.of(0L, 100L, 5_000L, 1L << 30);
    }
}
