package io.jkevy.journal.disk;

import io.jkevy.journal.JournalSink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.zip.CRC32C;

/**
 * Appends the journal's frames to segment files ({@link SegmentFormat}) from a writer thread
 * of its own, with Redis's {@code appendfsync} policies and group commit.
 *
 * <p>{@link #appended} runs under the journal lock: it only copies the frame into a pending
 * buffer. The writer thread takes everything pending at once, writes it with one call and,
 * under {@link FsyncPolicy#ALWAYS}, forces it before it advances {@link #durableOffset()} and
 * runs the callbacks registered with {@link #whenDurable} — so every writer whose frame was in
 * the batch shares one fsync. Under {@code everysec} the thread forces once a second; under
 * {@code no} it never does.
 *
 * <p>A failed write or fsync is sticky: {@link #failure()} reports it, {@link #durableOffset()}
 * stops advancing and callbacks waiting for durability are never run (nothing not on disk is
 * acknowledged as durable).
 */
public final class SegmentWriter implements JournalSink, AutoCloseable {
    private static final int CHUNK = 1 << 20;

    /** A run of encoded records of one generation, or (when {@code rotate}) the start of a new generation. */
    private static final class Chunk {
        final boolean rotate;
        final long generation;
        final long firstOffset;
        long lastOffset;
        byte[] buf;
        int len;

        Chunk(boolean rotate, long generation, long firstOffset, int capacity) {
            this.rotate = rotate;
            this.generation = generation;
            this.firstOffset = firstOffset;
            this.lastOffset = firstOffset - 1;
            this.buf = new byte[capacity];
        }
    }

    private record Waiter(long offset, Runnable action, boolean strict) { }

    private final Path dir;
    private final long segmentBytes;
    private final Object lock = new Object();
    private final Thread thread;
    private final CRC32C crc = new CRC32C();

    // guarded by lock
    private List<Chunk> pending = new ArrayList<>();
    /** Written chunk buffers kept for reuse (no 1 MiB allocation per write batch). */
    private final java.util.ArrayDeque<byte[]> free = new java.util.ArrayDeque<>();
    private long pendingBytes;
    private long generation;
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>((a, b) -> Long.compare(a.offset, b.offset));
    private boolean closing;
    private boolean syncRequested;

    // writer thread only
    private FileChannel channel;
    private long channelBytes;
    private long channelGeneration = -1;
    private long sequence;
    private long lastSyncNanos = System.nanoTime();
    private long written = -1;

    private volatile FsyncPolicy policy;
    private volatile long durable;
    private volatile Throwable failure;
    private volatile long fsyncs;
    private volatile long writtenBytesTotal;

    /**
     * Opens a writer that starts a new segment in {@code dir} for {@code generation}, whose next
     * frame will carry {@code nextOffset}. Existing segments are left as they are.
     */
    public SegmentWriter(Path dir, long generation, long nextOffset, FsyncPolicy policy, long segmentBytes) throws IOException {
        this.dir = dir;
        this.policy = policy;
        this.segmentBytes = Math.max(4096, segmentBytes);
        Files.createDirectories(dir);
        this.sequence = SegmentReader.maxSequence(dir);
        this.generation = generation;
        this.durable = nextOffset - 1;
        this.written = nextOffset - 1;
        pending.add(new Chunk(true, generation, nextOffset, 0));
        thread = new Thread(this::run, "jkevy-journal-writer");
        thread.setDaemon(true);
        thread.start();
    }

    public FsyncPolicy policy() { return policy; }

    /** CONFIG SET appendfsync: takes effect for the next batch. */
    public void policy(FsyncPolicy p) {
        policy = p;
        synchronized (lock) {
            syncRequested = true;      // release ALWAYS-waiters promptly when leaving ALWAYS
            lock.notifyAll();
        }
    }

    /** The highest offset known to be on stable storage (or written, under {@code no}). */
    public long durableOffset() { return durable; }

    public Throwable failure() { return failure; }

    public long fsyncCount() { return fsyncs; }

    public long bytesWritten() { return writtenBytesTotal; }

    /** Bytes accepted but not yet handed to the file system. */
    public long pendingBytes() {
        synchronized (lock) { return pendingBytes; }
    }

    @Override
    public void appended(long offset, byte[] frame) {
        synchronized (lock) {
            Chunk c = pending.isEmpty() ? null : pending.get(pending.size() - 1);
            int need = SegmentFormat.RECORD_HEADER_BYTES + frame.length;
            if (c == null || c.rotate && c.buf.length == 0 || c.len + need > c.buf.length) {
                c = new Chunk(false, generation, offset, 0);
                byte[] reuse = need <= CHUNK ? free.poll() : null;
                c.buf = reuse != null ? reuse : new byte[Math.max(CHUNK, need)];
                pending.add(c);
            }
            crc.reset();
            crc.update(frame, 0, frame.length);
            putInt(c.buf, c.len, frame.length);
            putInt(c.buf, c.len + 4, (int) crc.getValue());
            System.arraycopy(frame, 0, c.buf, c.len + 8, frame.length);
            c.len += need;
            c.lastOffset = offset;
            pendingBytes += need;
            // only a group commit waits for the writer; under everysec/no it polls every millisecond,
            // sparing the event loops a wake-up call per batch
            if (policy == FsyncPolicy.ALWAYS && (pending.size() == 1 || c.len == need)) lock.notifyAll();
        }
    }

    /**
     * Starts a new segment whose first frame will be {@code nextOffset} (compaction: every
     * earlier frame then lives in older segments only). Call where no frame can be appended
     * concurrently (under every stripe lock).
     */
    public void rotate(long gen, long nextOffset) { generationStarted(gen, nextOffset); }

    @Override
    public void generationStarted(long gen, long nextOffset) {
        synchronized (lock) {
            generation = gen;
            pending.add(new Chunk(true, gen, nextOffset, 0));
            lock.notifyAll();
        }
    }

    /**
     * Runs {@code action} once the frame at {@code offset} is durable as the policy promises:
     * at once unless the policy is {@code always}; under {@code always}, on the writer thread
     * right after the fsync that covered it. Never runs it after a write failure.
     */
    public void whenDurable(long offset, Runnable action) {
        if (policy != FsyncPolicy.ALWAYS || durable >= offset) {
            if (failure == null) action.run();
            return;
        }
        synchronized (lock) {
            if (durable >= offset) {
                if (failure == null) action.run();
                return;
            }
            waiters.add(new Waiter(offset, action, false));
            lock.notifyAll();
        }
    }

    /**
     * Runs {@code action} once {@link #durableOffset()} reaches {@code offset}, whatever the
     * policy (a reader that wants only crash-safe frames); on the writer thread unless already so.
     */
    public void whenSynced(long offset, Runnable action) {
        synchronized (lock) {
            if (durable < offset) {
                waiters.add(new Waiter(offset, action, true));
                lock.notifyAll();
                return;
            }
        }
        if (failure == null) action.run();
    }

    /** Writes everything pending, forces it and closes the file (a clean shutdown). */
    @Override
    public void close() {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Blocks until everything appended so far is written and forced (tests, SAVE-like points). */
    public void sync() {
        // a ticket, not an offset: when a replica replaces its history the positions restart
        // lower, and an offset read before that would be waited for in vain (or met by stale ones)
        long ticket;
        synchronized (lock) {
            ticket = ++syncTickets;
            syncRequested = true;
            lock.notifyAll();
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (syncedTicket < ticket && failure == null && System.nanoTime() < deadline) {
            synchronized (lock) {
                syncRequested = true;
                lock.notifyAll();
            }
            Thread.onSpinWait();
            try { Thread.sleep(1); } catch (InterruptedException e) { Thread.currentThread().interrupt(); return; }
        }
        if (failure != null) throw new UncheckedIOException(new IOException("journal write failed", failure));
    }

    private volatile long syncedThrough = -1;
    /** Sync requests issued (under {@link #lock}), and the last one whose appends are written and forced. */
    private long syncTickets;
    private volatile long syncedTicket;

    private void run() {
        while (true) {
            List<Chunk> batch;
            boolean close, forceNow;
            long ticket;
            synchronized (lock) {
                while (pending.isEmpty() && !closing && !syncRequested && !everysecDue()) {
                    try {
                        lock.wait(policy == FsyncPolicy.ALWAYS ? 1000 : 1);
                    } catch (InterruptedException e) {
                        closing = true;
                    }
                }
                if (policy != FsyncPolicy.ALWAYS && !closing && !syncRequested && pendingBytes < (256 << 10)) {
                    // no client waits for this write: gather a millisecond's worth into one syscall
                    try {
                        lock.wait(1);
                    } catch (InterruptedException e) {
                        closing = true;
                    }
                }
                batch = pending;
                pending = new ArrayList<>();
                pendingBytes = 0;
                close = closing;
                forceNow = syncRequested || close;
                syncRequested = false;
                ticket = syncTickets;       // every sync() before this point appended only what this batch holds
            }
            if (failure == null) {
                try {
                    for (Chunk c : batch) write(c);
                    synchronized (lock) {
                        for (Chunk c : batch) if (c.buf.length == CHUNK && free.size() < 4) free.add(c.buf);
                    }
                    FsyncPolicy p = policy;
                    boolean dirty = written > syncedThrough;
                    if (dirty && (p == FsyncPolicy.ALWAYS || forceNow || everysecDue())) force();
                    else if (!dirty && forceNow) syncedThrough = written;
                    durable = p == FsyncPolicy.NO ? written : syncedThrough;
                    if (forceNow) syncedTicket = ticket;
                } catch (IOException | RuntimeException e) {
                    failure = e;
                    org.slf4j.LoggerFactory.getLogger(SegmentWriter.class)
                            .error("writing the journal to {} failed; writes are no longer acknowledged as durable", dir, e);
                }
            }
            runWaiters();
            if (close) {
                closeChannel();
                return;
            }
        }
    }

    private boolean everysecDue() {
        return policy == FsyncPolicy.EVERYSEC && written > syncedThrough
                && System.nanoTime() - lastSyncNanos >= 1_000_000_000L;
    }

    private void write(Chunk c) throws IOException {
        if (c.rotate) {
            openSegment(c.generation, c.firstOffset);
            return;
        }
        if (channel == null || c.generation != channelGeneration) openSegment(c.generation, c.firstOffset);
        // write record runs, starting a new segment at a record boundary once the current one is full
        int from = 0, p = 0;
        long off = c.firstOffset;
        while (p < c.len) {
            int rec = SegmentFormat.RECORD_HEADER_BYTES + getInt(c.buf, p);
            if (channelBytes + (p - from) >= segmentBytes && p > from) {
                writeRange(c.buf, from, p, off - 1);
                openSegment(c.generation, off);
                from = p;
            } else if (channelBytes >= segmentBytes && p == from && channelBytes > SegmentFormat.HEADER_BYTES) {
                openSegment(c.generation, off);
            }
            p += rec;
            off++;
        }
        writeRange(c.buf, from, p, c.lastOffset);
    }

    private void writeRange(byte[] buf, int from, int to, long lastOffset) throws IOException {
        if (to == from) return;
        ByteBuffer b = ByteBuffer.wrap(buf, from, to - from);
        while (b.hasRemaining()) channel.write(b);
        channelBytes += to - from;
        writtenBytesTotal += to - from;
        written = lastOffset;
    }

    private static int getInt(byte[] b, int p) {
        return (b[p] & 0xff) << 24 | (b[p + 1] & 0xff) << 16 | (b[p + 2] & 0xff) << 8 | (b[p + 3] & 0xff);
    }

    private void openSegment(long gen, long firstOffset) throws IOException {
        if (channel != null) {
            if (written > syncedThrough) force();
            channel.close();
            channel = null;
        }
        if (firstOffset - 1 < written) {
            // a replica replaced its history with its upstream's snapshot at a lower offset:
            // what was written before is forced, and the positions start again from here
            written = firstOffset - 1;
            syncedThrough = written;
            durable = written;
        }
        Path f = dir.resolve(SegmentFormat.fileName(++sequence));
        channel = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ByteBuffer h = ByteBuffer.wrap(SegmentFormat.header(gen, firstOffset));
        while (h.hasRemaining()) channel.write(h);
        channel.force(true);
        forceDirectory(dir);
        channelBytes = SegmentFormat.HEADER_BYTES;
        channelGeneration = gen;
    }

    private void force() throws IOException {
        channel.force(false);
        fsyncs++;
        lastSyncNanos = System.nanoTime();
        syncedThrough = written;
    }

    private void runWaiters() {
        List<Runnable> ready = new ArrayList<>();
        synchronized (lock) {
            long d = durable;
            boolean release = failure == null && policy != FsyncPolicy.ALWAYS;
            java.util.List<Waiter> later = new ArrayList<>();
            while (!waiters.isEmpty() && (release || waiters.peek().offset <= d)) {
                Waiter w = waiters.poll();
                if (w.strict && w.offset > d) later.add(w); else ready.add(w.action);
            }
            waiters.addAll(later);
        }
        if (failure != null) return;
        for (Runnable r : ready) {
            try {
                r.run();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(SegmentWriter.class).warn("durability callback failed", e);
            }
        }
    }

    private void closeChannel() {
        if (channel == null) return;
        try {
            if (failure == null && written > syncedThrough) force();
            channel.close();
        } catch (IOException e) {
            if (failure == null) failure = e;
        }
        channel = null;
    }

    /** fsync of a directory, so a created, renamed or deleted file's entry is durable. */
    public static void forceDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems refuse to open directories; the entry is then as durable as they make it
            if (!(e instanceof java.nio.file.AccessDeniedException)) throw e;
        }
    }

    private static void putInt(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
    }
}
