package io.jkevy.engine.persist;

import io.jkevy.engine.Engine;
import io.jkevy.engine.acl.Acl;
import io.jkevy.engine.command.CommandFlags;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.rdb.DumpPayload;
import io.jkevy.engine.rdb.RdbOutput;
import io.jkevy.store.Db;
import io.jkevy.store.KeyTable;
import io.jkevy.store.Keyspace;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A snapshot in progress: the keyspace exactly as it was at journal offset {@link #offset},
 * taken without stopping the world (ARCHITECTURE, concurrency).
 *
 * <p>The cut is made under every stripe lock (nothing can be half-applied), then the snapshot
 * thread visits one stripe at a time under that stripe's lock, serializing its entries. A
 * write that is about to change a key in a stripe not visited yet first serializes the key's
 * pre-image ({@link #beforeWrite}, called by the dispatcher with the command's locks held) and
 * marks it, so the visit skips it: entry-level copy-on-write. Commands that touch the whole
 * keyspace (FLUSHALL, SWAPDB, ...) finish every pending stripe first. Deletions by expiry or
 * eviction need no pre-image: their DEL frames follow in the journal, and applying them to a
 * snapshot that already lacks the key changes nothing.
 */
final class SnapshotCut implements Engine.WriteHook {
    final long generation;
    final long offset;
    private final Keyspace keyspace;
    private final boolean[] pending;          // per stripe; read and written under that stripe's lock
    private final Set<Key> preserved = ConcurrentHashMap.newKeySet();
    /** Serialized entry records, in no particular order, waiting for the snapshot thread to write them. */
    final ConcurrentLinkedQueue<byte[]> chunks = new ConcurrentLinkedQueue<>();
    private volatile boolean anyPreserved;
    final java.util.concurrent.atomic.AtomicLong entries = new java.util.concurrent.atomic.AtomicLong();

    private record Key(int db, byte[] key) {
        @Override public boolean equals(Object o) { return o instanceof Key k && k.db == db && Arrays.equals(k.key, key); }

        @Override public int hashCode() { return 31 * db + Arrays.hashCode(key); }
    }

    SnapshotCut(Keyspace keyspace, long generation, long offset) {
        this.keyspace = keyspace;
        this.generation = generation;
        this.offset = offset;
        this.pending = new boolean[keyspace.stripes()];
        Arrays.fill(pending, true);
    }

    /** Dispatcher hook: {@code spec} is about to write; the caller holds its stripe locks. */
    @Override
    public void beforeWrite(Engine engine, CommandSpec spec, byte[][] argv) {
        if (spec.has(CommandFlags.GLOBAL)) {           // the caller holds every lock
            for (int st = 0; st < pending.length; st++) if (pending[st]) visit(st);
            return;
        }
        int[] positions;
        if (spec.has(CommandFlags.MOVABLEKEYS)) {
            positions = Acl.keyPositions(spec, argv);
        } else {
            if (spec.firstKey() <= 0) return;
            int last = spec.lastKeyIndex(argv.length), step = Math.max(1, spec.step());
            positions = new int[Math.max(0, (last - spec.firstKey()) / step + 1)];
            for (int i = 0, p = spec.firstKey(); p <= last && i < positions.length; p += step) positions[i++] = p;
        }
        for (int p : positions) {
            if (p <= 0 || p >= argv.length) continue;
            byte[] key = argv[p];
            int st = keyspace.stripeOf(key);
            if (!pending[st]) continue;
            // MOVE and COPY ... DB write the same key in another database: keep it in every one
            for (int db = 0; db < keyspace.databases(); db++) preserve(db, key);
        }
    }

    private void preserve(int db, byte[] key) {
        if (!preserved.add(new Key(db, key))) return;
        anyPreserved = true;
        Db d = keyspace.db(db);
        Object v = d.peek(key);
        if (v == null) return;                          // absent at the cut: nothing to keep, and skip it later
        RdbOutput out = new RdbOutput(64);
        selectDb(out, db);
        record(out, key, d.expireAt(key), d.version(key), v);
        entries.incrementAndGet();
        chunks.add(out.toByteArray());
    }

    /** Serializes every entry of stripe {@code st} not already preserved; the caller holds its lock. */
    void visit(int st) {
        if (!pending[st]) return;
        RdbOutput out = new RdbOutput(1 << 16);
        for (int db = 0; db < keyspace.databases(); db++) {
            KeyTable t = keyspace.db(db).stripeTable(st);
            if (t.size() == 0) continue;
            selectDb(out, db);
            for (int slot = 0, cap = t.capacity(); slot < cap; slot++) {
                byte[] key = t.keyAt(slot);
                if (key == null) continue;
                if (anyPreserved && preserved.contains(new Key(db, key))) continue;
                record(out, key, t.expireAt(slot), t.versionAt(slot), t.valueAt(slot));
                entries.incrementAndGet();
                if (out.size() > 1 << 20) {
                    chunks.add(out.toByteArray());
                    out.reset();
                    selectDb(out, db);          // every chunk says its database: chunks may be written apart
                }
            }
        }
        if (out.size() > 0) chunks.add(out.toByteArray());
        pending[st] = false;
    }

    /** A database record: the entries after it (up to the next one) belong to {@code db}. */
    static void selectDb(RdbOutput out, int db) {
        out.writeByte(SnapshotFile.SELECT_DB);
        varint(out, db);
    }

    /** One entry record: the value's RDB type id, key, expire-at, version, then the value body. */
    static void record(RdbOutput out, byte[] key, long expireAt, long version, Object value) {
        out.writeByte(DumpPayload.typeIdOf(value));
        varint(out, key.length);
        out.writeBytes(key, 0, key.length);
        varint(out, expireAt);
        varint(out, version);
        DumpPayload.writeBody(value, out);
    }

    /** Unsigned LEB128: 7 bits a byte, low first, high bit set on all but the last. */
    static void varint(RdbOutput out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }
}
