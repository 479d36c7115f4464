package io.jkevy.engine.command.set;

import io.jkevy.engine.Args;
import io.jkevy.engine.CommandContext;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.Encodings;
import io.jkevy.store.type.set.SetValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF SDIFFSTORE.
 *
 * <p>Every source key is looked up and type checked before any work (a missing key is an
 * empty set; one wrong-typed key fails the command even when another is missing). The
 * *STORE commands are deterministic given the dataset, so their effect is the command
 * as-is, recorded only when the destination changed: a non-empty result replaces the
 * destination (dropping its TTL); an empty one deletes it.
 */
public final class SetAlgebra {
    private SetAlgebra() { }

    private static final String NUMKEYS = "ERR numkeys should be greater than 0";
    private static final String TOO_MANY_KEYS = "ERR Number of keys can't be greater than number of args";
    private static final String LIMIT_NEGATIVE = "ERR LIMIT can't be negative";

    /** Looks up keys argv[from .. from+n) as sets for reading; missing keys are null. */
    private static SetValue[] sources(CommandContext c, int from, int n) {
        SetValue[] sets = new SetValue[n];
        for (int i = 0; i < n; i++) sets[i] = SetBasic.readSet(c, c.arg(from + i));
        return sets;
    }

    // ---- intersection ----

    /** The intersection, or null when some source is missing (empty); stops at {@code limit} members (0 = all). */
    private static List<byte[]> intersect(SetValue[] sets, long limit) {
        for (SetValue s : sets) if (s == null) return null;
        SetValue[] sorted = sets.clone();
        Arrays.sort(sorted, Comparator.comparingInt(SetValue::size));
        List<byte[]> out = new ArrayList<>();
        SetValue first = sorted[0];
        first.forEach(m -> {
            if (limit > 0 && out.size() >= limit) return;
            for (int j = 1; j < sorted.length; j++) {
                if (sorted[j] == first) continue;
                if (!sorted[j].contains(m)) return;
            }
            out.add(m);
        });
        return out;
    }

    public static void sinter(CommandContext c) {
        List<byte[]> r = intersect(sources(c, 1, c.argc() - 1), 0);
        reply(c.out(), r);
    }

    /** SINTERCARD numkeys key... [LIMIT limit]. */
    public static void sintercard(CommandContext c) {
        long numkeys = Args.parseLong(c.arg(1), NUMKEYS);
        if (numkeys < 1) throw CommandContext.error(NUMKEYS);
        if (numkeys > c.argc() - 2) throw CommandContext.error(TOO_MANY_KEYS);
        long limit = 0;
        for (int i = 2 + (int) numkeys; i < c.argc(); i++) {
            boolean more = i < c.argc() - 1;
            if (c.argIs(i, "limit") && more) {
                limit = Args.parseLong(c.arg(++i), LIMIT_NEGATIVE);
                if (limit < 0) throw CommandContext.error(LIMIT_NEGATIVE);
            } else {
                throw c.syntax();
            }
        }
        List<byte[]> r = intersect(sources(c, 2, (int) numkeys), limit);
        c.out().integer(r == null ? 0 : r.size());
    }

    public static void sinterstore(CommandContext c) {
        List<byte[]> r = intersect(sources(c, 2, c.argc() - 2), 0);
        store(c, r, true);
    }

    // ---- union and difference ----

    private static SetValue union(CommandContext c, SetValue[] sets) {
        Encodings e = c.keyspace().encodings();
        SetValue out = SetValue.emptyIntset();
        for (SetValue s : sets) if (s != null) s.forEach(m -> out.add(m, e));
        return out;
    }

    private static SetValue diff(CommandContext c, SetValue[] sets) {
        Encodings e = c.keyspace().encodings();
        SetValue out = SetValue.emptyIntset();
        SetValue first = sets[0];
        if (first == null) return out;
        for (int j = 1; j < sets.length; j++) if (sets[j] == first) return out;   // A - A = {}
        first.forEach(m -> {
            for (int j = 1; j < sets.length; j++) if (sets[j] != null && sets[j].contains(m)) return;
            out.add(m, e);
        });
        return out;
    }

    public static void sunion(CommandContext c) {
        SetValue r = union(c, sources(c, 1, c.argc() - 1));
        SetBasic.replyMembers(c.out(), r);
    }

    public static void sunionstore(CommandContext c) {
        SetValue r = union(c, sources(c, 2, c.argc() - 2));
        storeSet(c, r);
    }

    public static void sdiff(CommandContext c) {
        SetValue r = diff(c, sources(c, 1, c.argc() - 1));
        SetBasic.replyMembers(c.out(), r);
    }

    public static void sdiffstore(CommandContext c) {
        SetValue r = diff(c, sources(c, 2, c.argc() - 2));
        storeSet(c, r);
    }

    // ---- replies and stores ----

    private static void reply(RespWriter w, List<byte[]> members) {
        if (members == null) {
            w.setHeader(0);
            return;
        }
        w.setHeader(members.size());
        for (byte[] m : members) w.bulk(m);
    }

    private static void store(CommandContext c, List<byte[]> members, boolean intersection) {
        Encodings e = c.keyspace().encodings();
        SetValue out = SetValue.emptyIntset();
        if (members != null) for (byte[] m : members) out.add(m, e);
        if (intersection) out.compactIfIntegers(e);
        storeSet(c, out);
    }

    /** Replaces the destination argv[1] with {@code r}, or deletes it when {@code r} is empty. */
    private static void storeSet(CommandContext c, SetValue r) {
        byte[] dst = c.arg(1);
        if (r.size() > 0) {
            c.db().put(dst, r);
            c.propagateAsIs(dst);
        } else if (c.db().remove(dst)) {
            c.propagateAsIs(dst);
        }
        c.out().integer(r.size());
    }
}
