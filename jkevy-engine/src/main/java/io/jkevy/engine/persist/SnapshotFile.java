package io.jkevy.engine.persist;

import io.jkevy.engine.rdb.DumpPayload;
import io.jkevy.engine.rdb.RdbFormatException;
import io.jkevy.engine.rdb.RdbInput;
import io.jkevy.store.Db;
import io.jkevy.store.Keyspace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * jkevy's snapshot format: the whole keyspace at one journal position.
 *
 * <pre>
 *   header  = "JKVYSNP1" | format u32 (1) | generation u64 | offset u64 | created-ms u64     (big-endian)
 *   select  = 0xFE | db varint                        (the entries after it belong to that database)
 *   entry   = RDB type id of the value (0..0xEF) | key length varint | key | expire-at ms varint (0 = none)
 *             | version varint | value body, exactly as DUMP encodes it (LZF for long strings)
 *   varint  = unsigned LEB128 (7 bits a byte, low group first)
 *   trailer = 0xFF | entries u64le | crc32c of every byte before it u32le
 * </pre>
 *
 * The offset is the first journal offset the snapshot does not contain: loading it and then
 * applying the journal from that offset of that generation gives the live state. Files are
 * named {@code snapshot-<offset, 20 digits>-<generation, 16 hex>.snap}.
 */
public final class SnapshotFile {
    private SnapshotFile() { }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SnapshotFile.class);

    static final byte[] MAGIC = "JKVYSNP1".getBytes(StandardCharsets.US_ASCII);
    /** Format 2 adds the database the journal was in at the cut; format 1 files still load. */
    static final int FORMAT = 2;
    static final int HEADER_V1 = 8 + 4 + 8 + 8 + 8;
    static final int HEADER = HEADER_V1 + 4;
    static final int SELECT_DB = 0xFE, END = 0xFF;

    static String name(long offset, long generation) {
        return String.format("snapshot-%020d-%016x.snap", offset, generation);
    }

    /** Snapshot files of {@code dir}, oldest (lowest offset) first. */
    public static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("snapshot-\\d{20}-[0-9a-f]{16}\\.snap")).sorted().toList();
        }
    }

    /**
     * {@code db}: the database of the journal's last frame before the cut (-1 unknown), so
     * a replay from the cut knows where frames without a {@code SELECT} of their own go.
     */
    static byte[] header(long generation, long offset, long createdMillis, int db) {
        ByteBuffer b = ByteBuffer.allocate(HEADER).order(ByteOrder.BIG_ENDIAN);
        b.put(MAGIC).putInt(FORMAT).putLong(generation).putLong(offset).putLong(createdMillis).putInt(db);
        return b.array();
    }

    private static long varint(RdbInput in) throws RdbFormatException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw new RdbFormatException("varint longer than 64 bits");
    }

    /** A snapshot that failed validation; names the file and the byte where it went wrong. */
    public static final class CorruptException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptException(Path f, long at, String problem) {
            super("snapshot " + f + " is corrupt at byte " + at + ": " + problem);
        }
    }

    /** What a load found. */
    /** {@code db}: the journal's database at the cut, -1 when the file does not say. */
    public record Loaded(long generation, long offset, long entries, long bytes, int db) { }

    /**
     * Validates {@code f} completely (header, checksum, every record), then puts its entries into
     * {@code ks}'s databases (with their TTLs and versions). Nothing is loaded from a file that
     * fails validation.
     */
    public static Loaded load(Path f, Keyspace ks) throws IOException {
        byte[] b;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 16) throw new CorruptException(f, 0, "larger than this version can load (2 GiB)");
            b = new byte[(int) size];
            ByteBuffer bb = ByteBuffer.wrap(b);
            while (bb.hasRemaining()) if (ch.read(bb) < 0) break;
        }
        if (b.length < HEADER_V1 + 13) throw new CorruptException(f, 0, "too short to be a snapshot (" + b.length + " bytes)");
        if (!java.util.Arrays.equals(b, 0, 8, MAGIC, 0, 8)) throw new CorruptException(f, 0, "not a jkevy snapshot (bad magic)");
        ByteBuffer h = ByteBuffer.wrap(b, 0, HEADER_V1).order(ByteOrder.BIG_ENDIAN);
        h.position(8);
        int format = h.getInt();
        if (format != 1 && format != FORMAT) throw new CorruptException(f, 8, "unknown format version " + format);
        int headerBytes = format == 1 ? HEADER_V1 : HEADER;
        if (b.length < headerBytes + 13) throw new CorruptException(f, 0, "too short to be a snapshot (" + b.length + " bytes)");
        long gen = h.getLong(), offset = h.getLong();
        int cutDb = format == 1 ? -1 : ByteBuffer.wrap(b, HEADER_V1, 4).order(ByteOrder.BIG_ENDIAN).getInt();
        int end = b.length - 13;
        if ((b[end] & 0xff) != END) throw new CorruptException(f, end, "no trailer (the file is cut short)");
        CRC32C crc = new CRC32C();
        crc.update(b, 0, end + 9);
        int stored = ByteBuffer.wrap(b, end + 9, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if ((int) crc.getValue() != stored) throw new CorruptException(f, end + 9, "checksum mismatch (the file was damaged)");
        long count = ByteBuffer.wrap(b, end + 1, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        // the checksum covers every byte, so what follows parses as written; should it still fail
        // half way (a bug, or a file from another version), what was loaded is removed again
        RdbInput in = new RdbInput(b, headerBytes, end);
        long loaded = 0;
        try {
            Db d = null;
            long nextLog = System.nanoTime() + 1_000_000_000L, t0 = System.nanoTime();
            while (in.position() < end) {
                int at = in.position();
                int tag = in.readByte();
                if (tag == SELECT_DB) {
                    long db = varint(in);
                    if (db < 0 || db >= ks.databases()) throw new CorruptException(f, at, "database " + db + " out of range (databases " + ks.databases() + ")");
                    d = ks.db((int) db);
                    continue;
                }
                if (d == null || tag >= 0xF0) throw new CorruptException(f, at, "unknown record tag " + tag);
                int klen = (int) varint(in);
                byte[] key = in.readBytes(klen);
                long expireAt = varint(in), version = varint(in);
                Object v = DumpPayload.readBody(tag, in);
                if ((loaded & 0xFFFF) == 0 && System.nanoTime() > nextLog) {
                    nextLog = System.nanoTime() + 1_000_000_000L;
                    double secs = (System.nanoTime() - t0) / 1e9;
                    LOG.info("loading snapshot: {}% ({} keys, {} MB/s)", (long) in.position() * 100 / b.length, loaded,
                            String.format("%.1f", in.position() / 1e6 / Math.max(secs, 1e-3)));
                }
                d.put(key, v, expireAt);
                d.setVersion(key, version);
                loaded++;
            }
            if (loaded != count) throw new CorruptException(f, end, "trailer counts " + count + " entries, found " + loaded);
        } catch (RdbFormatException | CorruptException e) {
            for (int i = 0; i < ks.databases(); i++) ks.db(i).clear();
            if (e instanceof CorruptException ce) throw ce;
            throw new CorruptException(f, in.position(), e.getMessage());
        }
        return new Loaded(gen, offset, count, b.length, cutDb);
    }
}
