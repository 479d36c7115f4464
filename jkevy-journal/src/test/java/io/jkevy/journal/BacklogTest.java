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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    // ---- through the Journal: read outcomes, generations, promotion ---------------------------

    static final long G1 = 0x1111_2222_3333L, G2 = 0x4444_5555_6666L, G3 = 0x7777_8888_9999L;

    /** Appends a frame of {@code payload} bytes at the journal's next offset; returns it. */
    static byte[] put(Journal j, int payload) {
        long off = j.nextOffset();
        byte[][] argv = {"SET".getBytes(), new byte[payload]};
        byte[] f = Frames.encode(off, argv);
        j.appendFrame(off, f, argv);
        return f;
    }

    @Example
    void journalKeepsTheBacklogWithinItsByteBudget() {
        byte[] probe = frame(100, 50);
        Journal j = new Journal(G1, 100, probe.length * 4L);
        for (int i = 0; i < 20; i++) put(j, 50);                   // offsets 100..119, all the same size
        assertThat(j.backlogBytes()).isEqualTo(probe.length * 4L);
        assertThat(j.backlogFirstOffset()).isEqualTo(116);
        assertThat(j.read(115, 10)).isEqualTo(new Journal.Read.TooOld(G1, 116));
        assertThat(j.read(100, 10)).isEqualTo(new Journal.Read.TooOld(G1, 116));
        Journal.Read.Frames r = (Journal.Read.Frames) j.read(116, 10);
        assertThat(r.frames()).hasSize(4);
        assertThat(r.next()).isEqualTo(120);
        assertThat(j.read(120, 10)).isEqualTo(new Journal.Read.Frames(G1, 120, List.of()));
        assertThat(j.read(121, 10)).isEqualTo(new Journal.Read.Future(G1, 120));

        // the newest frame stays even when it alone is over the budget
        byte[] huge = put(j, 10_000);
        assertThat(j.backlogFirstOffset()).isEqualTo(120);
        assertThat(j.backlogBytes()).isEqualTo(huge.length);
        assertThat(((Journal.Read.Frames) j.read(120, 10)).frames()).containsExactly(huge);
        assertThat(j.read(119, 10)).isEqualTo(new Journal.Read.TooOld(G1, 120));

        // a budget cut trims at once, a zero budget keeps the newest frame
        for (int i = 0; i < 3; i++) put(j, 50);                    // 121..123; the huge one went
        assertThat(j.backlogFirstOffset()).isEqualTo(121);
        j.backlogBudget(probe.length * 2L);
        assertThat(j.backlogFirstOffset()).isEqualTo(122);
        assertThat(j.backlogBytes()).isEqualTo(probe.length * 2L);
        j.backlogBudget(0);
        assertThat(j.backlogFirstOffset()).isEqualTo(123);
        assertThat(j.read(123, 10)).isInstanceOf(Journal.Read.Frames.class);
        assertThat(j.read(122, 10)).isEqualTo(new Journal.Read.TooOld(G1, 123));
    }

    @Example
    void newGenerationEmptiesTheBacklogAndForgetsEveryEarlierHistory() {
        Journal j = new Journal(G1, 0, 1 << 20);
        for (int i = 0; i < 5; i++) put(j, 3);
        j.continueAs(G2);                                          // G1 ended at 5
        assertThat(j.covers(G1, 5)).isTrue();
        j.newGeneration(G3, 0);                                    // FLUSHALL: offsets restart
        assertThat(j.generation()).isEqualTo(G3);
        assertThat(j.nextOffset()).isZero();
        assertThat(j.backlogBytes()).isZero();
        assertThat(j.backlogFirstOffset()).isZero();
        assertThat(j.read(0, 10)).isEqualTo(new Journal.Read.Frames(G3, 0, List.of()));
        assertThat(j.read(1, 10)).isEqualTo(new Journal.Read.Future(G3, 0));
        assertThat(j.previousGeneration()).isZero();
        assertThat(j.previousEnd()).isEqualTo(-1);
        assertThat(j.covers(G1, 0)).isFalse();
        assertThat(j.covers(G2, 0)).isFalse();
        assertThat(j.covers(G3, 0)).isTrue();
        assertThat(j.covers(G3, 1)).isFalse();
        assertThat(j.covers(0, 0)).isFalse();
    }

    @Example
    void continueAsKeepsBacklogAndOffsetsAndRemembersWhereTheOldHistoryEnded() {
        Journal j = new Journal(G1, 10, 1 << 20);
        List<byte[]> before = new ArrayList<>();
        for (int i = 0; i < 6; i++) before.add(put(j, 4));        // 10..15
        long bytes = j.backlogBytes();
        j.continueAs(G2);
        assertThat(j.generation()).isEqualTo(G2);
        assertThat(j.nextOffset()).isEqualTo(16);
        assertThat(j.backlogBytes()).isEqualTo(bytes);
        assertThat(j.backlogFirstOffset()).isEqualTo(10);
        assertThat(j.previousGeneration()).isEqualTo(G1);
        assertThat(j.previousEnd()).isEqualTo(16);
        Journal.Read.Frames r = (Journal.Read.Frames) j.read(10, 100);
        assertThat(r.generation()).isEqualTo(G2);
        assertThat(r.frames()).containsExactlyElementsOf(before);

        // the old generation: every offset up to where it ended, none past it
        assertThat(j.covers(G1, 10)).isTrue();
        assertThat(j.covers(G1, 0)).isTrue();                      // covers() is about history; eviction is read()'s business
        assertThat(j.covers(G1, 16)).isTrue();
        assertThat(j.covers(G1, 17)).isFalse();
        put(j, 4);                                                 // 16 is G2's first frame
        assertThat(j.covers(G1, 16)).isTrue();
        assertThat(j.covers(G1, 17)).isFalse();
        assertThat(j.covers(G2, 17)).isTrue();
        assertThat(j.covers(G2, 18)).isFalse();
        assertThat(j.covers(G3, 0)).isFalse();                     // unknown generation
        assertThat(j.covers(0, 0)).isFalse();                      // "no data" is never covered

        // a second promotion remembers only the generation just left
        j.continueAs(G3);
        assertThat(j.covers(G2, 17)).isTrue();
        assertThat(j.covers(G1, 10)).isFalse();
        assertThat(j.read(10, 100)).isInstanceOf(Journal.Read.Frames.class);
        assertThatThrownBy(() -> j.continueAs(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(j.generation()).isEqualTo(G3);
    }

    enum JKind { ADD, BUDGET, NEW_GENERATION, CONTINUE }

    record JOp(JKind kind, int n) { }

    @Provide
    Arbitrary<List<JOp>> journalOps() {
        Arbitrary<JOp> add = Arbitraries.integers().between(0, 300).map(n -> new JOp(JKind.ADD, n));
        Arbitrary<JOp> budget = Arbitraries.integers().between(0, 4_000).map(n -> new JOp(JKind.BUDGET, n));
        Arbitrary<JOp> gen = Arbitraries.integers().between(0, 50).map(n -> new JOp(JKind.NEW_GENERATION, n));
        Arbitrary<JOp> cont = Arbitraries.just(new JOp(JKind.CONTINUE, 0));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(30, add), net.jqwik.api.Tuple.of(3, budget),
                net.jqwik.api.Tuple.of(1, gen), net.jqwik.api.Tuple.of(2, cont)).list().ofMaxSize(150);
    }

    /**
     * Random appends, budget changes, new generations and promotions against a model (a list of
     * frames, the generation, the one remembered before it): every read outcome from just below
     * the first retained offset to past the end, and covers() around both ends.
     */
    @Property(tries = 300)
    void journalMatchesAListModel(@ForAll("journalOps") List<JOp> ops, @ForAll("startBudgets") long startBudget) {
        long gen = G1, next = 7, prevGen = 0, prevEnd = -1, budget = startBudget, drawn = G1;
        Journal j = new Journal(gen, next, budget);
        List<byte[]> model = new ArrayList<>();                    // retained frames, oldest first
        long first = next;
        for (JOp op : ops) {
            switch (op.kind()) {
                case ADD -> {
                    model.add(put(j, op.n()));
                    next++;
                }
                case BUDGET -> {
                    budget = op.n();
                    j.backlogBudget(budget);
                }
                case NEW_GENERATION -> {
                    gen = ++drawn;
                    next = op.n() == 0 ? next : op.n();
                    j.newGeneration(gen, next);
                    model.clear();
                    first = next;
                    prevGen = 0;
                    prevEnd = -1;
                }
                case CONTINUE -> {
                    prevGen = gen;
                    prevEnd = next;
                    gen = ++drawn;
                    j.continueAs(gen);
                }
            }
            long bytes = 0;
            for (byte[] f : model) bytes += f.length;
            while (bytes > budget && model.size() > 1) {
                bytes -= model.remove(0).length;
                first++;
            }
            assertThat(j.generation()).isEqualTo(gen);
            assertThat(j.nextOffset()).isEqualTo(next);
            assertThat(j.backlogFirstOffset()).isEqualTo(first);
            assertThat(j.backlogBytes()).isEqualTo(bytes);
            assertThat(bytes <= budget || model.size() == 1).as("within budget or only the newest frame").isTrue();
            assertThat(first + model.size()).isEqualTo(next);
            for (long from = first - 2; from <= next + 2; from++) {
                Journal.Read r = j.read(from, 3);
                if (from > next) {
                    assertThat(r).isEqualTo(new Journal.Read.Future(gen, next));
                } else if (from < first) {
                    assertThat(r).isEqualTo(new Journal.Read.TooOld(gen, first));
                } else {
                    int k = (int) (from - first);
                    List<byte[]> want = model.subList(k, Math.min(model.size(), k + 3));
                    assertThat(r).isInstanceOf(Journal.Read.Frames.class);
                    Journal.Read.Frames fr = (Journal.Read.Frames) r;
                    assertThat(fr.generation()).isEqualTo(gen);
                    assertThat(fr.next()).isEqualTo(from + want.size());
                    assertThat(fr.frames()).containsExactlyElementsOf(want);
                }
            }
            for (long off : new long[] {0, first, next - 1, next, next + 1, prevEnd - 1, prevEnd, prevEnd + 1}) {
                boolean want = off <= next;
                assertThat(j.covers(gen, off)).as("current generation at %d", off).isEqualTo(want);
                boolean wantPrev = prevGen != 0 && off <= prevEnd;
                assertThat(j.covers(prevGen, off)).as("previous generation at %d", off).isEqualTo(wantPrev);
                assertThat(j.covers(drawn + 1, off)).as("unknown generation").isFalse();
                assertThat(j.covers(0, off)).as("generation 0").isFalse();
            }
        }
    }

    @org.junit.jupiter.api.Test
    void framesLiveInSharedBlocksThatGoWhenNoRetainedFramePointsIntoThem() {
        Backlog b = new Backlog(100_000, 0);
        java.util.Random r = new java.util.Random(7);
        java.util.List<byte[]> all = new java.util.ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            byte[] f = Frames.encode(i, new byte[][] {"SET".getBytes(), ("k" + i).getBytes(), new byte[r.nextInt(200)]});
            all.add(f);
            b.add(f);
            // the blocks hold the budget's worth of frames plus at most two partly used blocks
            assertThat(b.blockBytes()).isLessThanOrEqualTo(100_000 + 2L * Backlog.BLOCK);
        }
        long first = b.firstOffset();
        java.util.List<byte[]> viaSink = new java.util.ArrayList<>();
        int n = b.readInto(first, Integer.MAX_VALUE, Long.MAX_VALUE,
                (block, off, len) -> viaSink.add(java.util.Arrays.copyOfRange(block, off, off + len)));
        assertThat(n).isEqualTo(b.frames()).isEqualTo((int) (20_000 - first));
        for (int i = 0; i < n; i++) assertThat(viaSink.get(i)).isEqualTo(all.get((int) first + i));
        // a byte limit stops after the frame that reaches it, never before the first
        int[] count = {0};
        assertThat(b.readInto(first, 100, 1, (block, off, len) -> count[0]++)).isEqualTo(1);
        // a frame larger than a block gets one of its own and is read back whole
        byte[] huge = Frames.encode(20_000, new byte[][] {"SET".getBytes(), "h".getBytes(), new byte[Backlog.BLOCK + 10]});
        b.add(huge);
        assertThat(b.read(20_000, 1).get(0)).isEqualTo(huge);
    }

    @org.junit.jupiter.api.Test
    void manyBlocksRingAroundAndGrowWithoutMixingFramesUp() {
        // a budget of ~40 blocks, frames pushed through it several times over, the budget raised
        // mid-way (the block ring grows) and lowered again: every read gives exactly the frames
        Backlog b = new Backlog(10L << 20, 0);
        java.util.Random r = new java.util.Random(11);
        java.util.ArrayDeque<byte[]> model = new java.util.ArrayDeque<>();
        long next = 0;
        for (int i = 0; i < 120_000; i++) {
            if (i == 40_000) b.budget(40L << 20);
            if (i == 90_000) b.budget(3L << 20);
            byte[] f = Frames.encode(next++, new byte[][] {"SET".getBytes(), ("k" + i).getBytes(), new byte[r.nextInt(600)]});
            b.add(f);
            model.addLast(f);
            while (model.size() > b.frames()) model.removeFirst();
            if (i % 9_973 == 0 || i == 119_999) {
                java.util.List<byte[]> got = b.read(b.firstOffset(), Integer.MAX_VALUE);
                assertThat(got).hasSize(model.size());
                java.util.Iterator<byte[]> it = model.iterator();
                for (byte[] g : got) assertThat(g).isEqualTo(it.next());
                assertThat(b.blockBytes()).isLessThanOrEqualTo(b.budget() + 2L * Backlog.BLOCK);
            }
        }
    }
}
