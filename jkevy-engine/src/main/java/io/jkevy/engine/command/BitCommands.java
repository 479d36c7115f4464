package io.jkevy.engine.command;

/** Bit commands (Redis group "bitmap"). */
public final class BitCommands {
    private BitCommands() { }

    public static void register(CommandTable t) { }
}
