package io.jkevy.engine.command.server;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.CommandError;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.config.Config;
import io.jkevy.engine.config.ConfigException;
import io.jkevy.engine.util.Glob;
import io.jkevy.resp.RespWriter;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** CONFIG GET / SET / RESETSTAT / REWRITE / HELP over the engine's {@link Config}. */
public final class ConfigCommand {
    private ConfigCommand() { }

    /**
     * CONFIG GET pattern [pattern ...]: a map name -> value. A pattern without glob characters
     * is looked up directly (aliases included) and reported under the name as given; a glob
     * is matched case-insensitively against every name and alias. Each key appears once.
     */
    public static void get(CommandContext c) {
        Config cfg = c.engine().config();
        Map<String, String> matches = new LinkedHashMap<>();
        Set<Config.Entry> seen = new HashSet<>();
        List<String> names = cfg.names();
        for (int i = 2; i < c.argc(); i++) {
            String p = c.argString(i);
            if (p.indexOf('*') < 0 && p.indexOf('?') < 0 && p.indexOf('[') < 0) {
                Config.Entry e = cfg.entry(p);
                if (e != null && seen.add(e)) matches.put(p, e.get());
                continue;
            }
            for (String n : names) {
                if (!Glob.match(p, n, true)) continue;
                Config.Entry e = cfg.entry(n);
                if (e != null && seen.add(e)) matches.put(n, e.get());
            }
        }
        RespWriter out = c.out();
        out.mapHeader(matches.size());
        for (Map.Entry<String, String> m : matches.entrySet()) {
            out.bulk(m.getKey());
            out.bulk(m.getValue());
        }
    }

    /**
     * Keys Redis never changes at run time whose engine entry does not say so itself (the
     * engine registers {@code databases} as a fixed-range number).
     */
    private static final Set<String> IMMUTABLE = Set.of("databases", "lock-stripes");

    /**
     * CONFIG SET name value [name value ...]: every name is checked first (known, mutable, not
     * repeated); then the values are applied in order, and if one is refused the ones already
     * applied are put back, so the command changes all or nothing.
     */
    public static void set(CommandContext c) {
        if ((c.argc() & 1) != 0) throw CommandContext.error("ERR wrong number of arguments for 'config|set' command");
        Config cfg = c.engine().config();
        int pairs = (c.argc() - 2) / 2;
        Config.Entry[] entries = new Config.Entry[pairs];
        Set<Config.Entry> seen = new HashSet<>();
        for (int i = 0; i < pairs; i++) {
            String name = c.argString(2 + 2 * i);
            Config.Entry e = cfg.entry(name);
            if (e == null) throw CommandContext.error("ERR Unknown option or number of arguments for CONFIG SET - '" + name + "'");
            if (!e.mutable() || IMMUTABLE.contains(e.name())) throw failed(name, "can't set immutable config");
            if (!seen.add(e)) throw failed(name, "duplicate parameter");
            entries[i] = e;
        }
        String[] old = new String[pairs];
        for (int i = 0; i < pairs; i++) {
            old[i] = entries[i].get();
            try {
                entries[i].set(c.argString(3 + 2 * i));
            } catch (ConfigException ex) {
                for (int j = i - 1; j >= 0; j--) {
                    try {
                        entries[j].set(old[j]);
                    } catch (ConfigException ignored) {
                        // the old value was accepted before, so restoring it cannot be refused
                    }
                }
                throw failed(c.argString(2 + 2 * i), ex.getMessage());
            }
        }
        c.out().ok();
    }

    private static CommandError failed(String name, String reason) {
        return CommandContext.error("ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason);
    }

    /** CONFIG RESETSTAT: INFO's counters and every command's call statistics back to zero. */
    public static void resetStat(CommandContext c) {
        c.engine().flushStats(c.session());
        c.engine().stats().reset();
        for (CommandSpec s : c.engine().commands().allWithSubcommands()) {
            s.calls.reset();
            s.usec.reset();
            s.rejectedCalls.reset();
            s.failedCalls.reset();
        }
        c.out().ok();
    }

    /**
     * CONFIG REWRITE: the host writes the running configuration back to the file the server
     * was started with (see the server's ConfigRewriter); an error when there is none.
     */
    public static void rewrite(CommandContext c) {
        String file = c.engine().host().configFile();
        if (file == null || file.isEmpty()) throw CommandContext.error("ERR The server is running without a config file");
        try {
            c.engine().host().rewriteConfig();
        } catch (java.io.IOException | RuntimeException e) {
            throw CommandContext.error("ERR Rewriting config file: " + e.getMessage());
        }
        c.out().ok();
    }

    private static final String[] HELP = {
        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
        "HELP",
        "    Print this help.",
    };

    public static void help(CommandContext c) { CommandIntrospection.helpLines(c.out(), HELP); }
}
