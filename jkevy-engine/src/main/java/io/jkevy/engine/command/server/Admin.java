package io.jkevy.engine.command.server;

import io.jkevy.engine.Args;
import io.jkevy.engine.CommandContext;
import io.jkevy.engine.Engine;
import io.jkevy.journal.Journal;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.Keyspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** TIME, LASTSAVE, DBSIZE, FLUSHDB, FLUSHALL, SWAPDB and SHUTDOWN. */
public final class Admin {
    private Admin() { }

    private static final Logger log = LoggerFactory.getLogger(Admin.class);
    private static final byte[] FLUSHDB = "FLUSHDB".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FLUSHALL = "FLUSHALL".getBytes(StandardCharsets.US_ASCII);

    /**
     * TIME: [unix seconds, microseconds]. Microseconds come from the system clock when the
     * engine's clock is the system clock (within a second of it); an engine running on a
     * test clock reports that clock at millisecond precision.
     */
    public static void time(CommandContext c) {
        long ms = c.now();
        Instant wall = Instant.now();
        long micros;
        if (Math.abs(wall.toEpochMilli() - ms) < 1000) {
            micros = wall.getEpochSecond() * 1_000_000L + wall.getNano() / 1000;
        } else {
            micros = ms * 1000;
        }
        RespWriter out = c.out();
        out.arrayHeader(2);
        out.bulk(micros / 1_000_000L);
        out.bulk(micros % 1_000_000L);
    }

    /** LASTSAVE: no save exists yet in this build, so the server's start time (seconds). */
    public static void lastSave(CommandContext c) {
        io.jkevy.engine.persist.Durability d = c.engine().durability();
        c.out().integer((d == null ? c.engine().stats().startMillis : d.lastSaveMillis()) / 1000);
    }

    /** DBSIZE: keys of the selected database, not-yet-collected expired ones included (as Redis). */
    public static void dbSize(CommandContext c) { c.out().integer(c.db().size()); }

    /** Checks FLUSHDB/FLUSHALL's optional ASYNC|SYNC (both free memory at once here). */
    private static void flushOptions(CommandContext c) {
        if (c.argc() > 2) throw c.syntax();
        if (c.argc() == 2 && !c.argIs(1, "async") && !c.argIs(1, "sync")) throw c.syntax();
    }

    /** FLUSHDB [ASYNC|SYNC]: journaled as a bare FLUSHDB in the selected database. */
    public static void flushDb(CommandContext c) {
        flushOptions(c);
        c.db().clear();
        c.propagate(new byte[][] {FLUSHDB});
        c.engine().pubsub().flushed(c);     // client tracking: null invalidation
        c.out().ok();
    }

    /**
     * FLUSHALL [ASYNC|SYNC]: empties every database, journals a bare FLUSHALL, then starts a
     * new generation (ARCHITECTURE invariant 4).
     *
     * <p>The FLUSHALL frame closes the old generation and the new one starts right after it
     * (offsets stay continuous) from the empty dataset. So the new generation's base state
     * is known without a snapshot, and replaying any generation onto its own base still
     * gives the live state. A replica of the old generation — whether or not it received the
     * FLUSHALL frame — next asks with the old generation, which the primary cannot prove to
     * be a prefix of its history, so it takes the snapshot path; the snapshot is empty, hence
     * cheap. Had the frame opened the new generation instead, its base would be the
     * pre-flush data, which no snapshot captured.
     *
     * <p>The frame is appended here, directly, because the generation must change after it
     * and before anything else is journaled; the dispatcher's commit would only append it
     * after the body returns. Every stripe lock is held (the command is {@code global}), so
     * nothing can interleave.
     */
    public static void flushAll(CommandContext c) {
        flushOptions(c);
        Engine engine = c.engine();
        Keyspace ks = engine.keyspace();
        c.commitPending();      // inside EXEC or a script: the unit's earlier effects go first
        for (int i = 0; i < ks.databases(); i++) ks.db(i).clear();
        if (c.applying()) {          // a frame being applied: already journaled, generations follow the source
            c.out().ok();
            return;
        }
        Journal j = engine.journal();
        c.session().noteWrite(j.append(c.session().db(), new byte[][] {FLUSHALL}));
        engine.stats().dirty.increment();
        j.newGeneration(engine.newGeneration());
        engine.pubsub().flushed(c);     // client tracking: null invalidation
        c.out().ok();
    }

    /** SWAPDB index1 index2: journaled as-is; the caller holds every stripe lock. */
    public static void swapDb(CommandContext c) {
        int a = dbIndex(c.arg(1), "ERR invalid first DB index");
        int b = dbIndex(c.arg(2), "ERR invalid second DB index");
        Keyspace ks = c.keyspace();
        if (a < 0 || a >= ks.databases() || b < 0 || b >= ks.databases()) {
            throw CommandContext.error("ERR DB index is out of range");
        }
        if (a != b) {
            c.engine().watches().swapping(ks, a, b);      // WATCHes on either side (io.jkevy.engine.tx)
            ks.swap(a, b);
        }
        c.propagate(c.argv());
        c.out().ok();
    }

    /** A 32-bit integer argument with Redis's strict parsing, else {@code error}. */
    private static int dbIndex(byte[] arg, String error) {
        long v = Args.parseLongOr(arg, Long.MIN_VALUE, true);
        if (v == Long.MIN_VALUE || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw CommandContext.error(error);
        return (int) v;
    }

    /**
     * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]. There is no persistence yet: an explicit
     * SAVE cannot be honoured and is refused unless FORCE says to go on regardless; shutdown
     * is immediate, so ABORT never finds one in progress. On success nothing is replied: the
     * connection closes, as with Redis.
     */
    public static void shutdown(CommandContext c) {
        boolean nosave = false, save = false, force = false, abort = false;
        for (int i = 1; i < c.argc(); i++) {
            if (c.argIs(i, "nosave")) nosave = true;
            else if (c.argIs(i, "save")) save = true;
            else if (c.argIs(i, "now")) { /* no grace period exists to skip */ }
            else if (c.argIs(i, "force")) force = true;
            else if (c.argIs(i, "abort")) abort = true;
            else throw c.syntax();
        }
        if ((abort && c.argc() > 2) || (nosave && save)) throw c.syntax();
        if (abort) throw CommandContext.error("ERR No shutdown in progress.");
        if (save && !force) {
            log.warn("SHUTDOWN SAVE refused: this build cannot save the dataset (no persistence yet); use NOSAVE or FORCE");
            throw CommandContext.error("ERR Errors trying to SHUTDOWN. Check logs.");
        }
        log.warn("User requested shutdown...");
        c.session().closeAfterReply();
        c.engine().host().shutdown();
    }
}
