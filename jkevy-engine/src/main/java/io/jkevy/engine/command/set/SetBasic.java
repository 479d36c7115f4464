package io.jkevy.engine.command.set;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.keys.ScanCommands;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.Db;
import io.jkevy.store.Encodings;
import io.jkevy.store.type.set.SetValue;

import java.util.ArrayList;
import java.util.List;

/** SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SMOVE SSCAN. */
public final class SetBasic {
    private SetBasic() { }

    // ---- lookups shared by the set commands ----

    /** The set at {@code key} for a read (counts a keyspace hit/miss); null when absent. */
    static SetValue readSet(CommandContext c, byte[] key) {
        Object v = c.db().get(key);
        if (v == null) {
            c.miss();
            return null;
        }
        c.hit();
        if (v instanceof SetValue s) return s;
        throw c.wrongType();
    }

    /** The set at {@code key} for a write (no hit/miss accounting); null when absent. */
    static SetValue writeSet(CommandContext c, byte[] key) {
        Object v = c.db().get(key);
        if (v == null) return null;
        if (v instanceof SetValue s) return s;
        throw c.wrongType();
    }

    static void replyMembers(RespWriter w, SetValue s) {
        w.setHeader(s.size());
        s.forEach(w::bulk);
    }

    // ---- commands ----

    /** SADD key member...: the number of members added; effect as-is when any was added. */
    public static void sadd(CommandContext c) {
        byte[] key = c.arg(1);
        Encodings e = c.keyspace().encodings();
        int n = c.argc() - 2;
        SetValue s = writeSet(c, key);
        boolean created = s == null;
        if (created) s = SetValue.create(c.arg(2), n, e);
        else s.maybeConvert(n, e);
        int added = 0;
        for (int i = 2; i < c.argc(); i++) if (s.add(c.arg(i), e)) added++;
        if (created) c.db().put(key, s);
        if (added > 0) c.propagateAsIs(key);
        c.out().integer(added);
    }

    /** SREM key member...: the number removed; the key is deleted when emptied. */
    public static void srem(CommandContext c) {
        byte[] key = c.arg(1);
        SetValue s = writeSet(c, key);
        if (s == null) {
            c.out().integer(0);
            return;
        }
        int removed = 0;
        for (int i = 2; i < c.argc(); i++) {
            if (s.remove(c.arg(i))) {
                removed++;
                if (s.size() == 0) break;
            }
        }
        if (s.size() == 0) c.db().remove(key);
        if (removed > 0) c.propagateAsIs(key);
        c.out().integer(removed);
    }

    public static void smembers(CommandContext c) {
        SetValue s = readSet(c, c.arg(1));
        if (s == null) {
            c.out().setHeader(0);
            return;
        }
        replyMembers(c.out(), s);
    }

    public static void sismember(CommandContext c) {
        SetValue s = readSet(c, c.arg(1));
        c.out().integer(s != null && s.contains(c.arg(2)) ? 1 : 0);
    }

    /** SMISMEMBER key member...: one 0/1 per member; a missing key is an empty set. */
    public static void smismember(CommandContext c) {
        SetValue s = readSet(c, c.arg(1));
        RespWriter w = c.out();
        w.arrayHeader(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) w.integer(s != null && s.contains(c.arg(i)) ? 1 : 0);
    }

    public static void scard(CommandContext c) {
        SetValue s = readSet(c, c.arg(1));
        c.out().integer(s == null ? 0 : s.size());
    }

    /**
     * SMOVE src dst member: 1 when member was in src (and is now in dst). Both keys are type
     * checked before anything changes; src == dst only reports membership. Effect as-is.
     */
    public static void smove(CommandContext c) {
        byte[] srcKey = c.arg(1), dstKey = c.arg(2), member = c.arg(3);
        SetValue src = writeSet(c, srcKey);
        SetValue dst = writeSet(c, dstKey);
        if (src == null) {
            c.out().integer(0);
            return;
        }
        if (src == dst) {
            c.out().integer(src.contains(member) ? 1 : 0);
            return;
        }
        if (!src.remove(member)) {
            c.out().integer(0);
            return;
        }
        Db db = c.db();
        if (src.size() == 0) db.remove(srcKey);
        Encodings e = c.keyspace().encodings();
        if (dst == null) {
            dst = SetValue.create(member, 1, e);
            db.put(dstKey, dst);
        }
        boolean addedToDst = dst.add(member, e);
        c.propagate(c.argv());
        c.touched(srcKey);
        if (addedToDst) c.touched(dstKey);
        c.out().integer(1);
    }

    /**
     * SSCAN key cursor [MATCH pattern] [COUNT count]. The cursor is validated before the
     * lookup; the options only once the key exists (as Redis). Compact encodings return the
     * whole set with cursor 0.
     */
    public static void sscan(CommandContext c) {
        long cursor = ScanCommands.parseCursor(c.arg(2));
        SetValue s = readSet(c, c.arg(1));
        RespWriter w = c.out();
        if (s == null) {
            ScanCommands.emptyReply(w);
            return;
        }
        ScanCommands.Options o = ScanCommands.Options.parse(c, 3, false);
        long count = o.count();
        List<byte[]> found = new ArrayList<>();
        long next = s.scan(cursor, count, m -> {
            if (o.matches(m)) found.add(m);
        });
        w.arrayHeader(2);
        w.bulk(Long.toUnsignedString(next));
        w.arrayHeader(found.size());
        for (byte[] m : found) w.bulk(m);
    }
}
