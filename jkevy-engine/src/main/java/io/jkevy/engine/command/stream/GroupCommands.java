package io.jkevy.engine.command.stream;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.command.CommandTable;
import io.jkevy.engine.command.StreamCommands;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.type.stream.ConsumerGroup;
import io.jkevy.store.type.stream.PendingEntry;
import io.jkevy.store.type.stream.StreamConsumer;
import io.jkevy.store.type.stream.StreamId;
import io.jkevy.store.type.stream.StreamValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.jkevy.engine.command.stream.StreamArgs.ascii;

/**
 * Consumer-group commands: XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XSETID.
 *
 * <p>Journal effects rebuild the same group state on replay without depending on the
 * replaying node's clock:
 * <ul>
 * <li>a consumer created implicitly → {@code XGROUP CREATECONSUMER key group consumer};</li>
 * <li>each entry delivered or claimed into a PEL → {@code XCLAIM key group consumer 0 id TIME
 *     <delivery-ms> RETRYCOUNT <count> FORCE JUSTID LASTID <group-last-id>};</li>
 * <li>the group's last id / entries-read moved by XREADGROUP {@code >} → {@code XGROUP SETID
 *     key group <last-id> ENTRIESREAD <n>} (after the XCLAIMs);</li>
 * <li>PEL entries dropped because their stream entry was deleted (XCLAIM/XAUTOCLAIM) →
 *     {@code XACK key group id...};</li>
 * <li>XACK → the ids actually acknowledged; XGROUP and XSETID → as given.</li>
 * </ul>
 * Consumer seen-times are not journaled (a replaying node sets its own), as in Redis.
 */
public final class GroupCommands {
    private GroupCommands() { }

    private static final String NEED_KEY = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.";
    private static final String ENTRIESREAD_RANGE = "ERR value for ENTRIESREAD must be positive or -1";

    private static final byte[] XCLAIM = ascii("XCLAIM"), XGROUP = ascii("XGROUP"), XACK = ascii("XACK");
    private static final byte[] ZERO = ascii("0"), TIME = ascii("TIME"), RETRYCOUNT = ascii("RETRYCOUNT"),
            FORCE = ascii("FORCE"), JUSTID = ascii("JUSTID"), LASTID = ascii("LASTID"), SETID = ascii("SETID"),
            ENTRIESREAD = ascii("ENTRIESREAD"), CREATECONSUMER = ascii("CREATECONSUMER");

    private static final String[] XGROUP_HELP = {
        "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CREATE <key> <groupname> <id|$> [option]",
        "    Create a new consumer group. Options are:",
        "    * MKSTREAM",
        "      Create the empty stream if it does not exist.",
        "    * ENTRIESREAD entries_read",
        "      Set the group's entries_read counter (internal use).",
        "CREATECONSUMER <key> <groupname> <consumer>",
        "    Create a new consumer in the specified group.",
        "DELCONSUMER <key> <groupname> <consumer>",
        "    Remove the specified consumer.",
        "DESTROY <key> <groupname>",
        "    Remove the specified group.",
        "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
        "    Set the current group ID and entries_read counter.",
        "HELP",
        "    Print this help.",
    };

    public static void register(CommandTable t) {
        CommandSpec g = CommandTable.spec("xgroup", -2, "", 0, 0, 0, "@slow", "stream", "5.0.0",
                "A container for consumer groups commands.", null);
        g.sub(CommandTable.spec("xgroup|create", -5, "write denyoom", 2, 2, 1, "@write @stream @slow", "stream", "5.0.0",
                "Creates a consumer group.", GroupCommands::create));
        g.sub(CommandTable.spec("xgroup|setid", -5, "write", 2, 2, 1, "@write @stream @slow", "stream", "5.0.0",
                "Sets the last-delivered ID of a consumer group.", GroupCommands::setid));
        g.sub(CommandTable.spec("xgroup|destroy", 4, "write", 2, 2, 1, "@write @stream @slow", "stream", "5.0.0",
                "Destroys a consumer group.", GroupCommands::destroy));
        g.sub(CommandTable.spec("xgroup|createconsumer", 5, "write denyoom", 2, 2, 1, "@write @stream @slow", "stream", "6.2.0",
                "Creates a consumer in a consumer group.", GroupCommands::createConsumer));
        g.sub(CommandTable.spec("xgroup|delconsumer", 5, "write", 2, 2, 1, "@write @stream @slow", "stream", "5.0.0",
                "Deletes a consumer from a consumer group.", GroupCommands::delConsumer));
        g.sub(CommandTable.spec("xgroup|help", 2, "loading stale", 0, 0, 0, "@stream @slow", "stream", "5.0.0",
                "Returns helpful text about the different subcommands.", c -> help(c.out(), XGROUP_HELP)));
        t.add(g);
        t.add("xreadgroup", -7, "write blocking movablekeys", 0, 0, 0, "@write @stream @slow @blocking", "stream", "5.0.0",
                "Returns new or historical messages from a stream for a consumer in a group. Blocks until a message is available otherwise.",
                c -> StreamCommands.xread(c, true));
        t.add("xack", -4, "write fast", 1, 1, 1, "@write @stream @fast", "stream", "5.0.0",
                "Returns the number of messages that were successfully acknowledged by the consumer group member of a stream.",
                GroupCommands::xack);
        t.add("xpending", -3, "readonly", 1, 1, 1, "@read @stream @slow", "stream", "5.0.0",
                "Returns the information and entries from a stream consumer group's pending entries list.", GroupCommands::xpending);
        t.add("xclaim", -6, "write fast", 1, 1, 1, "@write @stream @fast", "stream", "5.0.0",
                "Changes, or acquires, ownership of a message in a consumer group, as if the message was delivered a consumer group member.",
                GroupCommands::xclaim);
        t.add("xautoclaim", -6, "write fast", 1, 1, 1, "@write @stream @fast", "stream", "6.2.0",
                "Changes, or acquires, ownership of messages in a consumer group, as if the messages were delivered to as consumer group member.",
                GroupCommands::xautoclaim);
        t.add("xsetid", -3, "write denyoom fast", 1, 1, 1, "@write @stream @fast", "stream", "5.0.0",
                "An internal command for replicating stream values.", GroupCommands::xsetid);
    }

    static void help(RespWriter out, String[] lines) {
        out.arrayHeader(lines.length);
        for (String l : lines) out.simple(l);
    }

    static String str(byte[] b) { return new String(b, StandardCharsets.UTF_8); }

    static io.jkevy.engine.CommandError noGroup(byte[] key, byte[] group) {
        return CommandContext.error("NOGROUP No such key '" + str(key) + "' or consumer group '" + str(group) + "'");
    }

    /** Group for XGROUP subcommands other than CREATE: key must exist, group too. */
    private static ConsumerGroup groupOf(CommandContext c, StreamValue s) {
        if (s == null) throw CommandContext.error(NEED_KEY);
        ConsumerGroup g = s.group(c.arg(3));
        if (g == null) {
            throw CommandContext.error("NOGROUP No such consumer group '" + str(c.arg(3)) + "' for key name '" + str(c.arg(2)) + "'");
        }
        return g;
    }

    private static long parseEntriesRead(CommandContext c, int i) {
        long v = c.longArg(i);
        if (v < 0 && v != ConsumerGroup.INVALID_ENTRIES_READ) throw CommandContext.error(ENTRIESREAD_RANGE);
        return v;
    }

    // ---- XGROUP --------------------------------------------------------------------------

    static void create(CommandContext c) {
        boolean mkstream = false;
        long entriesRead = ConsumerGroup.INVALID_ENTRIES_READ;
        for (int i = 5; i < c.argc(); i++) {
            if (c.argIs(i, "mkstream")) mkstream = true;
            else if (c.argIs(i, "entriesread") && i + 1 < c.argc()) entriesRead = parseEntriesRead(c, ++i);
            else throw c.syntax();
        }
        byte[] key = c.arg(2);
        StreamValue s = StreamArgs.lookup(c, key);
        if (s == null && !mkstream) throw CommandContext.error(NEED_KEY);
        StreamId id;
        if (c.argIs(4, "$")) id = s == null ? StreamId.MIN : s.lastId();
        else id = StreamArgs.parseId(c.arg(4), 0, true, null);
        if (s != null && s.group(c.arg(3)) != null) throw CommandContext.error("BUSYGROUP Consumer Group name already exists");
        if (s == null) {
            s = new StreamValue();
            c.db().put(key, s);
        }
        s.createGroup(c.arg(3), id, entriesRead);
        c.out().ok();
        c.propagateAsIs(key);
    }

    static void setid(CommandContext c) {
        long entriesRead = ConsumerGroup.INVALID_ENTRIES_READ;
        for (int i = 5; i < c.argc(); i++) {
            if (c.argIs(i, "entriesread") && i + 1 < c.argc()) entriesRead = parseEntriesRead(c, ++i);
            else throw c.syntax();
        }
        StreamValue s = StreamArgs.lookup(c, c.arg(2));
        ConsumerGroup g = groupOf(c, s);
        StreamId id = c.argIs(4, "$") ? s.lastId() : StreamArgs.parseId(c.arg(4), 0, true, null);
        g.lastId = id;
        g.entriesRead = entriesRead;
        c.out().ok();
        c.propagateAsIs(c.arg(2));
    }

    static void destroy(CommandContext c) {
        StreamValue s = StreamArgs.lookup(c, c.arg(2));
        if (s == null) throw CommandContext.error(NEED_KEY);
        boolean gone = s.destroyGroup(c.arg(3));
        c.out().integer(gone ? 1 : 0);
        if (gone) c.propagateAsIs(c.arg(2));
    }

    static void createConsumer(CommandContext c) {
        StreamValue s = StreamArgs.lookup(c, c.arg(2));
        ConsumerGroup g = groupOf(c, s);
        boolean made = g.consumer(c.arg(4)) == null;
        if (made) g.createConsumer(c.arg(4), c.now());
        c.out().integer(made ? 1 : 0);
        if (made) c.propagateAsIs(c.arg(2));
    }

    static void delConsumer(CommandContext c) {
        StreamValue s = StreamArgs.lookup(c, c.arg(2));
        ConsumerGroup g = groupOf(c, s);
        long pending = g.deleteConsumer(c.arg(4));
        c.out().integer(Math.max(0, pending));
        if (pending >= 0) c.propagateAsIs(c.arg(2));
    }

    // ---- XREADGROUP ----------------------------------------------------------------------

    /** Finds or creates the consumer, journaling the creation. */
    private static StreamConsumer consumer(CommandContext c, byte[] key, ConsumerGroup g, byte[] name) {
        StreamConsumer k = g.consumer(name);
        if (k == null) {
            k = g.createConsumer(name, c.now());
            c.propagate(XGROUP, CREATECONSUMER, key, g.name, name);
            c.touched(key);
        } else {
            k.seenTime = c.now();
        }
        return k;
    }

    private static void propagateClaim(CommandContext c, byte[] key, ConsumerGroup g, StreamConsumer k, PendingEntry p) {
        c.propagate(XCLAIM, key, g.name, k.name, ZERO, p.id.toBytes(), TIME, ascii(Long.toString(p.deliveryTime)),
                RETRYCOUNT, ascii(Long.toString(p.deliveryCount)), FORCE, JUSTID, LASTID, g.lastId.toBytes());
        c.touched(key);
    }

    /** Serves XREADGROUP after {@link StreamCommands#xread} parsed it (from[k] null = '>'). */
    public static void serveGroup(CommandContext c, int streamsAt, int nk, StreamValue[] streams, ConsumerGroup[] groups,
                                  StreamId[] from, byte[] groupName, byte[] consumerName, long count, boolean noack,
                                  long blockMs) {
        // Per stream: list of {id, packed-or-null}; null list = nothing to reply for that stream
        List<List<Object[]>> data = new ArrayList<>();
        int ready = 0;
        for (int k = 0; k < nk; k++) {
            byte[] key = c.arg(streamsAt + k);
            StreamValue s = streams[k];
            ConsumerGroup g = groups[k];
            StreamConsumer who = consumer(c, key, g, consumerName);
            List<Object[]> got;
            if (from[k] == null) {
                StreamId start = g.lastId.next();
                got = start == null ? new ArrayList<>() : StreamCommands.collect(s, start, StreamId.MAX, count, false);
                if (got.isEmpty()) {
                    data.add(null);
                    continue;
                }
                for (Object[] e : got) {
                    StreamId id = (StreamId) e[0];
                    s.advanceGroup(g, id);
                    if (!noack) g.addPending(id, c.now(), 1, who);
                }
                if (!noack) {
                    for (Object[] e : got) propagateClaim(c, key, g, who, g.pel.get((StreamId) e[0]));
                }
                c.propagate(XGROUP, SETID, key, g.name, g.lastId.toBytes(), ENTRIESREAD,
                        ascii(Long.toString(g.entriesRead)));
                c.touched(key);
            } else {
                // history: this consumer's own pending entries after the given id
                got = new ArrayList<>();
                StreamId start = from[k].next();
                if (start != null) {
                    for (PendingEntry p : who.pel.tailMap(start, true).values()) {
                        if (count > 0 && got.size() >= count) break;
                        byte[] packed = s.get(p.id);
                        got.add(new Object[]{p.id, packed});
                        if (packed != null) {
                            p.deliveryTime = c.now();
                            p.deliveryCount++;
                            propagateClaim(c, key, g, who, p);
                        }
                    }
                }
            }
            data.add(got);
            ready++;
        }
        if (ready == 0) {
            if (blockMs >= 0) {
                c.block(java.util.Arrays.copyOfRange(c.argv(), streamsAt, streamsAt + nk), blockMs, RespWriter::nullArray);
                return;
            }
            c.out().nullArray();
            return;
        }
        RespWriter out = c.out();
        boolean resp3 = out.protocol() == 3;
        if (resp3) out.mapHeader(ready); else out.arrayHeader(ready);
        for (int k = 0; k < nk; k++) {
            List<Object[]> got = data.get(k);
            if (got == null) continue;
            if (!resp3) out.arrayHeader(2);
            out.bulk(c.arg(streamsAt + k));
            out.arrayHeader(got.size());
            for (Object[] e : got) StreamArgs.entry(out, (StreamId) e[0], (byte[]) e[1]);
        }
    }

    // ---- XACK / XPENDING -----------------------------------------------------------------

    static void xack(CommandContext c) {
        byte[] key = c.arg(1);
        StreamId[] ids = new StreamId[c.argc() - 3];
        for (int i = 3; i < c.argc(); i++) ids[i - 3] = StreamArgs.parseId(c.arg(i), 0, true, null);
        StreamValue s = StreamArgs.lookup(c, key);
        ConsumerGroup g = s == null ? null : s.group(c.arg(2));
        if (g == null) {
            c.out().integer(0);
            return;
        }
        List<byte[]> eff = new ArrayList<>(List.of(XACK, key, c.arg(2)));
        for (StreamId id : ids) if (g.ack(id)) eff.add(id.toBytes());
        c.out().integer(eff.size() - 3);
        if (eff.size() > 3) {
            c.propagate(eff.toArray(new byte[0][]));
            c.touched(key);
        }
    }

    static void xpending(CommandContext c) {
        int argc = c.argc();
        boolean summary = argc == 3;
        if (argc != 3 && (argc < 6 || argc > 9)) throw c.syntax();
        long minIdle = 0;
        StreamId start = StreamId.MIN, end = StreamId.MAX;
        long count = 0;
        byte[] consumerName = null;
        if (!summary) {
            int at = 3;
            if (c.argIs(3, "idle")) {
                if (argc < 8) throw c.syntax();
                minIdle = c.longArg(4);
                at = 5;
            }
            if (argc > at + 4) throw c.syntax();
            count = c.longArg(at + 2);
            if (count < 0) count = 0;
            start = StreamArgs.parseBound(c.arg(at), 0, true, "ERR invalid start ID for the interval");
            end = StreamArgs.parseBound(c.arg(at + 1), -1L, false, "ERR invalid end ID for the interval");
            if (at + 3 < argc) consumerName = c.arg(at + 3);
        }
        StreamValue s = StreamArgs.lookup(c, c.arg(1));
        ConsumerGroup g = s == null ? null : s.group(c.arg(2));
        if (g == null) throw noGroup(c.arg(1), c.arg(2));
        RespWriter out = c.out();
        if (summary) {
            out.arrayHeader(4);
            out.integer(g.pel.size());
            if (g.pel.isEmpty()) {
                out.nullBulk();
                out.nullBulk();
                out.nullArray();
                return;
            }
            out.bulk(g.pel.firstKey().toBytes());
            out.bulk(g.pel.lastKey().toBytes());
            List<StreamConsumer> with = new ArrayList<>();
            for (StreamConsumer k : g.consumers.values()) if (!k.pel.isEmpty()) with.add(k);
            out.arrayHeader(with.size());
            for (StreamConsumer k : with) {
                out.arrayHeader(2);
                out.bulk(k.name);
                out.bulk(Long.toString(k.pel.size()));
            }
            return;
        }
        java.util.TreeMap<StreamId, PendingEntry> pel;
        if (consumerName != null) {
            StreamConsumer k = g.consumer(consumerName);
            if (k == null) {
                out.arrayHeader(0);
                return;
            }
            pel = k.pel;
        } else {
            pel = g.pel;
        }
        List<PendingEntry> rows = new ArrayList<>();
        if (start.compareTo(end) <= 0) {
            for (PendingEntry p : pel.subMap(start, true, end, true).values()) {
                if (rows.size() >= count) break;
                long idle = Math.max(0, c.now() - p.deliveryTime);
                if (minIdle > 0 && idle < minIdle) continue;
                rows.add(p);
            }
        }
        out.arrayHeader(rows.size());
        for (PendingEntry p : rows) {
            out.arrayHeader(4);
            out.bulk(p.id.toBytes());
            out.bulk(p.consumer.name);
            out.integer(Math.max(0, c.now() - p.deliveryTime));
            out.integer(p.deliveryCount);
        }
    }

    // ---- XCLAIM / XAUTOCLAIM -------------------------------------------------------------

    static void xclaim(CommandContext c) {
        byte[] key = c.arg(1);
        StreamValue s = StreamArgs.lookup(c, key);
        ConsumerGroup g = s == null ? null : s.group(c.arg(2));
        if (g == null) throw noGroup(key, c.arg(2));
        long minIdle = c.longArg(4, "ERR Invalid min-idle-time argument for XCLAIM");
        if (minIdle < 0) minIdle = 0;
        int j = 5;
        while (j < c.argc() && StreamArgs.isStrictId(c.arg(j))) j++;
        int lastIdArg = j - 1;
        long now = c.now();
        long deliveryTime = -1, retryCount = -1;
        boolean force = false, justId = false;
        StreamId lastId = null;
        for (; j < c.argc(); j++) {
            boolean more = c.argc() - j - 1 > 0;
            if (c.argIs(j, "force")) force = true;
            else if (c.argIs(j, "justid")) justId = true;
            else if (c.argIs(j, "idle") && more) {
                long idle = c.longArg(++j, "ERR Invalid IDLE option argument for XCLAIM");
                deliveryTime = now - idle;
            } else if (c.argIs(j, "time") && more) {
                deliveryTime = c.longArg(++j, "ERR Invalid TIME option argument for XCLAIM");
            } else if (c.argIs(j, "retrycount") && more) {
                retryCount = c.longArg(++j, "ERR Invalid RETRYCOUNT option argument for XCLAIM");
            } else if (c.argIs(j, "lastid") && more) {
                lastId = StreamArgs.parseId(c.arg(++j), 0, true, null);
            } else {
                throw CommandContext.error("ERR Unrecognized XCLAIM option '" + str(c.arg(j)) + "'");
            }
        }
        if (deliveryTime != -1) {
            // a journaled XCLAIM (a replica's frame, a replayed journal) carries the primary's
            // delivery time; frames are applied at time 0, which must not clamp it to the epoch
            if (deliveryTime < 0 || (deliveryTime > now && !c.applying())) deliveryTime = now;
        } else {
            deliveryTime = now;
        }
        StreamId[] ids = new StreamId[lastIdArg - 4];
        for (int i = 5; i <= lastIdArg; i++) ids[i - 5] = StreamArgs.parseId(c.arg(i), 0, true, null);
        StreamConsumer who = consumer(c, key, g, c.arg(3));
        // applied at time 0: the consumer was last seen when the primary delivered the entry
        if (c.applying() && deliveryTime > who.seenTime) who.seenTime = deliveryTime;
        boolean lastIdMoved = false;
        if (lastId != null && lastId.compareTo(g.lastId) > 0) {
            g.lastId = lastId;
            lastIdMoved = true;
        }
        List<Object[]> reply = new ArrayList<>();
        List<byte[]> dropped = new ArrayList<>();
        for (StreamId id : ids) {
            PendingEntry p = g.pel.get(id);
            byte[] packed = s.get(id);
            if (p == null) {
                if (!force || packed == null) continue;
                p = g.addPending(id, now, 1, who);
                p.deliveryCount = 0;   // counted below like an existing entry's redelivery
            } else if (minIdle > 0 && now - p.deliveryTime < minIdle) {
                continue;
            }
            if (packed == null) {
                g.ack(id);
                dropped.add(id.toBytes());
                continue;
            }
            g.assign(p, who);
            p.deliveryTime = deliveryTime;
            if (retryCount >= 0) p.deliveryCount = retryCount;
            else if (!justId) p.deliveryCount++;
            reply.add(new Object[]{id, packed});
            propagateClaim(c, key, g, who, p);
        }
        if (!dropped.isEmpty()) propagateAck(c, key, g, dropped);
        if (lastIdMoved && reply.isEmpty()) {
            c.propagate(XGROUP, SETID, key, g.name, g.lastId.toBytes(), ENTRIESREAD, ascii(Long.toString(g.entriesRead)));
            c.touched(key);
        }
        RespWriter out = c.out();
        out.arrayHeader(reply.size());
        for (Object[] e : reply) {
            if (justId) out.bulk(((StreamId) e[0]).toBytes());
            else StreamArgs.entry(out, (StreamId) e[0], (byte[]) e[1]);
        }
    }

    private static void propagateAck(CommandContext c, byte[] key, ConsumerGroup g, List<byte[]> ids) {
        List<byte[]> eff = new ArrayList<>(List.of(XACK, key, g.name));
        eff.addAll(ids);
        c.propagate(eff.toArray(new byte[0][]));
        c.touched(key);
    }

    static void xautoclaim(CommandContext c) {
        byte[] key = c.arg(1);
        StreamValue s = StreamArgs.lookup(c, key);
        ConsumerGroup g = s == null ? null : s.group(c.arg(2));
        if (g == null) throw noGroup(key, c.arg(2));
        long minIdle = c.longArg(4, "ERR Invalid min-idle-time argument for XAUTOCLAIM");
        if (minIdle < 0) minIdle = 0;
        StreamId start = StreamArgs.parseBound(c.arg(5), 0, true, "ERR invalid start ID for the interval");
        long count = 100;
        boolean justId = false;
        final long attemptsFactor = 10;
        for (int j = 6; j < c.argc(); j++) {
            if (c.argIs(j, "count") && j + 1 < c.argc()) {
                count = c.longArg(++j, "ERR COUNT must be > 0");
                if (count < 1 || count > Long.MAX_VALUE / attemptsFactor) throw CommandContext.error("ERR COUNT must be > 0");
            } else if (c.argIs(j, "justid")) {
                justId = true;
            } else {
                throw c.syntax();
            }
        }
        long now = c.now();
        StreamConsumer who = consumer(c, key, g, c.arg(3));
        long attempts = count * attemptsFactor;
        List<Object[]> reply = new ArrayList<>();
        List<byte[]> dropped = new ArrayList<>();
        StreamId cursor = StreamId.MIN;
        List<PendingEntry> scan = new ArrayList<>();
        for (Map.Entry<StreamId, PendingEntry> e : g.pel.tailMap(start, true).entrySet()) {
            if (attempts-- == 0 || count == 0) {
                cursor = e.getKey();
                break;
            }
            PendingEntry p = e.getValue();
            if (minIdle > 0 && now - p.deliveryTime < minIdle) continue;
            scan.add(p);
            count--;
        }
        for (PendingEntry p : scan) {
            byte[] packed = s.get(p.id);
            if (packed == null) {
                g.ack(p.id);
                dropped.add(p.id.toBytes());
                continue;
            }
            g.assign(p, who);
            p.deliveryTime = now;
            if (!justId) p.deliveryCount++;
            reply.add(new Object[]{p.id, packed});
            propagateClaim(c, key, g, who, p);
        }
        if (!dropped.isEmpty()) propagateAck(c, key, g, dropped);
        RespWriter out = c.out();
        out.arrayHeader(3);
        out.bulk(cursor.toBytes());
        out.arrayHeader(reply.size());
        for (Object[] e : reply) {
            if (justId) out.bulk(((StreamId) e[0]).toBytes());
            else StreamArgs.entry(out, (StreamId) e[0], (byte[]) e[1]);
        }
        out.arrayHeader(dropped.size());
        for (byte[] d : dropped) out.bulk(d);
    }

    // ---- XSETID --------------------------------------------------------------------------

    static void xsetid(CommandContext c) {
        byte[] key = c.arg(1);
        StreamId id = StreamArgs.parseId(c.arg(2), 0, true, null);
        long added = -1;
        StreamId maxDeleted = null;
        for (int i = 3; i < c.argc(); i++) {
            boolean more = i + 1 < c.argc();
            if (c.argIs(i, "entriesadded") && more) {
                added = c.longArg(++i);
                if (added < 0) throw CommandContext.error("ERR entries_added must be positive");
            } else if (c.argIs(i, "maxdeletedid") && more) {
                maxDeleted = StreamArgs.parseId(c.arg(++i), 0, true, null);
                if (id.compareTo(maxDeleted) < 0) {
                    throw CommandContext.error("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
            } else {
                throw c.syntax();
            }
        }
        StreamValue s = StreamArgs.lookup(c, key);
        if (s == null) throw CommandContext.error("ERR no such key");
        if (s.length() > 0 && id.compareTo(s.lastEntryId()) < 0) {
            throw CommandContext.error("ERR The ID specified in XSETID is smaller than the target stream top item");
        }
        if (added >= 0 && added < s.length()) {
            throw CommandContext.error("ERR The entries_added specified in XSETID is smaller than the target stream length");
        }
        s.setIds(id, added, maxDeleted);
        c.out().ok();
        c.propagateAsIs(key);
    }
}
