package io.jkevy.engine.command;

import io.jkevy.engine.CommandContext;

/** String commands (Redis group "string"). */
public final class StringCommands {
    private StringCommands() { }

    public static void register(CommandTable t) {
        t.add("get", 2, "readonly fast", 1, 1, 1, "@read @string @fast", "string", "1.0.0",
                "Returns the string value of a key.", StringCommands::get);
        t.add("set", -3, "write denyoom", 1, 1, 1, "@write @string @slow", "string", "1.0.0",
                "Sets the string value of a key.", StringCommands::set);
    }

    static void get(CommandContext c) {
        Object v = c.db().get(c.arg(1));
        if (v == null) { c.out().nullBulk(); return; }
        if (!(v instanceof byte[] b)) throw c.wrongType();
        c.out().bulk(b);
    }

    static void set(CommandContext c) {
        c.db().put(c.arg(1), c.arg(2));
        c.propagateAsIs(c.arg(1));
        c.out().ok();
    }
}
