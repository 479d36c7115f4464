package io.jkevy.engine;

import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.command.CommandTable;

/**
 * Counters one session accumulates with plain arithmetic (it is only touched by the thread
 * serving that session) and adds to the shared {@link Stats} and per-command adders in one go
 * at the end of each read batch — a shared atomic per counter per command cost more than the
 * rest of a GET on two cores.
 */
final class SessionCounters {
    long commands, dirty, hits, misses;
    private final long[] calls, usec;
    private final int[] touched;
    private int nTouched;
    private final CommandSpec[] specs;

    SessionCounters(CommandTable table) {
        int n = table.idCount();
        calls = new long[n];
        usec = new long[n];
        touched = new int[n];
        specs = new CommandSpec[n];
        for (CommandSpec s : table.allWithSubcommands()) if (s.id() >= 0 && s.id() < n) specs[s.id()] = s;
    }

    void called(CommandSpec spec, long micros) {
        commands++;
        int id = spec.id();
        if (id < 0 || id >= calls.length) {
            spec.calls.increment();
            spec.usec.add(micros);
            return;
        }
        if (calls[id] == 0) touched[nTouched++] = id;
        calls[id]++;
        usec[id] += micros;
    }

    void flush(Stats st) {
        if (commands != 0) { st.commands.add(commands); commands = 0; }
        if (dirty != 0) { st.dirty.add(dirty); dirty = 0; }
        if (hits != 0) { st.keyspaceHits.add(hits); hits = 0; }
        if (misses != 0) { st.keyspaceMisses.add(misses); misses = 0; }
        for (int i = 0; i < nTouched; i++) {
            int id = touched[i];
            specs[id].calls.add(calls[id]);
            specs[id].usec.add(usec[id]);
            calls[id] = 0;
            usec[id] = 0;
        }
        nTouched = 0;
    }
}
