package io.jkevy.store.type.stream;

/**
 * A delivered, not yet acknowledged entry (Redis's NACK): the time of its last delivery (unix
 * ms), how many times it was delivered, and the consumer that owns it. Referenced from both
 * the group PEL and the owner's PEL.
 */
public final class PendingEntry {
    public final StreamId id;
    public long deliveryTime;
    public long deliveryCount;
    public StreamConsumer consumer;

    public PendingEntry(StreamId id, long deliveryTime, long deliveryCount, StreamConsumer consumer) {
        this.id = id;
        this.deliveryTime = deliveryTime;
        this.deliveryCount = deliveryCount;
        this.consumer = consumer;
    }
}
