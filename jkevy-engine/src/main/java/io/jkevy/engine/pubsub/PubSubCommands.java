package io.jkevy.engine.pubsub;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.Session;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.command.CommandTable;
import io.jkevy.resp.RespWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE, PUBLISH,
 * SPUBLISH and the PUBSUB container, with Redis 7's reply shapes: one
 * {@code [kind, channel, count]} message per channel (a RESP3 push), where count is the
 * client's channels + patterns (shard channels counted on their own).
 */
public final class PubSubCommands {
    private PubSubCommands() { }

    private static final String SUB_FLAGS = "pubsub noscript loading stale";
    private static final String PUB_FLAGS = "pubsub loading stale fast";

    static void register(CommandTable t, PubSub ps) {
        Hub hub = ps.hub();
        t.add("subscribe", -2, SUB_FLAGS, 0, 0, 0, "@pubsub @slow", "pubsub", "2.0.0",
                "Listen for messages published to the given channels", c -> subscribe(ps, c, Hub.Kind.CHANNEL));
        t.add("psubscribe", -2, SUB_FLAGS, 0, 0, 0, "@pubsub @slow", "pubsub", "2.0.0",
                "Listen for messages published to channels matching the given patterns", c -> subscribe(ps, c, Hub.Kind.PATTERN));
        t.add("ssubscribe", -2, SUB_FLAGS, 1, -1, 1, "@pubsub @slow", "pubsub", "7.0.0",
                "Listen for messages published to the given shard channels", c -> subscribe(ps, c, Hub.Kind.SHARD));
        t.add("unsubscribe", -1, SUB_FLAGS, 0, 0, 0, "@pubsub @slow", "pubsub", "2.0.0",
                "Stop listening for messages posted to the given channels", c -> unsubscribe(ps, c, Hub.Kind.CHANNEL));
        t.add("punsubscribe", -1, SUB_FLAGS, 0, 0, 0, "@pubsub @slow", "pubsub", "2.0.0",
                "Stop listening for messages posted to channels matching the given patterns", c -> unsubscribe(ps, c, Hub.Kind.PATTERN));
        t.add("sunsubscribe", -1, SUB_FLAGS, 1, -1, 1, "@pubsub @slow", "pubsub", "7.0.0",
                "Stop listening for messages posted to the given shard channels", c -> unsubscribe(ps, c, Hub.Kind.SHARD));
        t.add("publish", 3, PUB_FLAGS, 0, 0, 0, "@pubsub @fast", "pubsub", "2.0.0",
                "Post a message to a channel", c -> c.out().integer(hub.publish(c, c.arg(1), c.arg(2))));
        t.add("spublish", 3, PUB_FLAGS, 1, 1, 1, "@pubsub @fast", "pubsub", "7.0.0",
                "Post a message to a shard channel", c -> c.out().integer(hub.spublish(c, c.arg(1), c.arg(2))));

        CommandSpec p = CommandTable.spec("pubsub", -2, "", 0, 0, 0, "@slow", "pubsub", "2.8.0",
                "A container for Pub/Sub commands", null);
        p.sub(sub("pubsub|channels", -2, "2.8.0", "List active channels", c -> list(c, hub, Hub.Kind.CHANNEL)));
        p.sub(sub("pubsub|shardchannels", -2, "7.0.0", "List active shard channels", c -> list(c, hub, Hub.Kind.SHARD)));
        p.sub(sub("pubsub|numsub", -2, "2.8.0", "Get the count of subscribers for channels", c -> numsub(c, hub, Hub.Kind.CHANNEL)));
        p.sub(sub("pubsub|shardnumsub", -2, "7.0.0", "Get the count of subscribers for shard channels",
                c -> numsub(c, hub, Hub.Kind.SHARD)));
        p.sub(sub("pubsub|numpat", 2, "2.8.0", "Get the count of unique patterns pattern subscriptions",
                c -> c.out().integer(hub.patternCount())));
        p.sub(CommandTable.spec("pubsub|help", 2, "loading stale", 0, 0, 0, "@slow", "pubsub", "6.2.0",
                "Show helpful text about the different subcommands", PubSubCommands::help));
        t.add(p);
    }

    private static CommandSpec sub(String name, int arity, String since, String summary, io.jkevy.engine.command.Handler h) {
        return CommandTable.spec(name, arity, "pubsub loading stale", 0, 0, 0, "@pubsub @slow", "pubsub", since, summary, h);
    }

    private static String verb(Hub.Kind k, boolean sub) {
        return switch (k) {
            case CHANNEL -> sub ? "subscribe" : "unsubscribe";
            case PATTERN -> sub ? "psubscribe" : "punsubscribe";
            case SHARD -> sub ? "ssubscribe" : "sunsubscribe";
        };
    }

    static Set<Bytes> set(ClientState st, Hub.Kind k) {
        return switch (k) {
            case CHANNEL -> st.channels;
            case PATTERN -> st.patterns;
            case SHARD -> st.shardChannels;
        };
    }

    /** The count a (un)subscribe confirmation carries. */
    private static int count(ClientState st, Hub.Kind k) {
        return k == Hub.Kind.SHARD ? st.shardChannels.size() : st.channels.size() + st.patterns.size();
    }

    static void subscribe(PubSub ps, CommandContext c, Hub.Kind kind) {
        Session s = c.session();
        ClientState st = s.pubsubState();
        RespWriter out = c.out();
        String verb = verb(kind, true);
        for (int i = 1; i < c.argc(); i++) {
            byte[] name = c.arg(i);
            int n;
            synchronized (st) {
                if (!ps.closed(s) && set(st, kind).add(new Bytes(name))) ps.hub().add(kind, new Bytes(name), s);
                st.counts();
                n = count(st, kind);
            }
            out.pushHeader(3);
            out.bulk(verb);
            out.bulk(name);
            out.integer(n);
        }
    }

    static void unsubscribe(PubSub ps, CommandContext c, Hub.Kind kind) {
        ClientState st = c.session().pubsubState();
        RespWriter out = c.out();
        String verb = verb(kind, false);
        List<byte[]> names = new ArrayList<>();
        if (c.argc() == 1) {
            synchronized (st) {
                for (Bytes b : set(st, kind)) names.add(b.b());
            }
            if (names.isEmpty()) {
                int n;
                synchronized (st) { n = count(st, kind); }
                out.pushHeader(3);
                out.bulk(verb);
                out.nullBulk();
                out.integer(n);
                return;
            }
        } else {
            for (int i = 1; i < c.argc(); i++) names.add(c.arg(i));
        }
        for (byte[] name : names) {
            int n;
            synchronized (st) {
                Bytes b = new Bytes(name);
                if (set(st, kind).remove(b)) ps.hub().remove(kind, b, c.session());
                st.counts();
                n = count(st, kind);
            }
            out.pushHeader(3);
            out.bulk(verb);
            out.bulk(name);
            out.integer(n);
        }
    }

    private static void list(CommandContext c, Hub hub, Hub.Kind kind) {
        if (c.argc() > 3) throw wrongArgs(c);
        List<byte[]> names = hub.active(kind, c.argc() == 3 ? c.arg(2) : null);
        c.out().arrayHeader(names.size());
        for (byte[] n : names) c.out().bulk(n);
    }

    private static void numsub(CommandContext c, Hub hub, Hub.Kind kind) {
        c.out().arrayHeader((c.argc() - 2) * 2L);
        for (int i = 2; i < c.argc(); i++) {
            c.out().bulk(c.arg(i));
            c.out().integer(hub.subscribers(kind, c.arg(i)));
        }
    }

    private static io.jkevy.engine.CommandError wrongArgs(CommandContext c) {
        return CommandContext.error("ERR unknown subcommand or wrong number of arguments for '"
                + c.argString(1) + "'. Try PUBSUB HELP.");
    }

    private static final String[] HELP = {
        "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
        "HELP",
        "    Prints this help.",
    };

    private static void help(CommandContext c) {
        io.jkevy.engine.command.server.CommandIntrospection.helpLines(c.out(), HELP);
    }
}
