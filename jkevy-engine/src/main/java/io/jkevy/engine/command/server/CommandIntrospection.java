package io.jkevy.engine.command.server;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.AclCategory;
import io.jkevy.engine.command.CommandFlags;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.command.CommandTable;
import io.jkevy.engine.command.Errors;
import io.jkevy.engine.util.Glob;
import io.jkevy.resp.RespWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * COMMAND and its subcommands: the command table as Redis 7 reports it. Everything comes
 * from {@link CommandSpec}; key specs are derived from the first/last/step key positions (one
 * {@code index}/{@code range} spec per command that has keys).
 */
public final class CommandIntrospection {
    private CommandIntrospection() { }

    /** COMMAND with no subcommand: every top-level command. */
    public static void all(CommandContext c) {
        if (c.argc() > 1) throw CommandContext.error(Errors.unknownSubcommand(c.arg(1), "command"));
        infoAll(c);
    }

    private static void infoAll(CommandContext c) {
        CommandTable t = c.engine().commands();
        RespWriter out = c.out();
        out.arrayHeader(t.size());
        for (CommandSpec s : t.all()) info(out, s);
    }

    public static void count(CommandContext c) { c.out().integer(c.engine().commands().size()); }

    /** COMMAND INFO [name ...]: one entry per name, null for unknown ones; no names = all. */
    public static void info(CommandContext c) {
        RespWriter out = c.out();
        if (c.argc() == 2) {
            infoAll(c);
            return;
        }
        out.arrayHeader(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            CommandSpec s = find(c, c.argString(i));
            if (s == null) out.nullArray(); else info(out, s);
        }
    }

    /** A command by name, "container|sub" naming a subcommand; null when unknown. */
    static CommandSpec find(CommandContext c, String name) {
        String n = name.toLowerCase(Locale.ROOT);
        int bar = n.indexOf('|');
        if (bar < 0) return c.engine().commands().get(n);
        CommandSpec container = c.engine().commands().get(n.substring(0, bar));
        if (container == null) return null;
        return container.subcommands().get(n.substring(bar + 1));
    }

    /** The ten-element COMMAND INFO entry of one command. */
    static void info(RespWriter out, CommandSpec s) {
        out.arrayHeader(10);
        out.bulk(s.name());
        out.integer(s.arity());
        List<String> flags = CommandFlags.names(s.flags());
        out.setHeader(flags.size());
        for (String f : flags) out.simple(f);
        out.integer(s.firstKey());
        out.integer(s.lastKey());
        out.integer(s.step());
        List<String> cats = AclCategory.names(s.aclCategories());
        out.setHeader(cats.size());
        for (String cat : cats) out.simple(cat);
        out.setHeader(0);                       // tips: none recorded in the table
        keySpecs(out, s);
        out.arrayHeader(s.subcommands().size());
        for (CommandSpec sub : s.subcommands().values()) info(out, sub);
    }

    /**
     * One key spec from the positions: begin_search index = firstKey; find_keys range with
     * lastkey relative to it (negative = counted from the end, as Redis), keystep = step.
     */
    private static void keySpecs(RespWriter out, CommandSpec s) {
        if (s.firstKey() <= 0) {
            out.arrayHeader(0);
            return;
        }
        out.arrayHeader(1);
        out.mapHeader(3);
        out.bulk("flags");
        List<String> kf = keyFlags(s);
        out.setHeader(kf.size());
        for (String f : kf) out.simple(f);
        out.bulk("begin_search");
        out.mapHeader(2);
        out.bulk("type");
        out.bulk("index");
        out.bulk("spec");
        out.mapHeader(1);
        out.bulk("index");
        out.integer(s.firstKey());
        out.bulk("find_keys");
        out.mapHeader(2);
        out.bulk("type");
        out.bulk("range");
        out.bulk("spec");
        out.mapHeader(3);
        out.bulk("lastkey");
        out.integer(s.lastKey() < 0 ? s.lastKey() : s.lastKey() - s.firstKey());
        out.bulk("keystep");
        out.integer(Math.max(1, s.step()));
        out.bulk("limit");
        out.integer(0);
    }

    /**
     * Key-spec flags from the command flags: reads access, writes update (or insert when
     * denyoom); the shard channel of the sharded pub/sub commands is not_key.
     */
    static List<String> keyFlags(CommandSpec s) {
        List<String> f = new ArrayList<>(2);
        if (s.has(CommandFlags.PUBSUB)) {
            f.add("not_key");      // SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH: a shard channel, not a key
        } else if (s.has(CommandFlags.WRITE)) {
            f.add("RW");
            f.add(s.has(CommandFlags.DENYOOM) ? "insert" : "update");
        } else {
            f.add("RO");
            f.add("access");
        }
        return f;
    }

    /** COMMAND DOCS [name ...]: a map name -> docs; unknown names are left out; no names = all. */
    public static void docs(CommandContext c) {
        RespWriter out = c.out();
        List<CommandSpec> found = new ArrayList<>();
        if (c.argc() == 2) {
            found.addAll(c.engine().commands().all());
        } else {
            for (int i = 2; i < c.argc(); i++) {
                CommandSpec s = find(c, c.argString(i));
                if (s != null) found.add(s);
            }
        }
        out.mapHeader(found.size());
        for (CommandSpec s : found) {
            out.bulk(s.name());
            doc(out, s);
        }
    }

    private static void doc(RespWriter out, CommandSpec s) {
        boolean subs = !s.subcommands().isEmpty();
        out.mapHeader(subs ? 4 : 3);
        out.bulk("summary");
        out.bulk(s.summary() == null ? "" : s.summary());
        out.bulk("since");
        out.bulk(s.since() == null ? "" : s.since());
        out.bulk("group");
        out.bulk(s.group() == null ? "" : s.group());
        if (subs) {
            out.bulk("subcommands");
            out.mapHeader(s.subcommands().size());
            for (CommandSpec sub : s.subcommands().values()) {
                out.bulk(sub.name());
                doc(out, sub);
            }
        }
    }

    /** COMMAND LIST [FILTERBY MODULE m | ACLCAT c | PATTERN p]: names, subcommands included. */
    public static void list(CommandContext c) {
        List<CommandSpec> all = c.engine().commands().allWithSubcommands();
        List<String> names = new ArrayList<>(all.size());
        if (c.argc() == 2) {
            for (CommandSpec s : all) names.add(s.name());
        } else if (c.argc() == 5 && c.argIs(2, "filterby")) {
            String arg = c.argString(4);
            if (c.argIs(3, "module")) {
                // no modules: nothing belongs to one
            } else if (c.argIs(3, "aclcat")) {
                long bit = categoryBit(arg);
                for (CommandSpec s : all) if (bit != 0 && (s.aclCategories() & bit) != 0) names.add(s.name());
            } else if (c.argIs(3, "pattern")) {
                for (CommandSpec s : all) if (Glob.match(arg, s.name(), true)) names.add(s.name());
            } else {
                throw c.syntax();
            }
        } else {
            throw c.syntax();
        }
        c.out().arrayHeader(names.size());
        for (String n : names) c.out().bulk(n);
    }

    private static long categoryBit(String name) {
        try {
            return AclCategory.valueOf(name.replace("@", "").toUpperCase(Locale.ROOT)).bit();
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    /** COMMAND GETKEYS command [arg ...]: the key arguments, from the table's positions. */
    public static void getKeys(CommandContext c) { keys(c, false); }

    /** COMMAND GETKEYSANDFLAGS command [arg ...]: each key with its key-spec flags. */
    public static void getKeysAndFlags(CommandContext c) { keys(c, true); }

    private static void keys(CommandContext c, boolean withFlags) {
        byte[][] argv = c.argv();
        int n = argv.length - 2;                 // the target command's argv starts at 2
        CommandSpec s = c.engine().commands().lookup(argv[2]);
        if (s == null) throw CommandContext.error("ERR Invalid command specified");
        if (!s.subcommands().isEmpty() && n >= 2) {
            CommandSpec sub = CommandTable.lookupSub(s, argv[3]);
            if (sub != null) s = sub;
        }
        if (!s.arityOk(n)) throw CommandContext.error("ERR Invalid number of arguments specified for command");
        int last = s.lastKeyIndex(n);
        // a shard channel (SPUBLISH, SSUBSCRIBE) is a not_key spec: not reported as a key
        if (s.firstKey() <= 0 || last < s.firstKey() || s.has(CommandFlags.PUBSUB)) {
            throw CommandContext.error("ERR The command has no key arguments");
        }
        int step = Math.max(1, s.step());
        List<byte[]> keys = new ArrayList<>();
        for (int i = s.firstKey(); i <= last; i += step) keys.add(argv[2 + i]);
        RespWriter out = c.out();
        out.arrayHeader(keys.size());
        List<String> kf = keyFlags(s);
        for (byte[] k : keys) {
            if (!withFlags) {
                out.bulk(k);
                continue;
            }
            out.arrayHeader(2);
            out.bulk(k);
            out.setHeader(kf.size());
            for (String f : kf) out.simple(f);
        }
    }

    private static final String[] HELP = {
        "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "(no subcommand)",
        "    Return details about all commands.",
        "COUNT",
        "    Return the total number of commands in this server.",
        "LIST",
        "    Return a list of all commands in this server.",
        "LIST FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)",
        "    Return a list of commands in this server that match the filter.",
        "INFO [<command-name> ...]",
        "    Return details about the given commands, or all of them when none is named.",
        "DOCS [<command-name> ...]",
        "    Return documentation about the given commands, or all of them when none is named.",
        "GETKEYS <full-command>",
        "    Return the keys of a full command.",
        "GETKEYSANDFLAGS <full-command>",
        "    Return the keys of a full command and the access flags of each.",
        "HELP",
        "    Print this help.",
    };

    public static void help(CommandContext c) { helpLines(c.out(), HELP); }

    /** A help reply: an array of status lines, as Redis's HELP subcommands give. */
    public static void helpLines(RespWriter out, String[] lines) {
        out.arrayHeader(lines.length);
        for (String l : lines) out.simple(l.getBytes(StandardCharsets.US_ASCII));
    }
}
