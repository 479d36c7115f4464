package io.jkevy.engine.command;

/** List commands, blocking variants included (Redis group "list"). */
public final class ListCommands {
    private ListCommands() { }

    public static void register(CommandTable t) { }
}
