package io.jkevy.engine.repl;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.Engine;
import io.jkevy.engine.command.CommandTable;
import io.jkevy.journal.Journal;

/**
 * The client-visible replication commands: {@code ROLE}, {@code WAIT}, {@code REPLICAOF}
 * (and {@code SLAVEOF}), {@code REPL.TOKEN} and {@code REPL.WAIT} (spec/replication.md,
 * the consistency ladder).
 */
public final class ReplCommands {
    private ReplCommands() { }

    /** WAIT with timeout 0 waits this long at most (spec: capped at 60 s). */
    static final long WAIT_CAP_MILLIS = 60_000;

    public static void register(CommandTable t) {
        t.add("role", 1, "noscript loading stale fast", 0, 0, 0, "@admin @fast @dangerous", "server", "2.8.12",
                "Returns the replication role.", ReplCommands::role);
        t.add("wait", 3, "noscript", 0, 0, 0, "@slow @connection", "generic", "3.0.0",
                "Blocks until the asynchronous replication of all preceding write commands sent by the connection is completed.",
                ReplCommands::waitReplicas);
        t.add("replicaof", 3, "admin noscript stale", 0, 0, 0, "@admin @slow @dangerous", "server", "5.0.0",
                "Configures a server as replica of another, or promotes it to a master.", ReplCommands::replicaOf);
        t.add("slaveof", 3, "admin noscript stale", 0, 0, 0, "@admin @slow @dangerous", "server", "1.0.0",
                "Sets a Redis server as a replica of another, or promotes it to being a master.", ReplCommands::replicaOf);
        t.add("repl.token", 1, "readonly fast loading stale", 0, 0, 0, "@read @fast", "server", "jkevy 0.1.0",
                "Returns this node's replication position: [generation, next offset].", ReplCommands::token);
        t.add("repl.wait", -3, "readonly blocking", 0, 0, 0, "@read @slow @blocking", "server", "jkevy 0.1.0",
                "Blocks until this replica has applied a position from REPL.TOKEN.", ReplCommands::replWait);
    }

    static void role(CommandContext c) {
        ReplicationControl r = c.engine().replication();
        if (r != null) {
            r.role(c.out());
            return;
        }
        c.out().arrayHeader(3);
        c.out().bulk("master");
        c.out().integer(c.engine().journal().nextOffset() - 1);
        c.out().arrayHeader(0);
    }

    static void waitReplicas(CommandContext c) {
        Engine e = c.engine();
        ReplicationControl r = e.replication();
        long n = c.longArg(1);
        long timeout = c.longArg(2, "ERR timeout is not an integer or out of range");
        if (timeout < 0) throw CommandContext.error("ERR timeout is negative");
        if (r != null && r.isReplica()) throw CommandContext.error("ERR WAIT cannot be used with replica instances");
        // the target is pinned when the client first asks; a re-run to serve it keeps it
        if (!c.serving()) c.session().waitTarget = e.journal().nextOffset();
        final long target = c.session().waitTarget;
        int acked = r == null ? 0 : r.ackedAtLeast(target);
        if (acked >= n) {
            c.out().integer(acked);
            return;
        }
        if (r != null && !c.serving()) r.hurry();
        c.blockOnAcks(timeout == 0 ? WAIT_CAP_MILLIS : timeout,
                out -> out.integer(r == null ? 0 : r.ackedAtLeast(target)));
    }

    static void replicaOf(CommandContext c) {
        Engine e = c.engine();
        ReplicationControl r = e.replication();
        if (r == null) throw CommandContext.error("ERR replication is not enabled on this node (start it with a replication role)");
        String err;
        if (c.argIs(1, "no") && c.argIs(2, "one")) {
            err = r.promote();
        } else {
            long port = c.longArg(2, "ERR Invalid master port");
            if (port < 1 || port > 65535) throw CommandContext.error("ERR Invalid master port");
            err = r.replicaOf(c.argString(1), (int) port);
        }
        if (err != null) throw CommandContext.error(err);
        c.out().ok();
    }

    static void token(CommandContext c) {
        Journal.Position p = c.engine().journal().position();
        c.out().arrayHeader(2);
        c.out().integer(p.generation());
        c.out().integer(p.next());
    }

    static void replWait(CommandContext c) {
        Engine e = c.engine();
        long gen = c.longArg(1, "ERR invalid generation");
        long offset = c.longArg(2, "ERR invalid offset");
        long timeout = WAIT_CAP_MILLIS;
        if (c.argc() == 5 && c.argIs(3, "timeout")) {
            timeout = c.longArg(4, "ERR timeout is not an integer or out of range");
            if (timeout < 0) throw CommandContext.error("ERR timeout is negative");
            if (timeout == 0) timeout = WAIT_CAP_MILLIS;
        } else if (c.argc() != 3) {
            throw c.syntax();
        }
        ReplicationControl r = e.replication();
        if (r == null || !r.isReplica()) {      // a primary (or standalone node) has every write it acknowledged
            c.out().ok();
            return;
        }
        String misdirected = "MISDIRECTED writer is " + r.writerAddress();
        Journal.Position p = e.journal().position();
        if (p.generation() != gen) throw CommandContext.error(misdirected);
        if (p.next() >= offset) {
            c.out().ok();
            return;
        }
        c.blockOnFeed(timeout, out -> out.error(misdirected));
    }
}
