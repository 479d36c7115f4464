package io.jkevy.engine.command;

/** Sorted-set commands (Redis group "sorted_set"). */
public final class SortedSetCommands {
    private SortedSetCommands() { }

    public static void register(CommandTable t) { }
}
