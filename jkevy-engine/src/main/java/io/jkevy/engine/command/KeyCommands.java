package io.jkevy.engine.command;

/** Generic key commands (Redis group "generic"). */
public final class KeyCommands {
    private KeyCommands() { }

    public static void register(CommandTable t) { }
}
