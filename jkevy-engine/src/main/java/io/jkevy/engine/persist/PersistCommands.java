package io.jkevy.engine.persist;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.Engine;
import io.jkevy.engine.command.CommandTable;
import io.jkevy.store.Keyspace;

import java.io.IOException;
import java.nio.file.Path;

/** SAVE, BGSAVE, BGREWRITEAOF and DEBUG RELOAD over {@link Durability}. */
public final class PersistCommands {
    private PersistCommands() { }

    static final String NO_JOURNAL = "ERR snapshots are kept with the journal on disk: start the server with appendonly yes";

    public static void register(CommandTable t) {
        t.add("save", 1, "admin noscript no_multi", 0, 0, 0, "@admin @slow @dangerous", "server", "1.0.0",
                "Synchronously saves the database(s) to disk.", PersistCommands::save);
        t.add("bgsave", -1, "admin noscript", 0, 0, 0, "@admin @slow @dangerous", "server", "1.0.0",
                "Asynchronously saves the database(s) to disk.", PersistCommands::bgsave);
        t.add("bgrewriteaof", 1, "admin noscript", 0, 0, 0, "@admin @slow @dangerous", "server", "1.0.0",
                "Asynchronously rewrites the append-only file to disk.", PersistCommands::bgrewriteaof);
    }

    private static Durability durability(CommandContext c) {
        Durability d = c.engine().durability();
        if (d == null) throw CommandContext.error(NO_JOURNAL);
        return d;
    }

    static void save(CommandContext c) {
        Durability d = durability(c);
        if (d.saving()) throw CommandContext.error("ERR Background save already in progress");
        try {
            d.snapshot(false);
        } catch (IOException | RuntimeException e) {
            throw CommandContext.error("ERR saving the snapshot failed: " + e.getMessage());
        }
        c.out().ok();
    }

    static void bgsave(CommandContext c) {
        boolean schedule = false;
        if (c.argc() == 2 && c.argIs(1, "schedule")) schedule = true;
        else if (c.argc() != 1) throw c.syntax();
        Durability d = durability(c);
        if (d.saving()) {
            if (schedule) {
                c.out().simple("Background saving scheduled");
                return;
            }
            throw CommandContext.error("ERR Background save already in progress");
        }
        if (!d.snapshotInBackground(false)) throw CommandContext.error("ERR Background save already in progress");
        c.out().simple("Background saving started");
    }

    static void bgrewriteaof(CommandContext c) {
        Durability d = durability(c);
        if (d.rewriting()) throw CommandContext.error("ERR Background append only file rewriting already in progress");
        if (d.saving()) throw CommandContext.error("ERR Background save already in progress");
        if (!d.snapshotInBackground(true)) throw CommandContext.error("ERR Background save already in progress");
        c.out().simple("Background append only file rewriting started");
    }

    /**
     * DEBUG RELOAD: a snapshot (compacting the journal), then the keyspace emptied and loaded
     * back from it. The caller (DEBUG, a global command) holds every stripe lock.
     */
    public static void debugReload(CommandContext c) {
        Durability d = durability(c);
        Engine e = c.engine();
        try {
            Path f = d.snapshot(true);
            Keyspace ks = e.keyspace();
            for (int i = 0; i < ks.databases(); i++) ks.db(i).clear();
            SnapshotFile.load(f, ks);
        } catch (IOException | RuntimeException ex) {
            throw CommandContext.error("ERR Error trying to load the snapshot: " + ex.getMessage());
        }
        c.out().ok();
    }
}
