package io.jkevy.engine.command;

import io.jkevy.engine.Engine;

/** Server commands (Redis group "server"). */
public final class ServerCommands {
    private ServerCommands() { }

    public static void register(CommandTable t, Engine engine) { }
}
