package io.jkevy.engine.command;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of the command table: everything dispatch, COMMAND, ACL and routing need.
 *
 * <p>{@code arity} follows Redis: positive = exact argument count including the name,
 * negative = at least {@code -arity}. Key positions are {@code firstKey..lastKey} step
 * {@code step} (lastKey -1 = the last argument, -2 = the one before); 0 = no keys.
 */
public final class CommandSpec {
    private final String name;          // lowercase; "config|get" for a subcommand
    private final byte[] nameBytes;
    private final int arity;
    private final int flags;
    private final int firstKey, lastKey, step;
    private final long acl;
    private final String group;
    private final String summary;
    private final String since;
    private final Handler handler;
    private final Map<String, CommandSpec> subcommands = new LinkedHashMap<>();
    private CommandSpec parent;
    private int id = -1;
    /** INFO commandstats: calls, microseconds spent, calls rejected before running, calls that replied an error. */
    public final java.util.concurrent.atomic.LongAdder calls = new java.util.concurrent.atomic.LongAdder();
    public final java.util.concurrent.atomic.LongAdder usec = new java.util.concurrent.atomic.LongAdder();
    public final java.util.concurrent.atomic.LongAdder rejectedCalls = new java.util.concurrent.atomic.LongAdder();
    public final java.util.concurrent.atomic.LongAdder failedCalls = new java.util.concurrent.atomic.LongAdder();

    public CommandSpec(String name, int arity, int flags, int firstKey, int lastKey, int step,
                       long acl, String group, String since, String summary, Handler handler) {
        this.name = name.toLowerCase(java.util.Locale.ROOT);
        this.nameBytes = this.name.getBytes(StandardCharsets.US_ASCII);
        this.arity = arity;
        this.flags = flags;
        this.firstKey = firstKey;
        this.lastKey = lastKey;
        this.step = step;
        this.acl = acl;
        this.group = group;
        this.since = since;
        this.summary = summary;
        this.handler = handler;
    }

    public String name() { return name; }

    /** Dense index given by the table (subcommands included), for per-session counters. */
    public int id() { return id; }

    void id(int i) { id = i; }

    /** The name without the container prefix ("get" for "config|get"). */
    public String shortName() {
        int bar = name.indexOf('|');
        return bar < 0 ? name : name.substring(bar + 1);
    }

    public byte[] nameBytes() { return nameBytes; }

    public int arity() { return arity; }

    public int flags() { return flags; }

    public boolean has(int flag) { return (flags & flag) != 0; }

    public int firstKey() { return firstKey; }

    public int lastKey() { return lastKey; }

    public int step() { return step; }

    public long aclCategories() { return acl; }

    public String group() { return group; }

    public String since() { return since; }

    public String summary() { return summary; }

    public Handler handler() { return handler; }

    public Map<String, CommandSpec> subcommands() { return subcommands; }

    public CommandSpec parent() { return parent; }

    public CommandSpec sub(CommandSpec s) {
        s.parent = this;
        subcommands.put(s.shortName(), s);
        return this;
    }

    public boolean arityOk(int argc) { return arity >= 0 ? argc == arity : argc >= -arity; }

    /** Index of the last key argument for an argument count, or -1 when there are none. */
    public int lastKeyIndex(int argc) {
        if (firstKey <= 0) return -1;
        int last = lastKey >= 0 ? lastKey : argc + lastKey;
        return Math.min(last, argc - 1);
    }
}
