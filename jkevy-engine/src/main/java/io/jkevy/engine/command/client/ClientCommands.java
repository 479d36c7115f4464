package io.jkevy.engine.command.client;

import io.jkevy.engine.Args;
import io.jkevy.engine.CommandContext;
import io.jkevy.engine.Engine;
import io.jkevy.engine.Session;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.command.CommandTable;
import io.jkevy.engine.command.Errors;
import io.jkevy.engine.pubsub.Tracking;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The CLIENT container: ID, INFO, LIST, KILL, SETNAME, GETNAME, PAUSE, UNPAUSE, REPLY,
 * NO-EVICT, NO-TOUCH, SETINFO, UNBLOCK, HELP, and TRACKING, CACHING, TRACKINGINFO, GETREDIR
 * (client-side caching, implemented in {@link io.jkevy.engine.pubsub.Tracking}).
 *
 * <p>A client is of type "pubsub" while it has subscriptions (RESP2 or RESP3, as Redis 7.0),
 * else "normal" (jkevy has no replica or master links yet).
 */
public final class ClientCommands {
    private ClientCommands() { }

    private static final String BAD_NAME = "ERR Client names cannot contain spaces, newlines or special characters.";
    private static final String NO_SUCH_CLIENT = "ERR No such client";
    private static final String BAD_KILL_ID = "ERR client-id should be greater than 0";
    private static final String BAD_LIST_ID = "ERR Invalid client ID";
    private static final String PAUSE_MODE = "ERR CLIENT PAUSE mode must be WRITE or ALL";
    private static final String TIMEOUT_NOT_INTEGER = "ERR timeout is not an integer or out of range";
    private static final String TIMEOUT_NEGATIVE = "ERR timeout is negative";
    private static final String TIMEOUT_RANGE = "ERR timeout is out of range";

    private static final String ADMIN_FLAGS = "admin noscript loading stale";
    private static final String ADMIN_ACL = "@admin @slow @dangerous @connection";
    private static final String FLAGS = "noscript loading stale";
    private static final String ACL = "@slow @connection";

    /** Client types as CLIENT LIST/KILL TYPE accept them ("slave" is the old name of "replica"). */
    private enum Type { NORMAL, REPLICA, PUBSUB, MASTER }

    public static CommandSpec container() {
        CommandSpec c = CommandTable.spec("client", -2, "", 0, 0, 0, "@slow", "connection", "2.4.0",
                "A container for client connection commands", null);
        c.sub(spec("client|getname", 2, FLAGS, ACL, "2.6.9", "Get the current connection name", ClientCommands::getname));
        c.sub(spec("client|caching", 3, FLAGS, ACL, "6.0.0",
                "Instruct the server about tracking or not keys in the next request", Tracking::cachingCommand));
        c.sub(spec("client|getredir", 2, FLAGS, ACL, "6.0.0",
                "Get tracking notifications redirection client ID if any", Tracking::getredirCommand));
        c.sub(spec("client|help", 2, "loading stale", ACL, "5.0.0",
                "Show helpful text about the different subcommands", ClientCommands::help));
        c.sub(spec("client|id", 2, FLAGS, ACL, "5.0.0", "Returns the client ID for the current connection", ClientCommands::id));
        c.sub(spec("client|info", 2, FLAGS, ACL, "6.2.0",
                "Returns information about the current client connection.", ClientCommands::info));
        c.sub(spec("client|kill", -3, ADMIN_FLAGS, ADMIN_ACL, "2.4.0", "Kill the connection of a client", ClientCommands::kill));
        c.sub(spec("client|list", -2, ADMIN_FLAGS, ADMIN_ACL, "2.4.0", "Get the list of client connections", ClientCommands::list));
        c.sub(spec("client|no-evict", 3, ADMIN_FLAGS, ADMIN_ACL, "7.0.0",
                "Set client eviction mode for the current connection", ClientCommands::noEvict));
        c.sub(spec("client|no-touch", 3, FLAGS, ACL, "7.2.0",
                "Controls whether commands sent by the client will alter the LRU/LFU of the keys they access.",
                ClientCommands::noTouch));
        c.sub(spec("client|pause", -3, ADMIN_FLAGS, ADMIN_ACL, "2.9.50",
                "Stop processing commands from clients for some time", ClientCommands::pause));
        c.sub(spec("client|reply", 3, FLAGS, ACL, "3.2.0", "Instruct the server whether to reply to commands", ClientCommands::reply));
        c.sub(spec("client|setinfo", 4, FLAGS, ACL, "7.2.0", "Set client or connection specific info", ClientCommands::setinfo));
        c.sub(spec("client|setname", 3, FLAGS, ACL, "2.6.9", "Set the current connection name", ClientCommands::setname));
        c.sub(spec("client|trackinginfo", 2, FLAGS, ACL, "6.2.0",
                "Return information about server assisted client side caching for the current connection",
                Tracking::trackingInfoCommand));
        c.sub(spec("client|tracking", -3, FLAGS, ACL, "6.0.0",
                "Enable or disable server assisted client side caching support", Tracking::trackingCommand));
        c.sub(spec("client|unblock", -3, ADMIN_FLAGS, ADMIN_ACL, "5.0.0",
                "Unblock a client blocked in a blocking command from a different connection", ClientCommands::unblock));
        c.sub(spec("client|unpause", 2, ADMIN_FLAGS, ADMIN_ACL, "6.2.0",
                "Resume processing of clients that were paused", ClientCommands::unpause));
        return c;
    }

    private static CommandSpec spec(String name, int arity, String flags, String acl, String since, String summary,
                                    io.jkevy.engine.command.Handler h) {
        return CommandTable.spec(name, arity, flags, 0, 0, 0, acl, "connection", since, summary, h);
    }

    /**
     * A client name as Redis accepts it: printable ASCII without spaces ('!'..'~'), so CLIENT
     * LIST stays splittable on spaces. Returns the name as text ("" clears the name).
     */
    public static String validName(byte[] name) {
        if (!printable(name)) throw CommandContext.error(BAD_NAME);
        return new String(name, StandardCharsets.US_ASCII);
    }

    private static boolean printable(byte[] b) {
        for (byte x : b) if (x < '!' || x > '~') return false;
        return true;
    }

    // ---- simple ones --------------------------------------------------------------------

    static void id(CommandContext c) { c.out().integer(c.session().id()); }

    static void getname(CommandContext c) {
        String n = c.session().name();
        if (n.isEmpty()) c.out().nullBulk(); else c.out().bulk(n);
    }

    static void setname(CommandContext c) {
        c.session().name(validName(c.arg(2)));
        c.out().ok();
    }

    static void info(CommandContext c) {
        String line = ClientInfo.line(c.session(), c.session(), c.argv(), c.now()) + "\n";
        c.out().verbatim("txt", line.getBytes(StandardCharsets.UTF_8));
    }

    /** CLIENT SETINFO LIB-NAME|LIB-VER value (Redis 7.2); an empty value clears it. */
    static void setinfo(CommandContext c) {
        boolean libName;
        if (c.argIs(2, "lib-name")) libName = true;
        else if (c.argIs(2, "lib-ver")) libName = false;
        else throw CommandContext.error("ERR Unrecognized option '" + c.argString(2) + "'");
        if (!printable(c.arg(3))) {
            throw CommandContext.error("ERR " + c.argString(2) + " cannot contain spaces, newlines or special characters.");
        }
        String v = new String(c.arg(3), StandardCharsets.US_ASCII);
        if (libName) c.session().libName(v); else c.session().libVersion(v);
        c.out().ok();
    }

    static void noEvict(CommandContext c) {
        c.session().noEvict(onOff(c, 2));
        c.out().ok();
    }

    static void noTouch(CommandContext c) {
        c.session().noTouch(onOff(c, 2));
        c.out().ok();
    }

    private static boolean onOff(CommandContext c, int i) {
        if (c.argIs(i, "on")) return true;
        if (c.argIs(i, "off")) return false;
        throw c.syntax();
    }

    /**
     * CLIENT REPLY ON|OFF|SKIP. OFF and SKIP reply nothing; SKIP is ignored while OFF (as in
     * Redis). The dispatcher decides suppression before the command runs, so the OK of ON
     * reaches the client only when the command itself was not being suppressed.
     */
    static void reply(CommandContext c) {
        Session s = c.session();
        if (c.argIs(2, "on")) {
            s.replyMode(Session.ReplyMode.ON);
            c.out().ok();
        } else if (c.argIs(2, "off")) {
            s.replyMode(Session.ReplyMode.OFF);
        } else if (c.argIs(2, "skip")) {
            if (s.replyMode() != Session.ReplyMode.OFF) s.replyMode(Session.ReplyMode.SKIP);
        } else {
            throw c.syntax();
        }
    }

    /** CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 when that client was blocked and is now answered. */
    static void unblock(CommandContext c) {
        long id = c.longArg(2);
        boolean error = false;
        if (c.argc() == 4) {
            if (c.argIs(3, "error")) error = true;
            else if (!c.argIs(3, "timeout")) throw CommandContext.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
        } else if (c.argc() > 4) {
            throw c.syntax();
        }
        c.out().integer(c.engine().unblock(id, error) ? 1 : 0);
    }

    // ---- pause --------------------------------------------------------------------------

    private static final byte[][] WRITE_PROBE = {"set".getBytes(StandardCharsets.US_ASCII)};
    private static final byte[][] READ_PROBE = {"ping".getBytes(StandardCharsets.US_ASCII)};

    /**
     * CLIENT PAUSE timeout [WRITE|ALL]. As Redis, a pause already in force is only ever
     * extended and made stricter: the end is the later of the two, and ALL wins over WRITE.
     */
    static void pause(CommandContext c) {
        if (c.argc() > 4) throw subcommandSyntax(c);
        boolean writesOnly = false;
        if (c.argc() == 4) {
            if (c.argIs(3, "write")) writesOnly = true;
            else if (!c.argIs(3, "all")) throw CommandContext.error(PAUSE_MODE);
        }
        long t = c.longArg(2, TIMEOUT_NOT_INTEGER);
        if (t < 0) throw CommandContext.error(TIMEOUT_NEGATIVE);
        long now = c.now();
        long until = 0;
        if (t > 0) {
            if (t > Long.MAX_VALUE - now) throw CommandContext.error(TIMEOUT_RANGE);
            until = now + t;
        }
        Engine e = c.engine();
        // the engine exposes the pause in force only through pausedFor: a write is held by
        // either mode, a read only by ALL
        long leftForWrites = e.pausedFor(WRITE_PROBE);
        if (leftForWrites > 0) {
            until = Math.max(until, now + leftForWrites);
            if (e.pausedFor(READ_PROBE) > 0) writesOnly = false;
        }
        e.pause(until, writesOnly);
        c.out().ok();
    }

    static void unpause(CommandContext c) {
        c.engine().unpause();
        c.out().ok();
    }

    // ---- list / kill ----------------------------------------------------------------------

    private static List<Session> sessionsById(Engine e) {
        List<Session> all = new ArrayList<>(e.sessions());
        all.sort(Comparator.comparingLong(Session::id));
        return all;
    }

    private static Type type(byte[] name) {
        if (Args.is(name, "normal")) return Type.NORMAL;
        if (Args.is(name, "slave") || Args.is(name, "replica")) return Type.REPLICA;
        if (Args.is(name, "pubsub")) return Type.PUBSUB;
        if (Args.is(name, "master")) return Type.MASTER;
        throw CommandContext.error("ERR Unknown client type '" + new String(name, StandardCharsets.UTF_8) + "'");
    }

    /** Pub/sub for a client with subscriptions, normal otherwise (see the class comment). */
    private static Type typeOf(Session s) {
        return s.pubsubMode() ? Type.PUBSUB : Type.NORMAL;
    }

    /** CLIENT LIST [TYPE type] | [ID id ...]: one line per client, oldest first. */
    static void list(CommandContext c) {
        StringBuilder sb = new StringBuilder();
        if (c.argc() == 2) {
            for (Session s : sessionsById(c.engine())) appendLine(sb, s, c);
        } else if (c.argc() == 4 && c.argIs(2, "type")) {
            Type want = type(c.arg(3));
            for (Session s : sessionsById(c.engine())) if (typeOf(s) == want) appendLine(sb, s, c);
        } else if (c.argc() > 3 && c.argIs(2, "id")) {
            long[] ids = new long[c.argc() - 3];
            for (int j = 3; j < c.argc(); j++) ids[j - 3] = c.longArg(j, BAD_LIST_ID);
            for (long id : ids) {
                Session s = c.engine().session(id);
                if (s != null) appendLine(sb, s, c);
            }
        } else {
            throw c.syntax();
        }
        c.out().verbatim("txt", sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void appendLine(StringBuilder sb, Session s, CommandContext c) {
        sb.append(ClientInfo.line(s, c.session(), c.argv(), c.now())).append('\n');
    }

    /**
     * CLIENT KILL ip:port (old form: +OK, or an error when nobody matched; may kill the
     * caller) or CLIENT KILL filter value ... (new form: the number killed; the caller is
     * skipped unless SKIPME no). Other clients are closed at once; the caller is closed
     * after its reply.
     */
    static void kill(CommandContext c) {
        String addr = null, laddr = null;
        Type type = null;
        long id = 0;
        io.jkevy.engine.acl.AclUser user = null;
        boolean skipMe = true;
        boolean oldForm = c.argc() == 3;
        if (oldForm) {
            addr = c.argString(2);
            skipMe = false;
        } else {
            for (int i = 2; i < c.argc(); i += 2) {
                boolean more = c.argc() > i + 1;
                if (!more) throw c.syntax();
                if (c.argIs(i, "id")) {
                    id = c.longArg(i + 1, BAD_KILL_ID);
                    if (id < 1) throw CommandContext.error(BAD_KILL_ID);
                } else if (c.argIs(i, "type")) {
                    type = type(c.arg(i + 1));
                } else if (c.argIs(i, "addr")) {
                    addr = c.argString(i + 1);
                } else if (c.argIs(i, "laddr")) {
                    laddr = c.argString(i + 1);
                } else if (c.argIs(i, "user")) {
                    user = c.engine().acl().user(c.argString(i + 1));
                    if (user == null) throw CommandContext.error("ERR No such user '" + c.argString(i + 1) + "'");
                } else if (c.argIs(i, "skipme")) {
                    if (c.argIs(i + 1, "yes")) skipMe = true;
                    else if (c.argIs(i + 1, "no")) skipMe = false;
                    else throw c.syntax();
                } else {
                    throw c.syntax();
                }
            }
        }
        Session self = c.session();
        Engine e = c.engine();
        int killed = 0;
        boolean closeSelf = false;
        for (Session s : sessionsById(e)) {
            if (addr != null && !addr.equals(s.connection().remoteAddress())) continue;
            if (laddr != null && !laddr.equals(s.connection().localAddress())) continue;
            if (type != null && typeOf(s) != type) continue;
            if (id != 0 && s.id() != id) continue;
            if (user != null && s.user() != user) continue;
            if (s == self && skipMe) continue;
            if (s == self) {
                closeSelf = true;
            } else {
                s.connection().close();
                e.closeSession(s);       // gone from CLIENT LIST at once, as in Redis
            }
            killed++;
        }
        if (oldForm) {
            if (killed == 0) throw CommandContext.error(NO_SUCH_CLIENT);
            c.out().ok();
        } else {
            c.out().integer(killed);
        }
        if (closeSelf) self.closeAfterReply();
    }

    // ---- help -------------------------------------------------------------------------

    private static final String[] HELP = {
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CACHING (YES|NO)",
        "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
        "GETREDIR",
        "    Return the client ID we are redirecting to when tracking is enabled.",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Kill connections. Options are:",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made from the specified address",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made to specified local address",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Kill connections by type.",
        "    * USER <username>",
        "      Kill connections authenticated by <username>.",
        "    * SKIPME (YES|NO)",
        "      Skip killing current connection (default: yes).",
        "LIST [options ...]",
        "    Return information about client connections. Options:",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Return clients of specified type.",
        "UNPAUSE",
        "    Stop the current client pause, resuming traffic.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Suspend all, or just write, clients for <timeout> milliseconds.",
        "REPLY (ON|OFF|SKIP)",
        "    Control the replies sent to the current connection.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "SETINFO <option> <value>",
        "    Set client meta attr. Options are:",
        "    * LIB-NAME: the client lib name.",
        "    * LIB-VER: the client lib version.",
        "UNBLOCK <clientid> [TIMEOUT|ERROR]",
        "    Unblock the specified blocked client.",
        "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
        "         [OPTIN] [OPTOUT] [NOLOOP]",
        "    Control server assisted client side caching.",
        "TRACKINGINFO",
        "    Report tracking status for the current connection.",
        "NO-EVICT (ON|OFF)",
        "    Protect current client connection from eviction.",
        "NO-TOUCH (ON|OFF)",
        "    Will not touch LRU/LFU stats when this mode is on.",
        "HELP",
        "    Print this help.",
    };

    static void help(CommandContext c) {
        c.out().arrayHeader(HELP.length);
        for (String line : HELP) c.out().simple(line);
    }

    /** Redis's reply when a subcommand's arguments fit none of its forms (argv[1] as sent). */
    private static io.jkevy.engine.CommandError subcommandSyntax(CommandContext c) {
        return CommandContext.error("ERR unknown subcommand or wrong number of arguments for '"
                + c.argString(1) + "'. Try CLIENT HELP.");
    }
}
