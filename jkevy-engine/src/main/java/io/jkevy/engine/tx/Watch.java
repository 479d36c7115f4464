package io.jkevy.engine.tx;

import io.jkevy.store.Db;

/**
 * One watched key of one session: what the key looked like at WATCH (the token) and whether
 * a write has touched it since.
 *
 * <p>The token is the key's version ({@link Db#peekVersion}: the journal offset of its last
 * write, or ABSENT/EXPIRED) and the database object that held it. EXEC compares them with the
 * key's state then, which catches the changes no command's write reports: expiry, FLUSHDB,
 * FLUSHALL and SWAPDB. {@link #touched} catches every write, including one that leaves the
 * key as it was found (created and deleted again, say). Together they give Redis 7.0's rules
 * (see docs/transactions.md).
 */
final class Watch {
    final int db;
    final byte[] key;
    final Db dbAtWatch;
    final long token;
    /** Set by the thread that wrote the key (under its stripe lock). */
    volatile boolean touched;

    Watch(int db, byte[] key, Db dbAtWatch, long token) {
        this.db = db;
        this.key = key;
        this.dbAtWatch = dbAtWatch;
        this.token = token;
    }

    /** True when the key is live now (or was at WATCH, for the token). */
    static boolean live(long token) { return token >= 0; }

    /**
     * Whether the key changed since WATCH by a route that does not go through a write's
     * {@link #touched}: call with every stripe lock held (EXEC does).
     *
     * <p>A key that was live at WATCH changed when it is gone or expired now (Redis: an
     * expired watched key fails EXEC even before anything collects it), when its version
     * moved, or when its database was swapped. A key that was absent or already expired at
     * WATCH changed only when a live one stands in its place now (SWAPDB brought one in; a
     * write that created it also set {@link #touched}).
     */
    boolean changedSinceWatch(Db now) {
        long v = now.peekVersion(key);
        if (!live(token)) return live(v);
        return !live(v) || v != token || now != dbAtWatch;
    }
}
