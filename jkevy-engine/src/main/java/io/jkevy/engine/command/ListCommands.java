package io.jkevy.engine.command;

import io.jkevy.engine.Args;
import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.list.ListOps;
import io.jkevy.engine.command.list.ListRdb;
import io.jkevy.engine.command.server.Digest;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.Db;
import io.jkevy.store.type.list.ListValue;

import java.nio.charset.StandardCharsets;

/**
 * List commands (Redis group "list"), the non-blocking ones. Pop/move logic lives in
 * {@link ListOps} so the blocking variants can reuse it.
 *
 * <p>Read commands count keyspace hits/misses; write commands look keys up without counting
 * (as Redis's write lookups). Every argument is validated before anything changes.
 */
public final class ListCommands {
    private ListCommands() { }

    private static final String POSITIVE = "ERR value is out of range, must be positive";
    private static final String RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, "
        + "2 from the second ... or use negative to start from the end of the list";
    private static final String RANK_RANGE =
        "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";
    private static final String COUNT_NEGATIVE = "ERR COUNT can't be negative";
    private static final String MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";
    private static final String NUMKEYS = "ERR numkeys should be greater than 0";
    private static final String COUNT_POSITIVE = "ERR count should be greater than 0";

    private static final byte[] LPOP = "LPOP".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RPOP = "RPOP".getBytes(StandardCharsets.US_ASCII);

    public static void register(CommandTable t) {
        registerBlocking(t);
        t.add("lpush", -3, "write denyoom fast", 1, 1, 1, "@write @list @fast", "list", "1.0.0",
            "Prepends one or more elements to a list. Creates the key if it doesn't exist.", c -> push(c, true, false));
        t.add("rpush", -3, "write denyoom fast", 1, 1, 1, "@write @list @fast", "list", "1.0.0",
            "Appends one or more elements to a list. Creates the key if it doesn't exist.", c -> push(c, false, false));
        t.add("lpushx", -3, "write denyoom fast", 1, 1, 1, "@write @list @fast", "list", "2.2.0",
            "Prepends one or more elements to a list only when the list exists.", c -> push(c, true, true));
        t.add("rpushx", -3, "write denyoom fast", 1, 1, 1, "@write @list @fast", "list", "2.2.0",
            "Appends an element to a list only when the list exists.", c -> push(c, false, true));
        t.add("lpop", -2, "write fast", 1, 1, 1, "@write @list @fast", "list", "1.0.0",
            "Returns the first elements in a list after removing it. Deletes the list if the last element was popped.",
            c -> pop(c, true));
        t.add("rpop", -2, "write fast", 1, 1, 1, "@write @list @fast", "list", "1.0.0",
            "Returns and removes the last elements of a list. Deletes the list if the last element was popped.",
            c -> pop(c, false));
        t.add("llen", 2, "readonly fast", 1, 1, 1, "@read @list @fast", "list", "1.0.0",
            "Returns the length of a list.", ListCommands::llen);
        t.add("lindex", 3, "readonly", 1, 1, 1, "@read @list @slow", "list", "1.0.0",
            "Returns an element from a list by its index.", ListCommands::lindex);
        t.add("lset", 4, "write denyoom", 1, 1, 1, "@write @list @slow", "list", "1.0.0",
            "Sets the value of an element in a list by its index.", ListCommands::lset);
        t.add("lrange", 4, "readonly", 1, 1, 1, "@read @list @slow", "list", "1.0.0",
            "Returns a range of elements from a list.", ListCommands::lrange);
        t.add("ltrim", 4, "write", 1, 1, 1, "@write @list @slow", "list", "1.0.0",
            "Removes elements from both ends a list. Deletes the list if all elements were trimmed.", ListCommands::ltrim);
        t.add("lrem", 4, "write", 1, 1, 1, "@write @list @slow", "list", "1.0.0",
            "Removes elements from a list. Deletes the list if the last element was removed.", ListCommands::lrem);
        t.add("linsert", 5, "write denyoom", 1, 1, 1, "@write @list @slow", "list", "2.2.0",
            "Inserts an element before or after another element in a list.", ListCommands::linsert);
        t.add("lpos", -3, "readonly", 1, 1, 1, "@read @list @slow", "list", "6.0.6",
            "Returns the index of matching elements in a list.", ListCommands::lpos);
        t.add("lmove", 5, "write denyoom", 1, 2, 1, "@write @list @slow", "list", "6.2.0",
            "Returns an element after popping it from one list and pushing it to another. Deletes the list if the last element was moved.",
            ListCommands::lmove);
        t.add("rpoplpush", 3, "write denyoom", 1, 2, 1, "@write @list @slow", "list", "1.2.0",
            "Returns the last element of a list after removing and pushing it to another list. Deletes the list if the last element was popped.",
            ListCommands::rpoplpush);
        t.add("lmpop", -4, "write movablekeys", 0, 0, 0, "@write @list @slow", "list", "7.0.0",
            "Returns multiple elements from a list after removing them. Deletes the list if the last element was popped.",
            ListCommands::lmpop);

        ListRdb.register();
        Digest.register(ListValue.class, (v, md) -> {
            ListValue l = (ListValue) v;
            Digest.putLong(md, l.size());
            l.forEach(0, l.size(), e -> {
                Digest.putInt(md, e.length);
                md.update(e);
            });
        });
    }

    private static int fill(CommandContext c) { return c.keyspace().encodings().listMaxListpackSize; }

    /** Read lookup: counts a hit or miss; WRONGTYPE for another type. */
    private static ListValue read(CommandContext c, byte[] key) {
        Object v = c.db().get(key);
        if (v == null) {
            c.miss();
            return null;
        }
        c.hit();
        if (!(v instanceof ListValue l)) throw c.wrongType();
        return l;
    }

    // ---- push / pop ---------------------------------------------------------------------

    private static void push(CommandContext c, boolean left, boolean onlyIfExists) {
        byte[] key = c.arg(1);
        Db db = c.db();
        ListValue l = ListOps.get(db, key);
        if (l == null) {
            if (onlyIfExists) {
                c.out().integer(0);
                return;
            }
            l = new ListValue(fill(c));
            db.put(key, l);
        }
        for (int i = 2; i < c.argc(); i++) l.push(left, c.arg(i));
        c.out().integer(l.size());
        c.propagateAsIs(key);
    }

    private static void pop(CommandContext c, boolean left) {
        if (c.argc() > 3) throw CommandContext.error(Errors.wrongArity(left ? "lpop" : "rpop"));
        boolean hasCount = c.argc() == 3;
        long count = 1;
        if (hasCount) {
            byte[] a = c.arg(2);
            if (!Args.isLong(a) || (count = Args.parseLong(a)) < 0) throw CommandContext.error(POSITIVE);
        }
        byte[] key = c.arg(1);
        Db db = c.db();
        ListValue l = ListOps.get(db, key);
        RespWriter out = c.out();
        if (l == null) {
            if (hasCount) out.nullArray();
            else out.nullBulk();
            return;
        }
        if (count == 0) {
            out.arrayHeader(0);
            return;
        }
        byte[][] popped = ListOps.popFrom(db, key, left, count);
        if (hasCount) {
            out.arrayHeader(popped.length);
            for (byte[] e : popped) out.bulk(e);
        } else {
            out.bulk(popped[0]);
        }
        c.propagateAsIs(key);
    }

    // ---- reads ----------------------------------------------------------------------------

    private static void llen(CommandContext c) {
        ListValue l = read(c, c.arg(1));
        c.out().integer(l == null ? 0 : l.size());
    }

    private static void lindex(CommandContext c) {
        ListValue l = read(c, c.arg(1));
        if (l == null) {
            c.out().nullBulk();
            return;
        }
        long index = c.longArg(2);
        long n = l.size();
        if (index < 0) index += n;
        if (index < 0 || index >= n) c.out().nullBulk();
        else c.out().bulk(l.get(index));
    }

    private static void lrange(CommandContext c) {
        long start = c.longArg(2);
        long end = c.longArg(3);
        ListValue l = read(c, c.arg(1));
        RespWriter out = c.out();
        if (l == null) {
            out.arrayHeader(0);
            return;
        }
        long n = l.size();
        if (start < 0) start += n;
        if (end < 0) end += n;
        if (start < 0) start = 0;
        if (start > end || start >= n) {
            out.arrayHeader(0);
            return;
        }
        if (end >= n) end = n - 1;
        long count = end - start + 1;
        out.arrayHeader(count);
        l.forEach(start, count, out::bulk);
    }

    private static void lpos(CommandContext c) {
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int j = 3; j < c.argc(); j++) {
            boolean more = j + 1 < c.argc();
            if (more && c.argIs(j, "rank")) {
                rank = c.longArg(++j);
                if (rank == Long.MIN_VALUE) throw CommandContext.error(RANK_RANGE);
                if (rank == 0) throw CommandContext.error(RANK_ZERO);
            } else if (more && c.argIs(j, "count")) {
                count = c.longArg(++j);
                if (count < 0) throw CommandContext.error(COUNT_NEGATIVE);
            } else if (more && c.argIs(j, "maxlen")) {
                maxlen = c.longArg(++j);
                if (maxlen < 0) throw CommandContext.error(MAXLEN_NEGATIVE);
            } else {
                throw c.syntax();
            }
        }
        ListValue l = read(c, c.arg(1));
        RespWriter out = c.out();
        if (l == null) {
            if (count != -1) out.arrayHeader(0);
            else out.nullBulk();
            return;
        }
        byte[] elem = c.arg(2);
        boolean reverse = rank < 0;
        long skip = Math.abs(rank) - 1;
        ListValue.Cursor cur = l.cursor(reverse);
        long index = reverse ? l.size() - 1 : 0;
        long step = reverse ? -1 : 1;
        long scanned = 0;
        long[] found = new long[4];
        int nfound = 0;
        long want = count == -1 ? 1 : (count == 0 ? Long.MAX_VALUE : count);
        while ((maxlen == 0 || scanned < maxlen) && cur.next()) {
            if (cur.matches(elem)) {
                if (skip > 0) {
                    skip--;
                } else {
                    if (nfound == found.length) found = java.util.Arrays.copyOf(found, nfound * 2);
                    found[nfound++] = index;
                    if (nfound >= want) break;
                }
            }
            scanned++;
            index += step;
        }
        if (count == -1) {
            if (nfound == 0) out.nullBulk();
            else out.integer(found[0]);
            return;
        }
        out.arrayHeader(nfound);
        for (int i = 0; i < nfound; i++) out.integer(found[i]);
    }

    // ---- in-place writes -------------------------------------------------------------------

    private static void lset(CommandContext c) {
        byte[] key = c.arg(1);
        ListValue l = ListOps.get(c.db(), key);
        if (l == null) throw CommandContext.error(Errors.NO_SUCH_KEY);
        long index = c.longArg(2);
        long n = l.size();
        if (index < 0) index += n;
        if (index < 0 || index >= n) throw CommandContext.error(Errors.OUT_OF_RANGE);
        l.set(index, c.arg(3));
        c.out().ok();
        c.propagateAsIs(key);
    }

    private static void ltrim(CommandContext c) {
        long start = c.longArg(2);
        long end = c.longArg(3);
        byte[] key = c.arg(1);
        Db db = c.db();
        ListValue l = ListOps.get(db, key);
        if (l != null) {
            long n = l.size();
            if (start < 0) start += n;
            if (end < 0) end += n;
            if (start < 0) start = 0;
            long removed;
            if (start > end || start >= n) {
                removed = n;
                db.remove(key);
            } else {
                if (end >= n) end = n - 1;
                removed = l.trim(start, end);
            }
            if (removed > 0) c.propagateAsIs(key);
        }
        c.out().ok();
    }

    private static void lrem(CommandContext c) {
        long count = c.longArg(2);
        byte[] key = c.arg(1);
        Db db = c.db();
        ListValue l = ListOps.get(db, key);
        if (l == null) {
            c.out().integer(0);
            return;
        }
        long removed = l.remove(count, c.arg(3));
        if (removed > 0) {
            if (l.size() == 0) db.remove(key);
            c.propagateAsIs(key);
        }
        c.out().integer(removed);
    }

    private static void linsert(CommandContext c) {
        boolean before;
        if (c.argIs(2, "after")) before = false;
        else if (c.argIs(2, "before")) before = true;
        else throw c.syntax();
        byte[] key = c.arg(1);
        ListValue l = ListOps.get(c.db(), key);
        if (l == null) {
            c.out().integer(0);
            return;
        }
        if (!l.insert(before, c.arg(3), c.arg(4))) {
            c.out().integer(-1);
            return;
        }
        c.out().integer(l.size());
        c.propagateAsIs(key);
    }

    // ---- moves and multi-key pops ----------------------------------------------------------

    private static boolean side(CommandContext c, int i) {
        if (c.argIs(i, "left")) return true;
        if (c.argIs(i, "right")) return false;
        throw c.syntax();
    }

    private static void lmove(CommandContext c) {
        boolean fromLeft = side(c, 3);
        boolean toLeft = side(c, 4);
        move(c, fromLeft, toLeft);
    }

    private static void rpoplpush(CommandContext c) { move(c, false, true); }

    private static void move(CommandContext c, boolean fromLeft, boolean toLeft) {
        byte[] src = c.arg(1);
        byte[] dst = c.arg(2);
        byte[] v = ListOps.move(c.db(), src, dst, fromLeft, toLeft, fill(c));
        if (v == null) {
            c.out().nullBulk();
            return;
        }
        c.out().bulk(v);
        c.propagate(c.argv());
        c.touched(src);
        c.touched(dst);
    }

    private static void lmpop(CommandContext c) { mpop(c, 1, -1); }

    /**
     * LMPOP (numkeys at {@code at}) and BLMPOP (timeout first, numkeys after it): pops from
     * the first non-empty key; with {@code timeoutMs >= 0} blocks on all the keys instead of
     * answering null.
     */
    private static void mpop(CommandContext c, int at, long timeoutMs) {
        long numkeys = c.longArg(at, NUMKEYS);
        if (numkeys <= 0) throw CommandContext.error(NUMKEYS);
        if (numkeys >= c.argc() - at - 1) throw c.syntax();
        int whereIdx = at + 1 + (int) numkeys;
        boolean left = side(c, whereIdx);
        long count = -1;
        for (int j = whereIdx + 1; j < c.argc(); j++) {
            if (count == -1 && j + 1 < c.argc() && c.argIs(j, "count")) {
                count = c.longArg(++j, COUNT_POSITIVE);
                if (count <= 0) throw CommandContext.error(COUNT_POSITIVE);
            } else {
                throw c.syntax();
            }
        }
        if (count == -1) count = 1;
        Db db = c.db();
        RespWriter out = c.out();
        for (int k = at + 1; k < whereIdx; k++) {
            byte[] key = c.arg(k);
            byte[][] popped = ListOps.popFrom(db, key, left, count);
            if (popped == null) continue;
            out.arrayHeader(2);
            out.bulk(key);
            out.arrayHeader(popped.length);
            for (byte[] e : popped) out.bulk(e);
            c.propagate(left ? LPOP : RPOP, key, Long.toString(popped.length).getBytes(StandardCharsets.US_ASCII));
            c.touched(key);
            return;
        }
        if (timeoutMs >= 0) {
            c.block(java.util.Arrays.copyOfRange(c.argv(), at + 1, whereIdx), timeoutMs, RespWriter::nullArray);
            return;
        }
        out.nullArray();
    }

    // ---- blocking variants: answer at once when they can, else wait (see CommandContext.block) --

    static void registerBlocking(CommandTable t) {
        t.add("blpop", -3, "write blocking", 1, -2, 1, "@write @list @slow @blocking", "list", "2.0.0",
            "Removes and returns the first element in a list. Blocks until an element is available otherwise. "
                + "Deletes the list if the last element was popped.", c -> bpop(c, true));
        t.add("brpop", -3, "write blocking", 1, -2, 1, "@write @list @slow @blocking", "list", "2.0.0",
            "Removes and returns the last element in a list. Blocks until an element is available otherwise. "
                + "Deletes the list if the last element was popped.", c -> bpop(c, false));
        t.add("blmove", 6, "write denyoom blocking", 1, 2, 1, "@write @list @slow @blocking", "list", "6.2.0",
            "Pops an element from a list, pushes it to another list and returns it. Blocks until an element is "
                + "available otherwise.", c -> bmove(c, side(c, 3), side(c, 4), 5));
        t.add("brpoplpush", 4, "write denyoom blocking", 1, 2, 1, "@write @list @slow @blocking", "list", "2.2.0",
            "Pops an element from a list, pushes it to another list and returns it. Block until an element is "
                + "available otherwise.", c -> bmove(c, false, true, 3));
        t.add("blmpop", -5, "write blocking movablekeys", 0, 0, 0, "@write @list @slow @blocking", "list", "7.0.0",
            "Pops the first element from one of multiple lists. Blocks until an element is available otherwise.",
            c -> mpop(c, 2, timeout(c, 1)));
    }

    static long timeout(CommandContext c, int i) { return io.jkevy.engine.Args.blockingTimeoutMillis(c.arg(i)); }

    private static void bpop(CommandContext c, boolean left) {
        long timeoutMs = timeout(c, c.argc() - 1);
        Db db = c.db();
        for (int k = 1; k < c.argc() - 1; k++) {
            byte[] key = c.arg(k);
            byte[][] popped = ListOps.popFrom(db, key, left, 1);
            if (popped == null) continue;
            c.out().arrayHeader(2);
            c.out().bulk(key);
            c.out().bulk(popped[0]);
            c.propagate(left ? LPOP : RPOP, key);      // the served pop, as the write it made
            c.touched(key);
            return;
        }
        c.block(java.util.Arrays.copyOfRange(c.argv(), 1, c.argc() - 1), timeoutMs, RespWriter::nullArray);
    }

    private static final byte[] LMOVE = "LMOVE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LEFT = "LEFT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RIGHT = "RIGHT".getBytes(StandardCharsets.US_ASCII);

    private static void bmove(CommandContext c, boolean fromLeft, boolean toLeft, int timeoutIdx) {
        long timeoutMs = timeout(c, timeoutIdx);
        byte[] src = c.arg(1);
        byte[] dst = c.arg(2);
        byte[] v = ListOps.move(c.db(), src, dst, fromLeft, toLeft, fill(c));
        if (v == null) {
            c.block(new byte[][] {src}, timeoutMs, RespWriter::nullBulk);
            return;
        }
        c.out().bulk(v);
        c.propagate(LMOVE, src, dst, fromLeft ? LEFT : RIGHT, toLeft ? LEFT : RIGHT);
        c.touched(src);
        c.touched(dst);
    }
}
