package io.jkevy.engine.command.stream;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.command.CommandTable;
import io.jkevy.engine.command.StreamCommands;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.type.stream.StreamConsumer;
import java.util.List;
import io.jkevy.engine.command.server.Digest;
import io.jkevy.store.type.stream.ConsumerGroup;
import io.jkevy.store.type.stream.PendingEntry;
import io.jkevy.store.type.stream.StreamId;
import io.jkevy.store.type.stream.StreamValue;

import java.security.MessageDigest;

/** XINFO and the DEBUG DIGEST digester of streams. */
public final class InfoCommands {
    private InfoCommands() { }

    private static final String[] HELP = {
        "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CONSUMERS <key> <groupname>",
        "    Show consumers of <groupname>.",
        "GROUPS <key>",
        "    Show the stream consumer groups.",
        "STREAM <key> [FULL [COUNT <count>]",
        "    Show information about the stream.",
        "HELP",
        "    Print this help.",
    };

    public static void register(CommandTable t) {
        CommandSpec x = CommandTable.spec("xinfo", -2, "", 0, 0, 0, "@slow", "stream", "5.0.0",
                "A container for stream introspection commands.", null);
        x.sub(CommandTable.spec("xinfo|stream", -3, "readonly", 2, 2, 1, "@read @stream @slow", "stream", "5.0.0",
                "Returns information about a stream.", InfoCommands::stream));
        x.sub(CommandTable.spec("xinfo|groups", 3, "readonly", 2, 2, 1, "@read @stream @slow", "stream", "5.0.0",
                "Returns a list of the consumer groups of a stream.", InfoCommands::groups));
        x.sub(CommandTable.spec("xinfo|consumers", 4, "readonly", 2, 2, 1, "@read @stream @slow", "stream", "5.0.0",
                "Returns a list of the consumers in a consumer group.", InfoCommands::consumers));
        x.sub(CommandTable.spec("xinfo|help", 2, "loading stale", 0, 0, 0, "@stream @slow", "stream", "5.0.0",
                "Returns helpful text about the different subcommands.", c -> GroupCommands.help(c.out(), HELP)));
        t.add(x);
    }

    private static StreamValue existing(CommandContext c) {
        StreamValue s = StreamArgs.lookup(c, c.arg(2));
        if (s == null) throw CommandContext.error("ERR no such key");
        return s;
    }

    private static ConsumerGroup group(CommandContext c, StreamValue s) {
        ConsumerGroup g = s.group(c.arg(3));
        if (g == null) {
            throw CommandContext.error("NOGROUP No such consumer group '" + GroupCommands.str(c.arg(3))
                    + "' for key name '" + GroupCommands.str(c.arg(2)) + "'");
        }
        return g;
    }

    private static void entriesReadAndLag(RespWriter out, StreamValue s, ConsumerGroup g) {
        out.bulk("entries-read");
        if (g.entriesRead == ConsumerGroup.INVALID_ENTRIES_READ) out.nullBulk(); else out.integer(g.entriesRead);
        out.bulk("lag");
        long lag = s.lag(g);
        if (lag < 0) out.nullBulk(); else out.integer(lag);
    }

    static void groups(CommandContext c) {
        StreamValue s = existing(c);
        RespWriter out = c.out();
        out.arrayHeader(s.groupCount());
        for (ConsumerGroup g : s.groups()) {
            out.mapHeader(6);
            out.bulk("name");
            out.bulk(g.name);
            out.bulk("consumers");
            out.integer(g.consumers.size());
            out.bulk("pending");
            out.integer(g.pel.size());
            out.bulk("last-delivered-id");
            out.bulk(g.lastId.toBytes());
            entriesReadAndLag(out, s, g);
        }
    }

    static void consumers(CommandContext c) {
        StreamValue s = existing(c);
        ConsumerGroup g = group(c, s);
        RespWriter out = c.out();
        out.arrayHeader(g.consumers.size());
        for (StreamConsumer k : g.consumers.values()) {
            out.mapHeader(3);
            out.bulk("name");
            out.bulk(k.name);
            out.bulk("pending");
            out.integer(k.pel.size());
            out.bulk("idle");
            out.integer(Math.max(0, c.now() - k.seenTime));
        }
    }

    static void stream(CommandContext c) {
        boolean full = false;
        long count = 10;
        int argc = c.argc();
        if (argc > 3) {
            if (!c.argIs(3, "full")) throw c.syntax();
            full = true;
            if (argc == 6 && c.argIs(4, "count")) {
                count = c.longArg(5);
                if (count < 0) count = 0;
            } else if (argc != 4) {
                throw c.syntax();
            }
        }
        StreamValue s = existing(c);
        RespWriter out = c.out();
        out.mapHeader(full ? 9 : 10);
        out.bulk("length");
        out.integer(s.length());
        out.bulk("radix-tree-keys");
        out.integer(s.nodeCount());
        out.bulk("radix-tree-nodes");
        out.integer(radixNodes(s.nodeCount()));
        out.bulk("last-generated-id");
        out.bulk(s.lastId().toBytes());
        out.bulk("max-deleted-entry-id");
        out.bulk(s.maxDeletedId().toBytes());
        out.bulk("entries-added");
        out.integer(s.entriesAdded());
        out.bulk("recorded-first-entry-id");
        out.bulk(s.firstId().toBytes());
        if (!full) {
            out.bulk("groups");
            out.integer(s.groupCount());
            List<Object[]> first = StreamCommands.collect(s, StreamId.MIN, StreamId.MAX, 1, false);
            List<Object[]> last = StreamCommands.collect(s, StreamId.MIN, StreamId.MAX, 1, true);
            out.bulk("first-entry");
            if (first.isEmpty()) out.nullBulk(); else StreamArgs.entry(out, (StreamId) first.get(0)[0], (byte[]) first.get(0)[1]);
            out.bulk("last-entry");
            if (last.isEmpty()) out.nullBulk(); else StreamArgs.entry(out, (StreamId) last.get(0)[0], (byte[]) last.get(0)[1]);
            return;
        }
        out.bulk("entries");
        StreamCommands.replyRange(out, s, StreamId.MIN, StreamId.MAX, count == 0 ? -1 : count, false);
        out.bulk("groups");
        out.arrayHeader(s.groupCount());
        long now = c.now();
        for (ConsumerGroup g : s.groups()) {
            out.mapHeader(7);
            out.bulk("name");
            out.bulk(g.name);
            out.bulk("last-delivered-id");
            out.bulk(g.lastId.toBytes());
            entriesReadAndLag(out, s, g);
            out.bulk("pel-count");
            out.integer(g.pel.size());
            out.bulk("pending");
            List<PendingEntry> pel = limit(g.pel.values(), count);
            out.arrayHeader(pel.size());
            for (PendingEntry p : pel) {
                out.arrayHeader(4);
                out.bulk(p.id.toBytes());
                out.bulk(p.consumer.name);
                out.integer(p.deliveryTime);
                out.integer(p.deliveryCount);
            }
            out.bulk("consumers");
            out.arrayHeader(g.consumers.size());
            for (StreamConsumer k : g.consumers.values()) {
                out.mapHeader(4);
                out.bulk("name");
                out.bulk(k.name);
                out.bulk("seen-time");
                out.integer(k.seenTime);
                out.bulk("pel-count");
                out.integer(k.pel.size());
                out.bulk("pending");
                List<PendingEntry> kp = limit(k.pel.values(), count);
                out.arrayHeader(kp.size());
                for (PendingEntry p : kp) {
                    out.arrayHeader(3);
                    out.bulk(p.id.toBytes());
                    out.integer(p.deliveryTime);
                    out.integer(p.deliveryCount);
                }
            }
        }
    }

    private static List<PendingEntry> limit(java.util.Collection<PendingEntry> all, long count) {
        List<PendingEntry> out = new java.util.ArrayList<>();
        for (PendingEntry p : all) {
            if (count > 0 && out.size() >= count) break;
            out.add(p);
        }
        return out;
    }

    /**
     * Redis reports the node count of its radix tree, which depends on the byte layout of
     * 128-bit keys; jkevy has no radix tree, so this is an estimate: 1 for an empty stream,
     * else one node per key plus the root.
     */
    private static long radixNodes(int keys) { return keys == 0 ? 1 : keys + 1; }

    /**
     * Digest: entries in id order (id, packed fields), then last id, entries-added,
     * max-deleted id, then groups in name order with last id, entries-read and PEL
     * (id, owner, delivery count; delivery times are left out as they are clock-dependent).
     */
    public static void digest(Object value, MessageDigest md) {
        StreamValue s = (StreamValue) value;
        s.range(StreamId.MIN, StreamId.MAX, false, (id, packed) -> {
            Digest.putLong(md, id.ms);
            Digest.putLong(md, id.seq);
            Digest.putInt(md, packed.length);
            md.update(packed);
            return true;
        });
        Digest.putLong(md, s.lastId().ms);
        Digest.putLong(md, s.lastId().seq);
        Digest.putLong(md, s.entriesAdded());
        Digest.putLong(md, s.maxDeletedId().ms);
        Digest.putLong(md, s.maxDeletedId().seq);
        for (ConsumerGroup g : s.groups()) {
            Digest.putInt(md, g.name.length);
            md.update(g.name);
            Digest.putLong(md, g.lastId.ms);
            Digest.putLong(md, g.lastId.seq);
            Digest.putLong(md, g.entriesRead);
            for (PendingEntry p : g.pel.values()) {
                Digest.putLong(md, p.id.ms);
                Digest.putLong(md, p.id.seq);
                Digest.putInt(md, p.consumer.name.length);
                md.update(p.consumer.name);
                Digest.putLong(md, p.deliveryCount);
            }
        }
    }
}
