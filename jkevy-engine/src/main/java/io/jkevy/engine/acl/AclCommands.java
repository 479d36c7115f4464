package io.jkevy.engine.acl;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.AclCategory;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.command.CommandTable;
import io.jkevy.engine.command.Errors;
import io.jkevy.engine.command.Handler;
import io.jkevy.resp.RespWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ACL command (Redis group "server"): SETUSER, GETUSER, DELUSER, USERS, LIST, WHOAMI,
 * CAT, GENPASS, LOG, SAVE, LOAD, DRYRUN, HELP. Keyless: no stripe locks; the user table
 * has its own synchronization ({@link Acl}).
 */
public final class AclCommands {
    private AclCommands() { }

    private static final String ADMIN_FLAGS = "admin noscript loading stale";
    private static final String ADMIN_ACL = "@admin @slow @dangerous";
    private static final String FLAGS = "noscript loading stale";
    private static final String NO_ACL_FILE = "ERR This Redis instance is not configured to use an ACL file. You may "
            + "want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a "
            + "Redis configuration file set) in order to store users in the Redis configuration.";

    public static void register(CommandTable t) {
        CommandSpec acl = CommandTable.spec("acl", -2, "", 0, 0, 0, "@slow", "server", "6.0.0",
                "A container for Access List Control commands", null);
        acl.sub(spec("acl|cat", -2, FLAGS, "@slow", "List the ACL categories or the commands inside a category", AclCommands::cat));
        acl.sub(spec("acl|deluser", -3, ADMIN_FLAGS, ADMIN_ACL, "Remove the specified ACL users and the associated rules", AclCommands::deluser));
        acl.sub(spec("acl|dryrun", -4, ADMIN_FLAGS, ADMIN_ACL,
                "Returns whether the user can execute the given command without executing the command.", AclCommands::dryrun));
        acl.sub(spec("acl|genpass", -2, FLAGS, "@slow", "Generate a pseudorandom secure password to use for ACL users", AclCommands::genpass));
        acl.sub(spec("acl|getuser", 3, ADMIN_FLAGS, ADMIN_ACL, "Get the rules for a specific ACL user", AclCommands::getuser));
        acl.sub(spec("acl|help", 2, "loading stale", "@slow", "Show helpful text about the different subcommands", AclCommands::help));
        acl.sub(spec("acl|list", 2, ADMIN_FLAGS, ADMIN_ACL, "List the current ACL rules in ACL config file format", AclCommands::list));
        acl.sub(spec("acl|load", 2, ADMIN_FLAGS, ADMIN_ACL, "Reload the ACLs from the configured ACL file", AclCommands::load));
        acl.sub(spec("acl|log", -2, ADMIN_FLAGS, ADMIN_ACL, "List latest events denied because of ACLs in place", AclCommands::log));
        acl.sub(spec("acl|save", 2, ADMIN_FLAGS, ADMIN_ACL, "Save the current ACL rules in the configured ACL file", AclCommands::save));
        acl.sub(spec("acl|setuser", -3, ADMIN_FLAGS, ADMIN_ACL, "Modify or create the rules for a specific ACL user", AclCommands::setuser));
        acl.sub(spec("acl|users", 2, ADMIN_FLAGS, ADMIN_ACL, "List the username of all the configured ACL rules", AclCommands::users));
        acl.sub(spec("acl|whoami", 2, FLAGS, "@slow", "Return the name of the user associated to the current connection", AclCommands::whoami));
        t.add(acl);
    }

    private static CommandSpec spec(String name, int arity, String flags, String cats, String summary, Handler h) {
        return CommandTable.spec(name, arity, flags, 0, 0, 0, cats, "server", "6.0.0", summary, h);
    }

    private static Acl acl(CommandContext c) { return c.engine().acl(); }

    static void setuser(CommandContext c) {
        List<String> ops = new ArrayList<>();
        for (int j = 3; j < c.argc(); j++) ops.add(c.argString(j));
        String err = acl(c).setUser(c.argString(2), ops);
        if (err != null) throw CommandContext.error(err);
        c.out().ok();
    }

    static void getuser(CommandContext c) {
        AclUser u = acl(c).user(c.argString(2));
        RespWriter out = c.out();
        if (u == null) {
            out.nullBulk();
            return;
        }
        Acl.UserView v = acl(c).view(u);
        out.mapHeader(6);
        out.bulk("flags");
        out.setHeader(v.flags().size());
        for (String f : v.flags()) out.bulk(f);
        out.bulk("passwords");
        out.arrayHeader(v.passwords().size());
        for (String p : v.passwords()) out.bulk(p);
        selector(out, v.root());
        out.bulk("selectors");
        out.arrayHeader(v.selectors().size());
        for (Acl.SelectorView s : v.selectors()) {
            out.mapHeader(3);
            selector(out, s);
        }
    }

    private static void selector(RespWriter out, Acl.SelectorView s) {
        out.bulk("commands");
        out.bulk(s.commands());
        out.bulk("keys");
        out.bulk(s.keys());
        out.bulk("channels");
        out.bulk(s.channels());
    }

    static void deluser(CommandContext c) {
        List<String> names = new ArrayList<>();
        for (int j = 2; j < c.argc(); j++) names.add(c.argString(j));
        int n = acl(c).delUsers(names, c.session());
        if (n < 0) throw CommandContext.error("ERR The 'default' user cannot be removed");
        c.out().integer(n);
    }

    static void users(CommandContext c) {
        var all = new ArrayList<>(acl(c).users());
        c.out().arrayHeader(all.size());
        for (AclUser u : all) c.out().bulk(u.name());
    }

    static void list(CommandContext c) {
        List<String> lines = acl(c).list();
        c.out().arrayHeader(lines.size());
        for (String l : lines) c.out().bulk(l);
    }

    static void whoami(CommandContext c) {
        AclUser u = c.session().user();
        if (u == null) c.out().nullBulk(); else c.out().bulk(u.name());
    }

    static void cat(CommandContext c) {
        if (c.argc() > 3) throw CommandContext.error(Errors.wrongArity("acl|cat"));
        RespWriter out = c.out();
        if (c.argc() == 2) {
            AclCategory[] all = AclCategory.values();
            out.arrayHeader(all.length);
            for (AclCategory cat : all) out.bulk(cat.aclName());
            return;
        }
        List<String> names = acl(c).commandsIn(c.argString(2));
        if (names == null) throw CommandContext.error("ERR Unknown category '" + truncate(c.argString(2), 128) + "'");
        out.arrayHeader(names.size());
        for (String n : names) out.bulk(n);
    }

    private static String truncate(String s, int n) { return s.length() > n ? s.substring(0, n) : s; }

    static void genpass(CommandContext c) {
        if (c.argc() > 3) throw CommandContext.error(Errors.wrongArity("acl|genpass"));
        long bits = 256;
        if (c.argc() == 3) bits = c.longArg(2);
        if (bits <= 0 || bits > 4096) {
            throw CommandContext.error("ERR ACL GENPASS argument must be the number of bits for the output password, "
                    + "a positive number up to 4096");
        }
        c.out().bulk(c.engine().randomHex((int) ((bits + 3) / 4)));
    }

    static void log(CommandContext c) {
        if (c.argc() > 3) throw CommandContext.error(Errors.wrongArity("acl|log"));
        long count = 10;
        if (c.argc() == 3) {
            if (c.argIs(2, "reset")) {
                acl(c).resetLog();
                c.out().ok();
                return;
            }
            count = Math.max(0, c.longArg(2));
        }
        List<Acl.LogEntry> entries = acl(c).logEntries(count);
        RespWriter out = c.out();
        long now = c.now();
        out.arrayHeader(entries.size());
        for (Acl.LogEntry e : entries) {
            out.mapHeader(10);
            out.bulk("count");
            out.integer(e.count);
            out.bulk("reason");
            out.bulk(e.reason);
            out.bulk("context");
            out.bulk(e.context);
            out.bulk("object");
            out.bulk(e.object);
            out.bulk("username");
            out.bulk(e.username);
            out.bulk("age-seconds");
            out.doubleValue((now - e.createdMillis) / 1000.0);
            out.bulk("client-info");
            out.bulk(e.clientInfo);
            out.bulk("entry-id");
            out.integer(e.entryId);
            out.bulk("timestamp-created");
            out.integer(e.firstMillis);
            out.bulk("timestamp-last-updated");
            out.integer(e.createdMillis);
        }
    }

    static void save(CommandContext c) {
        if (acl(c).aclFile().isEmpty()) throw CommandContext.error(NO_ACL_FILE);
        try {
            acl(c).save();
        } catch (IOException e) {
            throw CommandContext.error("ERR There was an error trying to save the ACLs. Please check the server logs "
                    + "for more information");
        }
        c.out().ok();
    }

    static void load(CommandContext c) {
        if (acl(c).aclFile().isEmpty()) throw CommandContext.error(NO_ACL_FILE);
        String err = acl(c).load();
        if (err != null) throw CommandContext.error("ERR " + err);
        c.out().ok();
    }

    static void dryrun(CommandContext c) {
        AclUser u = acl(c).user(c.argString(2));
        if (u == null) throw CommandContext.error("ERR User '" + c.argString(2) + "' not found");
        byte[][] argv = Arrays.copyOfRange(c.argv(), 3, c.argc());
        CommandSpec spec = c.engine().commands().lookup(argv[0]);
        if (spec != null && !spec.subcommands().isEmpty() && argv.length >= 2) {
            CommandSpec sub = CommandTable.lookupSub(spec, argv[1]);
            if (sub != null) spec = sub;
        }
        if (spec == null) throw CommandContext.error("ERR Command '" + new String(argv[0], StandardCharsets.UTF_8) + "' not found");
        if (!spec.arityOk(argv.length)) throw CommandContext.error(Errors.wrongArity(spec.name()));
        String denied = acl(c).dryRun(u, spec, argv);
        if (denied == null) c.out().ok(); else c.out().bulk(denied);
    }

    private static final String[] HELP = {
        "ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CAT [<category>]",
        "    List all commands that belong to <category>, or all command categories",
        "    when no category is specified.",
        "DELUSER <username> [<username> ...]",
        "    Delete a list of users.",
        "DRYRUN <username> <command> [<arg> ...]",
        "    Returns whether the user can execute the given command without executing the command.",
        "GETUSER <username>",
        "    Get the user's details.",
        "GENPASS [<bits>]",
        "    Generate a secure 256-bit user password. The optional `bits` argument can",
        "    be used to specify a different size.",
        "LIST",
        "    Show users details in config file format.",
        "LOAD",
        "    Reload users from the ACL file.",
        "LOG [<count> | RESET]",
        "    Show the ACL log entries.",
        "SAVE",
        "    Save the current config to the ACL file.",
        "SETUSER <username> <attribute> [<attribute> ...]",
        "    Create or modify a user with the specified attributes.",
        "USERS",
        "    List all the registered usernames.",
        "WHOAMI",
        "    Return the current connection username.",
        "HELP",
        "    Print this help.",
    };

    static void help(CommandContext c) {
        io.jkevy.engine.command.server.CommandIntrospection.helpLines(c.out(), HELP);
    }
}
