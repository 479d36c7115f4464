package io.jkevy.store.type.stream;

import java.util.Arrays;
import java.util.TreeMap;

/**
 * A consumer group: the last id delivered with {@code >}, the count of entries read (the
 * group's logical offset, {@link #INVALID_ENTRIES_READ} when unknown), the group PEL and the
 * consumers ordered by name bytes (Redis keeps them in a radix tree, so replies list them
 * in byte order).
 *
 * <p>Invariant: every {@link PendingEntry} is in {@link #pel} and in its consumer's pel, and
 * nowhere else.
 */
public final class ConsumerGroup {
    /** The "unknown" entries-read value (Redis's SCG_INVALID_ENTRIES_READ). */
    public static final long INVALID_ENTRIES_READ = -1;

    public final byte[] name;
    public StreamId lastId;
    public long entriesRead;
    public final TreeMap<StreamId, PendingEntry> pel = new TreeMap<>();
    public final TreeMap<byte[], StreamConsumer> consumers = new TreeMap<>(Arrays::compareUnsigned);

    public ConsumerGroup(byte[] name, StreamId lastId, long entriesRead) {
        this.name = name;
        this.lastId = lastId;
        this.entriesRead = entriesRead;
    }

    public StreamConsumer consumer(byte[] name) { return consumers.get(name); }

    /** Creates the consumer; the caller checked it does not exist. */
    public StreamConsumer createConsumer(byte[] name, long now) {
        StreamConsumer c = new StreamConsumer(name, now);
        consumers.put(name, c);
        return c;
    }

    /** Removes the consumer and its pending entries; returns how many were pending, -1 if absent. */
    public long deleteConsumer(byte[] name) {
        StreamConsumer c = consumers.remove(name);
        if (c == null) return -1;
        for (StreamId id : c.pel.keySet()) pel.remove(id);
        return c.pel.size();
    }

    /** Acknowledges one id; true when it was pending. */
    public boolean ack(StreamId id) {
        PendingEntry p = pel.remove(id);
        if (p == null) return false;
        p.consumer.pel.remove(id);
        return true;
    }

    /** Gives a pending entry to {@code to} (no-op when it already owns it). */
    public void assign(PendingEntry p, StreamConsumer to) {
        if (p.consumer == to) return;
        p.consumer.pel.remove(p.id);
        p.consumer = to;
        to.pel.put(p.id, p);
    }

    /** Adds a new pending entry owned by {@code c}, replacing any entry with that id. */
    public PendingEntry addPending(StreamId id, long time, long count, StreamConsumer c) {
        PendingEntry old = pel.get(id);
        if (old != null) old.consumer.pel.remove(id);
        PendingEntry p = new PendingEntry(id, time, count, c);
        pel.put(id, p);
        c.pel.put(id, p);
        return p;
    }

    ConsumerGroup copy() {
        ConsumerGroup g = new ConsumerGroup(name, lastId, entriesRead);
        for (StreamConsumer c : consumers.values()) {
            StreamConsumer nc = g.createConsumer(c.name, c.seenTime);
            for (PendingEntry p : c.pel.values()) g.addPending(p.id, p.deliveryTime, p.deliveryCount, nc);
        }
        return g;
    }
}
