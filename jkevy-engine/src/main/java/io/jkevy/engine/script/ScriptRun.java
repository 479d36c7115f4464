package io.jkevy.engine.script;

import io.jkevy.engine.CommandContext;

/**
 * One script or function while it runs: who runs it, whether it may write, whether it has
 * written (then it can no longer be killed), its RESP version ({@code redis.setresp}), and
 * the kill flag another client's SCRIPT KILL / FUNCTION KILL sets.
 */
final class ScriptRun {
    final Scripting owner;
    final CommandContext context;
    /** The SHA1 of an EVAL script, or the function name. */
    final String name;
    final boolean function;
    final boolean readOnly;
    /** Chunk name in error trailers: "user_script" or "user_function". */
    final String chunk;
    final long startNanos = System.nanoTime();
    final long startMillis = System.currentTimeMillis();
    final byte[][] argv;
    int resp = 2;
    volatile boolean wrote;
    volatile boolean killed;
    private volatile boolean busy;

    ScriptRun(Scripting owner, CommandContext context, String name, boolean function, boolean readOnly) {
        this.owner = owner;
        this.context = context;
        this.name = name;
        this.function = function;
        this.readOnly = readOnly;
        this.chunk = function ? "user_function" : "user_script";
        this.argv = context.argv();      // lives only while the command runs
    }

    /** Called by the interpreter hook on the script's thread every few thousand instructions. */
    void tick() {
        if (killed) throw new ScriptKilled();
        if (!busy && System.nanoTime() - startNanos > owner.busyThresholdNanos()) {
            busy = true;
            owner.becameBusy(this);
        }
    }

    boolean busy() { return busy; }

    /** Thrown through the script (an Error, so Lua's pcall cannot catch it) when it is killed. */
    static final class ScriptKilled extends Error {
        ScriptKilled() { super("Script killed by user with SCRIPT KILL...", null, false, false); }
    }
}
