package io.jkevy.store;

import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of the keyspace's estimated heap footprint (see {@link Heap}), kept by the
 * {@link KeyTable}s as they change: {@link #entryBytes} for keys and values (each entry's
 * estimate recorded in its slot, so removal subtracts exactly what was added), and
 * {@link #tableBytes} for the tables' slot arrays. Striped adders: writers on different
 * stripes never contend; a read sums a few cells and is racy, which is all INFO and the
 * maxmemory check need.
 */
public final class MemoryMeter {
    final LongAdder entries = new LongAdder();
    final LongAdder tables = new LongAdder();

    /** Keys and values of every database. */
    public long entryBytes() { return entries.sum(); }

    /** Slot arrays of every stripe table of every database. */
    public long tableBytes() { return tables.sum(); }

    public long total() { return entries.sum() + tables.sum(); }
}
