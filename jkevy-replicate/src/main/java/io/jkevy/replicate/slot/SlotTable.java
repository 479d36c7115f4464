package io.jkevy.replicate.slot;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The primary's record of its replicas (spec/replication.md, "Slot table"): one slot per
 * replica id with the time it was last heard from and the offset it acknowledged, which only
 * moves forward. Slots of disconnected replicas are kept for the reconnect window, then
 * expired. Pure: the caller passes the time (monotonic milliseconds); not thread-safe (one
 * owner drives it).
 */
public final class SlotTable {
    /** One replica's slot, as a snapshot for reporting. */
    public record Slot(String id, long lastSeenMillis, long ackedOffset, boolean connected) { }

    private static final class Entry {
        long lastSeen;
        long acked = -1;
        boolean connected;
    }

    private final long windowMillis;
    private final Map<String, Entry> slots = new TreeMap<>();     // ordered: reports and tests are reproducible

    public SlotTable(long reconnectWindowMillis) {
        if (reconnectWindowMillis < 0) throw new IllegalArgumentException("reconnect window must not be negative");
        this.windowMillis = reconnectWindowMillis;
    }

    /** A replica connected (or reconnected): its slot is created or revived; its acked offset is kept. */
    public void connected(String id, long now) {
        Entry e = slots.computeIfAbsent(id, k -> new Entry());
        e.connected = true;
        e.lastSeen = Math.max(e.lastSeen, now);
    }

    /** The replica's link closed: the slot stays for the reconnect window from {@code now}. */
    public void disconnected(String id, long now) {
        Entry e = slots.get(id);
        if (e == null) return;
        e.connected = false;
        e.lastSeen = Math.max(e.lastSeen, now);
    }

    /** REPLCONF ACK: the replica's next expected offset; a lower one than recorded is ignored. */
    public void acked(String id, long nextOffset, long now) {
        Entry e = slots.computeIfAbsent(id, k -> new Entry());
        e.lastSeen = Math.max(e.lastSeen, now);
        if (nextOffset > e.acked) e.acked = nextOffset;
    }

    /** Removes disconnected slots whose window has passed; returns their ids. */
    public List<String> expire(long now) {
        List<String> gone = new ArrayList<>();
        slots.entrySet().removeIf(x -> {
            Entry e = x.getValue();
            boolean dead = !e.connected && now >= saturatingAdd(e.lastSeen, windowMillis);
            if (dead) gone.add(x.getKey());
            return dead;
        });
        return gone;
    }

    static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }

    /** The lowest acknowledged offset among kept slots (the backlog keeps what is at or above it); -1 when none has acked. */
    public long minimumAcked() {
        long min = Long.MAX_VALUE;
        for (Entry e : slots.values()) if (e.acked >= 0) min = Math.min(min, e.acked);
        return min == Long.MAX_VALUE ? -1 : min;
    }

    /** WAIT: how many connected replicas have acknowledged everything before {@code offset}. */
    public int ackedAtLeast(long offset) {
        int n = 0;
        for (Entry e : slots.values()) if (e.connected && e.acked >= offset) n++;
        return n;
    }

    /** Connected replicas heard from within {@code maxLagMillis} (min-replicas-to-write). */
    public int goodReplicas(long now, long maxLagMillis) {
        int n = 0;
        for (Entry e : slots.values()) if (e.connected && now - e.lastSeen <= maxLagMillis) n++;
        return n;
    }

    public List<Slot> slots() {
        List<Slot> out = new ArrayList<>();
        slots.forEach((id, e) -> out.add(new Slot(id, e.lastSeen, e.acked, e.connected)));
        return Collections.unmodifiableList(out);
    }

    public int size() { return slots.size(); }
}
