package io.jkevy.engine.ops;

import io.jkevy.engine.Args;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.store.Db;
import io.jkevy.store.Hashing;
import io.jkevy.store.KeyTable;
import io.jkevy.store.Keyspace;

/**
 * CLIENT NO-TOUCH: the commands of such a client leave the access time (OBJECT IDLETIME,
 * LRU) of the keys they read alone; TOUCH always updates it. The dispatcher saves the access
 * time and version of the command's key arguments before the body runs and puts the access
 * time back afterwards on every key the command did not write (a write sets a new access
 * time, as a new value does in Redis). Both calls happen with the keys' stripe locks held.
 * Commands without key positions (scripts, EXEC) are not covered.
 */
public final class NoTouch {
    private NoTouch() { }

    /** {access, version} pairs per key argument, or null when nothing is to be restored. */
    public static long[] save(Keyspace ks, int db, CommandSpec spec, byte[][] argv) {
        if (spec.firstKey() <= 0 || Args.is(argv[0], "touch")) return null;
        int last = spec.lastKeyIndex(argv.length);
        int step = Math.max(1, spec.step());
        int n = 0;
        for (int i = spec.firstKey(); i <= last; i += step) n++;
        if (n == 0) return null;
        long[] saved = new long[n * 2];
        Db d = ks.db(db);
        int j = 0;
        for (int i = spec.firstKey(); i <= last; i += step, j += 2) {
            saved[j] = d.accessTime(argv[i]);
            saved[j + 1] = d.version(argv[i]);
        }
        return saved;
    }

    public static void restore(Keyspace ks, int db, CommandSpec spec, byte[][] argv, long[] saved) {
        int last = spec.lastKeyIndex(argv.length);
        int step = Math.max(1, spec.step());
        Db d = ks.db(db);
        int j = 0;
        for (int i = spec.firstKey(); i <= last && j < saved.length; i += step, j += 2) {
            if (saved[j] < 0 || d.version(argv[i]) != saved[j + 1]) continue;
            KeyTable t = d.stripeTable(ks.stripeOf(argv[i]));
            int slot = t.find(argv[i], Hashing.hash(argv[i]));
            if (slot >= 0) t.setAccess(slot, (int) saved[j]);
        }
    }
}
