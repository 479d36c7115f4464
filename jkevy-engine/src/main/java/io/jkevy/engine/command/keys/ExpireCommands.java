package io.jkevy.engine.command.keys;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.CommandTable;
import io.jkevy.engine.command.Errors;
import io.jkevy.store.Db;

import java.nio.charset.StandardCharsets;

/**
 * EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (with NX/XX/GT/LT), TTL, PTTL, EXPIRETIME,
 * PEXPIRETIME and PERSIST. Expiry times are absolute unix milliseconds; a key without a TTL
 * counts as having an infinite one for GT/LT (GT never applies to it, LT always does).
 */
public final class ExpireCommands {
    private ExpireCommands() { }

    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PEXPIREAT = "PEXPIREAT".getBytes(StandardCharsets.US_ASCII);

    private static final int NX = 1, XX = 2, GT = 4, LT = 8;

    public static void register(CommandTable t) {
        t.add("expire", -3, "write fast", 1, 1, 1, "@keyspace @write @fast", "generic", "1.0.0",
                "Set a key's time to live in seconds", c -> expire(c, true, true));
        t.add("pexpire", -3, "write fast", 1, 1, 1, "@keyspace @write @fast", "generic", "2.6.0",
                "Set a key's time to live in milliseconds", c -> expire(c, false, true));
        t.add("expireat", -3, "write fast", 1, 1, 1, "@keyspace @write @fast", "generic", "1.2.0",
                "Set the expiration for a key as a UNIX timestamp", c -> expire(c, true, false));
        t.add("pexpireat", -3, "write fast", 1, 1, 1, "@keyspace @write @fast", "generic", "2.6.0",
                "Set the expiration for a key as a UNIX timestamp specified in milliseconds", c -> expire(c, false, false));
        t.add("ttl", 2, "readonly fast", 1, 1, 1, "@keyspace @read @fast", "generic", "1.0.0",
                "Get the time to live for a key in seconds", c -> ttl(c, false, false));
        t.add("pttl", 2, "readonly fast", 1, 1, 1, "@keyspace @read @fast", "generic", "2.6.0",
                "Get the time to live for a key in milliseconds", c -> ttl(c, true, false));
        t.add("expiretime", 2, "readonly fast", 1, 1, 1, "@keyspace @read @fast", "generic", "7.0.0",
                "Get the expiration Unix timestamp for a key", c -> ttl(c, false, true));
        t.add("pexpiretime", 2, "readonly fast", 1, 1, 1, "@keyspace @read @fast", "generic", "7.0.0",
                "Get the expiration Unix timestamp for a key in milliseconds", c -> ttl(c, true, true));
        t.add("persist", 2, "write fast", 1, 1, 1, "@keyspace @write @fast", "generic", "2.2.0",
                "Remove the expiration from a key", ExpireCommands::persist);
    }

    /**
     * The EXPIRE family. Checks run in Redis's order: options, then the time argument, then
     * overflow of the unit conversion and of adding the base time, then the key. A resulting
     * time at or before now deletes the key (journaled as DEL); otherwise the effect is
     * PEXPIREAT with the absolute time.
     */
    static void expire(CommandContext c, boolean seconds, boolean relative) {
        int flags = 0;
        for (int j = 3; j < c.argc(); j++) {
            if (c.argIs(j, "nx")) flags |= NX;
            else if (c.argIs(j, "xx")) flags |= XX;
            else if (c.argIs(j, "gt")) flags |= GT;
            else if (c.argIs(j, "lt")) flags |= LT;
            else throw CommandContext.error("ERR Unsupported option " + c.argString(j));
        }
        if ((flags & NX) != 0 && (flags & (XX | GT | LT)) != 0) {
            throw CommandContext.error("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if ((flags & (GT | LT)) == (GT | LT)) {
            throw CommandContext.error("ERR GT and LT options at the same time are not compatible");
        }
        long when = c.longArg(2);
        String name = c.spec().name();
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) throw CommandContext.error(Errors.invalidExpire(name));
            when *= 1000;
        }
        long base = relative ? c.now() : 0;
        if (when > Long.MAX_VALUE - base) throw CommandContext.error(Errors.invalidExpire(name));
        when += base;

        Db db = c.db();
        byte[] key = c.arg(1);
        long current = db.expireAt(key);             // -1 absent, 0 no TTL
        if (current < 0) {
            c.out().integer(0);
            return;
        }
        boolean hasTtl = current != 0;
        if ((flags & NX) != 0 && hasTtl
                || (flags & XX) != 0 && !hasTtl
                || (flags & GT) != 0 && (!hasTtl || when <= current)
                || (flags & LT) != 0 && hasTtl && when >= current) {
            c.out().integer(0);
            return;
        }
        if (when <= c.now()) {
            db.remove(key);
            c.propagate(DEL, key);
        } else {
            db.setExpire(key, when);
            c.propagate(PEXPIREAT, key, Long.toString(when).getBytes(StandardCharsets.US_ASCII));
        }
        c.touched(key);
        c.out().integer(1);
    }

    /**
     * TTL/PTTL (remaining time) and EXPIRETIME/PEXPIRETIME (absolute time): -2 for a missing
     * key, -1 for a key without TTL; seconds are rounded to the nearest.
     */
    static void ttl(CommandContext c, boolean millis, boolean absolute) {
        Db db = c.db();
        long at = db.expireAt(c.arg(1));
        if (at < 0) {
            c.miss();
            c.out().integer(-2);
            return;
        }
        c.hit();
        if (at == 0) {
            c.out().integer(-1);
            return;
        }
        long t = absolute ? at : at - c.now();
        if (t < 0) t = 0;
        // (t + 500) / 1000 without overflowing near Long.MAX_VALUE (Redis gets the unwrapped result)
        c.out().integer(millis ? t : t / 1000 + (t % 1000 >= 500 ? 1 : 0));
    }

    static void persist(CommandContext c) {
        Db db = c.db();
        byte[] key = c.arg(1);
        if (db.expireAt(key) > 0) {
            db.setExpire(key, 0);
            c.propagateAsIs(key);
            c.out().integer(1);
        } else {
            c.out().integer(0);
        }
    }
}
