package io.jkevy.engine.persist;

import io.jkevy.engine.Engine;
import io.jkevy.engine.Session;
import io.jkevy.journal.Journal;
import io.jkevy.journal.disk.FsyncPolicy;
import io.jkevy.journal.disk.SegmentReader;
import io.jkevy.journal.disk.SegmentWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The journal on disk for one engine: recovery at boot (replaying the segments through
 * {@link Engine#applyFrame}, so offsets, generations and key versions continue exactly),
 * then a {@link SegmentWriter} attached to the journal for everything after.
 *
 * <p>Generations (ARCHITECTURE invariant 4): a clean shutdown writes a marker holding the
 * position it stopped at; a boot that finds the marker matching the segments' end keeps the
 * generation, any other boot (a crash) starts a new one after the recovered history.
 */
public final class Durability implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Durability.class);
    static final String CLEAN_MARKER = "clean-shutdown";

    private final Engine engine;
    private final Path dir;
    private final SegmentWriter writer;
    private final boolean keptGeneration;

    private Durability(Engine engine, Path dir, SegmentWriter writer, boolean kept) {
        this.engine = engine;
        this.dir = dir;
        this.writer = writer;
        this.keptGeneration = kept;
    }

    /** Options of {@link #open}. */
    public record Options(FsyncPolicy fsync, boolean truncateTornTail, boolean truncateCorrupt, long segmentBytes) {
        public static Options defaults() { return new Options(FsyncPolicy.EVERYSEC, true, false, 64L << 20); }
    }

    /**
     * Recovers the engine's keyspace from {@code dir} and starts journaling to it. The engine
     * must be fresh (nothing applied yet). Throws {@link io.jkevy.journal.disk.JournalCorruptException}
     * when the files are corrupt and the options do not allow cutting them.
     */
    public static Durability open(Engine engine, Path dir, Options o) throws IOException {
        Files.createDirectories(dir);
        Journal j = engine.journal();
        Path marker = dir.resolve(CLEAN_MARKER);
        long[] clean = readMarker(marker);
        Files.deleteIfExists(marker);
        SegmentWriter.forceDirectory(dir);

        List<Path> segs = SegmentReader.segments(dir);
        long total = 0;
        for (Path p : segs) total += Files.size(p);
        Session s = engine.internalSession();
        engine.keyspace().pauseExpiry(true);
        long t0 = System.nanoTime();
        List<Path> snaps = SnapshotFile.list(dir);
        SnapshotFile.Loaded snap = null;
        if (!snaps.isEmpty()) {
            Path newest = snaps.get(snaps.size() - 1);
            try {
                snap = SnapshotFile.load(newest, engine.keyspace());
            } finally {
                if (snap == null) engine.keyspace().pauseExpiry(false);
            }
            j.newGeneration(snap.generation(), snap.offset());
            if (snap.db() >= 0) {
                // frames after the cut that carry no SELECT of their own (a replica's, numbered
                // by its upstream) belong to the database the journal was in at the cut
                s.db(snap.db());
                j.assumeDb(snap.db());
            }
            log.info("snapshot {} loaded: {} keys ({} bytes) in {} ms", newest.getFileName(), snap.entries(), snap.bytes(),
                    (System.nanoTime() - t0) / 1_000_000);
        }
        final long from = snap == null ? 0 : snap.offset();
        long[] progress = {t0, 0, 0};        // last log time, frames, payload bytes
        final long totalBytes = total;
        SegmentReader.Result r;
        // a MULTI ... EXEC group is applied only once its EXEC is read: a group torn by a crash
        // (the journal ends inside it, or a later history starts at its MULTI's offset) is not
        // applied at all, as it was never acknowledged
        final Group group = new Group();
        try {
            r = SegmentReader.read(dir, 0, o.truncateTornTail(), o.truncateCorrupt(), (gen, off, frame) -> {
                // offsets never go back on a node, across generations: what precedes the snapshot is in it
                if (off < from) return;
                byte[][] argv = io.jkevy.journal.Frames.decodeArgv(frame);
                if (group.open() && (gen != group.generation || off != group.start + group.frames.size())) {
                    log.warn("journal: the MULTI group at offset {} of generation {} has no EXEC; it is not applied",
                            group.start, Long.toHexString(group.generation));
                    group.frames.clear();
                }
                if (!group.open()) {
                    if (j.generation() != gen || j.nextOffset() != off) j.newGeneration(gen, off);
                    if (!isWord(argv, "MULTI")) {
                        apply(engine, s, gen, off, frame, argv);
                    } else {
                        group.generation = gen;
                        group.start = off;
                        group.frames.add(new Object[] {frame, argv});
                    }
                } else {
                    group.frames.add(new Object[] {frame, argv});
                    if (isWord(argv, "EXEC")) {
                        long o2 = group.start;
                        for (Object[] f : group.frames) apply(engine, s, gen, o2++, (byte[]) f[0], (byte[][]) f[1]);
                        group.frames.clear();
                    }
                }
                progress[1]++;
                progress[2] += frame.length + 8;
                long now = System.nanoTime();
                if (now - progress[0] >= 1_000_000_000L) {
                    progress[0] = now;
                    double secs = (now - t0) / 1e9;
                    log.info("loading journal: {}% ({} frames, {} keys, {} MB/s)",
                            totalBytes == 0 ? 100 : progress[2] * 100 / totalBytes, progress[1], keys(engine),
                            String.format("%.1f", progress[2] / 1e6 / secs));
                }
            });
        } finally {
            engine.keyspace().pauseExpiry(false);
        }
        if (group.open()) {
            log.warn("journal: it ends inside the MULTI group at offset {}; the group is not applied", group.start);
            r = r.endingAt(group.generation, group.start);
        }
        if (r.truncated() != null) log.warn("journal: cut off {}", r.truncated());
        long endGen = r.empty() || r.nextOffset() < from ? (snap == null ? 0 : snap.generation()) : r.generation();
        long endNext = r.empty() || r.nextOffset() < from ? from : r.nextOffset();
        boolean kept = endGen != 0 && clean != null && clean[0] == endGen && clean[1] == endNext;
        if (endGen != 0) {
            if (j.generation() != endGen || j.nextOffset() != endNext) j.newGeneration(endGen, endNext);
            if (!kept) j.newGeneration(engine.newGeneration(), endNext);
            log.info("journal loaded: {} frames ({} bytes) from {} segments in {} ms; {} keys; generation {} {}",
                    r.frames(), r.bytes(), r.segments(), (System.nanoTime() - t0) / 1_000_000,
                    keys(engine), Long.toHexString(j.generation()),
                    kept ? "kept (clean shutdown)" : "is new (the last stop was not clean)");
        }
        SegmentWriter w = new SegmentWriter(dir, j.generation(), j.nextOffset(), o.fsync(), o.segmentBytes());
        j.addSink(w);
        Durability d = new Durability(engine, dir, w, kept);
        d.recoveredGeneration = endGen;
        d.lastSaveMillis = snap == null ? engine.clock().millis() : Files.getLastModifiedTime(snaps.get(snaps.size() - 1)).toMillis();
        d.rewriteBaseBytes = total;
        engine.durability(d);
        return d;
    }

    /** A MULTI group read from the journal and not applied yet. */
    private static final class Group {
        long generation;
        long start;
        final java.util.ArrayList<Object[]> frames = new java.util.ArrayList<>();

        boolean open() { return !frames.isEmpty(); }
    }

    private static boolean isWord(byte[][] argv, String word) {
        return argv.length == 1 && new String(argv[0], StandardCharsets.US_ASCII).equalsIgnoreCase(word);
    }

    private static void apply(Engine engine, Session s, long gen, long off, byte[] frame, byte[][] argv) throws IOException {
        String err = engine.applyFrame(s, off, frame, argv);
        if (err != null) throw new IOException("journal frame " + off + " of generation " + gen + " failed to apply: " + err);
    }

    // ---- snapshots and compaction ----------------------------------------------------------

    private final Object snapshotLock = new Object();
    private volatile boolean saving;
    private volatile boolean rewriting;
    volatile long lastSaveMillis;
    private volatile boolean lastSaveOk = true;
    private volatile long lastSaveDurationMillis = -1;
    private volatile long saveStartedMillis;
    private volatile long dirtyAtLastSave;
    volatile long rewriteBaseBytes;
    private volatile long writtenAtRewrite;

    public boolean saving() { return saving; }

    public boolean rewriting() { return rewriting; }

    public long lastSaveMillis() { return lastSaveMillis; }

    public boolean lastSaveOk() { return lastSaveOk; }

    public long lastSaveDurationMillis() { return lastSaveDurationMillis; }

    public long saveStartedMillis() { return saveStartedMillis; }

    /** Writes made since the last successful snapshot (rdb_changes_since_last_save). */
    public long changesSinceSave() { return Math.max(0, engine.stats().dirty.sum() - dirtyAtLastSave); }

    /** Journal bytes on disk, as far as this process knows (the rewrite base plus what it wrote since). */
    public long journalBytes() { return rewriteBaseBytes + writer.bytesWritten() - writtenAtRewrite; }

    /**
     * Writes a snapshot of the keyspace exactly as it is at this moment's journal offset, while
     * writes go on (see {@link SnapshotCut}); with {@code compact}, the journal segments before
     * that offset are then deleted (BGREWRITEAOF). Crash-safe at every step: the snapshot is
     * written to a temporary file, forced, renamed and the directory forced before anything is
     * deleted, and the journal from the snapshot's offset stays in a segment of its own.
     *
     * @return the snapshot file
     */
    public Path snapshot(boolean compact) throws IOException {
        if (!busy.compareAndSet(false, true)) throw new IOException("a snapshot is already being written");
        return snapshotClaimed(compact);
    }

    private final java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean();

    private Path snapshotClaimed(boolean compact) throws IOException {
        synchronized (snapshotLock) {
            saving = true;
            rewriting = compact;
            saveStartedMillis = engine.clock().millis();
            long t0 = System.nanoTime();
            long dirtyAtStart = engine.stats().dirty.sum();
            try {
                Path f = writeSnapshot(compact);
                lastSaveOk = true;
                lastSaveMillis = engine.clock().millis();
                dirtyAtLastSave = dirtyAtStart;
                return f;
            } catch (IOException | RuntimeException e) {
                lastSaveOk = false;
                throw e;
            } finally {
                lastSaveDurationMillis = (System.nanoTime() - t0) / 1_000_000;
                saving = false;
                rewriting = false;
                busy.set(false);
            }
        }
    }

    /** BGSAVE / BGREWRITEAOF: {@link #snapshot} on a thread of its own; false when one is already running. */
    public boolean snapshotInBackground(boolean compact) {
        if (!busy.compareAndSet(false, true)) return false;
        saving = true;
        rewriting = compact;
        Thread t = new Thread(() -> {
            try {
                snapshotClaimed(compact);
            } catch (IOException | RuntimeException e) {
                log.error("background {} failed: {}", compact ? "journal rewrite" : "snapshot", e.toString());
            }
        }, "jkevy-snapshot");
        t.setDaemon(true);
        t.start();
        return true;
    }

    /** Waits until no snapshot is being written (close, tests). */
    public void awaitSnapshot() {
        while (busy.get()) {
            synchronized (snapshotLock) {
                // a writer that holds the lock is done once we get it; one not started yet gets a moment
            }
            if (busy.get()) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private Path writeSnapshot(boolean compact) throws IOException {
        Path tmp = dir.resolve("snapshot-in-progress.tmp");
        Written w = write(engine, tmp, (gen, off) -> {
            if (compact) writer.rotate(gen, off);
        });
        Path fin = dir.resolve(SnapshotFile.name(w.offset(), w.generation()));
        Files.move(tmp, fin, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        SegmentWriter.forceDirectory(dir);
        log.info("snapshot {} written: {} keys at offset {} in {} ms (longest stripe pause {} µs)", fin.getFileName(),
                w.entries(), w.offset(), w.millis(), w.maxPauseMicros());
        for (Path old : SnapshotFile.list(dir)) if (!old.equals(fin)) Files.deleteIfExists(old);
        if (compact) compactBefore(w.generation(), w.offset());
        SegmentWriter.forceDirectory(dir);
        return fin;
    }

    /** A snapshot written by {@link #write}. */
    public record Written(long generation, long offset, long entries, long bytes, long millis, long maxPauseMicros) { }

    /** Called under every stripe lock at the instant of a snapshot's cut, with its position. */
    public interface AtCut {
        void cut(long generation, long offset) throws IOException;
    }

    /**
     * Writes a snapshot file of {@code engine}'s keyspace exactly as it is at this moment's
     * journal offset into {@code file} (created or truncated, forced), while writes go on
     * (see {@link SnapshotCut}). Needs no {@link Durability}: a primary ships these to its
     * replicas. Several may run at once.
     */
    public static Written write(Engine engine, Path file, AtCut atCut) throws IOException {
        io.jkevy.store.Keyspace ks = engine.keyspace();
        Journal j = engine.journal();
        SnapshotCut cut;
        int cutDb;
        ks.lockAll();
        try {
            long gen, off;
            synchronized (j) {
                gen = j.generation();
                off = j.nextOffset();
                cutDb = j.currentDb();
                j.forceSelect();        // whoever starts at the cut learns the database first
            }
            if (atCut != null) atCut.cut(gen, off);
            cut = new SnapshotCut(ks, gen, off);
            engine.addWriteHook(cut);
        } finally {
            ks.unlockAll();
        }
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        long t0 = System.nanoTime();
        long maxPauseNanos = 0;
        long size;
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
            writeAll(ch, crc, SnapshotFile.header(cut.generation, cut.offset, engine.clock().millis(), cutDb));
            try {
                for (int st = 0; st < ks.stripes(); st++) {
                    long p0 = System.nanoTime();
                    ks.lockStripe(st);
                    try {
                        cut.visit(st);
                    } finally {
                        ks.unlockStripe(st);
                    }
                    maxPauseNanos = Math.max(maxPauseNanos, System.nanoTime() - p0);
                    drain(ch, crc, cut);
                }
            } finally {
                engine.removeWriteHook(cut);
            }
            drain(ch, crc, cut);
            java.nio.ByteBuffer tr = java.nio.ByteBuffer.allocate(9).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            tr.put((byte) SnapshotFile.END).putLong(cut.entries.get());
            writeAll(ch, crc, tr.array());
            java.nio.ByteBuffer c = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            c.putInt((int) crc.getValue());
            c.flip();
            while (c.hasRemaining()) ch.write(c);
            ch.force(true);
            size = ch.size();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new Written(cut.generation, cut.offset, cut.entries.get(), size, (System.nanoTime() - t0) / 1_000_000, maxPauseNanos / 1000);
    }

    /**
     * A replica's full resynchronization: replaces the whole keyspace with the snapshot file
     * {@code f} (from its upstream) and continues the journal at the snapshot's position, so
     * what it applies next keeps the upstream's offsets. Clients get {@code LOADING} meanwhile.
     * With a journal on disk, the snapshot becomes this node's own base ({@link #adopt}).
     */
    public static SnapshotFile.Loaded replaceFrom(Engine engine, Path f) throws IOException {
        io.jkevy.store.Keyspace ks = engine.keyspace();
        engine.loading(true);
        boolean paused = ks.expiryPaused();
        SnapshotFile.Loaded l;
        ks.lockAll();
        try {
            ks.pauseExpiry(true);
            for (int i = 0; i < ks.databases(); i++) ks.db(i).clear();
            l = SnapshotFile.load(f, ks);
            engine.journal().newGeneration(l.generation(), l.offset());
            if (l.db() >= 0) engine.journal().assumeDb(l.db());
        } finally {
            ks.pauseExpiry(paused);
            ks.unlockAll();
            engine.loading(false);
        }
        // the caller applies nothing before this returns: the files change before the journal grows
        Durability d = engine.durability();
        if (d != null) d.adopt(f, l.generation(), l.offset());
        return l;
    }

    /**
     * Makes {@code f}, a snapshot at {@code (gen, offset)} already loaded, this node's newest
     * snapshot and deletes every segment and snapshot before it: the history it replaced (a
     * forked suffix) must never be replayed.
     */
    void adopt(Path f, long gen, long offset) throws IOException {
        awaitSnapshot();
        writer.rotate(gen, offset);
        Path fin = dir.resolve(SnapshotFile.name(offset, gen));
        Path tmp = dir.resolve("snapshot-adopted.tmp");
        Files.copy(f, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, fin, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        SegmentWriter.forceDirectory(dir);
        for (Path old : SnapshotFile.list(dir)) if (!old.equals(fin)) Files.deleteIfExists(old);
        compactBefore(gen, offset);
        SegmentWriter.forceDirectory(dir);
        lastSaveMillis = engine.clock().millis();
    }

    /** Deletes the segments before the one the rotation started at {@code (gen, offset)}. */
    private void compactBefore(long gen, long offset) throws IOException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            List<Path> segs = SegmentReader.segments(dir);
            int at = -1;
            for (int i = 0; i < segs.size(); i++) {
                long[] h = SegmentReader.header(segs.get(i));
                if (h != null && h[0] == gen && h[1] == offset) at = i;
            }
            if (at >= 0) {
                long kept = 0;
                for (int i = 0; i < at; i++) Files.deleteIfExists(segs.get(i));
                for (int i = at; i < segs.size(); i++) kept += Files.size(segs.get(i));
                rewriteBaseBytes = kept;
                writtenAtRewrite = writer.bytesWritten();
                log.info("journal compacted: {} older segment(s) deleted, {} bytes kept", at, kept);
                return;
            }
            if (System.nanoTime() > deadline) {
                log.warn("journal compaction skipped: the segment starting at offset {} did not appear", offset);
                return;
            }
            writer.sync();
            try { Thread.sleep(5); } catch (InterruptedException e) { Thread.currentThread().interrupt(); return; }
        }
    }

    private static void drain(java.nio.channels.FileChannel ch, java.util.zip.CRC32C crc, SnapshotCut cut) throws IOException {
        byte[] chunk;
        while ((chunk = cut.chunks.poll()) != null) writeAll(ch, crc, chunk);
    }

    private static void writeAll(java.nio.channels.FileChannel ch, java.util.zip.CRC32C crc, byte[] b) throws IOException {
        crc.update(b, 0, b.length);
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b);
        while (bb.hasRemaining()) ch.write(bb);
    }

    /**
     * Periodic work: the {@code save <seconds> <changes>} schedule and automatic journal
     * rewrite ({@code auto-aof-rewrite-percentage}, {@code auto-aof-rewrite-min-size}).
     */
    public void cron(long now) {
        if (saving) return;
        io.jkevy.engine.config.Config c = engine.config();
        try {
            String save = c.get("save");
            if (save != null && !save.isBlank()) {
                String[] p = save.trim().split("\\s+");
                for (int i = 0; i + 1 < p.length; i += 2) {
                    long secs = Long.parseLong(p[i]), changes = Long.parseLong(p[i + 1]);
                    if (changesSinceSave() >= changes && now - lastSaveMillis >= secs * 1000) {
                        log.info("{} changes in {} seconds. Saving...", changes, secs);
                        snapshotInBackground(false);
                        return;
                    }
                }
            }
            long pct = Long.parseLong(c.get("auto-aof-rewrite-percentage"));
            long min = Long.parseLong(c.get("auto-aof-rewrite-min-size"));
            long size = journalBytes(), base = Math.max(1, rewriteBaseBytes);
            if (pct > 0 && size >= min && (size - base) * 100 / base >= pct) {
                log.info("starting automatic journal rewrite: {} bytes, {}% growth", size, (size - base) * 100 / base);
                snapshotInBackground(true);
            }
        } catch (RuntimeException e) {
            log.debug("persistence schedule: {}", e.toString());
        }
    }

    /**
     * CONFIG SET appendonly at run time. On: whatever the journal directory holds is an older
     * history than the data in memory, so it is cleared, journaling starts at the current
     * position and a snapshot of the current data is written at once (until it is on disk, a
     * crash loses what was written while appendonly was off — as with Redis's AOF rewrite on
     * enabling). Off: the journal is closed cleanly; its files stay.
     */
    public static void toggle(Engine engine, boolean on) {
        try {
            Durability d = engine.durability();
            if (!on) {
                if (d != null) d.close();
                return;
            }
            if (d != null) return;
            io.jkevy.engine.config.Config c = engine.config();
            Path dir = Path.of(c.get("dir")).resolve(c.get("appenddirname"));
            Files.createDirectories(dir);
            for (Path p : SegmentReader.segments(dir)) Files.delete(p);
            for (Path p : SnapshotFile.list(dir)) Files.delete(p);
            Files.deleteIfExists(dir.resolve(CLEAN_MARKER));
            Journal j = engine.journal();
            engine.keyspace().lockAll();
            Durability nd;
            try {
                Journal.Position p = j.position();
                SegmentWriter w = new SegmentWriter(dir, p.generation(), p.next(), FsyncPolicy.parse(c.get("appendfsync")),
                        Long.parseLong(c.get("aof-segment-size")));
                j.addSink(w);
                nd = new Durability(engine, dir, w, true);
                nd.lastSaveMillis = engine.clock().millis();
                engine.durability(nd);
            } finally {
                engine.keyspace().unlockAll();
            }
            log.info("appendonly turned on: journaling to {}, writing a snapshot of the current data", dir);
            nd.snapshotInBackground(true);
        } catch (IOException | RuntimeException e) {
            log.error("turning appendonly {} failed: {}", on ? "on" : "off", e.toString());
        }
    }

    public SegmentWriter writer() { return writer; }

    public boolean keptGeneration() { return keptGeneration; }

    private long recoveredGeneration;

    /**
     * The generation the files ended in (0 when they held nothing). After an unclean stop the
     * journal continues under a new generation; a read-only replica, whose journal holds only
     * its upstream's frames at their own offsets, may go back to this one to resume.
     */
    public long recoveredGeneration() { return recoveredGeneration; }

    public Path dir() { return dir; }

    /** Runs {@code action} once the frame at {@code offset} is as durable as appendfsync promises. */
    public void whenDurable(long offset, Runnable action) { writer.whenDurable(offset, action); }

    public void fsync(FsyncPolicy p) { writer.policy(p); }

    /**
     * Clean shutdown: every frame written and forced, then the marker that lets the next boot
     * keep this generation. Call after client traffic has stopped.
     */
    @Override
    public void close() throws IOException { close(true); }

    /**
     * Stops journaling: writes and forces what is pending; with {@code clean}, also leaves the
     * marker that keeps the generation (false behaves, for the next boot, like a crash).
     */
    public void close(boolean clean) throws IOException {
        awaitSnapshot();
        Journal j = engine.journal();
        if (engine.durability() == this) engine.durability(null);
        engine.journal().removeSink(writer);
        writer.close();
        if (!clean || writer.failure() != null) return;      // not clean: the files may miss acknowledged frames
        Journal.Position p = j.position();
        Path tmp = dir.resolve(CLEAN_MARKER + ".tmp");
        Files.writeString(tmp, p.generation() + " " + p.next() + "\n", StandardCharsets.US_ASCII);
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(CLEAN_MARKER), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        SegmentWriter.forceDirectory(dir);
    }

    private static long keys(Engine e) {
        long n = 0;
        for (int i = 0; i < e.keyspace().databases(); i++) n += e.keyspace().db(i).size();
        return n;
    }

    private static long[] readMarker(Path marker) {
        try {
            if (!Files.exists(marker)) return null;
            String[] f = Files.readString(marker, StandardCharsets.US_ASCII).trim().split(" ");
            return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
