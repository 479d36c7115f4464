package io.jkevy.journal.disk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of journal segments.
 *
 * <pre>
 *   segment  = header record*
 *   header   = magic "JKVYJRN1" (8) | generation u64 | first offset u64 | crc32c of the 24 bytes before (u32)
 *   record   = payload length u32 | crc32c(payload) u32 | payload
 *   payload  = one journal frame, exactly as {@link io.jkevy.journal.Frames} encodes it
 * </pre>
 *
 * All integers are big-endian. A segment holds frames of one generation with dense offsets
 * starting at the header's first offset; a new generation always starts a new segment. Files
 * are named {@code journal-<sequence>.seg} with a zero-padded decimal sequence that orders them.
 */
public final class SegmentFormat {
    private SegmentFormat() { }

    static final byte[] MAGIC = "JKVYJRN1".getBytes(StandardCharsets.US_ASCII);
    public static final int HEADER_BYTES = 8 + 8 + 8 + 4;
    public static final int RECORD_HEADER_BYTES = 8;
    /** Largest payload a record may declare (a frame of a maximal bulk plus room). */
    public static final int MAX_PAYLOAD = Integer.MAX_VALUE - 64;
    static final String PREFIX = "journal-";
    static final String SUFFIX = ".seg";

    static String fileName(long sequence) { return String.format("%s%012d%s", PREFIX, sequence, SUFFIX); }

    /** The sequence number of a segment file name, or -1 when the name is not a segment's. */
    static long sequenceOf(String name) {
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) return -1;
        String digits = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
        if (digits.isEmpty() || digits.length() > 18) return -1;
        for (int i = 0; i < digits.length(); i++) if (!Character.isDigit(digits.charAt(i))) return -1;
        return Long.parseLong(digits);
    }

    static byte[] header(long generation, long firstOffset) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
        b.put(MAGIC).putLong(generation).putLong(firstOffset);
        b.putInt(crc(b.array(), 0, 24));
        return b.array();
    }

    static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }
}
