package io.jkevy.store.type.stream;

import java.util.TreeMap;

/** A consumer of a group: its name, when it was last seen (unix ms) and its own pending entries. */
public final class StreamConsumer {
    public final byte[] name;
    public long seenTime;
    /** The subset of the group PEL owned by this consumer; same {@link PendingEntry} objects. */
    public final TreeMap<StreamId, PendingEntry> pel = new TreeMap<>();

    public StreamConsumer(byte[] name, long seenTime) {
        this.name = name;
        this.seenTime = seenTime;
    }
}
