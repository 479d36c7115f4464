package io.jkevy.engine.tx;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.Engine;
import io.jkevy.engine.Session;
import io.jkevy.engine.command.CommandFlags;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.command.CommandTable;
import io.jkevy.engine.command.Errors;
import io.jkevy.resp.RespWriter;

import java.util.List;

/**
 * Transactions (Redis group "transactions"): MULTI, EXEC, DISCARD, WATCH, UNWATCH, and the
 * dispatcher's hook that queues commands while a session is inside MULTI.
 *
 * <p>EXEC is registered {@code global}: the dispatcher takes every stripe lock around it, so
 * the queued commands run (through {@link Engine#executeNested}) with no other client in
 * between, and their effects are journaled as one atomic group when EXEC commits. Keys the
 * transaction made ready serve blocked clients after EXEC, once the locks are released.
 */
public final class TxCommands {
    private TxCommands() { }

    static final String EXECABORT = "EXECABORT Transaction discarded because of previous errors.";
    static final String NOT_IN_MULTI = "ERR Command not allowed inside a transaction";

    public static void register(CommandTable t) {
        t.add("multi", 1, "noscript loading stale fast allow_busy", 0, 0, 0, "@fast @transaction", "transactions",
                "1.2.0", "Mark the start of a transaction block", TxCommands::multi);
        t.add("exec", 1, "noscript loading stale skip_slowlog global", 0, 0, 0, "@slow @transaction", "transactions",
                "1.2.0", "Execute all commands issued after MULTI", TxCommands::exec);
        t.add("discard", 1, "noscript loading stale fast allow_busy", 0, 0, 0, "@fast @transaction", "transactions",
                "2.0.0", "Discard all commands issued after MULTI", TxCommands::discard);
        t.add("watch", -2, "noscript loading stale fast allow_busy", 1, -1, 1, "@fast @transaction", "transactions",
                "2.2.0", "Watch the given keys to determine execution of the MULTI/EXEC block", TxCommands::watch);
        t.add("unwatch", 1, "noscript loading stale fast allow_busy", 0, 0, 0, "@fast @transaction", "transactions",
                "2.2.0", "Forget about all watched keys", TxCommands::unwatch);
    }

    // ---- the dispatcher's hook ----------------------------------------------------------

    /**
     * Called by {@link Engine#execute} for a command that passed lookup and arity checks
     * while {@code s} is inside MULTI. Queues it and answers {@code +QUEUED}, refuses a
     * {@code no_multi} command (which also dooms the transaction), or returns false for the
     * commands that run at once even inside MULTI: EXEC, DISCARD, MULTI, WATCH, QUIT, RESET.
     *
     * @return true when the command was handled here (queued or refused)
     */
    public static boolean intercept(Engine e, Session s, CommandSpec spec, byte[][] argv, RespWriter out) {
        if (runsAtOnce(spec)) return false;
        TxState tx = s.tx();
        if (spec.has(CommandFlags.NO_MULTI)) {
            tx.rejected();
            spec.rejectedCalls.increment();
            e.stats().errorReplies.increment();
            out.error(NOT_IN_MULTI);
            return true;
        }
        if (!spec.subcommands().isEmpty() && argv.length >= 2) {
            // a container that takes bare calls itself (COMMAND) got an unknown subcommand:
            // Redis refuses it here, at lookup, not when EXEC runs it
            tx.rejected();
            spec.rejectedCalls.increment();
            e.stats().errorReplies.increment();
            out.error(Errors.unknownSubcommand(argv[1], spec.name()));
            return true;
        }
        tx.queue(spec, argv);
        out.simple("QUEUED");
        return true;
    }

    private static boolean runsAtOnce(CommandSpec spec) {
        if (spec.parent() != null) return false;
        return switch (spec.name()) {
            case "exec", "discard", "multi", "watch", "quit", "reset" -> true;
            default -> false;
        };
    }

    /**
     * Ends any transaction of {@code s} and drops its watches: RESET and disconnect. Safe to
     * call in any state.
     */
    public static void discard(Engine e, Session s) {
        e.watches().unwatchAll(s.tx());
        s.tx().end();
    }

    // ---- commands -----------------------------------------------------------------------

    static void multi(CommandContext c) {
        TxState tx = c.session().tx();
        if (tx.inMulti()) throw CommandContext.error("ERR MULTI calls can not be nested");
        tx.begin();
        c.out().ok();
    }

    /**
     * EXEC: refused with EXECABORT when queuing failed; a null array when a watched key
     * changed; otherwise every queued command's reply in one array (a runtime error is one
     * element and does not stop the rest: there is no rollback). Runs under every stripe lock.
     */
    static void exec(CommandContext c) {
        Session s = c.session();
        TxState tx = s.tx();
        Engine e = c.engine();
        if (!tx.inMulti()) throw CommandContext.error("ERR EXEC without MULTI");
        WatchRegistry watches = e.watches();
        if (tx.aborted()) {
            discard(e, s);
            throw CommandContext.error(EXECABORT);
        }
        if (watches.anyChanged(tx, e.keyspace())) {
            discard(e, s);
            c.out().nullArray();
            return;
        }
        watches.unwatchAll(tx);
        List<byte[][]> queued = tx.takeQueue();
        RespWriter out = c.out();
        try {
            out.arrayHeader(queued.size());
            for (byte[][] argv : queued) e.executeNested(s, argv, out);
        } finally {
            tx.end();
        }
    }

    static void discard(CommandContext c) {
        if (!c.session().tx().inMulti()) throw CommandContext.error("ERR DISCARD without MULTI");
        discard(c.engine(), c.session());
        c.out().ok();
    }

    /** WATCH key...: the dispatcher holds the keys' stripe locks. */
    static void watch(CommandContext c) {
        TxState tx = c.session().tx();
        if (tx.inMulti()) throw CommandContext.error("ERR WATCH inside MULTI is not allowed");
        c.engine().watches().watch(tx, c.keyspace(), c.session().db(), c.argv(), 1);
        c.out().ok();
    }

    static void unwatch(CommandContext c) {
        c.engine().watches().unwatchAll(c.session().tx());
        c.out().ok();
    }
}
