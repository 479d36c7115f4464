package io.jkevy.engine.command;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.server.Digest;
import io.jkevy.engine.command.stream.GroupCommands;
import io.jkevy.engine.command.stream.InfoCommands;
import io.jkevy.engine.command.stream.StreamArgs;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.Encodings;
import io.jkevy.store.type.stream.ConsumerGroup;
import io.jkevy.store.type.stream.StreamEntry;
import io.jkevy.store.type.stream.StreamId;
import io.jkevy.store.type.stream.StreamValue;

import java.util.ArrayList;
import java.util.List;

import static io.jkevy.engine.command.stream.StreamArgs.ascii;

/**
 * Stream commands (Redis group "stream"). Streams are {@link StreamValue}s; an emptied stream
 * stays (Redis never deletes a stream for being empty).
 *
 * <p>Journal effects: XADD is rewritten with the id it generated and, when it trimmed, an
 * exact {@code MAXLEN = <length after trim>} (removing the same head entries on replay,
 * whatever the original strategy, approximation or LIMIT); XTRIM becomes
 * {@code XTRIM key MAXLEN = <length after>}; XDEL lists only the ids it deleted; group
 * commands are described in {@link GroupCommands}. Writes that changed nothing journal nothing.
 *
 * <p>Blocking: XREAD/XREADGROUP with BLOCK serve data that is available at once like Redis;
 * otherwise the client blocks on the stream keys until an XADD serves it or the timeout
 * answers with a null array.
 */
public final class StreamCommands {
    private StreamCommands() { }

    private static final String TOP_ITEM = "ERR The ID specified in XADD is equal or smaller than the target stream top item";
    private static final String ZERO_ID = "ERR The ID specified in XADD must be greater than 0-0";
    private static final String EXHAUSTED = "ERR The stream has exhausted the last possible ID, unable to add more items";
    private static final String MAXLEN_NEG = "ERR The MAXLEN argument must be >= 0.";
    private static final String LIMIT_NEG = "ERR The LIMIT argument must be >= 0.";
    private static final String BOTH_STRATEGIES = "ERR syntax error, MAXLEN and MINID options at the same time are not compatible";
    private static final String LIMIT_NO_APPROX = "ERR syntax error, LIMIT cannot be used without the special ~ option";
    private static final String START_INTERVAL = "ERR invalid start ID for the interval";
    private static final String END_INTERVAL = "ERR invalid end ID for the interval";

    private static final byte[] XADD = ascii("XADD"), XTRIM = ascii("XTRIM"), XDEL = ascii("XDEL");
    private static final byte[] MAXLEN = ascii("MAXLEN"), EQ = ascii("=");

    public static void register(CommandTable t) {
        t.add("xadd", -5, "write denyoom fast", 1, 1, 1, "@write @stream @fast", "stream", "5.0.0",
                "Appends a new message to a stream. Creates the key if it doesn't exist.", StreamCommands::xadd);
        t.add("xlen", 2, "readonly fast", 1, 1, 1, "@read @stream @fast", "stream", "5.0.0",
                "Return the number of messages in a stream.", StreamCommands::xlen);
        t.add("xrange", -4, "readonly", 1, 1, 1, "@read @stream @slow", "stream", "5.0.0",
                "Returns the messages from a stream within a range of IDs.", c -> xrange(c, false));
        t.add("xrevrange", -4, "readonly", 1, 1, 1, "@read @stream @slow", "stream", "5.0.0",
                "Returns the messages from a stream within a range of IDs in reverse order.", c -> xrange(c, true));
        t.add("xdel", -3, "write fast", 1, 1, 1, "@write @stream @fast", "stream", "5.0.0",
                "Returns the number of messages after removing them from a stream.", StreamCommands::xdel);
        t.add("xtrim", -4, "write", 1, 1, 1, "@write @stream @slow", "stream", "5.0.0",
                "Deletes messages from the beginning of a stream.", StreamCommands::xtrim);
        t.add("xread", -4, "readonly blocking movablekeys", 0, 0, 0, "@read @stream @slow @blocking", "stream", "5.0.0",
                "Returns messages from multiple streams with IDs greater than the ones requested. Blocks until a message is available otherwise.",
                c -> xread(c, false));
        GroupCommands.register(t);
        InfoCommands.register(t);
        Digest.register(StreamValue.class, InfoCommands::digest);
        io.jkevy.engine.command.stream.StreamRdb.register();
    }

    // ---- XADD / XTRIM --------------------------------------------------------------------

    /** Parsed trimming options of XADD/XTRIM. */
    static final class Trim {
        boolean maxlen, minid, approx, limitGiven, nomkstream;
        long threshold, limit;
        StreamId minId;
        StreamId id;            // XADD: the explicit id, null for '*'
        boolean seqStar;        // XADD: ms-*
        int fieldsAt;           // XADD: index of the first field

        boolean any() { return maxlen || minid; }

        long trim(StreamValue s) {
            if (!any()) return 0;
            return s.trim(threshold, minid ? minId : null, approx, approx ? limit : 0);
        }
    }

    /** Parses options from argv[2] on; for XADD stops at the id. */
    static Trim parseTrim(CommandContext c, boolean xadd) {
        Trim o = new Trim();
        int n = c.argc();
        int i = 2;
        for (; i < n; i++) {
            byte[] a = c.arg(i);
            boolean more = i + 1 < n;
            if (xadd && a.length == 1 && a[0] == '*') break;
            if ((c.argIs(i, "maxlen") || c.argIs(i, "minid")) && more) {
                boolean isMax = c.argIs(i, "maxlen");
                if (c.argIs(i + 1, "~") || c.argIs(i + 1, "=")) {
                    if (c.argIs(i + 1, "~")) o.approx = true;
                    i++;
                    if (i + 1 >= n) throw c.syntax();
                }
                if (isMax) {
                    if (o.minid) throw CommandContext.error(BOTH_STRATEGIES);
                    long v = c.longArg(i + 1);
                    if (v < 0) throw CommandContext.error(MAXLEN_NEG);
                    o.threshold = v;
                    o.maxlen = true;
                } else {
                    if (o.maxlen) throw CommandContext.error(BOTH_STRATEGIES);
                    o.minId = StreamArgs.parseId(c.arg(i + 1), 0, true, null);
                    o.minid = true;
                }
                i++;
            } else if (c.argIs(i, "limit") && more) {
                long v = c.longArg(i + 1);
                if (v < 0) throw CommandContext.error(LIMIT_NEG);
                o.limit = v;
                o.limitGiven = true;
                i++;
            } else if (xadd && c.argIs(i, "nomkstream")) {
                o.nomkstream = true;
            } else if (xadd) {
                boolean[] star = new boolean[1];
                o.id = StreamArgs.parseId(a, 0, true, star);
                o.seqStar = star[0];
                break;
            } else {
                throw c.syntax();
            }
        }
        if (o.limitGiven && !o.approx) throw CommandContext.error(LIMIT_NO_APPROX);
        if (o.approx && !o.limitGiven) {
            // Redis's default work bound for '~': 100 nodes' worth of entries
            long lim = 100L * c.keyspace().encodings().streamNodeMaxEntries;
            if (lim <= 0 || lim > 1_000_000) lim = 10_000;
            o.limit = lim;
        }
        if (xadd) {
            if (i >= n) throw c.syntax();
            o.fieldsAt = i + 1;
        } else if (!o.any()) {
            throw c.syntax();
        }
        return o;
    }

    static void xadd(CommandContext c) {
        Trim o = parseTrim(c, true);
        int nf = c.argc() - o.fieldsAt;
        if (nf < 2 || (nf & 1) == 1) throw CommandContext.error(Errors.wrongArity("xadd"));
        if (o.id != null && !o.seqStar && o.id.isZero()) throw CommandContext.error(ZERO_ID);
        byte[] key = c.arg(1);
        StreamValue s = StreamArgs.lookup(c, key);
        if (s == null && o.nomkstream) {
            c.out().nullBulk();
            return;
        }
        StreamId last = s == null ? StreamId.MIN : s.lastId();
        if (last.isMax()) throw CommandContext.error(EXHAUSTED);
        StreamId id = nextId(c, last, o);
        boolean created = s == null;
        if (created) s = new StreamValue();
        Encodings enc = c.keyspace().encodings();
        s.append(id, StreamEntry.pack(c.argv(), o.fieldsAt, nf), enc.streamNodeMaxEntries, enc.streamNodeMaxBytes);
        if (created) c.db().put(key, s);
        byte[] idBytes = id.toBytes();
        c.out().bulk(idBytes);
        long trimmed = o.trim(s);
        int extra = trimmed > 0 ? 3 : 0;
        byte[][] eff = new byte[3 + extra + nf][];
        eff[0] = XADD;
        eff[1] = key;
        int p = 2;
        if (extra > 0) {
            eff[p++] = MAXLEN;
            eff[p++] = EQ;
            eff[p++] = ascii(Long.toString(s.length()));
        }
        eff[p++] = idBytes;
        System.arraycopy(c.argv(), o.fieldsAt, eff, p, nf);
        c.propagate(eff);
        c.touched(key);
    }

    /** The id XADD assigns: '*' → now or after the top id; 'ms-*' → next seq; explicit → checked. */
    private static StreamId nextId(CommandContext c, StreamId last, Trim o) {
        if (o.id == null) {
            long now = c.now();
            if (Long.compareUnsigned(now, last.ms) > 0) return new StreamId(now, 0);
            return last.next();   // last is not MAX (checked by the caller)
        }
        if (o.seqStar) {
            int cmp = Long.compareUnsigned(o.id.ms, last.ms);
            if (cmp > 0) return new StreamId(o.id.ms, 0);
            if (cmp == 0 && last.seq != -1L) return new StreamId(last.ms, last.seq + 1);
            throw CommandContext.error(TOP_ITEM);
        }
        if (o.id.compareTo(last) <= 0) throw CommandContext.error(TOP_ITEM);
        return o.id;
    }

    static void xtrim(CommandContext c) {
        byte[] key = c.arg(1);
        StreamValue s = StreamArgs.lookup(c, key);
        if (s == null) {
            c.out().integer(0);
            return;
        }
        Trim o = parseTrim(c, false);
        long removed = o.trim(s);
        c.out().integer(removed);
        if (removed > 0) {
            c.propagate(XTRIM, key, MAXLEN, EQ, ascii(Long.toString(s.length())));
            c.touched(key);
        }
    }

    // ---- reads ---------------------------------------------------------------------------

    static void xlen(CommandContext c) {
        StreamValue s = StreamArgs.lookup(c, c.arg(1));
        c.out().integer(s == null ? 0 : s.length());
    }

    static void xrange(CommandContext c, boolean rev) {
        byte[] startArg = rev ? c.arg(3) : c.arg(2);
        byte[] endArg = rev ? c.arg(2) : c.arg(3);
        StreamId start = StreamArgs.parseBound(startArg, 0, true, START_INTERVAL);
        StreamId end = StreamArgs.parseBound(endArg, -1L, false, END_INTERVAL);
        long count = -1;
        for (int i = 4; i < c.argc(); i++) {
            if (c.argIs(i, "count") && i + 1 < c.argc()) {
                count = c.longArg(++i);
                if (count < 0) count = 0;
            } else {
                throw c.syntax();
            }
        }
        StreamValue s = StreamArgs.lookup(c, c.arg(1));
        if (s == null) {
            c.out().arrayHeader(0);
            return;
        }
        if (count == 0) {
            c.out().nullArray();
            return;
        }
        replyRange(c.out(), s, start, end, count, rev);
    }

    /** Replies the live entries in [start, end] (at most {@code count}, -1 = all). */
    public static int replyRange(RespWriter out, StreamValue s, StreamId start, StreamId end, long count, boolean rev) {
        List<Object[]> got = collect(s, start, end, count, rev);
        out.arrayHeader(got.size());
        for (Object[] e : got) StreamArgs.entry(out, (StreamId) e[0], (byte[]) e[1]);
        return got.size();
    }

    /** Live entries in [start, end] as {id, packed} pairs, at most {@code count} (≤0 = all). */
    public static List<Object[]> collect(StreamValue s, StreamId start, StreamId end, long count, boolean rev) {
        List<Object[]> got = new ArrayList<>();
        s.range(start, end, rev, (id, packed) -> {
            got.add(new Object[]{id, packed});
            return count <= 0 || got.size() < count;
        });
        return got;
    }

    static void xdel(CommandContext c) {
        byte[] key = c.arg(1);
        StreamId[] ids = new StreamId[c.argc() - 2];
        for (int i = 2; i < c.argc(); i++) ids[i - 2] = StreamArgs.parseId(c.arg(i), 0, true, null);
        StreamValue s = StreamArgs.lookup(c, key);
        if (s == null) {
            c.out().integer(0);
            return;
        }
        List<byte[]> eff = new ArrayList<>();
        eff.add(XDEL);
        eff.add(key);
        for (int i = 0; i < ids.length; i++) if (s.delete(ids[i])) eff.add(c.arg(i + 2));
        long deleted = eff.size() - 2;
        c.out().integer(deleted);
        if (deleted > 0) {
            c.propagate(eff.toArray(new byte[0][]));
            c.touched(key);
        }
    }

    // ---- XREAD / XREADGROUP --------------------------------------------------------------

    /** XREAD and XREADGROUP (the group part lives in {@link GroupCommands#serveGroup}). */
    public static void xread(CommandContext c, boolean group) {
        long count = -1;
        long blockMs = -1;                          // -1: no BLOCK; 0: forever
        boolean noack = false;
        byte[] groupName = null, consumerName = null;
        int streamsAt = -1;
        int n = c.argc();
        String cmd = group ? "xreadgroup" : "xread";
        for (int i = 1; i < n; i++) {
            boolean more = n - i - 1 > 0;
            if (c.argIs(i, "block") && more) {
                i++;
                long ms = c.longArg(i, "ERR timeout is not an integer or out of range");
                if (ms < 0) throw CommandContext.error("ERR timeout is negative");
                blockMs = ms;
            } else if (c.argIs(i, "count") && more) {
                count = c.longArg(++i);
                if (count < 0) count = 0;
            } else if (c.argIs(i, "streams") && more) {
                streamsAt = i + 1;
                int left = n - streamsAt;
                if ((left & 1) == 1) {
                    throw CommandContext.error("ERR Unbalanced '" + cmd
                            + "' list of streams: for each stream key an ID or '$' must be specified.");
                }
                break;
            } else if (c.argIs(i, "group") && n - i - 1 >= 2) {
                if (!group) throw CommandContext.error("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                groupName = c.arg(i + 1);
                consumerName = c.arg(i + 2);
                i += 2;
            } else if (c.argIs(i, "noack")) {
                if (!group) throw CommandContext.error("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                noack = true;
            } else {
                throw c.syntax();
            }
        }
        if (streamsAt < 0) throw c.syntax();
        if (group && groupName == null) throw CommandContext.error("ERR Missing GROUP option for XREADGROUP");
        int nk = (n - streamsAt) / 2;
        StreamValue[] streams = new StreamValue[nk];
        StreamId[] from = new StreamId[nk];          // exclusive lower bound; null = '>'
        ConsumerGroup[] groups = new ConsumerGroup[nk];
        for (int k = 0; k < nk; k++) {
            byte[] key = c.arg(streamsAt + k);
            byte[] idArg = c.arg(streamsAt + nk + k);
            StreamValue s = StreamArgs.lookup(c, key);
            streams[k] = s;
            if (group) {
                ConsumerGroup g = s == null ? null : s.group(groupName);
                if (g == null) {
                    throw CommandContext.error("NOGROUP No such key '" + new String(key, java.nio.charset.StandardCharsets.UTF_8)
                            + "' or consumer group '" + new String(groupName, java.nio.charset.StandardCharsets.UTF_8)
                            + "' in XREADGROUP with GROUP option");
                }
                groups[k] = g;
            }
            if (idArg.length == 1 && idArg[0] == '$') {
                if (group) throw CommandContext.error("ERR The $ ID is meaningless in the context of XREADGROUP");
                from[k] = s == null ? StreamId.MIN : s.lastId();
            } else if (idArg.length == 1 && idArg[0] == '>') {
                if (!group) {
                    throw CommandContext.error("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.");
                }
                from[k] = null;
            } else {
                from[k] = StreamArgs.parseId(idArg, 0, false, null);
            }
        }
        if (group) {
            GroupCommands.serveGroup(c, streamsAt, nk, streams, groups, from, groupName, consumerName, count, noack, blockMs);
            return;
        }
        // RESP2 array of [key, entries]; RESP3 map key → entries
        List<Integer> ready = new ArrayList<>();
        List<List<Object[]>> data = new ArrayList<>();
        for (int k = 0; k < nk; k++) {
            StreamValue s = streams[k];
            if (s == null || s.length() == 0) continue;
            StreamId start = from[k].next();
            if (start == null || s.lastId().compareTo(from[k]) <= 0) continue;
            List<Object[]> got = collect(s, start, StreamId.MAX, count, false);
            if (got.isEmpty()) continue;
            ready.add(k);
            data.add(got);
        }
        if (ready.isEmpty()) {
            if (blockMs >= 0) {
                // wait for new entries; '$' is pinned to the last id seen now, so the re-run
                // after a write returns exactly the entries added since
                byte[][] rerun = c.argv().clone();
                for (int k = 0; k < nk; k++) rerun[streamsAt + nk + k] = from[k].toBytes();
                c.block(java.util.Arrays.copyOfRange(c.argv(), streamsAt, streamsAt + nk), blockMs, RespWriter::nullArray, rerun);
                return;
            }
            c.out().nullArray();
            return;
        }
        RespWriter out = c.out();
        boolean resp3 = out.protocol() == 3;
        if (resp3) out.mapHeader(ready.size()); else out.arrayHeader(ready.size());
        for (int r = 0; r < ready.size(); r++) {
            if (!resp3) out.arrayHeader(2);
            out.bulk(c.arg(streamsAt + ready.get(r)));
            out.arrayHeader(data.get(r).size());
            for (Object[] e : data.get(r)) StreamArgs.entry(out, (StreamId) e[0], (byte[]) e[1]);
        }
    }
}
