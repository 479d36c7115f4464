package io.jkevy.engine.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * The runtime configuration: named entries that CONFIG GET/SET, the TOML file and the CLI
 * all read and write. Each entry parses and validates its text, then hands the typed value
 * to the component that owns it (an apply hook), so the hot path reads plain fields and
 * never this map.
 */
public final class Config {
    /** One configuration key. */
    public interface Entry {
        String name();

        String get();

        void set(String value) throws ConfigException;

        /** False for keys that only the file or the command line may set. */
        default boolean mutable() { return true; }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();

    public synchronized void register(Entry e) {
        if (entries.put(e.name(), e) != null) throw new IllegalStateException("duplicate config " + e.name());
    }

    public synchronized void alias(String alias, String name) { aliases.put(alias, name); }

    public synchronized Entry entry(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        Entry e = entries.get(n);
        if (e == null && aliases.containsKey(n)) e = entries.get(aliases.get(n));
        return e;
    }

    public synchronized Collection<Entry> entries() { return new ArrayList<>(entries.values()); }

    /** Current text of a key, or null when unknown. */
    public String get(String name) {
        Entry e = entry(name);
        return e == null ? null : e.get();
    }

    /** Sets a key from text (file, CLI, CONFIG SET); throws with the reason when refused. */
    public void set(String name, String value) throws ConfigException {
        Entry e = entry(name);
        if (e == null) throw new ConfigException("Unknown option or number of arguments for CONFIG SET - '" + name + "'");
        e.set(value);
    }

    /** Keys (and their aliases) whose name matches a glob, for CONFIG GET. */
    public synchronized List<String> names() {
        List<String> out = new ArrayList<>(entries.keySet());
        out.addAll(aliases.keySet());
        return out;
    }

    // ---- typed entry factories -------------------------------------------------------

    public Entry intEntry(String name, long initial, long min, long max, LongConsumer apply) {
        return numeric(name, initial, min, max, false, apply);
    }

    /** A byte size accepting Redis's units (1k, 5mb, 2gb; k=1000, kb=1024). */
    public Entry memoryEntry(String name, long initial, long min, long max, LongConsumer apply) {
        return numeric(name, initial, min, max, true, apply);
    }

    private Entry numeric(String name, long initial, long min, long max, boolean memory, LongConsumer apply) {
        Entry e = new Entry() {
            volatile long value = initial;

            @Override public String name() { return name; }

            @Override public String get() { return Long.toString(value); }

            @Override public void set(String text) throws ConfigException {
                long v;
                try {
                    v = memory ? parseMemory(text) : Long.parseLong(text.trim());
                } catch (NumberFormatException ex) {
                    throw new ConfigException("argument couldn't be parsed into an integer");
                }
                if (v < min || v > max) throw new ConfigException("argument must be between " + min + " and " + max + " inclusive");
                value = v;
                apply.accept(v);
            }
        };
        register(e);
        apply.accept(initial);
        return e;
    }

    public Entry boolEntry(String name, boolean initial, Consumer<Boolean> apply) {
        Entry e = new Entry() {
            volatile boolean value = initial;

            @Override public String name() { return name; }

            @Override public String get() { return value ? "yes" : "no"; }

            @Override public void set(String text) throws ConfigException {
                String t = text.trim().toLowerCase(Locale.ROOT);
                boolean v;
                if (t.equals("yes") || t.equals("true")) v = true;
                else if (t.equals("no") || t.equals("false")) v = false;
                else throw new ConfigException("argument must be 'yes' or 'no'");
                value = v;
                apply.accept(v);
            }
        };
        register(e);
        apply.accept(initial);
        return e;
    }

    public Entry enumEntry(String name, String initial, List<String> allowed, Consumer<String> apply) {
        Entry e = new Entry() {
            volatile String value = initial;

            @Override public String name() { return name; }

            @Override public String get() { return value; }

            @Override public void set(String text) throws ConfigException {
                String t = text.trim().toLowerCase(Locale.ROOT);
                if (!allowed.contains(t)) throw new ConfigException("argument(s) must be one of the following: " + String.join(", ", allowed));
                value = t;
                apply.accept(t);
            }
        };
        register(e);
        apply.accept(initial);
        return e;
    }

    public Entry stringEntry(String name, String initial, boolean mutable, Consumer<String> apply) {
        Entry e = new Entry() {
            volatile String value = initial;

            @Override public String name() { return name; }

            @Override public String get() { return value; }

            @Override public void set(String text) {
                value = text;
                apply.accept(text);
            }

            @Override public boolean mutable() { return mutable; }
        };
        register(e);
        apply.accept(initial);
        return e;
    }

    /** Convenience for entries whose value the engine only reports. */
    public Entry intEntry(String name, long initial, long min, long max) {
        return intEntry(name, initial, min, max, v -> { });
    }

    public static IntConsumer none() { return v -> { }; }

    /** Parses "512mb", "1gb", "100k", "64" into bytes (Redis's memtoull rules). */
    public static long parseMemory(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long mul = 1;
        String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"}, {"k", "1000"}, {"m", "1000000"}, {"g", "1000000000"}, {"b", "1"}};
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length());
                break;
            }
        }
        return Math.multiplyExact(Long.parseLong(t), mul);
    }
}
