package io.jkevy.engine.command;

import java.util.ArrayList;
import java.util.List;

/** Command flags as bits; names as COMMAND INFO reports them. */
public final class CommandFlags {
    private CommandFlags() { }

    public static final int WRITE = 1;
    public static final int READONLY = 1 << 1;
    public static final int DENYOOM = 1 << 2;
    public static final int ADMIN = 1 << 3;
    public static final int PUBSUB = 1 << 4;
    public static final int NOSCRIPT = 1 << 5;
    public static final int LOADING = 1 << 6;
    public static final int STALE = 1 << 7;
    public static final int FAST = 1 << 8;
    public static final int BLOCKING = 1 << 9;
    public static final int MOVABLEKEYS = 1 << 10;
    public static final int NO_AUTH = 1 << 11;
    public static final int SKIP_SLOWLOG = 1 << 12;
    public static final int NO_MULTI = 1 << 13;
    public static final int ALLOW_BUSY = 1 << 14;
    public static final int SKIP_MONITOR = 1 << 15;
    /** Internal, not reported: the command touches the whole keyspace and takes every stripe. */
    public static final int GLOBAL = 1 << 24;

    private static final String[] NAMES = {
        "write", "readonly", "denyoom", "admin", "pubsub", "noscript", "loading", "stale", "fast",
        "blocking", "movablekeys", "no_auth", "skip_slowlog", "no_multi", "allow_busy", "skip_monitor",
    };

    /** Parses space-separated flag names ("write denyoom", plus "global" for the internal flag). */
    public static int parse(String names) {
        int f = 0;
        for (String n : names.trim().split("\\s+")) {
            if (n.isEmpty()) continue;
            if (n.equals("global")) { f |= GLOBAL; continue; }
            int i = java.util.Arrays.asList(NAMES).indexOf(n);
            if (i < 0) throw new IllegalArgumentException("unknown command flag " + n);
            f |= 1 << i;
        }
        return f;
    }

    /** The reported flag names of a bit set, in a fixed order. */
    public static List<String> names(int flags) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) if ((flags & (1 << i)) != 0) out.add(NAMES[i]);
        return out;
    }
}
