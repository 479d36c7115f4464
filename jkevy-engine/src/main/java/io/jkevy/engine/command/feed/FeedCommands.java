package io.jkevy.engine.command.feed;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.Engine;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.command.CommandTable;
import io.jkevy.engine.persist.Durability;
import io.jkevy.journal.Frames;
import io.jkevy.journal.Journal;
import io.jkevy.journal.disk.SegmentReader;
import io.jkevy.resp.RespWriter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The change feed of spec/kv-api.md: every applied write, in journal order, readable from a
 * cursor {@code (generation, offset)} — from the in-memory backlog, and from the journal's
 * disk segments behind it when persistence is on.
 *
 * <pre>
 *   FEED.TAIL [DURABLE]                  -> [generation, next offset]  (DURABLE: the next offset not yet durable)
 *   FEED.READ gen offset [COUNT n] [PREFIX p ...] [DURABLE] [BLOCK ms]
 *                                        -> [generation, next offset, [[offset, argv...], ...]]
 * </pre>
 */
public final class FeedCommands {
    private FeedCommands() { }

    static final int DEFAULT_COUNT = 256, MAX_COUNT = 4096;

    public static void register(CommandTable t) {
        t.add("feed.tail", -1, "readonly fast loading stale", 0, 0, 0, "@read @fast", "feed", "jkevy 0.1.0",
                "Returns the change feed's position: [generation, next offset].", FeedCommands::tail);
        t.add("feed.read", -3, "readonly blocking", 0, 0, 0, "@read @slow @blocking", "feed", "jkevy 0.1.0",
                "Reads journal frames from a cursor: [generation, next offset, frames].", FeedCommands::read);
    }

    static void tail(CommandContext c) {
        boolean durable = false;
        if (c.argc() == 2 && c.argIs(1, "durable")) durable = true;
        else if (c.argc() != 1) throw c.syntax();
        Journal.Position p = c.engine().journal().position();
        long next = durable ? Math.min(p.next(), durableNext(c.engine())) : p.next();
        c.out().arrayHeader(2);
        c.out().integer(p.generation());
        c.out().integer(next);
    }

    /** The first offset not yet durable; fails when nothing is ever durable (no journal on disk). */
    private static long durableNext(Engine e) {
        Durability d = e.durability();
        if (d == null) throw CommandContext.error("ERR DURABLE needs the journal on disk (appendonly yes)");
        return d.writer().durableOffset() + 1;
    }

    static void read(CommandContext c) {
        long gen = c.longArg(1, "ERR invalid feed generation");
        long from = c.longArg(2, "ERR invalid feed offset");
        int count = DEFAULT_COUNT;
        List<byte[]> prefixes = null;
        boolean durable = false;
        long block = -1;
        for (int i = 3; i < c.argc(); i++) {
            if (c.argIs(i, "count") && i + 1 < c.argc()) {
                long n = c.longArg(++i);
                if (n < 1 || n > MAX_COUNT) throw CommandContext.error("ERR COUNT must be between 1 and " + MAX_COUNT);
                count = (int) n;
            } else if (c.argIs(i, "prefix") && i + 1 < c.argc()) {
                if (prefixes == null) prefixes = new ArrayList<>();
                prefixes.add(c.arg(++i));
            } else if (c.argIs(i, "durable")) {
                durable = true;
            } else if (c.argIs(i, "block") && i + 1 < c.argc()) {
                block = c.longArg(++i, "ERR timeout is not an integer or out of range");
                if (block < 0) throw CommandContext.error("ERR timeout is negative");
            } else {
                throw c.syntax();
            }
        }
        Engine e = c.engine();
        long limit = durable ? durableNext(e) : Long.MAX_VALUE;
        Journal j = e.journal();
        Journal.Read r = j.read(from, count);
        long curGen = r instanceof Journal.Read.Frames f ? f.generation()
                : r instanceof Journal.Read.TooOld t ? t.generation() : ((Journal.Read.Future) r).generation();
        if (gen != curGen) throw resync(j);
        List<byte[]> frames;
        if (r instanceof Journal.Read.Future) {
            throw CommandContext.error("ERR feed cursor ahead of stream");
        } else if (r instanceof Journal.Read.TooOld) {
            frames = fromDisk(e, gen, from, count);
            if (frames == null) throw resync(j);
        } else {
            frames = ((Journal.Read.Frames) r).frames();
        }
        // DURABLE: only frames the fsync policy has made crash-safe
        int n = frames.size();
        if (limit != Long.MAX_VALUE) n = (int) Math.max(0, Math.min(n, limit - from));
        if (n == 0 && block >= 0) {
            final long g = gen, f0 = from;
            c.blockOnFeed(block, out -> reply(out, g, f0, List.of(), null, c.engine()));
            if (durable) {
                // an fsync, not a write, is what can release a DURABLE reader
                e.durability().writer().whenSynced(from, e::wakeFeedReaders);
            }
            return;
        }
        reply(c.out(), gen, from, frames.subList(0, n), prefixes, e);
    }

    private static List<byte[]> fromDisk(Engine e, long gen, long from, int count) {
        Durability d = e.durability();
        if (d == null) return null;
        try {
            List<byte[]> fs = SegmentReader.readRange(d.dir(), gen, from, count);
            return fs == null || fs.isEmpty() ? null : fs;
        } catch (IOException ex) {
            return null;
        }
    }

    private static io.jkevy.engine.CommandError resync(Journal j) {
        Journal.Position p = j.position();
        return CommandContext.error("FEEDRESYNC " + p.generation() + " " + p.next());
    }

    /** Writes [gen, next, frames]; PREFIX filters single-key frames, the cursor still passes them. */
    private static void reply(RespWriter out, long gen, long from, List<byte[]> frames, List<byte[]> prefixes, Engine e) {
        List<byte[][]> keep = new ArrayList<>(frames.size());
        List<Long> offsets = new ArrayList<>(frames.size());
        long off = from;
        for (byte[] f : frames) {
            byte[][] argv = Frames.decodeArgv(f);
            if (prefixes == null || matches(argv, prefixes, e)) {
                keep.add(argv);
                offsets.add(off);
            }
            off++;
        }
        out.arrayHeader(3);
        out.integer(gen);
        out.integer(from + frames.size());
        out.arrayHeader(keep.size());
        for (int i = 0; i < keep.size(); i++) {
            byte[][] argv = keep.get(i);
            out.arrayHeader(1 + argv.length);
            out.integer(offsets.get(i));
            for (byte[] a : argv) out.bulk(a);
        }
    }

    /** A frame passes when it has exactly one key and that key starts with a prefix, or when its keys cannot be told. */
    private static boolean matches(byte[][] argv, List<byte[]> prefixes, Engine e) {
        CommandSpec spec = e.commands().lookup(argv[0]);
        if (spec == null || spec.firstKey() <= 0) return true;          // SELECT, MULTI, EXEC, FLUSHALL, ...
        int last = spec.lastKeyIndex(argv.length);
        if (last != spec.firstKey() || spec.firstKey() >= argv.length) return true;   // multi-key: always delivered
        byte[] key = argv[spec.firstKey()];
        for (byte[] p : prefixes) {
            if (key.length >= p.length && java.util.Arrays.equals(key, 0, p.length, p, 0, p.length)) return true;
        }
        return false;
    }
}
