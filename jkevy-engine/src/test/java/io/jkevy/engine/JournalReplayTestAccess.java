package io.jkevy.engine;

import java.util.Random;

/** Lets tests in other packages draw the journal-replay test's random commands. */
public final class JournalReplayTestAccess {
    private JournalReplayTestAccess() { }

    public static String[] randomCommand(Random r) { return JournalReplayTest.randomCommand(r); }
}
