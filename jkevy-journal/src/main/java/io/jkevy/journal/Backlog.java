package io.jkevy.journal;

import java.util.ArrayList;
import java.util.List;

/**
 * The newest frames, bounded by bytes. The newest frame is never evicted, even when it alone
 * is over the budget. Not thread-safe: the {@link Journal} guards it.
 *
 * <p>Frames are copied into large blocks rather than kept as arrays of their own: every frame
 * outlives many young collections (it stays until the budget pushes it out), and a frame per
 * array made the collector copy each one into the old generation, which cost a primary and its
 * replicas up to half their time under write load (docs/benchmarks.md). A frame never straddles
 * two blocks; one larger than a block gets a block of its own.
 */
public final class Backlog {
    static final int BLOCK = 256 << 10;

    /** Receives frames read from the backlog, as ranges of its blocks (valid during the call only). */
    public interface FrameSink {
        void frame(byte[] block, int offset, int length);
    }

    // the frame index: a ring of (block sequence, position, length), oldest at head
    private long[] blockOf = new long[64];
    private int[] posOf = new int[64];
    private int[] lenOf = new int[64];
    private int head;
    private int count;
    private long firstOffset;    // offset of the frame at head
    private long bytes;          // frame bytes retained
    private long budget;

    // the blocks: a ring of arrays; firstBlock is the sequence number of blocks[blockHead]
    private byte[][] blocks = new byte[8][];
    private int blockHead;
    private int blockCount;
    private long firstBlock;
    private int fill;            // bytes used in the newest block

    public Backlog(long budgetBytes, long firstOffset) {
        this.budget = budgetBytes;
        this.firstOffset = firstOffset;
    }

    public long budget() { return budget; }

    public void budget(long b) { budget = b; trim(); }

    public long bytes() { return bytes; }

    public int frames() { return count; }

    /** Bytes of the blocks held (the frames plus the unused end of the newest block). */
    long blockBytes() {
        long n = 0;
        for (int i = 0; i < blockCount; i++) n += blocks[(blockHead + i) & (blocks.length - 1)].length;
        return n;
    }

    /** Offset of the oldest retained frame (== next offset when empty). */
    public long firstOffset() { return firstOffset; }

    void add(byte[] frame) {
        int n = frame.length;
        byte[] cur = blockCount == 0 ? null : blocks[(blockHead + blockCount - 1) & (blocks.length - 1)];
        if (cur == null || cur.length - fill < n) {
            cur = new byte[Math.max(BLOCK, n)];
            if (blockCount == blocks.length) {
                blocks = resize(blocks, blockHead, blockCount, blocks.length * 2);
                blockHead = 0;
            }
            if (blockCount == 0) blockHead = 0;
            blocks[(blockHead + blockCount) & (blocks.length - 1)] = cur;
            blockCount++;
            fill = 0;
        }
        System.arraycopy(frame, 0, cur, fill, n);
        if (count == blockOf.length) growIndex(blockOf.length * 2);
        int slot = (head + count) & (blockOf.length - 1);
        blockOf[slot] = firstBlock + blockCount - 1;
        posOf[slot] = fill;
        lenOf[slot] = n;
        fill += n;
        count++;
        bytes += n;
        trim();
    }

    private void trim() {
        while (bytes > budget && count > 1) {
            bytes -= lenOf[head];
            head = (head + 1) & (blockOf.length - 1);
            count--;
            firstOffset++;
        }
        if (count == 0) return;
        // blocks no retained frame points into are dropped
        long keepFrom = blockOf[head];
        while (blockCount > 1 && firstBlock < keepFrom) {
            blocks[blockHead] = null;
            blockHead = (blockHead + 1) & (blocks.length - 1);
            blockCount--;
            firstBlock++;
        }
        if (count < blockOf.length / 4 && blockOf.length > 64) growIndex(blockOf.length / 2);
    }

    private void growIndex(int cap) {
        long[] b = new long[cap];
        int[] p = new int[cap], l = new int[cap];
        for (int i = 0; i < count; i++) {
            int s = (head + i) & (blockOf.length - 1);
            b[i] = blockOf[s];
            p[i] = posOf[s];
            l[i] = lenOf[s];
        }
        blockOf = b;
        posOf = p;
        lenOf = l;
        head = 0;
    }

    private static byte[][] resize(byte[][] ring, int head, int count, int cap) {
        byte[][] n = new byte[cap][];
        for (int i = 0; i < count; i++) n[i] = ring[(head + i) & (ring.length - 1)];
        return n;
    }

    /** Drops everything and restarts at {@code nextOffset} (new generation). */
    void reset(long nextOffset) {
        blockOf = new long[64];
        posOf = new int[64];
        lenOf = new int[64];
        head = 0;
        count = 0;
        bytes = 0;
        firstOffset = nextOffset;
        blocks = new byte[8][];
        blockHead = 0;
        blockCount = 0;
        firstBlock = 0;
        fill = 0;
    }

    /** Up to {@code max} encoded frames starting at {@code from}, as copies; the caller checked the range. */
    List<byte[]> read(long from, int max) {
        List<byte[]> out = new ArrayList<>(Math.max(0, Math.min(max, count - (int) (from - firstOffset))));
        readInto(from, max, Long.MAX_VALUE, (b, off, len) -> out.add(java.util.Arrays.copyOfRange(b, off, off + len)));
        return out;
    }

    /**
     * Hands {@code sink} the frames from {@code from}: at most {@code maxFrames}, and no more
     * once {@code maxBytes} were given (at least one frame when there is one). Returns how
     * many; the caller checked the range.
     */
    int readInto(long from, int maxFrames, long maxBytes, FrameSink sink) {
        int start = (int) (from - firstOffset);
        int n = Math.min(maxFrames, count - start);
        long given = 0;
        int i = 0;
        for (; i < n && (i == 0 || given < maxBytes); i++) {
            int s = (head + start + i) & (blockOf.length - 1);
            byte[] block = blocks[(int) ((blockHead + (blockOf[s] - firstBlock)) & (blocks.length - 1))];
            sink.frame(block, posOf[s], lenOf[s]);
            given += lenOf[s];
        }
        return Math.max(0, i);
    }
}
