package io.jkevy.engine.ops;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.command.CommandTable;
import io.jkevy.resp.RespWriter;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** SLOWLOG, LATENCY and MONITOR (Redis 7.0's arity, flags, ACL categories and replies). */
final class OpsCommands {
    private OpsCommands() { }

    private static final String ADMIN = "admin loading stale";
    private static final String ADMIN_NOSCRIPT = "admin noscript loading stale";
    private static final String ADMIN_ACL = "@admin @slow @dangerous";

    static void register(CommandTable t, Ops ops) {
        CommandSpec slowlog = CommandTable.spec("slowlog", -2, "", 0, 0, 0, "@slow", "server", "2.2.12",
                "A container for slow log commands", null);
        slowlog.sub(CommandTable.spec("slowlog|get", -2, ADMIN, 0, 0, 0, ADMIN_ACL, "server", "2.2.12",
                "Get the slow log's entries", c -> slowlogGet(c, ops)));
        slowlog.sub(CommandTable.spec("slowlog|len", 2, ADMIN, 0, 0, 0, ADMIN_ACL, "server", "2.2.12",
                "Get the slow log's length", c -> c.out().integer(ops.slowLog().size())));
        slowlog.sub(CommandTable.spec("slowlog|reset", 2, ADMIN, 0, 0, 0, ADMIN_ACL, "server", "2.2.12",
                "Clear all entries from the slow log", c -> {
                    ops.slowLog().reset();
                    c.out().ok();
                }));
        slowlog.sub(CommandTable.spec("slowlog|help", 2, "loading stale", 0, 0, 0, "@slow", "server", "6.2.0",
                "Show helpful text about the different subcommands", c -> io.jkevy.engine.command.server.CommandIntrospection.helpLines(c.out(), SLOWLOG_HELP)));
        t.add(slowlog);

        CommandSpec latency = CommandTable.spec("latency", -2, "", 0, 0, 0, "@slow", "server", "2.8.13",
                "A container for latency diagnostics commands", null);
        latency.sub(CommandTable.spec("latency|latest", 2, ADMIN_NOSCRIPT, 0, 0, 0, ADMIN_ACL, "server", "2.8.13",
                "Return the latest latency samples for all events.", c -> latencyLatest(c, ops)));
        latency.sub(CommandTable.spec("latency|history", 3, ADMIN_NOSCRIPT, 0, 0, 0, ADMIN_ACL, "server", "2.8.13",
                "Return timestamp-latency samples for the event.", c -> latencyHistory(c, ops)));
        latency.sub(CommandTable.spec("latency|reset", -2, ADMIN_NOSCRIPT, 0, 0, 0, ADMIN_ACL, "server", "2.8.13",
                "Reset latency data for one or more events.", c -> latencyReset(c, ops)));
        latency.sub(CommandTable.spec("latency|doctor", 2, ADMIN_NOSCRIPT, 0, 0, 0, ADMIN_ACL, "server", "2.8.13",
                "Return a human readable latency analysis report.",
                c -> c.out().verbatim("txt", LatencyReport.doctor(ops, c.now() / 1000).getBytes(StandardCharsets.UTF_8))));
        latency.sub(CommandTable.spec("latency|graph", 3, ADMIN_NOSCRIPT, 0, 0, 0, ADMIN_ACL, "server", "2.8.13",
                "Return a latency graph for the event.", c -> latencyGraph(c, ops)));
        latency.sub(CommandTable.spec("latency|help", 2, "loading stale", 0, 0, 0, "@slow", "server", "2.8.13",
                "Show helpful text about the different subcommands.", c -> io.jkevy.engine.command.server.CommandIntrospection.helpLines(c.out(), LATENCY_HELP)));
        t.add(latency);

        t.add("monitor", 1, ADMIN_NOSCRIPT, 0, 0, 0, ADMIN_ACL, "server", "1.0.0",
                "Listen for all requests received by the server in real time", c -> monitor(c, ops));
    }

    // ---- SLOWLOG ----------------------------------------------------------------------

    private static final String COUNT_RANGE = "ERR count should be greater than or equal to -1";

    static void slowlogGet(CommandContext c, Ops ops) {
        if (c.argc() > 3) {
            throw CommandContext.error("ERR unknown subcommand or wrong number of arguments for '"
                    + c.argString(1) + "'. Try SLOWLOG HELP.");
        }
        long count = 10;
        if (c.argc() == 3) {
            count = c.longArg(2, COUNT_RANGE);
            if (count < -1) throw CommandContext.error(COUNT_RANGE);
        }
        List<SlowLog.Entry> entries = ops.slowLog().newest(count);
        RespWriter out = c.out();
        out.arrayHeader(entries.size());
        for (SlowLog.Entry e : entries) {
            out.arrayHeader(6);
            out.integer(e.id());
            out.integer(e.timestampSeconds());
            out.integer(e.micros());
            out.arrayHeader(e.argv().length);
            for (byte[] a : e.argv()) out.bulk(a);
            out.bulk(e.peer());
            out.bulk(e.clientName());
        }
    }

    private static final String[] SLOWLOG_HELP = {
        "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET [<count>]",
        "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
        "    Entries are made of:",
        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
        "    client name",
        "LEN",
        "    Return the length of the slowlog.",
        "RESET",
        "    Reset the slowlog.",
        "HELP",
        "    Prints this help.",
    };

    // ---- LATENCY ----------------------------------------------------------------------

    static void latencyLatest(CommandContext c, Ops ops) {
        List<LatencyMonitor.Latest> all = ops.latency().latest();
        RespWriter out = c.out();
        out.arrayHeader(all.size());
        for (LatencyMonitor.Latest l : all) {
            out.arrayHeader(4);
            out.bulk(l.event());
            out.integer(l.timeSeconds());
            out.integer(l.millis());
            out.integer(l.maxMillis());
        }
    }

    static void latencyHistory(CommandContext c, Ops ops) {
        List<LatencyMonitor.Sample> samples = ops.latency().history(c.argString(2));
        RespWriter out = c.out();
        out.arrayHeader(samples.size());
        for (LatencyMonitor.Sample s : samples) {
            out.arrayHeader(2);
            out.integer(s.timeSeconds());
            out.integer(s.millis());
        }
    }

    static void latencyReset(CommandContext c, Ops ops) {
        if (c.argc() == 2) {
            c.out().integer(ops.latency().resetAll());
            return;
        }
        int n = 0;
        for (int i = 2; i < c.argc(); i++) if (ops.latency().reset(c.argString(i))) n++;
        c.out().integer(n);
    }

    static void latencyGraph(CommandContext c, Ops ops) {
        String event = c.argString(2);
        List<LatencyMonitor.Sample> samples = ops.latency().history(event);
        if (samples.isEmpty()) throw CommandContext.error("ERR No samples available for event '" + event + "'");
        String g = LatencyReport.graph(event, samples, ops.latency().max(event), c.now() / 1000);
        c.out().verbatim("txt", g.getBytes(StandardCharsets.UTF_8));
    }

    private static final String[] LATENCY_HELP = {
        "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DOCTOR",
        "    Return a human readable latency analysis report.",
        "GRAPH <event>",
        "    Return an ASCII latency graph for the <event> class.",
        "HISTORY <event>",
        "    Return time-latency samples for the <event> class.",
        "LATEST",
        "    Return the latest latency samples for all events.",
        "RESET [<event> ...]",
        "    Reset latency data of one or more <event> classes.",
        "    (default: reset all data for all event classes)",
        "HELP",
        "    Prints this help.",
    };

    // ---- MONITOR ----------------------------------------------------------------------

    /** Enters monitor mode (+OK); a client already monitoring gets no reply, as in Redis. */
    static void monitor(CommandContext c, Ops ops) {
        if (c.session().monitor()) return;
        if (c.inAtomicUnit()) throw CommandContext.error("ERR MONITOR isn't allowed for DENY BLOCKING client");
        ops.monitors().add(c.session());
        c.out().ok();
    }

}
