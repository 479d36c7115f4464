package io.jkevy.engine.script;

import io.jkevy.engine.Engine;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.command.CommandTable;

/**
 * Registers the scripting commands: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT
 * LOAD|EXISTS|FLUSH|KILL, FCALL, FCALL_RO and FUNCTION LOAD|DELETE|LIST|FLUSH|DUMP|RESTORE|KILL|STATS,
 * and the {@code busy-reply-threshold} setting (alias {@code lua-time-limit}).
 *
 * <p>Everything that runs Lua is flagged "global": the dispatcher takes every stripe lock, so
 * a script is isolated from every other client and its writes are journaled as one group.
 * SCRIPT KILL, FUNCTION KILL and FUNCTION STATS take no lock and are allow_busy, so another
 * client (on another event-loop thread) can send them while a script runs.
 */
public final class ScriptCommands {
    private ScriptCommands() { }

    public static Scripting register(CommandTable t, Engine engine) {
        Scripting s = new Scripting(engine);
        engine.config().intEntry("busy-reply-threshold", 5000, 0, Integer.MAX_VALUE, s::busyThresholdMillis);
        engine.config().alias("lua-time-limit", "busy-reply-threshold");

        String cat = "@slow @scripting";
        t.add("eval", -3, "noscript skip_monitor stale global", 0, 0, 0, cat, "scripting", "2.6.0",
                "Executes a server-side Lua script.", c -> s.eval(c, false, false));
        t.add("evalsha", -3, "noscript skip_monitor stale global", 0, 0, 0, cat, "scripting", "2.6.0",
                "Executes a server-side Lua script by SHA1 digest.", c -> s.eval(c, true, false));
        t.add("eval_ro", -3, "noscript skip_monitor stale readonly global", 0, 0, 0, cat, "scripting", "7.0.0",
                "Executes a read-only server-side Lua script.", c -> s.eval(c, false, true));
        t.add("evalsha_ro", -3, "noscript skip_monitor stale readonly global", 0, 0, 0, cat, "scripting", "7.0.0",
                "Executes a read-only server-side Lua script by SHA1 digest.", c -> s.eval(c, true, true));
        t.add("fcall", -3, "noscript skip_monitor stale global", 0, 0, 0, cat, "scripting", "7.0.0",
                "Invokes a function.", c -> s.functions.fcall(c, false));
        t.add("fcall_ro", -3, "noscript skip_monitor stale readonly global", 0, 0, 0, cat, "scripting", "7.0.0",
                "Invokes a read-only function.", c -> s.functions.fcall(c, true));

        CommandSpec script = CommandTable.spec("script", -2, "", 0, 0, 0, "@slow", "scripting", "2.6.0",
                "A container for Lua scripts management commands.", null);
        script.sub(CommandTable.spec("script|load", 3, "noscript stale", 0, 0, 0, cat, "scripting", "2.6.0",
                "Loads a server-side Lua script to the script cache.", s::scriptLoad));
        script.sub(CommandTable.spec("script|exists", -3, "noscript", 0, 0, 0, cat, "scripting", "2.6.0",
                "Determines whether server-side Lua scripts exist in the script cache.", s::scriptExists));
        script.sub(CommandTable.spec("script|flush", -2, "noscript", 0, 0, 0, cat, "scripting", "2.6.0",
                "Removes all server-side Lua scripts from the script cache.", s::scriptFlush));
        script.sub(CommandTable.spec("script|kill", 2, "noscript allow_busy", 0, 0, 0, cat, "scripting", "2.6.0",
                "Terminates a server-side Lua script during execution.", c -> s.kill(c, false)));
        t.add(script);

        Functions f = s.functions;
        CommandSpec function = CommandTable.spec("function", -2, "", 0, 0, 0, "@slow", "scripting", "7.0.0",
                "A container for function commands.", null);
        function.sub(CommandTable.spec("function|load", -3, "write denyoom noscript global", 0, 0, 0, "@write @slow @scripting",
                "scripting", "7.0.0", "Creates a library.", f::load));
        function.sub(CommandTable.spec("function|delete", 3, "write noscript global", 0, 0, 0, "@write @slow @scripting",
                "scripting", "7.0.0", "Deletes a library and its functions.", f::delete));
        function.sub(CommandTable.spec("function|flush", -2, "write noscript global", 0, 0, 0, "@write @slow @scripting",
                "scripting", "7.0.0", "Deletes all libraries and functions.", f::flush));
        function.sub(CommandTable.spec("function|list", -2, "noscript", 0, 0, 0, cat, "scripting", "7.0.0",
                "Returns information about all libraries.", f::list));
        function.sub(CommandTable.spec("function|dump", 2, "noscript", 0, 0, 0, cat, "scripting", "7.0.0",
                "Dumps all libraries into a serialized binary payload.", f::dump));
        function.sub(CommandTable.spec("function|restore", -3, "write denyoom noscript global", 0, 0, 0, "@write @slow @scripting",
                "scripting", "7.0.0", "Restores all libraries from a payload.", f::restore));
        function.sub(CommandTable.spec("function|kill", 2, "noscript allow_busy", 0, 0, 0, cat, "scripting", "7.0.0",
                "Terminates a function during execution.", c -> s.kill(c, true)));
        function.sub(CommandTable.spec("function|stats", 2, "noscript allow_busy", 0, 0, 0, cat, "scripting", "7.0.0",
                "Returns information about a function during execution.", f::stats));
        t.add(function);
        return s;
    }
}
