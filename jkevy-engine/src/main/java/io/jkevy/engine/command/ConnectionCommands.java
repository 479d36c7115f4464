package io.jkevy.engine.command;

import io.jkevy.engine.CommandContext;

/** Connection commands (Redis group "connection"). */
public final class ConnectionCommands {
    private ConnectionCommands() { }

    public static void register(CommandTable t) {
        t.add("ping", -1, "fast stale loading", 0, 0, 0, "@fast @connection", "connection", "1.0.0",
                "Returns the server's liveliness response.", ConnectionCommands::ping);
    }

    static void ping(CommandContext c) {
        if (c.argc() > 2) throw CommandContext.error(Errors.wrongArity("ping"));
        if (c.argc() == 2) c.out().bulk(c.arg(1)); else c.out().simple("PONG");
    }
}
