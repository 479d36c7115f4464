package io.jkevy.journal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The single ordered record of applied writes. Callers append while holding the stripe
 * locks of the keys the write touched; this object's own monitor orders appends from
 * different stripes, so two writes to a common key appear in the order they were applied
 * (invariant 2) and offsets are dense.
 *
 * <p>A position is {@code (generation, offset)}: a generation is a random positive 63-bit
 * identity drawn by the caller (never a counter), and {@link #newGeneration(long)} starts a
 * new history (FLUSHALL, promotion, restore, unclean restart).
 */
public final class Journal {
    private long generation;
    private long nextOffset;
    private int lastDb = -1;
    private static final byte[] SELECT = {'S', 'E', 'L', 'E', 'C', 'T'};
    private final Backlog backlog;
    private final List<JournalSink> sinks = new CopyOnWriteArrayList<>();

    public Journal(long generation, long nextOffset, long backlogBytes) {
        if (generation <= 0) throw new IllegalArgumentException("generation must be positive");
        this.generation = generation;
        this.nextOffset = nextOffset;
        this.backlog = new Backlog(backlogBytes, nextOffset);
    }

    public synchronized long generation() { return generation; }

    /** A position: a generation and the next offset in it, read together. */
    public record Position(long generation, long next) { }

    /** This journal's current position, consistent (one lock). */
    public synchronized Position position() { return new Position(generation, nextOffset); }

    public synchronized long nextOffset() { return nextOffset; }

    public void addSink(JournalSink s) { sinks.add(s); }

    public void removeSink(JournalSink s) { sinks.remove(s); }

    /**
     * Appends one effect made in database {@code db}; returns its offset. A {@code SELECT db}
     * frame goes first when the previous frame was written in another database, so a
     * consumer that applies frames in order always knows the database.
     */
    public synchronized long append(int db, byte[][] effect) {
        if (db != lastDb) {
            raw(new byte[][] {SELECT, Long.toString(db).getBytes(java.nio.charset.StandardCharsets.US_ASCII)});
            lastDb = db;
        }
        return raw(effect);
    }

    private long raw(byte[][] effect) {
        long off = nextOffset++;
        byte[] frame = Frames.encode(off, effect);
        backlog.add(frame);
        for (JournalSink s : sinks) s.appended(off, frame);
        return off;
    }

    /**
     * Appends a frame that already has its offset — one read back from disk at boot, or
     * received from an upstream primary — so this journal continues that history exactly.
     * {@code offset} must be the next offset; a {@code SELECT} frame sets the current database.
     */
    public synchronized void appendFrame(long offset, byte[] frame, byte[][] argv) {
        if (offset != nextOffset) {
            throw new IllegalStateException("frame offset " + offset + " where " + nextOffset + " was expected");
        }
        nextOffset++;
        if (argv.length == 2 && java.util.Arrays.equals(argv[0], SELECT)) {
            lastDb = Integer.parseInt(new String(argv[1], java.nio.charset.StandardCharsets.US_ASCII));
        }
        backlog.add(frame);
        for (JournalSink s : sinks) s.appended(offset, frame);
    }

    /**
     * Appends effects as one atomic unit: a single effect alone, several between a MULTI and
     * an EXEC frame. Returns the offset of the last frame (the unit's commit point).
     */
    public synchronized long appendAtomic(int[] dbs, List<byte[][]> effects) {
        int n = effects.size();
        if (n == 1) return append(dbs[0], effects.get(0));
        if (dbs[0] != lastDb) append(dbs[0], Frames.MULTI); else raw(Frames.MULTI);
        for (int i = 0; i < n; i++) append(dbs[i], effects.get(i));
        return raw(Frames.EXEC);
    }

    /** Starts a new history at offset {@code nextOffset}, emptying the backlog. */
    public synchronized void newGeneration(long gen, long next) {
        if (gen <= 0) throw new IllegalArgumentException("generation must be positive");
        generation = gen;
        nextOffset = next;
        lastDb = -1;
        previousGeneration = 0;
        previousEnd = -1;
        backlog.reset(next);
        for (JournalSink s : sinks) s.generationStarted(gen, next);
    }

    public synchronized void newGeneration(long gen) { newGeneration(gen, nextOffset); }

    /**
     * Makes the next append start with a {@code SELECT} frame: a reader that begins at this
     * offset (a snapshot's cut) then learns the database before the first write.
     */
    public synchronized void forceSelect() { lastDb = -1; }

    /** Sets the database the history is in (a snapshot's cut said so); -1 = unknown. */
    public synchronized void assumeDb(int db) { lastDb = db; }

    /** The database the last frame was written in (-1 when not known yet). */
    public synchronized int currentDb() { return lastDb; }

    private long previousGeneration;
    private long previousEnd = -1;

    /**
     * Promotion to primary: a new generation whose offsets continue this one's, backlog kept
     * (spec/replication.md, "Generations across failover"). The generation left behind and
     * the offset where it ended are remembered, so a replica that followed it can resume.
     */
    public synchronized void continueAs(long gen) {
        if (gen <= 0) throw new IllegalArgumentException("generation must be positive");
        previousGeneration = generation;
        previousEnd = nextOffset;
        generation = gen;
        for (JournalSink s : sinks) s.generationStarted(gen, nextOffset);
    }

    /**
     * Whether {@code (gen, from)} is a position of this journal's history: the current
     * generation at or below the next offset, or the generation before a promotion at or
     * below the offset where it ended.
     */
    public synchronized boolean covers(long gen, long from) {
        if (gen == generation) return from <= nextOffset;
        return gen != 0 && gen == previousGeneration && from <= previousEnd;
    }

    /** The generation before the last promotion (0 when none) and where it ended. */
    public synchronized long previousGeneration() { return previousGeneration; }

    public synchronized long previousEnd() { return previousEnd; }

    public synchronized long backlogBytes() { return backlog.bytes(); }

    public synchronized long backlogFirstOffset() { return backlog.firstOffset(); }

    public synchronized void backlogBudget(long bytes) { backlog.budget(bytes); }

    /** The outcome of reading the backlog from an offset. */
    public sealed interface Read {
        /** Frames starting at the requested offset (empty when caught up). */
        record Frames(long generation, long next, List<byte[]> frames) implements Read { }
        /** The offset fell out of the backlog: the reader needs a snapshot. */
        record TooOld(long generation, long firstRetained) implements Read { }
        /** The offset is past the end of this history. */
        record Future(long generation, long next) implements Read { }
    }

    /**
     * Like {@link #read}, handing the frames to {@code sink} as ranges of the backlog's blocks
     * instead of copies (a replica link copies them straight into its socket buffer), at most
     * {@code maxFrames} and about {@code maxBytes}. The answer for frames is {@link Read.Frames}
     * with an empty list and {@code next} after the last frame given.
     */
    public synchronized Read readInto(long from, int maxFrames, long maxBytes, Backlog.FrameSink sink) {
        Read out = outOfRange(from);
        if (out != null) return out;
        int n = backlog.readInto(from, maxFrames, maxBytes, sink);
        return new Read.Frames(generation, from + n, List.of());
    }

    /** Future or TooOld when {@code from} is not in the backlog's range, else null; the caller holds the lock. */
    private Read outOfRange(long from) {
        if (from > nextOffset) return new Read.Future(generation, nextOffset);
        if (from < backlog.firstOffset()) return new Read.TooOld(generation, backlog.firstOffset());
        return null;
    }

    public synchronized Read read(long from, int max) {
        Read out = outOfRange(from);
        if (out != null) return out;
        List<byte[]> fs = backlog.read(from, max);
        return new Read.Frames(generation, from + fs.size(), fs);
    }
}
