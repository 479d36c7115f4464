package io.jkevy.engine.command.keys;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.CommandTable;
import io.jkevy.engine.rdb.DumpPayload;
import io.jkevy.engine.rdb.RdbFormatException;
import io.jkevy.store.Db;
import io.jkevy.store.ValueType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** DUMP and RESTORE, in Redis's payload format ({@link DumpPayload}). */
public final class DumpRestore {
    private DumpRestore() { }

    private static final String BUSYKEY = "BUSYKEY Target key name already exists.";
    private static final String BAD_PAYLOAD = "ERR DUMP payload version or checksum are wrong";
    private static final String BAD_FORMAT = "ERR Bad data format";
    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ABSTTL = "ABSTTL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLACE = "REPLACE".getBytes(StandardCharsets.US_ASCII);

    public static void register(CommandTable t) {
        t.add("dump", 2, "readonly", 1, 1, 1, "@keyspace @read @slow", "generic", "2.6.0",
                "Return a serialized version of the value stored at the specified key.", DumpRestore::dump);
        t.add("restore", -4, "write denyoom", 1, 1, 1, "@keyspace @write @slow @dangerous", "generic", "2.6.0",
                "Create a key using the provided serialized value, previously obtained using DUMP.", DumpRestore::restore);
    }

    static void dump(CommandContext c) {
        Object v = KeyOps.lookupRead(c, c.db(), c.arg(1));
        if (v == null) {
            c.out().nullBulk();
            return;
        }
        ValueType t = ValueType.of(v);
        if (!DumpPayload.canDump(t)) {
            throw CommandContext.error("ERR DUMP of " + t.typeName() + " values is not supported yet");
        }
        String compression = c.engine().config().get("rdbcompression");
        c.out().bulk(DumpPayload.dump(v, !"no".equalsIgnoreCase(compression)));
    }

    /**
     * RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f]. Checks run in Redis's
     * order: options, existing key (BUSYKEY), ttl, payload footer, payload body. A ttl that is
     * already past creates nothing (and, with REPLACE, deletes the old key: journaled as DEL).
     * A relative ttl is journaled as an absolute one: RESTORE key abs-ms payload ABSTTL ...
     */
    static void restore(CommandContext c) {
        boolean replace = false, absTtl = false;
        long idle = -1, freq = -1;
        int argc = c.argc();
        for (int j = 4; j < argc; j++) {
            int more = argc - j - 1;
            if (c.argIs(j, "replace")) {
                replace = true;
            } else if (c.argIs(j, "absttl")) {
                absTtl = true;
            } else if (c.argIs(j, "idletime") && more >= 1 && freq == -1) {
                idle = c.longArg(j + 1);
                if (idle < 0) throw CommandContext.error("ERR Invalid IDLETIME value, must be >= 0");
                j++;
            } else if (c.argIs(j, "freq") && more >= 1 && idle == -1) {
                freq = c.longArg(j + 1);
                if (freq < 0 || freq > 255) throw CommandContext.error("ERR Invalid FREQ value, must be >= 0 and <= 255");
                j++;
            } else {
                throw c.syntax();
            }
        }
        Db db = c.db();
        byte[] key = c.arg(1);
        if (!replace && db.exists(key)) throw CommandContext.error(BUSYKEY);
        long ttl = c.longArg(2);
        if (ttl < 0) throw CommandContext.error("ERR Invalid TTL value, must be >= 0");
        byte[] payload = c.arg(3);
        if (!DumpPayload.verify(payload)) throw CommandContext.error(BAD_PAYLOAD);
        Object value;
        try {
            value = DumpPayload.restore(payload);
        } catch (RdbFormatException e) {
            throw CommandContext.error(BAD_FORMAT);
        }

        boolean deleted = replace && db.remove(key);
        if (ttl != 0 && !absTtl) ttl += c.now();     // wraps like Redis: a huge ttl ends up in the past
        if (ttl != 0 && ttl <= c.now()) {
            if (deleted) {
                c.propagate(DEL, key);
                c.touched(key);
            }
            c.out().ok();
            return;
        }
        db.put(key, value, ttl);
        if (idle >= 0 && !KeyOps.lfuPolicy(c)) {
            long at = c.keyspace().lruClock() - idle;
            KeyOps.setAccessTime(c, db, key, (int) Math.max(0, at));
        }
        if (freq >= 0 && KeyOps.lfuPolicy(c)) {
            KeyOps.setAccessTime(c, db, key, io.jkevy.store.Lfu.of((int) freq, c.keyspace().lruClock()));
        }
        if (ttl != 0 && !absTtl) {
            List<byte[]> effect = new ArrayList<>(10);
            effect.add(c.arg(0));
            effect.add(key);
            effect.add(Long.toString(ttl).getBytes(StandardCharsets.US_ASCII));
            effect.add(payload);
            effect.add(ABSTTL);
            if (replace) effect.add(REPLACE);
            for (int j = 4; j < argc; j++) {
                if (c.argIs(j, "idletime") || c.argIs(j, "freq")) {
                    effect.add(c.arg(j));
                    effect.add(c.arg(++j));
                }
            }
            c.propagate(effect.toArray(new byte[0][]));
            c.touched(key);
        } else {
            c.propagateAsIs(key);
        }
        c.out().ok();
    }
}
