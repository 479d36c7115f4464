package io.jkevy.engine.command.stream;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.CommandTable;
import io.jkevy.store.type.stream.ConsumerGroup;
import io.jkevy.store.type.stream.StreamId;
import io.jkevy.store.type.stream.StreamValue;

/** Consumer-group commands. */
public final class GroupCommands {
    private GroupCommands() { }

    public static void register(CommandTable t) { }

    public static void serveGroup(CommandContext c, int streamsAt, int nk, StreamValue[] streams, ConsumerGroup[] groups,
                                  StreamId[] from, byte[] groupName, byte[] consumerName, long count, boolean noack, boolean block) {
        throw CommandContext.error("ERR not yet");
    }
}
