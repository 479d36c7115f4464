package io.jkevy.engine.command.feed;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.CommandTable;
import io.jkevy.store.Db;

import java.nio.charset.StandardCharsets;

/**
 * Per-key versions on the wire (spec/kv-api.md): a key's version is the journal offset of the
 * frame that last wrote it, so compare-and-set needs one round trip and no WATCH.
 *
 * <pre>
 *   VGET key                          -> [value, version] | nil
 *   VCREATE key value [PX ms]         -> version | nil (the key exists)
 *   VSET key value version [PX ms]    -> new version | -REVMISMATCH (version 0 = "must be absent")
 *   VDEL key version                  -> 1 | 0 (absent, version 0) | -REVMISMATCH
 * </pre>
 *
 * Versions grow with every write on this node (offsets never go back, across generations and
 * restarts); an absent key has version 0. The writes are journaled as the plain SET / DEL they
 * make. The new version is only known once the effect is appended, so these commands reply
 * after the commit, and are therefore not allowed inside MULTI or scripts.
 */
public final class VersionCommands {
    private VersionCommands() { }

    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PXAT = "PXAT".getBytes(StandardCharsets.US_ASCII);

    public static void register(CommandTable t) {
        t.add("vget", 2, "readonly fast", 1, 1, 1, "@read @string @fast", "string", "jkevy 0.1.0",
                "Returns a string key's value with its version.", VersionCommands::vget);
        t.add("vcreate", -3, "write denyoom noscript no_multi", 1, 1, 1, "@write @string @slow", "string", "jkevy 0.1.0",
                "Creates a string key only if it is absent; returns its version.", VersionCommands::vcreate);
        t.add("vset", -4, "write denyoom noscript no_multi", 1, 1, 1, "@write @string @slow", "string", "jkevy 0.1.0",
                "Sets a string key only if its version matches; returns the new version.", VersionCommands::vset);
        t.add("vdel", 3, "write noscript no_multi", 1, 1, 1, "@write @keyspace @slow", "keyspace", "jkevy 0.1.0",
                "Deletes a key only if its version matches.", VersionCommands::vdel);
    }

    static void vget(CommandContext c) {
        Db db = c.db();
        Object v = db.get(c.arg(1));
        if (v == null) {
            c.miss();
            c.out().nullArray();
            return;
        }
        c.hit();
        if (!(v instanceof byte[] b)) throw c.wrongType();
        c.out().arrayHeader(2);
        c.out().bulk(b);
        c.out().integer(db.version(c.arg(1)));
    }

    /** The absolute expiry of a trailing {@code PX ms}, 0 for none. */
    private static long expiry(CommandContext c, int from) {
        if (c.argc() == from) return 0;
        if (c.argc() != from + 2 || !c.argIs(from, "px")) throw c.syntax();
        long ms = c.longArg(from + 1);
        if (ms <= 0 || ms > Long.MAX_VALUE - c.now()) throw CommandContext.error("ERR invalid expire time in '" + c.spec().name() + "' command");
        return c.now() + ms;
    }

    private static void write(CommandContext c, long at) {
        byte[] key = c.arg(1), val = c.arg(2);
        c.db().put(key, val, at);
        if (at == 0) c.propagate(SET, key, val);
        else c.propagate(SET, key, val, PXAT, Long.toString(at).getBytes(StandardCharsets.US_ASCII));
        c.touched(key);
        c.replyWithVersion();
    }

    static void vcreate(CommandContext c) {
        long at = expiry(c, 3);
        if (c.db().exists(c.arg(1))) {
            c.out().nullBulk();
            return;
        }
        write(c, at);
    }

    private static long expected(CommandContext c, int i) {
        long v = c.longArg(i, "ERR version is not an integer or out of range");
        if (v < 0) throw CommandContext.error("ERR version is not an integer or out of range");
        return v;
    }

    private static String mismatch(long current) { return "REVMISMATCH current version is " + current; }

    static void vset(CommandContext c) {
        long want = expected(c, 3);
        long at = expiry(c, 4);
        Db db = c.db();
        Object cur = db.peek(c.arg(1));
        if (cur != null && !(cur instanceof byte[])) throw c.wrongType();
        long have = db.version(c.arg(1));
        if (have != want) throw CommandContext.error(mismatch(have));
        write(c, at);
    }

    static void vdel(CommandContext c) {
        long want = expected(c, 2);
        Db db = c.db();
        long have = db.version(c.arg(1));
        if (have != want) throw CommandContext.error(mismatch(have));
        if (have == 0) {
            c.out().integer(0);
            return;
        }
        db.remove(c.arg(1));
        c.propagate(DEL, c.arg(1));
        c.touched(c.arg(1));
        c.out().integer(1);
    }
}
