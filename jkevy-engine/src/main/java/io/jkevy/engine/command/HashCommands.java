package io.jkevy.engine.command;

/** Hash commands (Redis group "hash"). */
public final class HashCommands {
    private HashCommands() { }

    public static void register(CommandTable t) { }
}
