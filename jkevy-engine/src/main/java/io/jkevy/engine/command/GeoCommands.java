package io.jkevy.engine.command;

/** Geo commands (on sorted sets) (Redis group "geo"). */
public final class GeoCommands {
    private GeoCommands() { }

    public static void register(CommandTable t) { }
}
