package io.jkevy.journal;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Journal: dense offsets, SELECT placement, atomic groups, read outcomes, generations, sinks. */
class JournalTest {

    static final long GEN = 0x1234_5678_9abcL;
    static final long BIG = 1L << 40;

    static byte[][] argv(String... a) { return FramesTest.argv(a); }

    static String text(byte[][] argv) {
        List<String> parts = new ArrayList<>();
        for (byte[] a : argv) parts.add(new String(a, StandardCharsets.ISO_8859_1));
        return String.join(" ", parts);
    }

    /** All retained frames, decoded to "offset:argv" after checking offsets are dense from first. */
    static List<String> frames(Journal j) {
        long first = j.backlogFirstOffset();
        Journal.Read r = j.read(first, Integer.MAX_VALUE);
        assertThat(r).isInstanceOf(Journal.Read.Frames.class);
        Journal.Read.Frames fr = (Journal.Read.Frames) r;
        assertThat(fr.next()).isEqualTo(j.nextOffset());
        List<String> out = new ArrayList<>();
        long expect = first;
        for (byte[] f : fr.frames()) {
            assertThat(Frames.offsetOf(f)).as("dense offsets").isEqualTo(expect++);
            out.add(text(Frames.decodeArgv(f)));
        }
        return out;
    }

    @Example
    void firstAppendSelectsTheDatabaseThenOffsetsAreDense() {
        Journal j = new Journal(GEN, 1, BIG);
        assertThat(j.append(0, argv("SET", "a", "1"))).isEqualTo(2);      // SELECT 0 took 1
        assertThat(j.append(0, argv("SET", "b", "2"))).isEqualTo(3);      // same db: no SELECT
        assertThat(j.append(3, argv("DEL", "c"))).isEqualTo(5);           // SELECT 3 took 4
        assertThat(j.append(3, argv("DEL", "d"))).isEqualTo(6);
        assertThat(j.append(0, argv("DEL", "e"))).isEqualTo(8);
        assertThat(j.nextOffset()).isEqualTo(9);
        assertThat(frames(j)).containsExactly(
                "SELECT 0", "SET a 1", "SET b 2", "SELECT 3", "DEL c", "DEL d", "SELECT 0", "DEL e");
        assertThat(j.generation()).isEqualTo(GEN);
    }

    @Example
    void selectUsesDecimalDatabaseNumbers() {
        Journal j = new Journal(GEN, 0, BIG);
        j.append(15, argv("X"));
        assertThat(frames(j).get(0)).isEqualTo("SELECT 15");
    }

    @Example
    void atomicGroups() {
        Journal j = new Journal(GEN, 100, BIG);
        // a single effect is not wrapped
        assertThat(j.appendAtomic(new int[] {2}, List.<byte[][]>of(argv("INCR", "x")))).isEqualTo(101);
        // several effects in the current db: MULTI, effects, EXEC; the EXEC offset is returned
        assertThat(j.appendAtomic(new int[] {2, 2}, List.<byte[][]>of(argv("SET", "a", "1"), argv("SET", "b", "2")))).isEqualTo(105);
        // first effect in another db: SELECT before MULTI; a db change inside the group selects inside
        assertThat(j.appendAtomic(new int[] {4, 4, 1}, List.<byte[][]>of(argv("DEL", "p"), argv("DEL", "q"), argv("DEL", "r"))))
                .isEqualTo(112);                                    // 106 SELECT .. 112 EXEC
        // after the group the last db is 1
        j.append(1, argv("DEL", "s"));
        assertThat(frames(j)).containsExactly(
                "SELECT 2", "INCR x",
                "MULTI", "SET a 1", "SET b 2", "EXEC",
                "SELECT 4", "MULTI", "DEL p", "DEL q", "SELECT 1", "DEL r", "EXEC",
                "DEL s");
    }

    enum Kind { APPEND, ATOMIC, NEW_GENERATION }

    record Op(Kind kind, int[] dbs) { }

    @Provide
    Arbitrary<List<Op>> journalOps() {
        Arbitrary<Kind> kind = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(10, Kind.APPEND), net.jqwik.api.Tuple.of(5, Kind.ATOMIC),
                net.jqwik.api.Tuple.of(1, Kind.NEW_GENERATION));
        // three databases: changes are frequent but repeats happen too
        Arbitrary<int[]> dbs = Arbitraries.integers().between(0, 2).array(int[].class).ofMinSize(1).ofMaxSize(5);
        return Combinators.combine(kind, dbs).as(Op::new).list().ofMaxSize(60);
    }

    /**
     * Against a model of the frame sequence: SELECT exactly when the database differs from the
     * previous frame's (and first thing in a generation), groups of two or more effects between
     * MULTI and EXEC, and the returned offsets point at the effect or the EXEC.
     */
    @Property(tries = 300)
    void frameSequenceMatchesModel(@ForAll("journalOps") List<Op> ops) {
        Journal j = new Journal(GEN, 1, BIG);
        List<String> model = new ArrayList<>();
        List<Long> sinkOffsets = new ArrayList<>();
        List<byte[]> sinkFrames = new ArrayList<>();
        j.addSink((off, f) -> {
            sinkOffsets.add(off);
            sinkFrames.add(f);
        });
        int lastDb = -1;
        long gen = GEN;
        int effect = 0;
        for (Op op : ops) {
            switch (op.kind()) {
                case APPEND -> {
                    int db = op.dbs()[0];
                    if (db != lastDb) model.add("SELECT " + db);
                    lastDb = db;
                    String e = "E " + effect++;
                    model.add(e);
                    long off = j.append(db, argv(e.split(" ")));
                    assertThat(off).isEqualTo(j.nextOffset() - 1);
                }
                case ATOMIC -> {
                    List<byte[][]> effects = new ArrayList<>();
                    int[] dbs = op.dbs();
                    boolean group = dbs.length > 1;
                    for (int i = 0; i < dbs.length; i++) {
                        if (i == 0 && group) {
                            if (dbs[0] != lastDb) model.add("SELECT " + dbs[0]);
                            lastDb = dbs[0];
                            model.add("MULTI");
                        }
                        if (dbs[i] != lastDb) model.add("SELECT " + dbs[i]);
                        lastDb = dbs[i];
                        String e = "E " + effect++;
                        model.add(e);
                        effects.add(argv(e.split(" ")));
                    }
                    if (group) model.add("EXEC");
                    long off = j.appendAtomic(dbs, effects);
                    assertThat(off).isEqualTo(j.nextOffset() - 1);
                }
                case NEW_GENERATION -> {
                    gen++;
                    j.newGeneration(gen);
                    lastDb = -1;
                    model.clear();
                }
            }
            assertThat(frames(j)).isEqualTo(model);
            assertThat(j.generation()).isEqualTo(gen);
        }
        // sinks saw every frame of every generation, in order, with the offset each carries
        for (int i = 0; i < sinkOffsets.size(); i++) {
            assertThat(Frames.offsetOf(sinkFrames.get(i))).isEqualTo(sinkOffsets.get(i));
            if (i > 0) assertThat(sinkOffsets.get(i)).isEqualTo(sinkOffsets.get(i - 1) + 1);
        }
        assertThat((long) sinkOffsets.size()).isEqualTo(j.nextOffset() - 1);
    }

    @Example
    void readOutcomesAtTheBoundaries() {
        Journal j = new Journal(GEN, 10, BIG);
        // empty journal: caught up at next, future beyond, too old before
        assertThat(j.read(10, 5)).isEqualTo(new Journal.Read.Frames(GEN, 10, List.of()));
        assertThat(j.read(11, 5)).isEqualTo(new Journal.Read.Future(GEN, 10));
        assertThat(j.read(9, 5)).isEqualTo(new Journal.Read.TooOld(GEN, 10));

        for (int i = 0; i < 5; i++) j.append(0, argv("SET", "k" + i, "v"));  // offsets 10..15
        assertThat(j.nextOffset()).isEqualTo(16);
        Journal.Read.Frames all = (Journal.Read.Frames) j.read(10, 100);
        assertThat(all.frames()).hasSize(6);
        assertThat(all.next()).isEqualTo(16);
        Journal.Read.Frames two = (Journal.Read.Frames) j.read(12, 2);       // max respected
        assertThat(two.frames()).hasSize(2);
        assertThat(two.next()).isEqualTo(14);
        assertThat(Frames.offsetOf(two.frames().get(0))).isEqualTo(12);
        Journal.Read.Frames last = (Journal.Read.Frames) j.read(15, 100);
        assertThat(last.frames()).hasSize(1);
        assertThat(j.read(16, 100)).isEqualTo(new Journal.Read.Frames(GEN, 16, List.of()));
        assertThat(j.read(17, 100)).isEqualTo(new Journal.Read.Future(GEN, 16));
        assertThat(j.read(Long.MAX_VALUE, 100)).isInstanceOf(Journal.Read.Future.class);
        assertThat(j.read(9, 100)).isEqualTo(new Journal.Read.TooOld(GEN, 10));
        assertThat(((Journal.Read.Frames) j.read(10, 0)).frames()).isEmpty();
    }

    @Example
    void evictionMakesOldOffsetsTooOld() {
        Journal j = new Journal(GEN, 1, BIG);
        for (int i = 0; i < 100; i++) j.append(0, argv("SET", "key" + i, "value"));
        long frame = Frames.size(50, argv("SET", "key50", "value"));
        j.backlogBudget(frame * 10);
        long first = j.backlogFirstOffset();
        assertThat(first).isGreaterThan(1);
        assertThat(j.backlogBytes()).isLessThanOrEqualTo(frame * 10);
        assertThat(j.read(first - 1, 10)).isEqualTo(new Journal.Read.TooOld(GEN, first));
        assertThat(j.read(first, 1000)).isInstanceOf(Journal.Read.Frames.class);
        assertThat(frames(j)).isNotEmpty();
    }

    @Example
    void newGenerationResetsTheBacklogAndSelectsAgain() {
        Journal j = new Journal(GEN, 1, BIG);
        j.append(5, argv("SET", "a", "1"));                           // 1 SELECT, 2 SET
        j.newGeneration(GEN + 1);                                     // offsets continue
        assertThat(j.generation()).isEqualTo(GEN + 1);
        assertThat(j.nextOffset()).isEqualTo(3);
        assertThat(j.backlogBytes()).isZero();
        assertThat(j.backlogFirstOffset()).isEqualTo(3);
        assertThat(j.read(3, 10)).isEqualTo(new Journal.Read.Frames(GEN + 1, 3, List.of()));
        assertThat(j.read(1, 10)).isEqualTo(new Journal.Read.TooOld(GEN + 1, 3));
        // same database as before the reset, but a new history must say which one it is
        j.append(5, argv("SET", "b", "2"));
        assertThat(frames(j)).containsExactly("SELECT 5", "SET b 2");

        j.newGeneration(GEN + 2, 1000);                               // explicit restart offset
        assertThat(j.nextOffset()).isEqualTo(1000);
        assertThat(j.read(5, 1)).isEqualTo(new Journal.Read.TooOld(GEN + 2, 1000));
        assertThat(j.append(5, argv("X"))).isEqualTo(1001);
        assertThat(frames(j)).containsExactly("SELECT 5", "X");

        assertThatThrownBy(() -> j.newGeneration(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> j.newGeneration(-5, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Journal(0, 1, BIG)).isInstanceOf(IllegalArgumentException.class);
        assertThat(j.generation()).isEqualTo(GEN + 2);
    }

    @Example
    void sinksSeeEveryFrameInOrderUntilRemoved() {
        Journal j = new Journal(GEN, 1, BIG);
        List<Long> a = new ArrayList<>();
        List<byte[]> af = new ArrayList<>();
        List<Long> b = new ArrayList<>();
        JournalSink sa = (off, f) -> {
            a.add(off);
            af.add(f);
        };
        JournalSink sb = (off, f) -> b.add(off);
        j.addSink(sa);
        j.addSink(sb);
        j.append(0, argv("SET", "x", "1"));
        j.appendAtomic(new int[] {1, 1}, List.<byte[][]>of(argv("DEL", "y"), argv("DEL", "z")));
        assertThat(a).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(b).isEqualTo(a);
        // the sink gets the very bytes the backlog keeps
        Journal.Read.Frames all = (Journal.Read.Frames) j.read(1, 100);
        for (int i = 0; i < af.size(); i++) assertThat(af.get(i)).isEqualTo(all.frames().get(i));
        j.removeSink(sb);
        j.append(1, argv("DEL", "w"));
        assertThat(a).endsWith(8L);
        assertThat(b).hasSize(7);
    }
}
