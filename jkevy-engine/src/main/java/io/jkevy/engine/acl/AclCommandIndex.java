package io.jkevy.engine.acl;

import io.jkevy.engine.command.AclCategory;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.command.CommandTable;

import java.util.List;
import java.util.Locale;

/**
 * The command table as ACL rules see it: every command and subcommand in table order, and
 * lookup of "name" or "container|sub". Rebuilt when the table grew (commands registered
 * after the ACL was created).
 */
final class AclCommandIndex {
    private final CommandTable table;
    private volatile List<CommandSpec> all = List.of();
    private volatile int size = -1;

    AclCommandIndex(CommandTable table) { this.table = table; }

    List<CommandSpec> all() {
        refresh();
        return all;
    }

    /** One more than the largest command id. */
    int size() {
        refresh();
        return size;
    }

    private void refresh() {
        if (size != table.idCount()) {
            all = List.copyOf(table.allWithSubcommands());
            size = table.idCount();
        }
    }

    /** A command or "container|sub" (any case), or null; more than one '|' is never a command. */
    CommandSpec lookup(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        int bar = n.indexOf('|');
        if (bar < 0) return table.get(n);
        if (n.indexOf('|', bar + 1) >= 0) return null;
        CommandSpec c = table.get(n.substring(0, bar));
        if (c == null) return null;
        return c.subcommands().get(n.substring(bar + 1));
    }

    static AclCategory category(String name) {
        for (AclCategory c : AclCategory.values()) if (c.aclName().equalsIgnoreCase(name)) return c;
        return null;
    }
}
