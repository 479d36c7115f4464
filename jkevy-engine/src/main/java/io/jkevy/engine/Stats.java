package io.jkevy.engine;

import java.util.concurrent.atomic.LongAdder;

/** Counters INFO reports (stats section); striped adders so event loops never contend. */
public final class Stats {
    public final long startMillis;
    public final LongAdder commands = new LongAdder();
    public final LongAdder connections = new LongAdder();
    public final LongAdder rejectedConnections = new LongAdder();
    public final LongAdder keyspaceHits = new LongAdder();
    public final LongAdder keyspaceMisses = new LongAdder();
    public final LongAdder expiredKeys = new LongAdder();
    public final LongAdder evictedKeys = new LongAdder();
    public final LongAdder netInputBytes = new LongAdder();
    public final LongAdder netOutputBytes = new LongAdder();
    public final LongAdder errorReplies = new LongAdder();
    public final LongAdder unexpectedErrorReplies = new LongAdder();
    /** Effects journaled since the last save (rdb_changes_since_last_save). */
    public final LongAdder dirty = new LongAdder();

    Stats(long startMillis) { this.startMillis = startMillis; }

    public void reset() {
        commands.reset(); connections.reset(); rejectedConnections.reset(); keyspaceHits.reset();
        keyspaceMisses.reset(); expiredKeys.reset(); evictedKeys.reset(); netInputBytes.reset();
        netOutputBytes.reset(); errorReplies.reset(); unexpectedErrorReplies.reset();
    }
}
