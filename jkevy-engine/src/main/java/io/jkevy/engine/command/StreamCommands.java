package io.jkevy.engine.command;

/** Stream commands (Redis group "stream"). */
public final class StreamCommands {
    private StreamCommands() { }

    public static void register(CommandTable t) { }
}
