package io.jkevy.engine.command.list;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.Errors;
import io.jkevy.store.Db;
import io.jkevy.store.type.list.ListValue;

/**
 * List pop/move primitives shared by the list commands and, later, their blocking variants
 * (BLPOP/BRPOP/BLMPOP call {@link #popFrom}, BLMOVE/BRPOPLPUSH call {@link #move} once a
 * key is served). They change the store only; replies and journal effects are the caller's.
 * The caller holds the stripe locks of every key involved.
 */
public final class ListOps {
    private ListOps() { }

    /** The list at {@code key}, or null when absent; WRONGTYPE error for another type. */
    public static ListValue get(Db db, byte[] key) {
        Object v = db.get(key);
        if (v == null) return null;
        if (!(v instanceof ListValue l)) throw CommandContext.error(Errors.WRONGTYPE);
        return l;
    }

    /**
     * Pops up to {@code count} (>= 1) elements from the head ({@code left}) or tail of the
     * list at {@code key}, in pop order, deleting the key when it empties. Returns null when
     * the key is absent; WRONGTYPE error (nothing changed) for another type.
     */
    public static byte[][] popFrom(Db db, byte[] key, boolean left, long count) {
        ListValue l = get(db, key);
        if (l == null) return null;
        int n = (int) Math.min(count, l.size());
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) out[i] = l.pop(left);
        if (l.size() == 0) db.remove(key);
        return out;
    }

    /**
     * Moves one element from the head/tail of {@code src} to the head/tail of {@code dst}
     * (which may be the same key: a rotation), creating {@code dst} with node fill
     * {@code fill} when absent. Returns the element, or null when {@code src} is absent (then
     * {@code dst} is not even looked at, as in Redis). Both types are checked before anything
     * changes.
     */
    public static byte[] move(Db db, byte[] src, byte[] dst, boolean fromLeft, boolean toLeft, int fill) {
        ListValue from = get(db, src);
        if (from == null) return null;
        boolean same = java.util.Arrays.equals(src, dst);
        ListValue to = same ? from : get(db, dst);
        byte[] v = from.pop(fromLeft);
        if (to == null) {
            to = new ListValue(fill);
            db.put(dst, to);
        }
        to.push(toLeft, v);
        if (!same && from.size() == 0) db.remove(src);
        return v;
    }
}
