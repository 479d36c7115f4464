package io.jkevy.engine.pubsub;

import io.jkevy.engine.Args;
import io.jkevy.engine.CommandContext;
import io.jkevy.engine.config.Config;
import io.jkevy.engine.config.ConfigException;
import io.jkevy.store.Db;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Keyspace notifications ({@code notify-keyspace-events}): for each key a command wrote,
 * publishes {@code __keyspace@<db>__:<key> <event>} (class K) and
 * {@code __keyevent@<db>__:<event> <key>} (class E) for the event classes enabled.
 *
 * <p>Commands do not call this: the dispatcher reports every key a command touched, and
 * {@link #TABLE} names the event (and its class) per command; the few commands whose keys
 * play different roles (RENAME, MOVE, SMOVE, LMOVE and friends, SET with a TTL, ...) are
 * special-cased in {@link #touched}. A key that no longer exists after the write gets the
 * generic {@code del} event: after the command's own event for pops and removals (the
 * container was emptied), instead of it for everything else (a store command with an empty
 * result, EXPIRE in the past). A key whose version is still 0 was created by this command:
 * class n reports it as {@code new}. With the setting empty (the default) the dispatcher
 * checks one volatile int and does nothing else.
 */
public final class KeyspaceEvents {
    static final int K = 1, E = 1 << 1, G = 1 << 2, STR = 1 << 3, L = 1 << 4, S = 1 << 5, H = 1 << 6,
            Z = 1 << 7, X = 1 << 8, EV = 1 << 9, T = 1 << 10, M = 1 << 11, D = 1 << 12, N = 1 << 13;
    static final int ALL = G | STR | L | S | H | Z | X | EV | T | D;
    private static final String CLASSES = "g$lshzxetd";
    private static final int[] CLASS_BITS = {G, STR, L, S, H, Z, X, EV, T, D};

    private final Hub hub;
    private volatile int flags;
    private volatile String text = "";

    KeyspaceEvents(Hub hub) { this.hub = hub; }

    /** True when some notification would be published (K or E plus a class). */
    boolean enabled() { return flags != 0; }

    // ---- configuration ---------------------------------------------------------------

    static int parse(String s) throws ConfigException {
        int f = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case 'A' -> f |= ALL;
                case 'K' -> f |= K;
                case 'E' -> f |= E;
                case 'm' -> f |= M;
                case 'n' -> f |= N;
                default -> {
                    int j = CLASSES.indexOf(ch);
                    if (j < 0) throw new ConfigException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
                    f |= CLASS_BITS[j];
                }
            }
        }
        return f;
    }

    /** Redis's canonical spelling: "A" or the class letters, then n (only without A), K, E, m. */
    static String format(int f) {
        StringBuilder sb = new StringBuilder();
        if ((f & ALL) == ALL) {
            sb.append('A');
        } else {
            for (int i = 0; i < CLASS_BITS.length; i++) if ((f & CLASS_BITS[i]) != 0) sb.append(CLASSES.charAt(i));
            if ((f & N) != 0) sb.append('n');
        }
        if ((f & K) != 0) sb.append('K');
        if ((f & E) != 0) sb.append('E');
        if ((f & M) != 0) sb.append('m');
        return sb.toString();
    }

    Config.Entry configEntry() {
        return new Config.Entry() {
            @Override public String name() { return "notify-keyspace-events"; }

            @Override public String get() { return text; }

            @Override public void set(String value) throws ConfigException {
                int f = parse(value);
                text = format(f);
                // nothing is published unless a channel kind and a class are both chosen
                flags = (f & (K | E)) != 0 && (f & ~(K | E)) != 0 ? f : 0;
            }
        };
    }

    // ---- events ------------------------------------------------------------------------

    /** Event name and class per command (lower-case full name, as the command table has it). */
    private static final Map<String, Ev> TABLE = new HashMap<>();

    private record Ev(int cls, byte[] name, boolean removes) { }

    private static void ev(int cls, String event, String... commands) {
        for (String c : commands) TABLE.put(c, new Ev(cls, bytes(event), false));
    }

    /** Events that remove elements: a key they leave empty also gets "del". */
    private static void rm(int cls, String event, String... commands) {
        for (String c : commands) TABLE.put(c, new Ev(cls, bytes(event), true));
    }

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    static {
        ev(G, "del", "del", "unlink", "getdel");
        ev(G, "expire", "expire", "pexpire", "expireat", "pexpireat");
        ev(G, "persist", "persist");
        ev(G, "copy_to", "copy");
        ev(G, "restore", "restore");
        ev(STR, "set", "set", "setnx", "getset", "mset", "msetnx", "setex", "psetex", "bitop");
        ev(STR, "incrby", "incr", "decr", "incrby", "decrby");
        ev(STR, "incrbyfloat", "incrbyfloat");
        ev(STR, "append", "append");
        ev(STR, "setrange", "setrange");
        ev(STR, "setbit", "setbit", "bitfield");
        ev(STR, "pfadd", "pfadd", "pfmerge");
        ev(L, "lpush", "lpush", "lpushx");
        ev(L, "rpush", "rpush", "rpushx");
        ev(L, "linsert", "linsert");
        ev(L, "lset", "lset");
        ev(L, "sortstore", "sort", "sort_ro");
        rm(L, "lpop", "lpop", "blpop");
        rm(L, "rpop", "rpop", "brpop");
        rm(L, "lrem", "lrem");
        rm(L, "ltrim", "ltrim");
        ev(H, "hset", "hset", "hmset", "hsetnx");
        ev(H, "hincrby", "hincrby");
        ev(H, "hincrbyfloat", "hincrbyfloat");
        rm(H, "hdel", "hdel");
        ev(S, "sadd", "sadd");
        rm(S, "srem", "srem");
        rm(S, "spop", "spop");
        ev(S, "sinterstore", "sinterstore");
        ev(S, "sunionstore", "sunionstore");
        ev(S, "sdiffstore", "sdiffstore");
        ev(Z, "zadd", "zadd", "geoadd");
        ev(Z, "zincr", "zincrby");
        rm(Z, "zrem", "zrem");
        rm(Z, "zremrangebyscore", "zremrangebyscore");
        rm(Z, "zremrangebyrank", "zremrangebyrank");
        rm(Z, "zremrangebylex", "zremrangebylex");
        rm(Z, "zpopmin", "zpopmin", "bzpopmin");
        rm(Z, "zpopmax", "zpopmax", "bzpopmax");
        ev(Z, "zunionstore", "zunionstore");
        ev(Z, "zinterstore", "zinterstore");
        ev(Z, "zdiffstore", "zdiffstore");
        ev(Z, "zrangestore", "zrangestore");
        ev(Z, "georadiusstore", "georadius", "georadiusbymember");
        ev(Z, "geosearchstore", "geosearchstore");
        ev(T, "xadd", "xadd");
        ev(T, "xtrim", "xtrim");
        ev(T, "xdel", "xdel");
        ev(T, "xsetid", "xsetid");
        ev(T, "xgroup-create", "xgroup|create");
        ev(T, "xgroup-createconsumer", "xgroup|createconsumer");
        ev(T, "xgroup-delconsumer", "xgroup|delconsumer");
        ev(T, "xgroup-destroy", "xgroup|destroy");
        ev(T, "xgroup-setid", "xgroup|setid");
    }

    private static final Ev SET = TABLE.get("set");
    private static final Ev EXPIRE = TABLE.get("expire");
    private static final Ev PERSIST = TABLE.get("persist");
    private static final Ev DEL = TABLE.get("del");
    private static final Ev ZINCR = new Ev(Z, bytes("zincr"), false);
    private static final Ev RENAME_FROM = new Ev(G, bytes("rename_from"), false);
    private static final Ev RENAME_TO = new Ev(G, bytes("rename_to"), false);
    private static final Ev MOVE_FROM = new Ev(G, bytes("move_from"), false);
    private static final Ev MOVE_TO = new Ev(G, bytes("move_to"), false);
    private static final Ev LPUSH = TABLE.get("lpush"), RPUSH = TABLE.get("rpush");
    private static final Ev LPOP = TABLE.get("lpop"), RPOP = TABLE.get("rpop");
    private static final Ev SADD = TABLE.get("sadd"), SREM = TABLE.get("srem");
    private static final Ev ZPOPMIN = TABLE.get("zpopmin"), ZPOPMAX = TABLE.get("zpopmax");
    private static final byte[] NEW = bytes("new"), EXPIRED = bytes("expired"), EVICTED = bytes("evicted");

    /** A key written by the running command {@code c} (database {@code db}). */
    void touched(CommandContext c, int db, byte[] key) {
        int f = flags;
        if (f == 0 || hub.idle()) return;
        Db d = c.keyspace().db(db);
        boolean exists = d.exists(key);
        byte[][] argv = c.argv();
        String cmd = c.spec().name();
        if ((f & N) != 0 && exists && created(c, cmd, d, db, key)) notify(c, N, NEW, db, key);
        switch (cmd) {
            case "rename", "renamenx" -> {
                boolean from = java.util.Arrays.equals(key, argv[1]) && !exists;
                // Redis adds the destination before it reports either side
                if (from && (f & N) != 0) notify(c, N, NEW, db, argv[2]);
                emit(c, from ? RENAME_FROM : RENAME_TO, db, key, true);
            }
            case "move" -> {
                boolean from = db == c.session().db();
                if (from && (f & N) != 0) notify(c, N, NEW, (int) Args.parseLongOr(argv[2], db, true), key);
                emit(c, from ? MOVE_FROM : MOVE_TO, db, key, true);
            }
            case "smove" -> emit(c, java.util.Arrays.equals(key, argv[1]) ? SREM : SADD, db, key, exists);
            case "set" -> {
                emit(c, SET, db, key, exists);
                if (exists && hasTtlOption(argv, 3)) emit(c, EXPIRE, db, key, true);
            }
            case "setex", "psetex" -> {
                emit(c, SET, db, key, exists);
                if (exists) emit(c, EXPIRE, db, key, true);
            }
            case "getex" -> {
                if (!exists) emit(c, DEL, db, key, true);
                else if (hasTtlOption(argv, 2)) emit(c, EXPIRE, db, key, true);
                else emit(c, PERSIST, db, key, true);
            }
            case "xadd" -> {
                emit(c, TABLE.get("xadd"), db, key, true);
                byte[][] eff = c.lastEffect();     // journaled as XADD key MAXLEN = n ... when it trimmed
                if (eff != null && eff.length > 2 && Args.is(eff[2], "maxlen")) emit(c, TABLE.get("xtrim"), db, key, true);
            }
            case "zadd" -> emit(c, hasWord(argv, 2, "incr") ? ZINCR : TABLE.get("zadd"), db, key, exists);
            case "lmove", "blmove", "rpoplpush", "brpoplpush" -> listMove(c, db, key);
            case "lmpop", "blmpop" -> emit(c, direction(argv, cmd.startsWith("b") ? 2 : 1, "left") ? LPOP : RPOP, db, key, exists);
            case "zmpop", "bzmpop" -> emit(c, direction(argv, cmd.startsWith("b") ? 2 : 1, "min") ? ZPOPMIN : ZPOPMAX, db, key, exists);
            default -> {
                Ev ev = TABLE.get(cmd);
                if (ev != null) emit(c, ev, db, key, exists);
            }
        }
    }

    /**
     * Whether the command added {@code key} to the database (class n "new"): a key whose
     * version is still 0 was never stamped by a write. COPY and RESTORE always add their
     * destination anew (Redis deletes a replaced one first); RENAME and MOVE report their
     * destination before the source's event, the list moves in {@link #listMove}.
     */
    private static boolean created(CommandContext c, String cmd, Db d, int db, byte[] key) {
        byte[][] argv = c.argv();
        return switch (cmd) {
            case "rename", "renamenx", "move" -> false;      // reported with the source, see touched
            case "copy", "restore" -> true;
            case "lmove", "blmove", "rpoplpush", "brpoplpush" -> false;
            default -> d.version(key) == 0;
        };
    }

    /**
     * Sends {@code ev} for a key that exists; for a key the write left absent: the event then
     * "del" when it removes elements, just "del" otherwise ({@code exists} true skips the rule).
     */
    private void emit(CommandContext c, Ev ev, int db, byte[] key, boolean exists) {
        if (exists) {
            notify(c, ev.cls, ev.name, db, key);
        } else if (ev.removes) {
            notify(c, ev.cls, ev.name, db, key);
            notify(c, G, DEL.name, db, key);
        } else {
            notify(c, G, DEL.name, db, key);
        }
    }

    /** LMOVE and friends: the push on the destination, then the pop on the source (as Redis). */
    private void listMove(CommandContext c, int db, byte[] key) {
        byte[][] argv = c.argv();
        ClientState st = c.session().pubsubState();
        if (st.moveNotified == argv) return;
        st.moveNotified = argv;
        String cmd = c.spec().name();
        boolean fromLeft, toLeft;
        if (cmd.equals("rpoplpush") || cmd.equals("brpoplpush")) {
            fromLeft = false;
            toLeft = true;
        } else {
            fromLeft = Args.is(argv[3], "left");
            toLeft = Args.is(argv[4], "left");
        }
        Db d = c.keyspace().db(db);
        if ((flags & N) != 0 && !java.util.Arrays.equals(argv[1], argv[2]) && d.exists(argv[2]) && d.version(argv[2]) == 0) {
            notify(c, N, NEW, db, argv[2]);
        }
        notify(c, L, (toLeft ? LPUSH : RPUSH).name, db, argv[2]);
        emit(c, fromLeft ? LPOP : RPOP, db, argv[1], d.exists(argv[1]));
    }

    private static boolean hasTtlOption(byte[][] argv, int from) {
        for (int i = from; i < argv.length; i++) {
            byte[] a = argv[i];
            if (Args.is(a, "ex") || Args.is(a, "px") || Args.is(a, "exat") || Args.is(a, "pxat")) return true;
        }
        return false;
    }

    private static boolean hasWord(byte[][] argv, int from, String word) {
        for (int i = from; i < argv.length; i++) if (Args.is(argv[i], word)) return true;
        return false;
    }

    /** LMPOP/ZMPOP: the word after the keys ({@code numkeysAt} holds numkeys). */
    private static boolean direction(byte[][] argv, int numkeysAt, String word) {
        try {
            int n = Integer.parseInt(new String(argv[numkeysAt], StandardCharsets.US_ASCII));
            int at = numkeysAt + 1 + n;
            return at < argv.length && Args.is(argv[at], word);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static final byte[] KEYMISS = bytes("keymiss");

    /**
     * After a command (stripe locks held): class m "keymiss" for each key a read looked up and
     * did not find. Read-only commands report their key arguments that do not exist (they
     * cannot have removed them); of the write commands only those Redis reads with a read
     * lookup (GETEX, SORT's source) report. OBJECT looks keys up without notifying. A read
     * that failed on its arguments may still report (Redis checks arguments first).
     */
    void afterCommand(CommandContext c) {
        int f = flags;
        if ((f & M) == 0 || hub.idle()) return;
        io.jkevy.engine.command.CommandSpec spec = c.spec();
        String name = spec.name();
        int db = c.session().db();
        Db d = c.keyspace().db(db);
        if (spec.has(io.jkevy.engine.command.CommandFlags.READONLY)) {
            if (name.startsWith("object|")) return;
            // XREAD looks each stream up twice (type check, then the read), and so reports twice
            int times = name.equals("xread") ? 2 : 1;
            KeyArgs.forEach(spec, c.argv(), key -> {
                if (!d.exists(key)) for (int i = 0; i < times; i++) notify(c, M, KEYMISS, db, key);
            });
        } else if (name.equals("getex") || name.equals("sort")) {
            byte[] key = c.arg(1);
            if (!d.exists(key)) notify(c, M, KEYMISS, db, key);
        }
    }

    /** A key removed because its TTL passed (lazily or by the active cycle). */
    void expired(int db, byte[] key) {
        if ((flags & X) != 0 && !hub.idle()) notify(null, X, EXPIRED, db, key);
    }

    /** A key removed by maxmemory eviction. */
    void evicted(int db, byte[] key) {
        if ((flags & EV) != 0 && !hub.idle()) notify(null, EV, EVICTED, db, key);
    }

    private void notify(CommandContext c, int cls, byte[] event, int db, byte[] key) {
        int f = flags;
        if ((f & cls) == 0) return;
        if ((f & K) != 0) hub.publish(c, channel("__keyspace@", db, key), event);
        if ((f & E) != 0) hub.publish(c, channel("__keyevent@", db, event), key);
    }

    private static byte[] channel(String prefix, int db, byte[] suffix) {
        byte[] head = (prefix + db + "__:").getBytes(StandardCharsets.US_ASCII);
        byte[] ch = java.util.Arrays.copyOf(head, head.length + suffix.length);
        System.arraycopy(suffix, 0, ch, head.length, suffix.length);
        return ch;
    }
}
