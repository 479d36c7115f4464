package io.jkevy.engine.acl;

import io.jkevy.engine.Args;
import io.jkevy.engine.command.CommandFlags;
import io.jkevy.engine.command.CommandSpec;

import java.util.Arrays;
import java.util.Set;

/**
 * Which arguments of a command are keys, and whether each is read or written, for key
 * permission checks: the table's positions ({@code firstKey..lastKey step}), the
 * movable-key commands by their own syntax (numkeys, STREAMS, STORE), and the channel
 * arguments of the pub/sub commands.
 *
 * <p>Access: keys of a read-only command need read permission, keys of a write command
 * need write permission, and both when the write command also returns what it read
 * (INCR, GETDEL, LPOP, SET ... GET, ... — the commands Redis 7.0's key specs mark
 * ACCESS, checked against redis-server with ACL DRYRUN); the sources of the *STORE / COPY /
 * LMOVE-like commands need read (and, for the moving ones, write) permission; commands that
 * only look at metadata (EXISTS, TYPE, STRLEN, HLEN ...) need a matching pattern of either kind.
 */
final class AclKeys {
    private AclKeys() { }

    /** Key argument positions and the access each needs. */
    static final class Positions {
        private int[] pos = new int[4];
        private int[] perms = new int[4];
        private int n;

        int count() { return n; }

        int pos(int i) { return pos[i]; }

        int perms(int i) { return perms[i]; }

        void add(int p, int perm) {
            if (n == pos.length) {
                pos = Arrays.copyOf(pos, n * 2);
                perms = Arrays.copyOf(perms, n * 2);
            }
            pos[n] = p;
            perms[n++] = perm;
        }
    }

    /** Commands whose keys after the first are sources that are only read. */
    private static final Set<String> FIRST_IS_DEST = Set.of(
            "sunionstore", "sinterstore", "sdiffstore", "zrangestore", "geosearchstore", "pfmerge");
    /** Write commands whose keys are also read (their reply carries the old or new value). */
    private static final Set<String> READ_WRITE = Set.of(
            "incr", "decr", "incrby", "decrby", "incrbyfloat", "getdel", "getex", "getset", "setbit", "bitfield",
            "lpop", "rpop", "blpop", "brpop", "lmpop", "blmpop", "spop", "zpopmin", "zpopmax", "bzpopmin", "bzpopmax",
            "zmpop", "bzmpop", "hincrby", "hincrbyfloat", "zincrby", "pfcount", "xreadgroup");
    /**
     * Read-only commands that look only at a key's metadata (existence, type, length): like
     * Redis, they need a key pattern that matches, with either permission.
     */
    private static final Set<String> METADATA = Set.of(
            "exists", "type", "touch", "strlen", "hexists", "hlen", "llen", "scard", "zcard", "sismember", "hstrlen",
            "xlen", "object|encoding", "object|freq", "object|idletime", "object|refcount", "memory|usage");
    /** Commands whose first key is read and written, the rest written (RENAME's source). */
    private static final Set<String> FIRST_READ_WRITE = Set.of("rename", "renamenx");
    /** Commands that move from a source (read and write) to a destination (write). */
    private static final Set<String> MOVE = Set.of("lmove", "blmove", "rpoplpush", "brpoplpush", "smove");

    static Positions of(CommandSpec spec, byte[][] argv) {
        Positions p = new Positions();
        String name = spec.name();
        int argc = argv.length;
        int dflt = spec.has(CommandFlags.WRITE) ? AclSelector.WRITE : AclSelector.READ;
        if (READ_WRITE.contains(name) || (name.equals("set") && hasWord(argv, 3, "get"))) dflt = AclSelector.ALL;
        else if (METADATA.contains(name)) dflt = 0;
        switch (name) {
            // the shard channel has a key position (cluster routing) but is a not_key spec:
            // channel permissions apply, not key permissions (Redis)
            case "ssubscribe", "sunsubscribe", "spublish" -> { }
            case "zunion", "zinter", "zdiff", "zintercard", "sintercard", "lmpop", "zmpop" -> numkeys(p, argv, 1, dflt);
            case "blmpop", "bzmpop" -> numkeys(p, argv, 2, dflt);
            case "eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro" -> numkeys(p, argv, 2, dflt);
            case "zunionstore", "zinterstore", "zdiffstore" -> {
                p.add(1, AclSelector.WRITE);
                numkeys(p, argv, 2, AclSelector.READ);
            }
            case "xread", "xreadgroup" -> {
                for (int i = 1; i < argc; i++) {
                    if (Args.is(argv[i], "streams")) {
                        int n = (argc - i - 1) / 2;
                        for (int j = 0; j < n; j++) p.add(i + 1 + j, dflt);
                        break;
                    }
                }
            }
            case "sort", "sort_ro", "georadius", "georadiusbymember" -> {
                p.add(1, AclSelector.READ);
                for (int i = 2; i + 1 < argc; i++) {
                    if (Args.is(argv[i], "store") || Args.is(argv[i], "storedist")) p.add(++i, AclSelector.WRITE);
                }
            }
            case "copy" -> {
                p.add(1, AclSelector.READ);
                p.add(2, AclSelector.WRITE);
            }
            case "bitop" -> {
                p.add(2, AclSelector.WRITE);
                for (int i = 3; i < argc; i++) p.add(i, AclSelector.READ);
            }
            default -> {
                int last = spec.lastKeyIndex(argc);
                int step = Math.max(1, spec.step());
                if (spec.firstKey() <= 0) break;
                for (int i = spec.firstKey(); i <= last; i += step) {
                    int perm = dflt;
                    if (MOVE.contains(name)) perm = i == 1 ? AclSelector.ALL : AclSelector.WRITE;
                    else if (FIRST_READ_WRITE.contains(name)) perm = i == 1 ? AclSelector.ALL : AclSelector.WRITE;
                    else if (FIRST_IS_DEST.contains(name)) perm = i == spec.firstKey() ? AclSelector.WRITE : AclSelector.READ;
                    p.add(i, perm);
                }
            }
        }
        return p;
    }

    private static boolean hasWord(byte[][] argv, int from, String lowerWord) {
        for (int i = from; i < argv.length; i++) if (Args.is(argv[i], lowerWord)) return true;
        return false;
    }

    private static void numkeys(Positions p, byte[][] argv, int at, int perm) {
        if (argv.length <= at) return;
        long n;
        try {
            n = Args.parseLong(argv[at]);
        } catch (RuntimeException e) {
            return;          // the command itself reports the bad count
        }
        for (long j = 0; j < n && at + 1 + j < argv.length; j++) p.add((int) (at + 1 + j), perm);
    }

    /** First channel argument of a pub/sub command, or 0 when the command names none. */
    static int channelStart(CommandSpec spec, byte[][] argv) {
        return switch (spec.name()) {
            case "publish", "spublish", "subscribe", "ssubscribe", "psubscribe" -> argv.length > 1 ? 1 : 0;
            default -> 0;
        };
    }

    /** One past the last channel argument. */
    static int channelEnd(CommandSpec spec, byte[][] argv) {
        return switch (spec.name()) {
            case "publish", "spublish" -> 2;
            default -> argv.length;
        };
    }
}
