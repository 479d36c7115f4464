package io.jkevy.engine.command.server;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.command.CommandTable;
import io.jkevy.engine.memory.MemoryReport;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.Heap;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** MEMORY USAGE | STATS | DOCTOR | MALLOC-STATS | PURGE | HELP (Redis 7.0's table entries). */
public final class MemoryCommand {
    private MemoryCommand() { }

    /** Default SAMPLES of MEMORY USAGE, as Redis. */
    static final int DEFAULT_SAMPLES = 5;
    /**
     * A key's share of its table: the slot arrays cost 24 bytes a slot (32 once the table holds
     * TTLs) and tables are at most 3/4 full.
     */
    static final int SLOT_SHARE = 32, SLOT_SHARE_TTL = 43;

    private static final String[] HELP = {
        "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DOCTOR",
        "    Return memory problems reports.",
        "MALLOC-STATS",
        "    Return internal statistics report from the memory allocator.",
        "PURGE",
        "    Attempt to purge dirty pages for reclamation by the allocator.",
        "STATS",
        "    Return information about the memory usage of the server.",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).",
        "HELP",
        "    Prints this help.",
    };

    public static void register(CommandTable t) {
        CommandSpec c = CommandTable.spec("memory", -2, "", 0, 0, 0, "@slow", "server", "4.0.0",
                "A container for memory diagnostics commands.", null);
        c.sub(CommandTable.spec("memory|doctor", 2, "", 0, 0, 0, "@slow", "server", "4.0.0",
                "Outputs a memory problems report.", MemoryCommand::doctor));
        c.sub(CommandTable.spec("memory|help", 2, "loading stale", 0, 0, 0, "@slow", "server", "4.0.0",
                "Returns helpful text about the different subcommands.", MemoryCommand::help));
        c.sub(CommandTable.spec("memory|malloc-stats", 2, "", 0, 0, 0, "@slow", "server", "4.0.0",
                "Returns the allocator statistics.", MemoryCommand::mallocStats));
        c.sub(CommandTable.spec("memory|purge", 2, "", 0, 0, 0, "@slow", "server", "4.0.0",
                "Asks the allocator to release memory.", MemoryCommand::purge));
        c.sub(CommandTable.spec("memory|stats", 2, "", 0, 0, 0, "@slow", "server", "4.0.0",
                "Returns details about memory usage.", MemoryCommand::stats));
        c.sub(CommandTable.spec("memory|usage", -3, "readonly", 2, 2, 1, "@read @slow", "server", "4.0.0",
                "Estimates the memory usage of a key.", MemoryCommand::usage));
        t.add(c);
    }

    /**
     * The key's name, value and share of its table: exactly what the accounting records for
     * it with the default samples (plus the slot share), a fresh estimate otherwise.
     */
    static void usage(CommandContext c) {
        int samples = DEFAULT_SAMPLES;
        for (int i = 3; i < c.argc(); i++) {
            if (c.argIs(i, "samples") && i + 1 < c.argc()) {
                long n = c.longArg(i + 1);
                if (n < 0) throw c.syntax();
                samples = n > Integer.MAX_VALUE ? 0 : (int) n;
                i++;
            } else {
                throw c.syntax();
            }
        }
        byte[] key = c.arg(2);
        Object v = c.db().peek(key);
        if (v == null) {
            c.out().nullBulk();
            return;
        }
        long share = c.db().expireAt(key) > 0 ? SLOT_SHARE_TTL : SLOT_SHARE;
        c.out().integer(Heap.bytes(key.length) + Heap.valueBytes(v, samples) + share);
    }

    static void stats(CommandContext c) {
        writeMap(c.out(), MemoryReport.stats(c.engine()));
    }

    private static void writeMap(RespWriter out, Map<String, Object> m) {
        out.mapHeader(m.size());
        for (Map.Entry<String, Object> e : m.entrySet()) {
            out.bulk(e.getKey());
            Object v = e.getValue();
            if (v instanceof Long n) out.integer(n);
            else if (v instanceof Double d) out.doubleValue(d);
            else {
                @SuppressWarnings("unchecked") Map<String, Object> nested = (Map<String, Object>) v;
                writeMap(out, nested);
            }
        }
    }

    static void doctor(CommandContext c) {
        c.out().verbatim("txt", MemoryReport.doctor(c.engine()).getBytes(StandardCharsets.UTF_8));
    }

    static void mallocStats(CommandContext c) {
        c.out().verbatim("txt", MemoryReport.mallocStats().getBytes(StandardCharsets.UTF_8));
    }

    /** Asks the JVM for a full collection (the closest thing to purging allocator pages). */
    static void purge(CommandContext c) {
        System.gc();
        c.out().ok();
    }

    static void help(CommandContext c) {
        c.out().arrayHeader(HELP.length);
        for (String line : HELP) c.out().simple(line);
    }
}
