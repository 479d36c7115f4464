package io.jkevy.engine.command;

import io.jkevy.engine.Args;
import io.jkevy.engine.CommandContext;
import io.jkevy.engine.Engine;
import io.jkevy.engine.Session;
import io.jkevy.engine.command.client.Auth;
import io.jkevy.engine.command.client.ClientCommands;
import io.jkevy.resp.RespWriter;

/**
 * Connection commands (Redis group "connection"): PING, ECHO, QUIT, RESET, SELECT, HELLO,
 * AUTH, and the CLIENT container (in {@link ClientCommands}). None of them has keys, so the
 * dispatcher takes no stripe locks; they only touch the calling session (or, for CLIENT
 * KILL/LIST, read other sessions' volatile fields).
 */
public final class ConnectionCommands {
    private ConnectionCommands() { }

    private static final String PROTO_NOT_INTEGER = "ERR Protocol version is not an integer or out of range";
    private static final String NOPROTO = "NOPROTO unsupported protocol version";

    public static void register(CommandTable t) {
        t.add("ping", -1, "stale fast", 0, 0, 0, "@fast @connection", "connection", "1.0.0",
                "Ping the server", ConnectionCommands::ping);
        t.add("echo", 2, "fast", 0, 0, 0, "@fast @connection", "connection", "1.0.0",
                "Echo the given string", ConnectionCommands::echo);
        t.add("quit", -1, "allow_busy noscript loading stale fast no_auth", 0, 0, 0, "@fast @connection",
                "connection", "1.0.0", "Close the connection", ConnectionCommands::quit);
        t.add("reset", 1, "noscript loading stale fast no_auth allow_busy", 0, 0, 0, "@fast @connection",
                "connection", "6.2.0", "Reset the connection", ConnectionCommands::reset);
        t.add("select", 2, "loading stale fast", 0, 0, 0, "@fast @connection", "connection", "1.0.0",
                "Change the selected database for the current connection", ConnectionCommands::select);
        t.add("hello", -1, "noscript loading stale fast no_auth allow_busy", 0, 0, 0, "@fast @connection",
                "connection", "6.0.0", "Handshake with Redis", ConnectionCommands::hello);
        t.add("auth", -2, "noscript loading stale fast no_auth allow_busy", 0, 0, 0, "@fast @connection",
                "connection", "1.0.0", "Authenticate to the server", ConnectionCommands::auth);
        t.add(ClientCommands.container());
    }

    static void ping(CommandContext c) {
        if (c.argc() > 2) throw CommandContext.error(Errors.wrongArity("ping"));
        if (c.session().protocol() == 2 && c.session().pubsubMode()) {
            // subscribed mode (RESP2): ["pong", message or ""]
            c.out().arrayHeader(2);
            c.out().bulk("pong");
            c.out().bulk(c.argc() == 2 ? c.arg(1) : new byte[0]);
            return;
        }
        if (c.argc() == 2) c.out().bulk(c.arg(1)); else c.out().simple("PONG");
    }

    static void echo(CommandContext c) {
        c.out().bulk(c.arg(1));
    }

    static void quit(CommandContext c) {
        c.out().ok();
        c.session().closeAfterReply();
    }

    /**
     * RESET: back to a fresh connection's state — database 0, RESP2, no name, replies on,
     * no NO-EVICT/NO-TOUCH, no transaction and no watched keys, out of MONITOR mode, no
     * subscriptions, tracking off. The library name/version set by CLIENT SETINFO survive, as
     * in Redis. The reply is written after switching, so it is in RESP2 (a simple string reads
     * the same in both).
     */
    static void reset(CommandContext c) {
        Session s = c.session();
        s.db(0);
        setProtocol(c, 2);
        s.name("");
        s.replyMode(Session.ReplyMode.ON);
        s.noEvict(false);
        s.noTouch(false);
        io.jkevy.engine.tx.TxCommands.discard(c.engine(), s);
        c.engine().ops().monitors().remove(s);
        if (s.user() != null) c.engine().acl().onReset(s);
        c.engine().pubsub().clear(s);      // subscriptions and client tracking
        c.out().simple("RESET");
    }

    static void select(CommandContext c) {
        long id = c.longArg(1);
        if (id < Integer.MIN_VALUE || id > Integer.MAX_VALUE) throw CommandContext.error(Errors.NOT_INTEGER);
        if (id < 0 || id >= c.keyspace().databases()) throw CommandContext.error(Errors.INVALID_DB);
        c.session().db((int) id);
        c.out().ok();
    }

    /**
     * HELLO [protover [AUTH user pass] [SETNAME name]]. Every option is validated (and the
     * credentials checked) before anything changes; the protocol switch happens before the
     * reply is written, so the HELLO 3 reply is itself a RESP3 map.
     */
    static void hello(CommandContext c) {
        long ver = 0;
        int next = 1;
        if (c.argc() >= 2) {
            ver = Args.parseLong(c.arg(1), PROTO_NOT_INTEGER);
            next = 2;
            if (ver < 2 || ver > 3) throw CommandContext.error(NOPROTO);
        }
        byte[] user = null, pass = null, name = null;
        for (int j = next; j < c.argc(); j++) {
            int more = c.argc() - 1 - j;
            if (c.argIs(j, "auth") && more >= 2) {
                user = c.arg(j + 1);
                pass = c.arg(j + 2);
                j += 2;
            } else if (c.argIs(j, "setname") && more >= 1) {
                name = c.arg(j + 1);
                j++;
            } else {
                throw CommandContext.error("ERR Syntax error in HELLO option '" + c.argString(j) + "'");
            }
        }
        if (user != null && !Auth.login(c, user, pass)) throw CommandContext.error(Auth.WRONGPASS);
        if (!c.session().authenticated() && c.engine().acl().defaultNeedsAuth()) {
            throw CommandContext.error(io.jkevy.engine.acl.Acl.NOAUTH_HELLO);
        }
        if (name != null) c.session().name(ClientCommands.validName(name));
        if (ver != 0) setProtocol(c, (int) ver);

        Session s = c.session();
        RespWriter out = c.out();
        out.mapHeader(7);
        out.bulk("server");
        out.bulk("redis");
        out.bulk("version");
        out.bulk(Engine.REDIS_VERSION);
        out.bulk("proto");
        out.integer(s.protocol());
        out.bulk("id");
        out.integer(s.id());
        out.bulk("mode");
        out.bulk("standalone");
        out.bulk("role");
        out.bulk("master");
        out.bulk("modules");
        out.arrayHeader(0);
    }

    /** AUTH [username] password. */
    static void auth(CommandContext c) {
        if (c.argc() > 3) throw c.syntax();
        byte[] user, pass;
        if (c.argc() == 2) {
            if (!Auth.passwordConfigured(c.engine())) throw CommandContext.error(Auth.NO_PASSWORD_CONFIGURED);
            user = Auth.DEFAULT_USER;
            pass = c.arg(1);
        } else {
            user = c.arg(1);
            pass = c.arg(2);
        }
        if (!Auth.login(c, user, pass)) throw CommandContext.error(Auth.WRONGPASS);
        c.out().ok();
    }

    /** Switches the session and the writer of the reply now being built. */
    private static void setProtocol(CommandContext c, int p) {
        c.session().protocol(p);
        c.out().protocol(p);
    }
}
