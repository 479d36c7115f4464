package io.jkevy.engine.command.keys;

import io.jkevy.engine.command.CommandTable;

/** SORT and SORT_RO over lists, sets and sorted sets. */
public final class SortCommand {
    private SortCommand() { }

    public static void register(CommandTable t) { }
}
