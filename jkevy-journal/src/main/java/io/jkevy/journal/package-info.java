/**
 * The ordered change log: every applied write becomes one effect frame with the next dense
 * offset, appended in the same critical section as the write (ARCHITECTURE invariants 2-4).
 *
 * <p>Owns: the frame format ({@link io.jkevy.journal.Frames}), the in-memory backlog
 * ({@link io.jkevy.journal.Backlog}), and the {@code (generation, offset)} position
 * ({@link io.jkevy.journal.Journal}). Consumers — disk segments, the replication stream, the
 * change feed — register a {@link io.jkevy.journal.JournalSink} and read the backlog.
 *
 * <p>Does not: decide what an effect is (the engine rewrites non-deterministic commands
 * before it appends), own sockets, or fsync (disk segments plug in as a sink).
 */
package io.jkevy.journal;
