package io.jkevy.engine.command;

/** Set commands (Redis group "set"). */
public final class SetCommands {
    private SetCommands() { }

    public static void register(CommandTable t) { }
}
