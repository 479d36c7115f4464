package io.jkevy.engine.tx;

import io.jkevy.engine.command.CommandFlags;
import io.jkevy.engine.command.CommandSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * One session's transaction state: whether it is inside MULTI, the commands queued so far,
 * whether queuing failed (EXEC then answers EXECABORT), and the keys it WATCHes.
 *
 * <p>Everything here is touched only by the thread serving the session, except
 * {@link #watched}, which CLIENT LIST reads from other threads: it is a volatile reference
 * to an array the owner never mutates in place (copy on write), and each {@link Watch}'s
 * dirty bit is volatile, set by whichever thread writes the watched key.
 */
public final class TxState {
    private static final Watch[] NONE = new Watch[0];

    private boolean multi;
    private boolean dirtyExec;
    private boolean queuedWrite;
    private List<byte[][]> queue = new ArrayList<>();
    private volatile int queued = -1;
    private volatile Watch[] watched = NONE;

    /** True between MULTI and EXEC/DISCARD/RESET. */
    public boolean inMulti() { return multi; }

    /** Commands queued in the current MULTI, -1 outside MULTI (CLIENT LIST multi=). */
    public int queuedCount() { return queued; }

    /** True when a command was rejected while queuing: EXEC will answer EXECABORT. */
    public boolean aborted() { return dirtyExec; }

    /** True when a queued command writes (the EXEC is then a write, e.g. for CLIENT PAUSE WRITE). */
    public boolean queuedWrite() { return queuedWrite; }

    void begin() {
        multi = true;
        dirtyExec = false;
        queuedWrite = false;
        queue.clear();
        queued = 0;
    }

    /**
     * Called by the dispatcher when a command sent in MULTI is rejected before it could be
     * queued (unknown command, bad arity, unknown subcommand, a no_multi command): the whole
     * transaction is then refused at EXEC. Outside MULTI it does nothing.
     */
    public void rejected() {
        if (multi) dirtyExec = true;
    }

    /** Adds a command to the queue (dropped when the transaction is already refused, as Redis). */
    void queue(CommandSpec spec, byte[][] argv) {
        if (dirtyExec) return;
        queue.add(argv);
        queued = queue.size();
        if (spec.has(CommandFlags.WRITE)) queuedWrite = true;
    }

    /** The queued commands, handed over whole (the state keeps a fresh queue). */
    List<byte[][]> takeQueue() {
        List<byte[][]> q = queue;
        queue = new ArrayList<>();
        return q;
    }

    /** Leaves MULTI, dropping anything queued. */
    void end() {
        multi = false;
        dirtyExec = false;
        queuedWrite = false;
        queue.clear();
        queued = -1;
    }

    // ---- watches (owner thread writes; others read the array) --------------------------

    Watch[] watched() { return watched; }

    void watched(Watch[] w) { watched = w; }

    /** True when the session watches keys and one of them was written since (CLIENT LIST 'd'). */
    public boolean watchTouched() {
        for (Watch w : watched) if (w.touched) return true;
        return false;
    }

    /** Number of keys watched (for tests and INFO-like reporting). */
    public int watchedCount() { return watched.length; }
}
