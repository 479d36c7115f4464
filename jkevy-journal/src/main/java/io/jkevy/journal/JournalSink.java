package io.jkevy.journal;

/**
 * A consumer of appended frames (disk segments, replication links, feed waiters). Called
 * under the journal lock in offset order, so it must only copy or enqueue — never block.
 */
@FunctionalInterface
public interface JournalSink {
    void appended(long offset, byte[] frame);

    /** A new history starts: the next frame carries {@code nextOffset} in {@code generation}. */
    default void generationStarted(long generation, long nextOffset) { }
}
