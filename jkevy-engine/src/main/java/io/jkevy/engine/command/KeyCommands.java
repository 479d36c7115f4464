package io.jkevy.engine.command;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.keys.DumpRestore;
import io.jkevy.engine.command.keys.ExpireCommands;
import io.jkevy.engine.command.keys.KeyOps;
import io.jkevy.engine.command.keys.ObjectCommand;
import io.jkevy.engine.command.keys.ScanCommands;
import io.jkevy.store.Db;
import io.jkevy.store.TypedValue;
import io.jkevy.store.ValueType;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Generic key commands (Redis group "generic"): deletion, existence, renaming, copying and
 * moving keys, expiry, iteration, introspection (OBJECT) and serialization (DUMP/RESTORE).
 */
public final class KeyCommands {
    private KeyCommands() { }

    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);
    private static final String SAME_OBJECT = "ERR source and destination objects are the same";
    private static final String INT_RANGE = "ERR value is out of range, value must between -2147483648 and 2147483647";

    public static void register(CommandTable t) {
        io.jkevy.engine.command.keys.SortCommand.register(t);
        t.add("del", -2, "write", 1, -1, 1, "@keyspace @write @slow", "generic", "1.0.0",
                "Delete a key", KeyCommands::del);
        t.add("unlink", -2, "write fast", 1, -1, 1, "@keyspace @write @fast", "generic", "4.0.0",
                "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.", KeyCommands::del);
        t.add("exists", -2, "readonly fast", 1, -1, 1, "@keyspace @read @fast", "generic", "1.0.0",
                "Determine if a key exists", KeyCommands::exists);
        t.add("type", 2, "readonly fast", 1, 1, 1, "@keyspace @read @fast", "generic", "1.0.0",
                "Determine the type stored at key", KeyCommands::type);
        t.add("rename", 3, "write", 1, 2, 1, "@keyspace @write @slow", "generic", "1.0.0",
                "Rename a key", c -> rename(c, false));
        t.add("renamenx", 3, "write fast", 1, 2, 1, "@keyspace @write @fast", "generic", "1.0.0",
                "Rename a key, only if the new key does not exist", c -> rename(c, true));
        t.add("copy", -3, "write denyoom", 1, 2, 1, "@keyspace @write @slow", "generic", "6.2.0",
                "Copy a key", KeyCommands::copy);
        t.add("move", 3, "write fast", 1, 1, 1, "@keyspace @write @fast", "generic", "1.0.0",
                "Move a key to another database", KeyCommands::move);
        t.add("touch", -2, "readonly fast", 1, -1, 1, "@keyspace @read @fast", "generic", "3.2.1",
                "Alters the last access time of a key(s). Returns the number of existing keys specified.", KeyCommands::touch);
        t.add("randomkey", 1, "readonly global", 0, 0, 0, "@keyspace @read @slow", "generic", "1.0.0",
                "Return a random key from the keyspace", KeyCommands::randomKey);
        ExpireCommands.register(t);
        ScanCommands.register(t);
        ObjectCommand.register(t);
        DumpRestore.register(t);
    }

    /** DEL and UNLINK (the same here: there is no background freeing); journaled as DEL of the deleted keys. */
    static void del(CommandContext c) {
        Db db = c.db();
        int argc = c.argc();
        byte[][] deleted = null;
        int n = 0;
        for (int i = 1; i < argc; i++) {
            byte[] k = c.arg(i);
            if (db.remove(k)) {
                if (deleted == null) deleted = new byte[argc][];
                deleted[++n] = k;
                c.touched(k);
            }
        }
        if (n > 0) {
            deleted[0] = DEL;
            c.propagate(n + 1 == argc ? deleted : Arrays.copyOf(deleted, n + 1));
        }
        c.out().integer(n);
    }

    /** Counts every argument naming a live key (a key named twice counts twice). */
    static void exists(CommandContext c) {
        Db db = c.db();
        long n = 0;
        for (int i = 1; i < c.argc(); i++) if (KeyOps.lookupNoTouch(c, db, c.arg(i)) != null) n++;
        c.out().integer(n);
    }

    static void type(CommandContext c) {
        Object v = KeyOps.lookupNoTouch(c, c.db(), c.arg(1));
        c.out().simple(v == null ? "none" : ValueType.of(v).typeName());
    }

    /** Counts the live keys among the arguments, refreshing their access time. */
    static void touch(CommandContext c) {
        Db db = c.db();
        long n = 0;
        for (int i = 1; i < c.argc(); i++) if (KeyOps.lookupRead(c, db, c.arg(i)) != null) n++;
        c.out().integer(n);
    }

    static void randomKey(CommandContext c) {
        byte[] k = c.db().randomKey(c.engine()::randomInt);
        if (k == null) c.out().nullBulk(); else c.out().bulk(k);
    }

    /**
     * RENAME / RENAMENX: the value, its TTL and its access time move to the new name; an
     * existing destination is replaced (RENAME) or left alone (RENAMENX replies 0). Renaming a
     * key onto itself changes nothing and is not journaled.
     */
    static void rename(CommandContext c, boolean nx) {
        Db db = c.db();
        byte[] src = c.arg(1), dst = c.arg(2);
        Object v = db.peek(src);
        if (v == null) throw CommandContext.error(Errors.NO_SUCH_KEY);
        if (Arrays.equals(src, dst)) {
            if (nx) c.out().integer(0); else c.out().ok();
            return;
        }
        if (nx && db.exists(dst)) {
            c.out().integer(0);
            return;
        }
        long expireAt = db.expireAt(src);
        int access = db.accessTime(src);
        db.remove(src);
        db.put(dst, v, expireAt);
        KeyOps.setAccessTime(c, db, dst, access);
        c.propagate(c.argv());
        c.touched(src);
        c.touched(dst);
        if (nx) c.out().integer(1); else c.out().ok();
    }

    /** COPY source destination [DB n] [REPLACE]: a deep copy with the source's TTL. */
    static void copy(CommandContext c) {
        int srcDb = c.session().db();
        int dstDb = srcDb;
        boolean replace = false;
        for (int j = 3; j < c.argc(); j++) {
            if (c.argIs(j, "replace")) {
                replace = true;
            } else if (c.argIs(j, "db") && j < c.argc() - 1) {
                dstDb = dbIndexArg(c, j + 1);
                j++;
            } else {
                throw c.syntax();
            }
        }
        byte[] src = c.arg(1), dst = c.arg(2);
        if (srcDb == dstDb && Arrays.equals(src, dst)) throw CommandContext.error(SAME_OBJECT);
        Db from = c.db();
        Object v = KeyOps.lookupRead(c, from, src);
        if (v == null) {
            c.out().integer(0);
            return;
        }
        long expireAt = from.expireAt(src);
        Db to = c.keyspace().db(dstDb);
        if (!replace && to.exists(dst)) {
            c.out().integer(0);
            return;
        }
        Object copy = v instanceof byte[] b ? b.clone() : ((TypedValue) v).copy();
        to.put(dst, copy, expireAt);
        c.propagate(c.argv());
        c.touched(dstDb, dst);
        c.out().integer(1);
    }

    /**
     * MOVE key db: moves the value with its TTL and access time to another database; replies
     * 0 when the key is absent or the destination already has it. The key stays in its
     * stripe (stripes are per key, the same in every database), so its lock covers both sides.
     */
    static void move(CommandContext c) {
        int dstDb = dbIndexArg(c, 2);
        int srcDb = c.session().db();
        if (dstDb == srcDb) throw CommandContext.error(SAME_OBJECT);
        Db from = c.db();
        byte[] key = c.arg(1);
        Object v = from.peek(key);
        if (v == null) {
            c.out().integer(0);
            return;
        }
        Db to = c.keyspace().db(dstDb);
        if (to.exists(key)) {
            c.out().integer(0);
            return;
        }
        long expireAt = from.expireAt(key);
        int access = from.accessTime(key);
        to.put(key, v, expireAt);
        KeyOps.setAccessTime(c, to, key, access);
        from.remove(key);
        c.propagate(c.argv());
        c.touched(srcDb, key);
        c.touched(dstDb, key);
        c.out().integer(1);
    }

    /** A database index argument: an int (Redis's getIntFromObject errors) within range. */
    private static int dbIndexArg(CommandContext c, int i) {
        long id = c.longArg(i);
        if (id < Integer.MIN_VALUE || id > Integer.MAX_VALUE) throw CommandContext.error(INT_RANGE);
        if (id < 0 || id >= c.keyspace().databases()) throw CommandContext.error(Errors.INVALID_DB);
        return (int) id;
    }
}
