package io.jkevy.engine.command;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every command the engine knows, looked up by name bytes without allocating: an
 * open-addressing table keyed by an ASCII-case-folded hash, compared case-insensitively.
 * Built once at startup, read-only afterwards (safe to share between threads).
 */
public final class CommandTable {
    private final Map<String, CommandSpec> byName = new LinkedHashMap<>();
    private CommandSpec[] slots = new CommandSpec[0];
    private int mask;
    private int nextId;

    public CommandTable() { }

    /** Adds a top-level command (with its subcommands already attached). */
    public CommandSpec add(CommandSpec spec) {
        if (byName.put(spec.name(), spec) != null) throw new IllegalStateException("duplicate command " + spec.name());
        spec.id(nextId++);
        for (CommandSpec sub : spec.subcommands().values()) sub.id(nextId++);
        rebuild();
        return spec;
    }

    public CommandSpec add(String name, int arity, int flags, int firstKey, int lastKey, int step,
                           long acl, String group, String since, String summary, Handler handler) {
        return add(new CommandSpec(name, arity, flags, firstKey, lastKey, step, acl, group, since, summary, handler));
    }

    /**
     * The readable form used by the command groups: flags and ACL categories as words, e.g.
     * {@code add("get", 2, "readonly fast", 1, 1, 1, "@read @string @fast", "string", "1.0.0", "...", h)}.
     */
    public CommandSpec add(String name, int arity, String flags, int firstKey, int lastKey, int step,
                           String acl, String group, String since, String summary, Handler handler) {
        return add(spec(name, arity, flags, firstKey, lastKey, step, acl, group, since, summary, handler));
    }

    /** A spec built from words, for subcommands ({@code container.sub(CommandTable.spec("config|get", ...))}). */
    public static CommandSpec spec(String name, int arity, String flags, int firstKey, int lastKey, int step,
                                   String acl, String group, String since, String summary, Handler handler) {
        return new CommandSpec(name, arity, CommandFlags.parse(flags), firstKey, lastKey, step, AclCategory.parse(acl),
                group, since, summary, handler);
    }

    private void rebuild() {
        int cap = Integer.highestOneBit(Math.max(16, byName.size() * 4) - 1) << 1;
        CommandSpec[] s = new CommandSpec[cap];
        int m = cap - 1;
        for (CommandSpec c : byName.values()) {
            int i = foldHash(c.nameBytes(), c.nameBytes().length) & m;
            while (s[i] != null) i = (i + 1) & m;
            s[i] = c;
        }
        slots = s;
        mask = m;
    }

    private static int foldHash(byte[] b, int n) {
        int h = 0;
        for (int i = 0; i < n; i++) h = h * 31 + (b[i] | 0x20);
        return h ^ (h >>> 16);
    }

    /** The command named by {@code name} (any ASCII case), or null. */
    public CommandSpec lookup(byte[] name) {
        final CommandSpec[] s = slots;
        for (int i = foldHash(name, name.length) & mask; ; i = (i + 1) & mask) {
            CommandSpec c = s[i];
            if (c == null) return null;
            if (equalsIgnoreCase(c.nameBytes(), name)) return c;
        }
    }

    /** A subcommand of {@code container} by name bytes, or null. */
    public static CommandSpec lookupSub(CommandSpec container, byte[] name) {
        if (name.length > 64) return null;
        return container.subcommands().get(new String(name, java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
    }

    private static boolean equalsIgnoreCase(byte[] lower, byte[] any) {
        if (lower.length != any.length) return false;
        for (int i = 0; i < lower.length; i++) {
            int a = any[i];
            if (a >= 'A' && a <= 'Z') a += 32;
            if (a != lower[i]) return false;
        }
        return true;
    }

    public CommandSpec get(String name) { return byName.get(name.toLowerCase(Locale.ROOT)); }

    public Collection<CommandSpec> all() { return Collections.unmodifiableCollection(byName.values()); }

    /** Every command and subcommand, top-level first. */
    public List<CommandSpec> allWithSubcommands() {
        List<CommandSpec> out = new ArrayList<>();
        for (CommandSpec c : byName.values()) {
            out.add(c);
            out.addAll(c.subcommands().values());
        }
        return out;
    }

    public int size() { return byName.size(); }

    /** One more than the largest {@link CommandSpec#id()}. */
    public int idCount() { return nextId; }
}
