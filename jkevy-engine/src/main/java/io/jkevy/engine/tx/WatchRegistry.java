package io.jkevy.engine.tx;

import io.jkevy.store.Db;
import io.jkevy.store.Keyspace;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every watched key of every session, by (database, key), so a write can mark the watches
 * on the keys it touched. One per engine.
 *
 * <p>The write path asks {@link #any()} first (one volatile read) and does nothing more
 * while nobody watches anything. A watch is added under its key's stripe lock (WATCH names
 * its keys) and every write reports its keys under theirs, so a watch never misses a write
 * that committed after it. Removal needs no lock: a write that still sees a removed watch
 * only marks that dead object, which no session looks at any more.
 */
public final class WatchRegistry {
    private final ConcurrentHashMap<WKey, CopyOnWriteArrayList<Watch>> byKey = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    /** True when some session watches some key. */
    public boolean any() { return count.get() != 0; }

    /** Marks every watch on {@code key} of database {@code db}: the key was written. */
    public void touched(int db, byte[] key) {
        CopyOnWriteArrayList<Watch> ws = byKey.get(new WKey(db, key));
        if (ws == null) return;
        for (Watch w : ws) w.touched = true;
    }

    /**
     * SWAPDB {@code a} {@code b} is about to exchange two databases' contents; the caller holds
     * every stripe lock. Marks the watches the swap changes, as Redis 7.0 does, evaluated on
     * the contents before the swap (a watch stays on its database index):
     * <ul>
     * <li>a key live at WATCH changes when it is present (live or expired) on either side;
     * <li>a key absent or expired at WATCH changes only when a live one is swapped in.
     * </ul>
     * The tokens alone would miss a key swapped out and back unchanged, or swapped in and
     * expired before EXEC; this catches both.
     */
    public void swapping(Keyspace ks, int a, int b) {
        if (!any() || a == b) return;
        for (var e : byKey.entrySet()) {
            int db = e.getKey().db();
            if (db != a && db != b) continue;
            byte[] key = e.getKey().key();
            long here = ks.db(db).peekVersion(key);
            long incoming = ks.db(db == a ? b : a).peekVersion(key);
            for (Watch w : e.getValue()) {
                boolean changes = Watch.live(w.token)
                        ? here != Db.ABSENT || incoming != Db.ABSENT
                        : Watch.live(incoming);
                if (changes) w.touched = true;
            }
        }
    }

    /**
     * Adds watches on {@code keys} of database {@code db} for {@code s}, skipping keys it
     * already watches there (the first watch keeps its token, as Redis keeps its entry). The
     * caller holds the keys' stripe locks.
     */
    void watch(TxState s, Keyspace ks, int db, byte[][] keys, int from) {
        Watch[] old = s.watched();
        Watch[] next = Arrays.copyOf(old, old.length + keys.length - from);
        int n = old.length;
        outer:
        for (int i = from; i < keys.length; i++) {
            byte[] k = keys[i];
            for (int j = 0; j < n; j++) {
                if (next[j].db == db && Arrays.equals(next[j].key, k)) continue outer;
            }
            Watch w = new Watch(db, k, ks.db(db), ks.db(db).peekVersion(k));
            byKey.compute(new WKey(db, k), (kk, l) -> {
                if (l == null) l = new CopyOnWriteArrayList<>();
                l.add(w);
                return l;
            });
            count.incrementAndGet();
            next[n++] = w;
        }
        s.watched(n == next.length ? next : Arrays.copyOf(next, n));
    }

    /** Drops every watch of {@code s} (UNWATCH, EXEC, DISCARD, RESET, disconnect). */
    void unwatchAll(TxState s) {
        Watch[] ws = s.watched();
        if (ws.length == 0) return;
        s.watched(new Watch[0]);
        for (Watch w : ws) {
            byKey.computeIfPresent(new WKey(w.db, w.key), (kk, l) -> {
                l.remove(w);
                return l.isEmpty() ? null : l;
            });
            count.decrementAndGet();
        }
    }

    /** Whether any watch of {@code s} saw a change; the caller holds every stripe lock. */
    boolean anyChanged(TxState s, Keyspace ks) {
        for (Watch w : s.watched()) {
            if (w.touched || w.changedSinceWatch(ks.db(w.db))) return true;
        }
        return false;
    }

    /** Distinct keys watched by anyone (tests, INFO). */
    public int watchedKeys() { return byKey.size(); }

    /** A map key: database index and key bytes compared by content. */
    private record WKey(int db, byte[] key) {
        @Override public boolean equals(Object o) {
            return o instanceof WKey w && w.db == db && Arrays.equals(w.key, key);
        }

        @Override public int hashCode() { return 31 * db + Arrays.hashCode(key); }

        @Override public String toString() { return db + ":" + new String(key, java.nio.charset.StandardCharsets.UTF_8); }
    }
}
