package io.jkevy.engine.command;

/** HyperLogLog commands (Redis group "hyperloglog"). */
public final class HyperLogLogCommands {
    private HyperLogLogCommands() { }

    public static void register(CommandTable t) { }
}
