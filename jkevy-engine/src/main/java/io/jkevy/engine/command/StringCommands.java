package io.jkevy.engine.command;

import io.jkevy.engine.Args;
import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.string.Lcs;
import io.jkevy.engine.command.string.LongDouble;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.Db;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * String commands (Redis group "string"). Strings are stored as bare {@code byte[]} whose
 * length is the string's length; commands that change a string build a new array and store it
 * keeping the key's TTL. Argument errors are thrown before anything is changed.
 */
public final class StringCommands {
    private StringCommands() { }

    private static final byte[] SET = ascii("SET");
    private static final byte[] DEL = ascii("DEL");
    private static final byte[] PXAT = ascii("PXAT");
    private static final byte[] KEEPTTL = ascii("KEEPTTL");
    private static final byte[] PEXPIREAT = ascii("PEXPIREAT");
    private static final byte[] PERSIST = ascii("PERSIST");
    private static final byte[] EMPTY = new byte[0];

    private static final String OFFSET_RANGE = "ERR offset is out of range";
    private static final String DECR_OVERFLOW = "ERR decrement would overflow";
    private static final String LCS_TYPES = "ERR The specified keys must contain string values";
    private static final String LCS_LEN_AND_IDX = "ERR If you want both the length and indexes, please just use IDX.";
    private static final String LCS_MEMORY = "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len";

    // option bits of SET / GETEX
    private static final int NX = 1, XX = 1 << 1, GET = 1 << 2, KEEP = 1 << 3, PERS = 1 << 4;
    private static final int EX = 1 << 5, PX = 1 << 6, EXAT = 1 << 7, PXAT_F = 1 << 8;
    private static final int ANY_EXPIRE = EX | PX | EXAT | PXAT_F;

    static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    public static void register(CommandTable t) {
        t.add("get", 2, "readonly fast", 1, 1, 1, "@read @string @fast", "string", "1.0.0",
                "Returns the string value of a key.", StringCommands::get);
        t.add("set", -3, "write denyoom", 1, 1, 1, "@write @string @slow", "string", "1.0.0",
                "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.",
                StringCommands::set);
        t.add("getex", -2, "write fast", 1, 1, 1, "@write @string @fast", "string", "6.2.0",
                "Returns the string value of a key after setting its expiration time.", StringCommands::getex);
        t.add("getdel", 2, "write fast", 1, 1, 1, "@write @string @fast", "string", "6.2.0",
                "Returns the string value of a key after deleting the key.", StringCommands::getdel);
        t.add("getset", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", "string", "1.0.0",
                "Returns the previous string value of a key after setting it to a new value.", StringCommands::getset);
        t.add("setnx", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", "string", "1.0.0",
                "Set the string value of a key only when the key doesn't exist.", StringCommands::setnx);
        t.add("setex", 4, "write denyoom", 1, 1, 1, "@write @string @slow", "string", "2.0.0",
                "Sets the string value and expiration time of a key. Creates the key if it doesn't exist.",
                StringCommands::setex);
        t.add("psetex", 4, "write denyoom", 1, 1, 1, "@write @string @slow", "string", "2.6.0",
                "Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist.",
                StringCommands::psetex);
        t.add("mget", -2, "readonly fast", 1, -1, 1, "@read @string @fast", "string", "1.0.0",
                "Atomically returns the string values of one or more keys.", StringCommands::mget);
        t.add("mset", -3, "write denyoom", 1, -1, 2, "@write @string @slow", "string", "1.0.1",
                "Atomically creates or modifies the string values of one or more keys.", StringCommands::mset);
        t.add("msetnx", -3, "write denyoom", 1, -1, 2, "@write @string @slow", "string", "1.0.1",
                "Atomically modifies the string values of one or more keys only when all keys don't exist.",
                StringCommands::msetnx);
        t.add("append", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", "string", "2.0.0",
                "Appends a string to the value of a key. Creates the key if it doesn't exist.", StringCommands::append);
        t.add("strlen", 2, "readonly fast", 1, 1, 1, "@read @string @fast", "string", "2.2.0",
                "Returns the length of a string value.", StringCommands::strlen);
        t.add("getrange", 4, "readonly", 1, 1, 1, "@read @string @slow", "string", "2.4.0",
                "Returns a substring of the string stored at a key.", StringCommands::getrange);
        t.add("substr", 4, "readonly", 1, 1, 1, "@read @string @slow", "string", "1.0.0",
                "Returns a substring from a string value.", StringCommands::getrange);
        t.add("setrange", 4, "write denyoom", 1, 1, 1, "@write @string @slow", "string", "2.2.0",
                "Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist.",
                StringCommands::setrange);
        t.add("incr", 2, "write denyoom fast", 1, 1, 1, "@write @string @fast", "string", "1.0.0",
                "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
                StringCommands::incr);
        t.add("decr", 2, "write denyoom fast", 1, 1, 1, "@write @string @fast", "string", "1.0.0",
                "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
                StringCommands::decr);
        t.add("incrby", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", "string", "1.0.0",
                "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.",
                StringCommands::incrby);
        t.add("decrby", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", "string", "1.0.0",
                "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist.",
                StringCommands::decrby);
        t.add("incrbyfloat", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast", "string", "2.6.0",
                "Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't exist.",
                StringCommands::incrbyfloat);
        t.add("lcs", -3, "readonly", 1, 2, 1, "@read @string @slow", "string", "7.0.0",
                "Finds the longest common substring.", StringCommands::lcs);
    }

    // ---- helpers ------------------------------------------------------------------------

    /** The string at {@code key} for a read that counts keyspace hits/misses; null when absent. */
    static byte[] readString(CommandContext c, byte[] key) {
        Object v = c.db().get(key);
        if (v == null) {
            c.miss();
            return null;
        }
        c.hit();
        if (v instanceof byte[] b) return b;
        throw c.wrongType();
    }

    /** The string at {@code key} for a write (no hit/miss accounting); null when absent. */
    static byte[] writeString(CommandContext c, byte[] key) {
        Object v = c.db().get(key);
        if (v == null) return null;
        if (v instanceof byte[] b) return b;
        throw c.wrongType();
    }

    /** The largest string the server builds: proto-max-bulk-len, capped by Java's array limit. */
    static long maxStringLength(CommandContext c) {
        return Math.min(c.engine().limits().maxBulkLen(), Integer.MAX_VALUE - 16);
    }

    static void checkLength(CommandContext c, long size) {
        if (size > maxStringLength(c)) throw CommandContext.error(Errors.STRING_TOO_LONG);
    }

    // ---- GET / SET family ---------------------------------------------------------------

    static void get(CommandContext c) {
        Object v = c.db().get(c.arg(1));
        if (v == null) {
            c.miss();
            c.out().nullBulk();
            return;
        }
        c.hit();
        if (!(v instanceof byte[] b)) throw c.wrongType();
        c.out().bulk(b);
    }

    static void set(CommandContext c) {
        if (c.argc() == 3) {
            c.db().put(c.arg(1), c.arg(2));
            c.propagateAsIs(c.arg(1));
            c.out().ok();
            return;
        }
        setWithOptions(c);
    }

    /**
     * Parses SET/GETEX options into flag bits; the expire argument's index is returned in
     * the upper 32 bits (0 when none). Conflicting or unknown options are a syntax error,
     * reported before any value is parsed.
     */
    private static long parseOptions(CommandContext c, int from, boolean isSet) {
        int flags = 0, expireIdx = 0;
        final int argc = c.argc();
        for (int j = from; j < argc; j++) {
            byte[] o = c.arg(j);
            boolean hasNext = j + 1 < argc;
            if (isSet && Args.is(o, "nx") && (flags & XX) == 0) {
                flags |= NX;
            } else if (isSet && Args.is(o, "xx") && (flags & NX) == 0) {
                flags |= XX;
            } else if (isSet && Args.is(o, "get")) {
                flags |= GET;
            } else if (isSet && Args.is(o, "keepttl") && (flags & (PERS | ANY_EXPIRE)) == 0) {
                flags |= KEEP;
            } else if (!isSet && Args.is(o, "persist") && (flags & (ANY_EXPIRE | KEEP)) == 0) {
                flags |= PERS;
            } else if (Args.is(o, "ex") && hasNext && (flags & (KEEP | PERS | EXAT | PX | PXAT_F)) == 0) {
                flags |= EX;
                expireIdx = ++j;
            } else if (Args.is(o, "px") && hasNext && (flags & (KEEP | PERS | EX | EXAT | PXAT_F)) == 0) {
                flags |= PX;
                expireIdx = ++j;
            } else if (Args.is(o, "exat") && hasNext && (flags & (KEEP | PERS | EX | PX | PXAT_F)) == 0) {
                flags |= EXAT;
                expireIdx = ++j;
            } else if (Args.is(o, "pxat") && hasNext && (flags & (KEEP | PERS | EX | EXAT | PX)) == 0) {
                flags |= PXAT_F;
                expireIdx = ++j;
            } else {
                throw c.syntax();
            }
        }
        return ((long) expireIdx << 32) | flags;
    }

    /**
     * The absolute expiry (unix ms) of an expire argument: relative units are added to the
     * command's time; non-positive values and overflow are "invalid expire time".
     */
    static long expireMillis(CommandContext c, byte[] arg, boolean seconds, boolean relative, String cmd) {
        long v = Args.parseLong(arg);
        if (v <= 0 || (seconds && v > Long.MAX_VALUE / 1000)) throw CommandContext.error(Errors.invalidExpire(cmd));
        if (seconds) v *= 1000;
        if (relative) {
            v += c.now();
            if (v <= 0) throw CommandContext.error(Errors.invalidExpire(cmd));
        }
        return v;
    }

    private static void setWithOptions(CommandContext c) {
        long parsed = parseOptions(c, 3, true);
        int flags = (int) parsed, expireIdx = (int) (parsed >>> 32);
        long at = 0;
        if (expireIdx != 0) {
            at = expireMillis(c, c.arg(expireIdx), (flags & (EX | EXAT)) != 0, (flags & (EX | PX)) != 0, "set");
        }
        byte[] key = c.arg(1), val = c.arg(2);
        Db db = c.db();
        boolean found;
        if ((flags & GET) != 0) {
            byte[] old = readString(c, key);            // WRONGTYPE before any change
            found = old != null;
            c.out().bulk(old);
        } else {
            found = db.exists(key);
        }
        if (((flags & NX) != 0 && found) || ((flags & XX) != 0 && !found)) {
            if ((flags & GET) == 0) c.out().nullBulk();
            return;
        }
        if (expireIdx != 0 && at <= c.now()) {
            // already expired: the key ends up absent (Redis 7.2+; 7.0 stored it expired)
            if (found && db.remove(key)) {
                c.propagate(DEL, key);
                c.touched(key);
            }
        } else if (expireIdx != 0) {
            db.put(key, val, at);
            c.propagate(SET, key, val, PXAT, Long.toString(at).getBytes(StandardCharsets.US_ASCII));
            c.touched(key);
        } else if ((flags & KEEP) != 0) {
            db.putKeepTtl(key, val);
            c.propagate(SET, key, val, KEEPTTL);
            c.touched(key);
        } else {
            db.put(key, val);
            c.propagate(SET, key, val);
            c.touched(key);
        }
        if ((flags & GET) == 0) c.out().ok();
    }

    static void setnx(CommandContext c) {
        byte[] key = c.arg(1);
        Db db = c.db();
        if (db.exists(key)) {
            c.out().integer(0);
            return;
        }
        db.put(key, c.arg(2));
        c.propagateAsIs(key);
        c.out().integer(1);
    }

    static void setex(CommandContext c) { setWithExpire(c, true, "setex"); }

    static void psetex(CommandContext c) { setWithExpire(c, false, "psetex"); }

    private static void setWithExpire(CommandContext c, boolean seconds, String name) {
        long at = expireMillis(c, c.arg(2), seconds, true, name);
        byte[] key = c.arg(1), val = c.arg(3);
        c.db().put(key, val, at);
        c.propagate(SET, key, val, PXAT, Long.toString(at).getBytes(StandardCharsets.US_ASCII));
        c.touched(key);
        c.out().ok();
    }

    static void getex(CommandContext c) {
        long parsed = parseOptions(c, 2, false);
        int flags = (int) parsed, expireIdx = (int) (parsed >>> 32);
        byte[] key = c.arg(1);
        byte[] v = readString(c, key);
        if (v == null) {
            c.out().nullBulk();
            return;
        }
        long at = 0;
        if (expireIdx != 0) {
            at = expireMillis(c, c.arg(expireIdx), (flags & (EX | EXAT)) != 0, (flags & (EX | PX)) != 0, "getex");
        }
        Db db = c.db();
        if (expireIdx != 0 && (flags & (EXAT | PXAT_F)) != 0 && at <= c.now()) {
            db.remove(key);
            c.propagate(DEL, key);
            c.touched(key);
        } else if (expireIdx != 0) {
            db.setExpire(key, at);
            c.propagate(PEXPIREAT, key, Long.toString(at).getBytes(StandardCharsets.US_ASCII));
            c.touched(key);
        } else if ((flags & PERS) != 0) {
            if (db.expireAt(key) > 0) {
                db.setExpire(key, 0);
                c.propagate(PERSIST, key);
                c.touched(key);
            }
        }
        c.out().bulk(v);
    }

    static void getdel(CommandContext c) {
        byte[] key = c.arg(1);
        byte[] v = readString(c, key);
        if (v == null) {
            c.out().nullBulk();
            return;
        }
        c.db().remove(key);
        c.propagate(DEL, key);
        c.touched(key);
        c.out().bulk(v);
    }

    static void getset(CommandContext c) {
        byte[] key = c.arg(1), val = c.arg(2);
        byte[] old = readString(c, key);
        c.db().put(key, val);
        c.propagate(SET, key, val);
        c.touched(key);
        c.out().bulk(old);
    }

    static void mget(CommandContext c) {
        final int argc = c.argc();
        Db db = c.db();
        RespWriter out = c.out();
        out.arrayHeader(argc - 1);
        for (int j = 1; j < argc; j++) {
            Object v = db.get(c.arg(j));
            if (v == null) {
                c.miss();
                out.nullBulk();
            } else {
                c.hit();
                if (v instanceof byte[] b) out.bulk(b); else out.nullBulk();
            }
        }
    }

    static void mset(CommandContext c) {
        final int argc = c.argc();
        if (argc % 2 == 0) throw CommandContext.error(Errors.wrongArity("mset"));
        Db db = c.db();
        for (int j = 1; j < argc; j += 2) {
            db.put(c.arg(j), c.arg(j + 1));
            c.touched(c.arg(j));
        }
        c.propagate(c.argv());
        c.out().ok();
    }

    static void msetnx(CommandContext c) {
        final int argc = c.argc();
        if (argc % 2 == 0) throw CommandContext.error(Errors.wrongArity("msetnx"));
        Db db = c.db();
        for (int j = 1; j < argc; j += 2) {
            if (db.exists(c.arg(j))) {
                c.out().integer(0);
                return;
            }
        }
        for (int j = 1; j < argc; j += 2) {
            db.put(c.arg(j), c.arg(j + 1));
            c.touched(c.arg(j));
        }
        c.propagate(c.argv());
        c.out().integer(1);
    }

    // ---- whole-string edits -------------------------------------------------------------

    static void append(CommandContext c) {
        byte[] key = c.arg(1), add = c.arg(2);
        byte[] old = writeString(c, key);
        byte[] now;
        if (old == null) {
            now = add;
            c.db().put(key, now);
        } else {
            checkLength(c, (long) old.length + add.length);
            now = new byte[old.length + add.length];
            System.arraycopy(old, 0, now, 0, old.length);
            System.arraycopy(add, 0, now, old.length, add.length);
            c.db().putKeepTtl(key, now);
        }
        c.propagateAsIs(key);
        c.out().integer(now.length);
    }

    static void strlen(CommandContext c) {
        byte[] v = readString(c, c.arg(1));
        c.out().integer(v == null ? 0 : v.length);
    }

    static void getrange(CommandContext c) {
        long start = c.longArg(2), end = c.longArg(3);
        byte[] v = readString(c, c.arg(1));
        if (v == null) {
            c.out().bulk(EMPTY);
            return;
        }
        long len = v.length;
        if (start < 0 && end < 0 && start > end) {
            c.out().bulk(EMPTY);
            return;
        }
        if (start < 0) start = len + start;
        if (end < 0) end = len + end;
        if (start < 0) start = 0;
        if (end < 0) end = 0;
        if (end >= len) end = len - 1;
        if (start > end || len == 0) {
            c.out().bulk(EMPTY);
            return;
        }
        c.out().bulk(v, (int) start, (int) (end - start + 1));
    }

    static void setrange(CommandContext c) {
        long offset = c.longArg(2);
        if (offset < 0) throw CommandContext.error(OFFSET_RANGE);
        byte[] key = c.arg(1), patch = c.arg(3);
        byte[] old = writeString(c, key);
        if (old == null) {
            if (patch.length == 0) {
                c.out().integer(0);
                return;
            }
            checkLength(c, offset + patch.length);
            byte[] now = new byte[(int) offset + patch.length];
            System.arraycopy(patch, 0, now, (int) offset, patch.length);
            c.db().put(key, now);
            c.propagateAsIs(key);
            c.out().integer(now.length);
            return;
        }
        if (patch.length == 0) {
            c.out().integer(old.length);
            return;
        }
        checkLength(c, offset + patch.length);
        int newLen = (int) Math.max(old.length, offset + patch.length);
        byte[] now = new byte[newLen];
        System.arraycopy(old, 0, now, 0, old.length);
        System.arraycopy(patch, 0, now, (int) offset, patch.length);
        c.db().putKeepTtl(key, now);
        c.propagateAsIs(key);
        c.out().integer(now.length);
    }

    // ---- counters -----------------------------------------------------------------------

    static void incr(CommandContext c) { incrBy(c, 1); }

    static void decr(CommandContext c) { incrBy(c, -1); }

    static void incrby(CommandContext c) { incrBy(c, c.longArg(2)); }

    static void decrby(CommandContext c) {
        long d = c.longArg(2);
        if (d == Long.MIN_VALUE) throw CommandContext.error(DECR_OVERFLOW);
        incrBy(c, -d);
    }

    private static void incrBy(CommandContext c, long incr) {
        byte[] key = c.arg(1);
        byte[] old = writeString(c, key);
        long value = 0;
        if (old != null) value = Args.parseLong(old);
        long sum = value + incr;
        if (((value ^ sum) & (incr ^ sum)) < 0) throw CommandContext.error(Errors.OVERFLOW);
        c.db().putKeepTtl(key, Long.toString(sum).getBytes(StandardCharsets.US_ASCII));
        c.propagateAsIs(key);
        c.out().integer(sum);
    }

    static void incrbyfloat(CommandContext c) {
        byte[] key = c.arg(1);
        byte[] old = writeString(c, key);
        BigDecimal value = old == null ? BigDecimal.ZERO : LongDouble.parse(old);
        if (value == null) throw CommandContext.error(Errors.NOT_FLOAT);
        BigDecimal incr = LongDouble.parse(c.arg(2));
        if (incr == null) throw CommandContext.error(Errors.NOT_FLOAT);
        if (value == LongDouble.INFINITE || incr == LongDouble.INFINITE) throw CommandContext.error(Errors.INCR_NAN);
        BigDecimal sum = LongDouble.add(value, incr);
        if (sum == null) throw CommandContext.error(Errors.INCR_NAN);
        byte[] text = LongDouble.format(sum).getBytes(StandardCharsets.US_ASCII);
        c.db().putKeepTtl(key, text);
        c.propagate(SET, key, text, KEEPTTL);
        c.touched(key);
        c.out().bulk(text);
    }

    // ---- LCS ----------------------------------------------------------------------------

    static void lcs(CommandContext c) {
        Db db = c.db();
        Object va = db.get(c.arg(1)), vb = db.get(c.arg(2));
        if (va == null) c.miss(); else c.hit();
        if (vb == null) c.miss(); else c.hit();
        if ((va != null && !(va instanceof byte[])) || (vb != null && !(vb instanceof byte[]))) {
            throw CommandContext.error(LCS_TYPES);
        }
        byte[] a = va == null ? EMPTY : (byte[]) va, b = vb == null ? EMPTY : (byte[]) vb;
        boolean getLen = false, getIdx = false, withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < c.argc(); j++) {
            boolean more = j + 1 < c.argc();
            if (c.argIs(j, "idx")) {
                getIdx = true;
            } else if (c.argIs(j, "len")) {
                getLen = true;
            } else if (c.argIs(j, "withmatchlen")) {
                withMatchLen = true;
            } else if (c.argIs(j, "minmatchlen") && more) {
                minMatchLen = Math.max(0, c.longArg(j + 1));
                j++;
            } else {
                throw c.syntax();
            }
        }
        if (getLen && getIdx) throw CommandContext.error(LCS_LEN_AND_IDX);
        // the table Redis would allocate: 4-byte cells, bounded by proto-max-bulk-len
        if (Lcs.tableCells(a.length, b.length) * 4 > Math.min(c.engine().limits().maxBulkLen(), Integer.MAX_VALUE - 16)) {
            throw CommandContext.error(LCS_MEMORY);
        }
        RespWriter out = c.out();
        if (getLen) {
            out.integer(Lcs.length(a, b));
            return;
        }
        Lcs r = Lcs.compute(a, b, getIdx);
        if (!getIdx) {
            out.bulk(r.subsequence);
            return;
        }
        int n = 0;
        for (long[] m : r.ranges) if (minMatchLen == 0 || m[1] - m[0] + 1 >= minMatchLen) n++;
        out.mapHeader(2);
        out.bulk("matches");
        out.arrayHeader(n);
        for (long[] m : r.ranges) {
            long len = m[1] - m[0] + 1;
            if (minMatchLen != 0 && len < minMatchLen) continue;
            out.arrayHeader(withMatchLen ? 3 : 2);
            out.arrayHeader(2);
            out.integer(m[0]);
            out.integer(m[1]);
            out.arrayHeader(2);
            out.integer(m[2]);
            out.integer(m[3]);
            if (withMatchLen) out.integer(len);
        }
        out.bulk("len");
        out.integer(r.subsequence.length);
    }
}
