package io.jkevy.journal.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Reads journal segments back at boot, validating every header, length, checksum and offset.
 *
 * <p>What counts as what: a record cut short at the very end of the newest segment, or a bad
 * checksum whose record runs to the end of that file, is a <em>torn tail</em> — the last
 * write of a process that died — and is cut off (with {@code truncateTornTail}) so the
 * files end at the last whole frame. Anything else that fails validation is
 * <em>corruption</em>: recovery stops with a {@link JournalCorruptException} naming the file
 * and byte offset, unless the operator chose {@code truncateCorrupt}, in which case that file
 * is cut at the bad record and every later segment is set aside (renamed {@code .corrupt}).
 */
public final class SegmentReader {
    private SegmentReader() { }

    /** Receives each valid frame in order. */
    @FunctionalInterface
    public interface FrameConsumer {
        void frame(long generation, long offset, byte[] frame) throws IOException;
    }

    /** What recovery found. */
    public record Result(int segments, long frames, long bytes, long generation, long nextOffset,
                         String truncated) {
        /** True when the directory held no segment. */
        public boolean empty() { return segments == 0; }

        /** The same result with the history ending earlier (a torn tail the consumer did not apply). */
        public Result endingAt(long gen, long next) {
            return new Result(segments, frames, bytes, gen, next, truncated);
        }
    }

    /** The segment files of {@code dir}, oldest first. */
    public static List<Path> segments(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> SegmentFormat.sequenceOf(p.getFileName().toString()) >= 0).forEach(out::add);
        }
        out.sort((a, b) -> Long.compare(SegmentFormat.sequenceOf(a.getFileName().toString()),
                SegmentFormat.sequenceOf(b.getFileName().toString())));
        return out;
    }

    static long maxSequence(Path dir) throws IOException {
        List<Path> s = segments(dir);
        return s.isEmpty() ? 0 : SegmentFormat.sequenceOf(s.get(s.size() - 1).getFileName().toString());
    }

    /**
     * Reads every segment of {@code dir} from the frame at {@code fromOffset} of the newest
     * generation's history (frames before it are validated but not handed over; pass 0 for all).
     */
    public static Result read(Path dir, long fromOffset, boolean truncateTornTail, boolean truncateCorrupt,
                              FrameConsumer consumer) throws IOException {
        List<Path> files = segments(dir);
        long frames = 0, bytes = 0, generation = 0, next = 0;
        String truncated = null;
        CRC32C crc = new CRC32C();
        for (int fi = 0; fi < files.size(); fi++) {
            Path f = files.get(fi);
            boolean newest = fi == files.size() - 1;
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long size = ch.size();
                if (size < SegmentFormat.HEADER_BYTES) {
                    // a segment whose header was never completely written: only possible for the newest
                    if (newest && truncateTornTail) {
                        ch.close();
                        Files.delete(f);
                        truncated = f.getFileName() + ": incomplete header (" + size + " bytes), removed";
                        break;
                    }
                    throw new JournalCorruptException(f, 0, "incomplete segment header (" + size + " bytes)");
                }
                ByteBuffer h = read(ch, 0, SegmentFormat.HEADER_BYTES);
                byte[] hb = h.array();
                if (!java.util.Arrays.equals(hb, 0, 8, SegmentFormat.MAGIC, 0, 8)) {
                    throw new JournalCorruptException(f, 0, "not a jkevy journal segment (bad magic)");
                }
                if (SegmentFormat.crc(hb, 0, 24) != h.getInt(24)) {
                    throw new JournalCorruptException(f, 0, "segment header checksum mismatch");
                }
                long gen = h.getLong(8), first = h.getLong(16);
                if (gen <= 0 || first < 0) throw new JournalCorruptException(f, 0, "invalid generation or offset in header");
                if (gen == generation && first != next) {
                    throw new JournalCorruptException(f, 0, "segment starts at offset " + first + " but the previous one ended before " + next);
                }
                generation = gen;
                next = first;
                long pos = SegmentFormat.HEADER_BYTES;
                ByteBuffer rh = ByteBuffer.allocate(SegmentFormat.RECORD_HEADER_BYTES);
                while (pos < size) {
                    String problem = null;
                    long recordEnd = -1;
                    byte[] payload = null;
                    if (size - pos < SegmentFormat.RECORD_HEADER_BYTES) {
                        problem = "record header cut short";
                        recordEnd = size;
                    } else {
                        rh.clear();
                        readFully(ch, rh, pos);
                        int len = rh.getInt(0), sum = rh.getInt(4);
                        if (len <= 0 || len > SegmentFormat.MAX_PAYLOAD) {
                            problem = "invalid record length " + len;
                            recordEnd = allZero(ch, pos, size) ? size : -1;
                        } else if (pos + SegmentFormat.RECORD_HEADER_BYTES + len > size) {
                            problem = "record of " + len + " bytes cut short";
                            recordEnd = size;
                        } else {
                            payload = read(ch, pos + SegmentFormat.RECORD_HEADER_BYTES, len).array();
                            crc.reset();
                            crc.update(payload, 0, len);
                            recordEnd = pos + SegmentFormat.RECORD_HEADER_BYTES + len;
                            if ((int) crc.getValue() != sum) problem = "record checksum mismatch";
                            else {
                                long off = FrameCheck.offset(payload);
                                if (off < 0) problem = "malformed frame";
                                else if (off != next) problem = "frame offset " + off + " where " + next + " was expected";
                            }
                        }
                    }
                    if (problem != null) {
                        boolean torn = newest && recordEnd == size && !wholeRecordAfter(ch, pos, size);
                        if (torn && truncateTornTail || truncateCorrupt) {
                            ch.truncate(pos);
                            ch.force(true);
                            truncated = f.getFileName() + " at byte " + pos + ": " + problem
                                    + " (" + (size - pos) + " bytes cut off" + (torn ? ", torn tail" : ", corrupt") + ")";
                            if (!newest) quarantine(files.subList(fi + 1, files.size()));
                            return new Result(fi + 1, frames, bytes, generation, next, truncated);
                        }
                        throw new JournalCorruptException(f, pos, problem + (torn ? " at the end of the newest segment (a torn write; start with aof-load-truncated yes to cut it off)" : ""));
                    }
                    if (next >= fromOffset) consumer.frame(generation, next, payload);
                    next++;
                    frames++;
                    bytes += payload.length;
                    pos = recordEnd;
                }
            }
        }
        return new Result(files.size(), frames, bytes, generation, next, truncated);
    }

    /**
     * True when a whole, valid record starts somewhere after {@code pos}: then the damage at
     * {@code pos} is not a torn last write but corruption in the middle (a damaged length can
     * make a record seem to run past the end of the file).
     */
    private static boolean wholeRecordAfter(FileChannel ch, long pos, long size) throws IOException {
        long span = size - pos;
        if (span > 256L << 20) return true;       // too much to call a torn write
        byte[] rest = read(ch, pos, (int) span).array();
        CRC32C crc = new CRC32C();
        for (int p = 1; p + SegmentFormat.RECORD_HEADER_BYTES + 5 <= rest.length; p++) {
            int q = p + SegmentFormat.RECORD_HEADER_BYTES;
            if (rest[q] != '*' || rest[q + 1] != '2' || rest[q + 2] != '\r' || rest[q + 3] != '\n' || rest[q + 4] != ':') continue;
            int len = ByteBuffer.wrap(rest, p, 4).getInt();
            if (len <= 0 || (long) q + len > rest.length) continue;
            crc.reset();
            crc.update(rest, q, len);
            if ((int) crc.getValue() == ByteBuffer.wrap(rest, p + 4, 4).getInt()) return true;
        }
        return false;
    }

    /**
     * Up to {@code max} frames of {@code generation} starting at offset {@code from}, read from
     * the segments (a feed reader behind the in-memory backlog). Null when the segments do not
     * hold that offset of that generation. Stops quietly at a record still being written.
     */
    public static List<byte[]> readRange(Path dir, long generation, long from, int max) throws IOException {
        Path start = null;
        long startFirst = -1;
        for (Path f : segments(dir)) {
            long[] h = header(f);
            if (h == null || h[0] != generation) continue;
            if (h[1] <= from) { start = f; startFirst = h[1]; }
        }
        if (start == null) return null;
        List<byte[]> out = new ArrayList<>();
        boolean started = false;
        long next = startFirst;
        for (Path f : segments(dir)) {
            if (!started && !f.equals(start)) continue;
            long[] h = header(f);
            if (h == null || h[0] != generation) { if (started) break; else continue; }
            started = true;
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                long size = ch.size(), pos = SegmentFormat.HEADER_BYTES;
                ByteBuffer rh = ByteBuffer.allocate(SegmentFormat.RECORD_HEADER_BYTES);
                while (pos + SegmentFormat.RECORD_HEADER_BYTES <= size && out.size() < max) {
                    rh.clear();
                    readFully(ch, rh, pos);
                    int len = rh.getInt(0);
                    if (len <= 0 || pos + SegmentFormat.RECORD_HEADER_BYTES + len > size) break;
                    if (next >= from) out.add(read(ch, pos + SegmentFormat.RECORD_HEADER_BYTES, len).array());
                    pos += SegmentFormat.RECORD_HEADER_BYTES + len;
                    next++;
                }
            }
            if (out.size() >= max) break;
        }
        return next > from || !out.isEmpty() ? out : null;
    }

    /** A segment's {@code {generation, first offset}} from its header; null when it has no valid one. */
    public static long[] header(Path f) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            if (ch.size() < SegmentFormat.HEADER_BYTES) return null;
            ByteBuffer h = read(ch, 0, SegmentFormat.HEADER_BYTES);
            if (SegmentFormat.crc(h.array(), 0, 24) != h.getInt(24)) return null;
            return new long[] {h.getLong(8), h.getLong(16)};
        }
    }

    private static void quarantine(List<Path> later) throws IOException {
        for (Path p : later) Files.move(p, p.resolveSibling(p.getFileName() + ".corrupt"));
    }

    private static boolean allZero(FileChannel ch, long from, long size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        for (long p = from; p < size; ) {
            b.clear();
            int n = ch.read(b, p);
            if (n <= 0) break;
            for (int i = 0; i < n; i++) if (b.get(i) != 0) return false;
            p += n;
        }
        return true;
    }

    private static ByteBuffer read(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len);
        readFully(ch, b, pos);
        return b;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos + b.position());
            if (n < 0) throw new IOException("unexpected end of file");
        }
    }
}
