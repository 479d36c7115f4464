package io.jkevy.engine.command;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.hash.HashDigest;
import io.jkevy.engine.command.hash.HashRandom;
import io.jkevy.engine.command.hash.HashRdb;
import io.jkevy.engine.command.hash.HashScan;
import io.jkevy.engine.command.string.LongDouble;
import io.jkevy.engine.command.server.Digest;
import io.jkevy.engine.Args;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.Encodings;
import io.jkevy.store.type.hash.HashValue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * Hash commands (Redis group "hash"). Values are {@link HashValue}s. Reads count keyspace
 * hits/misses on the key lookup (a wrong-type key counts as a hit, as in Redis); writes
 * validate everything before the first change, create the key only when they add a field,
 * and delete it when its last field goes.
 */
public final class HashCommands {
    private HashCommands() { }

    private static final String NOT_INTEGER_VALUE = "ERR hash value is not an integer";
    private static final String NOT_FLOAT_VALUE = "ERR hash value is not a float";
    private static final String INCR_NOT_FINITE = "ERR value is NaN or Infinity";
    private static final byte[] HSET = "HSET".getBytes(StandardCharsets.US_ASCII);

    public static void register(CommandTable t) {
        t.add("hset", -4, "write denyoom fast", 1, 1, 1, "@write @hash @fast", "hash", "2.0.0",
                "Creates or modifies the value of a field in a hash.", HashCommands::hset);
        t.add("hmset", -4, "write denyoom fast", 1, 1, 1, "@write @hash @fast", "hash", "2.0.0",
                "Sets the values of multiple fields.", HashCommands::hmset);
        t.add("hsetnx", 4, "write denyoom fast", 1, 1, 1, "@write @hash @fast", "hash", "2.0.0",
                "Sets the value of a field in a hash only when the field doesn't exist.", HashCommands::hsetnx);
        t.add("hget", 3, "readonly fast", 1, 1, 1, "@read @hash @fast", "hash", "2.0.0",
                "Returns the value of a field in a hash.", HashCommands::hget);
        t.add("hmget", -3, "readonly fast", 1, 1, 1, "@read @hash @fast", "hash", "2.0.0",
                "Returns the values of all fields in a hash.", HashCommands::hmget);
        t.add("hdel", -3, "write fast", 1, 1, 1, "@write @hash @fast", "hash", "2.0.0",
                "Deletes one or more fields and their values from a hash. Deletes the hash if no fields remain.",
                HashCommands::hdel);
        t.add("hexists", 3, "readonly fast", 1, 1, 1, "@read @hash @fast", "hash", "2.0.0",
                "Determines whether a field exists in a hash.", HashCommands::hexists);
        t.add("hlen", 2, "readonly fast", 1, 1, 1, "@read @hash @fast", "hash", "2.0.0",
                "Returns the number of fields in a hash.", HashCommands::hlen);
        t.add("hstrlen", 3, "readonly fast", 1, 1, 1, "@read @hash @fast", "hash", "3.2.0",
                "Returns the length of the value of a field.", HashCommands::hstrlen);
        t.add("hkeys", 2, "readonly", 1, 1, 1, "@read @hash @slow", "hash", "2.0.0",
                "Returns all fields in a hash.", HashCommands::hkeys);
        t.add("hvals", 2, "readonly", 1, 1, 1, "@read @hash @slow", "hash", "2.0.0",
                "Returns all values in a hash.", HashCommands::hvals);
        t.add("hgetall", 2, "readonly", 1, 1, 1, "@read @hash @slow", "hash", "2.0.0",
                "Returns all fields and values in a hash.", HashCommands::hgetall);
        t.add("hincrby", 4, "write denyoom fast", 1, 1, 1, "@write @hash @fast", "hash", "2.0.0",
                "Increments the integer value of a field in a hash by a number. Uses 0 as initial value if the field doesn't exist.",
                HashCommands::hincrby);
        t.add("hincrbyfloat", 4, "write denyoom fast", 1, 1, 1, "@write @hash @fast", "hash", "2.6.0",
                "Increments the floating point value of a field by a number. Uses 0 as initial value if the field doesn't exist.",
                HashCommands::hincrbyfloat);
        t.add("hrandfield", -2, "readonly", 1, 1, 1, "@read @hash @slow", "hash", "6.2.0",
                "Returns one or more random fields from a hash.", HashRandom::hrandfield);
        t.add("hscan", -3, "readonly", 1, 1, 1, "@read @hash @slow", "hash", "2.8.0",
                "Iterates over fields and values of a hash.", HashScan::hscan);
        Digest.register(HashValue.class, HashDigest::digest);
        HashRdb.register();
    }

    // ---- lookups ----------------------------------------------------------------------------

    /** Read lookup: the hash, or null when absent; counts the hit/miss; WRONGTYPE otherwise. */
    public static HashValue read(CommandContext c, byte[] key) {
        Object v = c.db().get(key);
        if (v == null) {
            c.miss();
            return null;
        }
        c.hit();
        if (!(v instanceof HashValue h)) throw c.wrongType();
        return h;
    }

    /** Write lookup (no hit/miss accounting): the hash, or null when absent; WRONGTYPE otherwise. */
    static HashValue write(CommandContext c, byte[] key) {
        Object v = c.db().get(key);
        if (v == null) return null;
        if (!(v instanceof HashValue h)) throw c.wrongType();
        return h;
    }

    private static boolean set(CommandContext c, HashValue h, byte[] field, byte[] value) {
        Encodings e = c.keyspace().encodings();
        return h.set(field, value, e.hashMaxListpackEntries, e.hashMaxListpackValue);
    }

    // ---- writes ---------------------------------------------------------------------------

    static void hset(CommandContext c) { c.out().integer(setPairs(c, "hset")); }

    static void hmset(CommandContext c) {
        setPairs(c, "hmset");
        c.out().ok();
    }

    /** HSET/HMSET body: the number of fields added. Every pair is written, so the effect is argv. */
    private static int setPairs(CommandContext c, String name) {
        if (c.argc() % 2 != 0) throw CommandContext.error(Errors.wrongArity(name));
        byte[] key = c.arg(1);
        HashValue h = write(c, key);
        if (h == null) {
            h = new HashValue();
            c.db().put(key, h);
        }
        Encodings e = c.keyspace().encodings();
        // as Redis: one over-long string converts before any insert, so the order does not matter
        for (int i = 2; i < c.argc(); i++) {
            if (c.arg(i).length > e.hashMaxListpackValue) {
                h.convert();
                break;
            }
        }
        int added = 0;
        for (int i = 2; i < c.argc(); i += 2) if (set(c, h, c.arg(i), c.arg(i + 1))) added++;
        c.propagateAsIs(key);
        return added;
    }

    static void hsetnx(CommandContext c) {
        byte[] key = c.arg(1), field = c.arg(2);
        HashValue h = write(c, key);
        if (h != null && h.contains(field)) {
            c.out().integer(0);
            return;
        }
        if (h == null) {
            h = new HashValue();
            c.db().put(key, h);
        }
        set(c, h, field, c.arg(3));
        c.propagateAsIs(key);
        c.out().integer(1);
    }

    static void hdel(CommandContext c) {
        byte[] key = c.arg(1);
        HashValue h = write(c, key);
        if (h == null) {
            c.out().integer(0);
            return;
        }
        int deleted = 0;
        for (int i = 2; i < c.argc(); i++) {
            if (h.remove(c.arg(i))) {
                deleted++;
                if (h.size() == 0) {
                    c.db().remove(key);
                    break;
                }
            }
        }
        if (deleted > 0) c.propagateAsIs(key);
        c.out().integer(deleted);
    }

    static void hincrby(CommandContext c) {
        long incr = c.longArg(3);
        byte[] key = c.arg(1), field = c.arg(2);
        HashValue h = write(c, key);
        byte[] cur = h == null ? null : h.get(field);
        long old = 0;
        if (cur != null) {
            if (!Args.isLong(cur)) throw CommandContext.error(NOT_INTEGER_VALUE);
            old = Args.parseLong(cur);
        }
        if ((incr < 0 && old < 0 && incr < Long.MIN_VALUE - old) || (incr > 0 && old > 0 && incr > Long.MAX_VALUE - old)) {
            throw CommandContext.error(Errors.OVERFLOW);
        }
        long sum = old + incr;
        if (h == null) {
            h = new HashValue();
            c.db().put(key, h);
        }
        set(c, h, field, Long.toString(sum).getBytes(StandardCharsets.US_ASCII));
        c.propagateAsIs(key);
        c.out().integer(sum);
    }

    /** Long-double arithmetic as Redis; the effect is {@code HSET key field <result>}. */
    static void hincrbyfloat(CommandContext c) {
        BigDecimal incr = LongDouble.parse(c.arg(3));
        if (incr == null) throw CommandContext.error(Errors.NOT_FLOAT);
        if (incr == LongDouble.INFINITE) throw CommandContext.error(INCR_NOT_FINITE);
        byte[] key = c.arg(1), field = c.arg(2);
        HashValue h = write(c, key);
        byte[] cur = h == null ? null : h.get(field);
        BigDecimal old = BigDecimal.ZERO;
        if (cur != null) {
            old = LongDouble.parse(cur);
            if (old == null) throw CommandContext.error(NOT_FLOAT_VALUE);
            if (old == LongDouble.INFINITE) throw CommandContext.error(Errors.INCR_NAN);
        }
        BigDecimal sum = LongDouble.add(old, incr);
        if (sum == null) throw CommandContext.error(Errors.INCR_NAN);
        byte[] text = LongDouble.format(sum).getBytes(StandardCharsets.US_ASCII);
        if (h == null) {
            h = new HashValue();
            c.db().put(key, h);
        }
        set(c, h, field, text);
        c.propagate(HSET, key, field, text);
        c.touched(key);
        c.out().bulk(text);
    }

    // ---- reads ----------------------------------------------------------------------------

    static void hget(CommandContext c) {
        HashValue h = read(c, c.arg(1));
        byte[] v = h == null ? null : h.get(c.arg(2));
        if (v == null) c.out().nullBulk(); else c.out().bulk(v);
    }

    static void hmget(CommandContext c) {
        HashValue h = read(c, c.arg(1));
        RespWriter w = c.out();
        w.arrayHeader(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            byte[] v = h == null ? null : h.get(c.arg(i));
            if (v == null) w.nullBulk(); else w.bulk(v);
        }
    }

    static void hexists(CommandContext c) {
        HashValue h = read(c, c.arg(1));
        c.out().integer(h != null && h.contains(c.arg(2)) ? 1 : 0);
    }

    static void hlen(CommandContext c) {
        HashValue h = read(c, c.arg(1));
        c.out().integer(h == null ? 0 : h.size());
    }

    static void hstrlen(CommandContext c) {
        HashValue h = read(c, c.arg(1));
        c.out().integer(h == null ? 0 : h.valueLength(c.arg(2)));
    }

    static void hkeys(CommandContext c) { all(c, true, false); }

    static void hvals(CommandContext c) { all(c, false, true); }

    /** RESP3: a map; RESP2: the flat field, value array. */
    static void hgetall(CommandContext c) { all(c, true, true); }

    private static void all(CommandContext c, boolean fields, boolean values) {
        HashValue h = read(c, c.arg(1));
        RespWriter w = c.out();
        int n = h == null ? 0 : h.size();
        if (fields && values) w.mapHeader(n); else w.arrayHeader(n);
        if (h == null) return;
        for (int t = h.first(); t >= 0; t = h.next(t)) {
            if (fields) w.bulk(h.fieldAt(t));
            if (values) w.bulk(h.valueAt(t));
        }
    }
}
