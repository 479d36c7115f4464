package io.jkevy.engine.command.keys;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.CommandTable;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.Db;
import io.jkevy.store.type.list.ListValue;
import io.jkevy.store.type.set.SetValue;
import io.jkevy.store.type.zset.ZSetValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * SORT and SORT_RO over lists, sets and sorted sets.
 *
 * <p>Both are flagged movablekeys so the dispatcher takes every stripe lock: BY and GET
 * patterns read keys that are not arguments. Cost: O(N) to load, O(N log N) to sort (none
 * with a constant BY pattern), plus one key lookup per element per BY/GET pattern.
 */
public final class SortCommand {
    private SortCommand() { }

    private static final String NOT_DOUBLE = "ERR One or more scores can't be converted into double";
    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RPUSH = "RPUSH".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY = new byte[0];

    public static void register(CommandTable t) {
        t.add("sort", -2, "write denyoom movablekeys", 1, 1, 1, "@write @set @sortedset @list @slow @dangerous",
                "generic", "1.0.0", "Sort the elements in a list, set or sorted set, optionally storing the result",
                SortCommand::sort);
        t.add("sort_ro", -2, "readonly movablekeys", 1, 1, 1, "@read @set @sortedset @list @slow @dangerous",
                "generic", "7.0.0", "Sort the elements in a list, set or sorted set. Read-only variant of SORT.",
                SortCommand::sortRo);
    }

    static void sort(CommandContext c) { run(c, false); }

    static void sortRo(CommandContext c) { run(c, true); }

    /** One element being sorted: its weight is {@code score} (numeric) or {@code by} (ALPHA BY). */
    private static final class Item {
        final byte[] obj;
        double score;
        byte[] by;

        Item(byte[] obj) { this.obj = obj; }
    }

    private static void run(CommandContext c, boolean readonly) {
        boolean desc = false, alpha = false, dontsort = false;
        long limitStart = 0, limitCount = -1;
        byte[] sortby = null, storekey = null;
        List<byte[]> gets = new ArrayList<>();

        // Options are read left to right; the last LIMIT/STORE/BY wins, but a constant BY
        // pattern anywhere disables sorting for good (Redis keeps that flag once set).
        for (int j = 2; j < c.argc(); j++) {
            int left = c.argc() - j - 1;
            if (c.argIs(j, "asc")) {
                desc = false;
            } else if (c.argIs(j, "desc")) {
                desc = true;
            } else if (c.argIs(j, "alpha")) {
                alpha = true;
            } else if (c.argIs(j, "limit") && left >= 2) {
                limitStart = c.longArg(j + 1);
                limitCount = c.longArg(j + 2);
                j += 2;
            } else if (!readonly && c.argIs(j, "store") && left >= 1) {
                storekey = c.arg(++j);
            } else if (c.argIs(j, "by") && left >= 1) {
                sortby = c.arg(++j);
                if (SortLookup.star(sortby) < 0) dontsort = true;
            } else if (c.argIs(j, "get") && left >= 1) {
                gets.add(c.arg(++j));
            } else {
                throw c.syntax();
            }
        }

        Db db = c.db();
        Object v = db.get(c.arg(1));
        if (v == null) c.miss();
        else c.hit();
        if (v != null && !(v instanceof ListValue) && !(v instanceof SetValue) && !(v instanceof ZSetValue)) {
            throw c.wrongType();
        }

        // A set has no order of its own: stored results are made reproducible by sorting
        // them as strings when no real BY pattern asks for another order.
        if (dontsort && v instanceof SetValue && storekey != null) {
            dontsort = false;
            alpha = true;
            sortby = null;
        }
        // Redis converts a listpack sorted set to a skiplist here, visible in OBJECT ENCODING.
        if (v instanceof ZSetValue z) z.convertToSkiplist();

        long len = v == null ? 0
                : v instanceof ListValue l ? l.size()
                : v instanceof SetValue s ? s.size()
                : ((ZSetValue) v).size();

        long start = Math.min(Math.max(limitStart, 0), len);
        long count = Math.min(Math.max(limitCount, -1), len);
        long end = count < 0 ? len - 1 : start + count - 1;
        if (start >= len) {
            start = len - 1;
            end = len - 2;
        }
        if (end >= len) end = len - 1;

        List<Item> vector = load(v, len, start, end, dontsort, desc);
        if (dontsort && (v instanceof ListValue || v instanceof ZSetValue) && end >= start) {
            // load() already cut the LIMIT range out, in output order.
            end -= start;
            start = 0;
        }

        boolean conversionError = false;
        if (!dontsort) {
            for (Item it : vector) {
                byte[] byval = sortby != null ? SortLookup.lookup(c, sortby, it.obj) : it.obj;
                if (byval == null) continue;        // missing weight: 0, or "lowest" with ALPHA
                if (alpha) {
                    if (sortby != null) it.by = byval;
                } else {
                    it.score = SortLookup.strtod(byval);
                    if (Double.isNaN(it.score)) conversionError = true;
                }
            }
            vector.sort(comparator(alpha, sortby != null, storekey != null, desc));
        }

        long outputLen = (gets.isEmpty() ? 1 : gets.size()) * (end - start + 1);
        if (conversionError) throw CommandContext.error(NOT_DOUBLE);

        if (storekey == null) {
            RespWriter out = c.out();
            out.arrayHeader(outputLen);
            for (long j = start; j <= end; j++) {
                Item it = vector.get((int) j);
                if (gets.isEmpty()) out.bulk(it.obj);
                for (byte[] g : gets) {
                    byte[] val = SortLookup.lookup(c, g, it.obj);
                    if (val == null) out.nullBulk();
                    else out.bulk(val);
                }
            }
            return;
        }

        byte[][] push = new byte[(int) outputLen + 2][];
        push[0] = RPUSH;
        push[1] = storekey;
        int k = 2;
        for (long j = start; j <= end; j++) {
            Item it = vector.get((int) j);
            if (gets.isEmpty()) push[k++] = it.obj;
            for (byte[] g : gets) {
                byte[] val = SortLookup.lookup(c, g, it.obj);
                push[k++] = val == null ? EMPTY : val;
            }
        }
        if (outputLen > 0) {
            ListValue dst = new ListValue(c.keyspace().encodings().listMaxListpackSize);
            for (int i = 2; i < push.length; i++) dst.push(false, push[i]);
            boolean existed = db.exists(storekey);
            db.put(storekey, dst);
            if (existed) c.propagate(DEL, storekey);
            c.propagate(push);
            c.touched(storekey);
        } else if (db.remove(storekey)) {
            c.propagate(DEL, storekey);
            c.touched(storekey);
        }
        c.out().integer(outputLen);
    }

    /**
     * The elements to sort. With a constant BY pattern a list or sorted set is already in
     * order, so only the LIMIT range [start, end] is taken, walked backwards for DESC; sets
     * (and every type when sorting) are loaded whole.
     */
    private static List<Item> load(Object v, long len, long start, long end, boolean dontsort, boolean desc) {
        List<Item> out = new ArrayList<>();
        if (v == null) return out;
        if (dontsort && (v instanceof ListValue || v instanceof ZSetValue)) {
            if (end < start) return out;
            int n = (int) (end - start + 1);
            if (v instanceof ListValue l) {
                if (!desc) {
                    l.forEach(start, n, e -> out.add(new Item(e)));
                } else {
                    // Elements len-1-start down to len-start-n: read forward, then reverse.
                    l.forEach(len - start - n, n, e -> out.add(new Item(e)));
                    java.util.Collections.reverse(out);
                }
            } else {
                ZSetValue z = (ZSetValue) v;
                int rank = (int) (desc ? len - 1 - start : start);
                ZSetValue.Cursor cur = z.cursor(rank, desc);
                for (int i = 0; i < n && cur.valid(); i++, cur.next()) out.add(new Item(cur.member()));
            }
            return out;
        }
        if (v instanceof ListValue l) {
            l.forEach(0, len, e -> out.add(new Item(e)));
        } else if (v instanceof SetValue s) {
            s.forEach(e -> out.add(new Item(e)));
        } else {
            ZSetValue z = (ZSetValue) v;
            for (ZSetValue.Cursor cur = z.cursor(0, false); cur.valid(); cur.next()) out.add(new Item(cur.member()));
        }
        return out;
    }

    /**
     * Redis's element order. Numeric: by weight, ties broken by the elements' bytes. ALPHA
     * with BY: by the weight strings, a missing weight first; ALPHA alone: by the elements.
     * Strings compare as C strings (strcoll, C locale) for replies and as full binary
     * strings when storing. DESC reverses the whole comparison, tie-break included. The sort
     * is stable, so elements that still tie (ALPHA BY) keep their load order.
     */
    private static Comparator<Item> comparator(boolean alpha, boolean byPattern, boolean store, boolean desc) {
        Comparator<Item> cmp;
        if (!alpha) {
            // Plain < and > (not Double.compare): -0.0 and 0.0 tie, as in Redis.
            cmp = (a, b) -> a.score < b.score ? -1 : a.score > b.score ? 1 : SortLookup.binary(a.obj, b.obj);
        } else if (byPattern) {
            cmp = (a, b) -> {
                if (a.by == null || b.by == null) return a.by == b.by ? 0 : a.by == null ? -1 : 1;
                return store ? SortLookup.binary(a.by, b.by) : SortLookup.cString(a.by, b.by);
            };
        } else {
            cmp = store ? (a, b) -> SortLookup.binary(a.obj, b.obj) : (a, b) -> SortLookup.cString(a.obj, b.obj);
        }
        return desc ? cmp.reversed() : cmp;
    }
}
