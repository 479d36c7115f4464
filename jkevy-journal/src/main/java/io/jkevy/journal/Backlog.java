package io.jkevy.journal;

import java.util.ArrayList;
import java.util.List;

/**
 * The newest frames, bounded by bytes. The newest frame is never evicted, even when it alone
 * is over the budget. Not thread-safe: the {@link Journal} guards it.
 */
public final class Backlog {
    private byte[][] ring = new byte[64][];
    private int head;            // index of the oldest frame
    private int count;
    private long firstOffset;    // offset of ring[head]
    private long bytes;
    private long budget;

    public Backlog(long budgetBytes, long firstOffset) {
        this.budget = budgetBytes;
        this.firstOffset = firstOffset;
    }

    public long budget() { return budget; }

    public void budget(long b) { budget = b; trim(); }

    public long bytes() { return bytes; }

    public int frames() { return count; }

    /** Offset of the oldest retained frame (== next offset when empty). */
    public long firstOffset() { return firstOffset; }

    void add(byte[] frame) {
        if (count == ring.length) grow();
        ring[(head + count) & (ring.length - 1)] = frame;
        count++;
        bytes += frame.length;
        trim();
    }

    private void trim() {
        while (bytes > budget && count > 1) {
            byte[] f = ring[head];
            ring[head] = null;
            head = (head + 1) & (ring.length - 1);
            count--;
            firstOffset++;
            bytes -= f.length;
        }
        if (count < ring.length / 4 && ring.length > 64) shrink();
    }

    private void grow() { resizeRing(ring.length * 2); }

    private void shrink() { resizeRing(ring.length / 2); }

    private void resizeRing(int cap) {
        byte[][] n = new byte[cap][];
        for (int i = 0; i < count; i++) n[i] = ring[(head + i) & (ring.length - 1)];
        ring = n;
        head = 0;
    }

    /** Drops everything and restarts at {@code nextOffset} (new generation). */
    void reset(long nextOffset) {
        ring = new byte[64][];
        head = 0;
        count = 0;
        bytes = 0;
        firstOffset = nextOffset;
    }

    /** Up to {@code max} encoded frames starting at {@code from}; the caller checked the range. */
    List<byte[]> read(long from, int max) {
        int start = (int) (from - firstOffset);
        int n = Math.min(max, count - start);
        List<byte[]> out = new ArrayList<>(Math.max(0, n));
        for (int i = 0; i < n; i++) out.add(ring[(head + start + i) & (ring.length - 1)]);
        return out;
    }
}
