package io.jkevy.engine.command;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.hll.Hll;
import io.jkevy.resp.RespWriter;

/**
 * HyperLogLog commands (Redis group "hyperloglog"). An HLL is a plain string value in Redis's
 * byte format ({@link Hll}), so GET/SET/DUMP/DEBUG DIGEST treat it as any string and values
 * move between jkevy and Redis unchanged. Stored arrays are never written in place: every
 * change builds a new array (copy-on-write in {@link Hll}).
 *
 * <p>Effects: PFADD and PFMERGE are deterministic given the state and are journaled as-is.
 * PFCOUNT of one key whose cached cardinality is stale writes the fresh estimate into the
 * header (bytes 8..15), like Redis; that changes the stored bytes, so it is journaled as-is too
 * ("PFCOUNT key" recomputes the same estimate from the same registers on a replica), which keeps
 * replicas' bytes and DEBUG DIGEST equal to the primary's. Redis propagates it the same way.
 * PFDEBUG GETREG/TODENSE journal themselves when they convert a sparse value to dense.
 */
public final class HyperLogLogCommands {
    private HyperLogLogCommands() { }

    static final String NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    static final String CORRUPT = "INVALIDOBJ Corrupted HLL object detected";
    private static final String NO_KEY = "ERR The specified key does not exist";

    public static void register(CommandTable t) {
        t.add("pfadd", -2, "write denyoom fast", 1, 1, 1, "@write @hyperloglog @fast", "hyperloglog", "2.8.9",
                "Adds elements to a HyperLogLog key. Creates the key if it doesn't exist.",
                HyperLogLogCommands::pfadd);
        t.add("pfcount", -2, "readonly", 1, -1, 1, "@read @hyperloglog @slow", "hyperloglog", "2.8.9",
                "Returns the approximated cardinality of the set(s) observed by the HyperLogLog key(s).",
                HyperLogLogCommands::pfcount);
        t.add("pfmerge", -2, "write denyoom", 1, -1, 1, "@write @hyperloglog @slow", "hyperloglog", "2.8.9",
                "Merges one or more HyperLogLog values into a single key.", HyperLogLogCommands::pfmerge);
        t.add("pfdebug", 3, "write denyoom admin", 2, 2, 1, "@write @hyperloglog @admin @slow @dangerous",
                "hyperloglog", "2.8.9", "Internal commands for debugging HyperLogLog values.",
                HyperLogLogCommands::pfdebug);
        t.add("pfselftest", 1, "admin", 0, 0, 0, "@hyperloglog @admin @slow @dangerous", "hyperloglog", "2.8.9",
                "An internal command for testing HyperLogLog values.", HyperLogLogCommands::pfselftest);
    }

    /** The stored HLL at key, null if absent; WRONGTYPE for other types and non-HLL strings. */
    private static Hll load(CommandContext c, Object v) {
        if (v == null) return null;
        if (!(v instanceof byte[] s)) throw c.wrongType();
        if (!Hll.isHll(s)) throw CommandContext.error(NOT_HLL);
        return Hll.wrap(s);
    }

    private static int sparseMax(CommandContext c) { return c.keyspace().encodings().hllSparseMaxBytes; }

    static void pfadd(CommandContext c) {
        byte[] key = c.arg(1);
        Hll h = load(c, c.db().get(key));
        boolean created = h == null;
        if (created) h = Hll.empty();
        int max = sparseMax(c);
        boolean updated = created;
        for (int i = 2; i < c.argc(); i++) {
            int r = h.add(c.arg(i), max);
            if (r < 0) throw CommandContext.error(CORRUPT);
            if (r > 0) updated = true;
        }
        if (updated) {
            h.invalidateCache();
            if (created) c.db().put(key, h.bytes());
            else c.db().putKeepTtl(key, h.bytes());
            c.propagateAsIs(key);
        }
        c.out().integer(updated ? 1 : 0);
    }

    static void pfcount(CommandContext c) {
        if (c.argc() == 2) {
            byte[] key = c.arg(1);
            Object v = c.db().get(key);
            if (v == null) {
                c.miss();
                c.out().integer(0);
                return;
            }
            c.hit();
            Hll h = load(c, v);
            if (h.cacheValid()) {
                c.out().integer(h.cached());
                return;
            }
            long card = h.count();
            if (card < 0) throw CommandContext.error(CORRUPT);
            h.setCached(card);
            c.db().putKeepTtl(key, h.bytes());
            c.propagateAsIs(key);
            c.out().integer(card);
            return;
        }
        byte[] max = new byte[Hll.REGISTERS];
        for (int i = 1; i < c.argc(); i++) {
            Object v = c.db().get(c.arg(i));
            if (v == null) {
                c.miss();
                continue;
            }
            c.hit();
            if (!load(c, v).mergeInto(max)) throw CommandContext.error(CORRUPT);
        }
        c.out().integer(Hll.countRaw(max));
    }

    static void pfmerge(CommandContext c) {
        byte[] dest = c.arg(1);
        byte[] max = new byte[Hll.REGISTERS];
        boolean anyDense = false;
        // the destination is also a source (argv[1] onwards), as in Redis
        for (int i = 1; i < c.argc(); i++) {
            Object v = c.db().get(c.arg(i));
            if (v == null) {
                c.miss();
                continue;
            }
            c.hit();
            Hll h = load(c, v);
            if (h.encoding() == Hll.DENSE) anyDense = true;
            if (!h.mergeInto(max)) throw CommandContext.error(CORRUPT);
        }
        Object cur = c.db().get(dest);
        boolean created = cur == null;
        Hll h = created ? Hll.empty() : Hll.wrap((byte[]) cur);
        if (anyDense && !h.toDense()) throw CommandContext.error(CORRUPT);
        int sparseMax = sparseMax(c);
        for (int j = 0; j < Hll.REGISTERS; j++) {
            if (max[j] == 0) continue;
            if (h.set(j, max[j], sparseMax) < 0) throw CommandContext.error(CORRUPT);
        }
        h.invalidateCache();
        if (created) c.db().put(dest, h.bytes());
        else c.db().putKeepTtl(dest, h.bytes());
        c.propagateAsIs(dest);
        c.out().ok();
    }

    static void pfdebug(CommandContext c) {
        String sub = c.argString(1);
        byte[] key = c.arg(2);
        Object v = c.db().get(key);
        if (v == null) throw CommandContext.error(NO_KEY);
        Hll h = load(c, v);
        RespWriter out = c.out();
        if (c.argIs(1, "getreg")) {
            if (h.encoding() == Hll.SPARSE) {
                if (!h.toDense()) throw CommandContext.error(CORRUPT);
                c.db().putKeepTtl(key, h.bytes());
                c.propagateAsIs(key);
            }
            out.arrayHeader(Hll.REGISTERS);
            for (int i = 0; i < Hll.REGISTERS; i++) out.integer(h.register(i));
        } else if (c.argIs(1, "decode")) {
            if (h.encoding() != Hll.SPARSE) throw CommandContext.error("ERR HLL encoding is not sparse");
            out.simple(h.decode());
        } else if (c.argIs(1, "encoding")) {
            out.simple(h.encoding() == Hll.DENSE ? "dense" : "sparse");
        } else if (c.argIs(1, "todense")) {
            boolean converted = false;
            if (h.encoding() == Hll.SPARSE) {
                if (!h.toDense()) throw CommandContext.error(CORRUPT);
                c.db().putKeepTtl(key, h.bytes());
                c.propagateAsIs(key);
                converted = true;
            }
            out.integer(converted ? 1 : 0);
        } else {
            throw CommandContext.error("ERR Unknown PFDEBUG subcommand '" + sub + "'");
        }
    }

    static void pfselftest(CommandContext c) {
        String failure = io.jkevy.engine.command.hll.HllSelfTest.run();
        if (failure != null) throw CommandContext.error("ERR " + failure);
        c.out().ok();
    }
}
