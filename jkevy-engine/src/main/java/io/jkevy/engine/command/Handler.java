package io.jkevy.engine.command;

import io.jkevy.engine.CommandContext;

/** The body of one command: reads {@code c.argv()}, works on the store, writes one reply. */
@FunctionalInterface
public interface Handler {
    void run(CommandContext c);
}
