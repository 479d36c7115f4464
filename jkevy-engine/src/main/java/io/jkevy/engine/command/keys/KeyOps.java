package io.jkevy.engine.command.keys;

import io.jkevy.engine.CommandContext;
import io.jkevy.store.Db;
import io.jkevy.store.Hashing;
import io.jkevy.store.KeyTable;

import java.util.Locale;

/** Lookups with Redis's keyspace-hit accounting, and small shared helpers of the key commands. */
public final class KeyOps {
    private KeyOps() { }

    /** A read lookup that refreshes the access time (Redis's lookupKeyRead); counts a hit or miss. */
    public static Object lookupRead(CommandContext c, Db db, byte[] key) {
        Object v = db.get(key);
        if (v == null) c.miss(); else c.hit();
        return v;
    }

    /** A read lookup that leaves the access time alone (LOOKUP_NOTOUCH); counts a hit or miss. */
    public static Object lookupNoTouch(CommandContext c, Db db, byte[] key) {
        Object v = db.peek(key);
        if (v == null) c.miss(); else c.hit();
        return v;
    }

    /** Sets the LRU access time (seconds) of a live key; the caller holds the key's stripe. */
    public static void setAccessTime(CommandContext c, Db db, byte[] key, int seconds) {
        KeyTable t = db.stripeTable(c.keyspace().stripeOf(key));
        int slot = t.find(key, Hashing.hash(key));
        if (slot >= 0) t.setAccess(slot, seconds);
    }

    /** The configured maxmemory-policy, "noeviction" when the key is not registered. */
    public static String maxmemoryPolicy(CommandContext c) {
        String p = c.engine().config().get("maxmemory-policy");
        return p == null ? "noeviction" : p.toLowerCase(Locale.ROOT);
    }

    public static boolean lfuPolicy(CommandContext c) { return maxmemoryPolicy(c).contains("lfu"); }
}
