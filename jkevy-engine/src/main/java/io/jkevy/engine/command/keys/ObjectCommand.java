package io.jkevy.engine.command.keys;

import io.jkevy.engine.Args;
import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.command.CommandTable;
import io.jkevy.engine.config.Config;
import io.jkevy.store.Db;
import io.jkevy.store.TypedValue;

/** OBJECT ENCODING | REFCOUNT | IDLETIME | FREQ | HELP. Lookups do not touch the access time. */
public final class ObjectCommand {
    private ObjectCommand() { }

    /** Redis's OBJ_SHARED_REFCOUNT: the refcount reported for the shared integers 0..9999. */
    private static final long SHARED_REFCOUNT = Integer.MAX_VALUE;
    private static final long SHARED_INTEGERS = 10000;
    private static final int EMBSTR_MAX = 44;

    private static final String LFU_NOT_SELECTED = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. "
            + "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
    private static final String LFU_SELECTED = "ERR An LFU maxmemory policy is selected, idle time not tracked. "
            + "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

    private static final String[] HELP = {
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    };

    public static void register(CommandTable t) {
        CommandSpec c = CommandTable.spec("object", -2, "", 0, 0, 0, "@slow", "generic", "2.2.3",
                "A container for object introspection commands", null);
        c.sub(CommandTable.spec("object|encoding", 3, "readonly", 2, 2, 1, "@keyspace @read @slow", "generic", "2.2.3",
                "Inspect the internal encoding of a Redis object", ObjectCommand::encoding));
        c.sub(CommandTable.spec("object|refcount", 3, "readonly", 2, 2, 1, "@keyspace @read @slow", "generic", "2.2.3",
                "Get the number of references to the value of the key", ObjectCommand::refcount));
        c.sub(CommandTable.spec("object|idletime", 3, "readonly", 2, 2, 1, "@keyspace @read @slow", "generic", "2.2.3",
                "Get the time since a Redis object was last accessed", ObjectCommand::idletime));
        c.sub(CommandTable.spec("object|freq", 3, "readonly", 2, 2, 1, "@keyspace @read @slow", "generic", "4.0.0",
                "Get the logarithmic access frequency counter of a Redis object", ObjectCommand::freq));
        c.sub(CommandTable.spec("object|help", 2, "loading stale", 0, 0, 0, "@keyspace @slow", "generic", "6.2.0",
                "Show helpful text about the different subcommands", ObjectCommand::help));
        t.add(c);
    }

    /**
     * The encoding Redis would report for a string: "int" for a canonical integer that fits a
     * long, "embstr" up to 44 bytes, "raw" beyond.
     */
    public static String stringEncoding(byte[] s) {
        if (s.length <= 20 && Args.isLong(s)) return "int";
        return s.length <= EMBSTR_MAX ? "embstr" : "raw";
    }

    static void encoding(CommandContext c) {
        Object v = KeyOps.lookupNoTouch(c, c.db(), c.arg(2));
        if (v == null) {
            c.out().nullBulk();
            return;
        }
        c.out().bulk(v instanceof byte[] s ? stringEncoding(s) : ((TypedValue) v).encoding());
    }

    /**
     * 1 for every value (jkevy shares nothing), except that Redis shares the integers
     * 0..9999 between keys and reports them with OBJ_SHARED_REFCOUNT, unless maxmemory is set
     * with an LRU/LFU policy (which needs per-object access data).
     */
    static void refcount(CommandContext c) {
        Object v = KeyOps.lookupNoTouch(c, c.db(), c.arg(2));
        if (v == null) {
            c.out().nullBulk();
            return;
        }
        if (v instanceof byte[] s && s.length <= 4 && sharedIntegersEnabled(c)) {
            long n = Args.parseLongOr(s, -1, true);
            if (n >= 0 && n < SHARED_INTEGERS) {
                c.out().integer(SHARED_REFCOUNT);
                return;
            }
        }
        c.out().integer(1);
    }

    private static boolean sharedIntegersEnabled(CommandContext c) {
        String policy = KeyOps.maxmemoryPolicy(c);
        if (!policy.contains("lru") && !policy.contains("lfu")) return true;
        String mm = c.engine().config().get("maxmemory");
        if (mm == null) return true;
        try {
            return Config.parseMemory(mm) == 0;
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** Seconds since the key was last read or written (the LRU clock's resolution). */
    static void idletime(CommandContext c) {
        Db db = c.db();
        byte[] key = c.arg(2);
        int access = db.accessTime(key);
        if (access < 0) {
            c.miss();
            c.out().nullBulk();
            return;
        }
        c.hit();
        if (KeyOps.lfuPolicy(c)) throw CommandContext.error(LFU_SELECTED);
        c.out().integer(Math.max(0, (long) c.keyspace().lruClock() - access));
    }

    /**
     * Only meaningful under an LFU policy: the key's logarithmic access counter after decay
     * (see {@link io.jkevy.store.Lfu}), read without counting an access.
     */
    static void freq(CommandContext c) {
        Object v = KeyOps.lookupNoTouch(c, c.db(), c.arg(2));
        if (v == null) {
            c.out().nullBulk();
            return;
        }
        if (!KeyOps.lfuPolicy(c)) throw CommandContext.error(LFU_NOT_SELECTED);
        int stamp = c.db().accessTime(c.arg(2));
        c.out().integer(io.jkevy.store.Lfu.decayed(stamp, c.keyspace().lruClock(), c.keyspace().lfuDecayTime()));
    }

    static void help(CommandContext c) {
        c.out().arrayHeader(HELP.length);
        for (String line : HELP) c.out().simple(line);
    }
}
