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
    private final SegmentReader.Result recovered;
    private final boolean keptGeneration;

    private Durability(Engine engine, Path dir, SegmentWriter writer, SegmentReader.Result recovered, boolean kept) {
        this.engine = engine;
        this.dir = dir;
        this.writer = writer;
        this.recovered = recovered;
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
        long[] progress = {t0, 0, 0};        // last log time, frames, payload bytes
        final long totalBytes = total;
        SegmentReader.Result r;
        try {
            r = SegmentReader.read(dir, 0, o.truncateTornTail(), o.truncateCorrupt(), (gen, off, frame) -> {
                if (j.generation() != gen || j.nextOffset() != off) j.newGeneration(gen, off);
                String err = engine.applyFrame(s, off, frame);
                if (err != null) throw new IOException("journal frame " + off + " of generation " + gen + " failed to apply: " + err);
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
        if (r.truncated() != null) log.warn("journal: cut off {}", r.truncated());
        boolean kept = !r.empty() && clean != null && clean[0] == r.generation() && clean[1] == r.nextOffset();
        if (!r.empty()) {
            if (j.generation() != r.generation() || j.nextOffset() != r.nextOffset()) j.newGeneration(r.generation(), r.nextOffset());
            if (!kept) j.newGeneration(engine.newGeneration(), r.nextOffset());
            log.info("journal loaded: {} frames ({} bytes) from {} segments in {} ms; {} keys; generation {} {}",
                    r.frames(), r.bytes(), r.segments(), (System.nanoTime() - t0) / 1_000_000,
                    keys(engine), Long.toHexString(j.generation()),
                    kept ? "kept (clean shutdown)" : "is new (the last stop was not clean)");
        }
        SegmentWriter w = new SegmentWriter(dir, j.generation(), j.nextOffset(), o.fsync(), o.segmentBytes());
        j.addSink(w);
        Durability d = new Durability(engine, dir, w, r, kept);
        engine.durability(d);
        return d;
    }

    public SegmentWriter writer() { return writer; }

    public SegmentReader.Result recovered() { return recovered; }

    public boolean keptGeneration() { return keptGeneration; }

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
        Journal j = engine.journal();
        if (engine.durability() == this) engine.durability(null);
        engine.journal().removeSink(writer);
        writer.close();
        if (!clean || writer.failure() != null) return;      // not clean: the files may miss acknowledged frames
        long gen, next;
        synchronized (j) {
            gen = j.generation();
            next = j.nextOffset();
        }
        Path tmp = dir.resolve(CLEAN_MARKER + ".tmp");
        Files.writeString(tmp, Long.toString(gen) + " " + next + "\n", StandardCharsets.US_ASCII);
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
