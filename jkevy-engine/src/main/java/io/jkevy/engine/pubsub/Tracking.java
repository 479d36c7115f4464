package io.jkevy.engine.pubsub;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.Engine;
import io.jkevy.engine.Session;
import io.jkevy.engine.command.CommandFlags;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.resp.RespWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Server-assisted client-side caching (CLIENT TRACKING). Default mode remembers, per key
 * name, the clients that read it with a read-only command; the first write to the key sends
 * them one invalidation and forgets them. BCAST mode instead invalidates every write to a key
 * under one of the client's prefixes. Keys are tracked by name only (not per database), as
 * Redis does.
 *
 * <p>Invalidations go to the client itself as a RESP3 push {@code ["invalidate", [key]]}, or
 * to its REDIRECT client: a RESP3 push again, or for a RESP2 client in pub/sub mode a message
 * on {@code __redis__:invalidate}. A client's own write is invalidated after its reply (the
 * dispatcher calls {@link #flushSelf}); NOLOOP skips it. Reads are recorded and writes
 * invalidated while the key's stripe lock is held, so no write slips between a read and its
 * registration.
 */
public final class Tracking {
    private final Engine engine;
    /** Key name -> the clients that may cache it (default mode). */
    private final ConcurrentHashMap<Bytes, Readers> keys = new ConcurrentHashMap<>();
    /** tracking-table-max-keys: above it, keys are dropped from the table (and invalidated); 0 = no limit. */
    private volatile long maxKeys = 1_000_000;

    /**
     * The clients that read one key. Taken out of the table by a write (under the key's
     * stripe lock) or by the table limit (under no stripe lock): once taken it is dead, and a
     * reader that finds it dead registers in a fresh one, so no registration is lost.
     */
    private static final class Readers {
        private final java.util.HashSet<Long> ids = new java.util.HashSet<>(2);
        private boolean dead;

        synchronized boolean add(long id) {
            if (dead) return false;
            ids.add(id);
            return true;
        }

        synchronized long[] take() {
            dead = true;
            long[] out = new long[ids.size()];
            int i = 0;
            for (long id : ids) out[i++] = id;
            return out;
        }

        synchronized int size() { return ids.size(); }
    }
    /** BCAST prefix -> ids of the clients registered for it. */
    private final ConcurrentHashMap<Bytes, Set<Long>> prefixes = new ConcurrentHashMap<>();
    private final AtomicInteger clients = new AtomicInteger();

    Tracking(Engine engine) {
        this.engine = engine;
        engine.config().intEntry("tracking-table-max-keys", 1_000_000, 0, Long.MAX_VALUE, v -> maxKeys = v);
    }

    /** Clients with tracking on (INFO tracking_clients). */
    public int clients() { return clients.get(); }

    /** Keys in the tracking table (INFO tracking_total_keys). */
    public int trackedKeys() { return keys.size(); }

    /** Client ids over all tracked keys (INFO tracking_total_items). */
    public long trackedItems() {
        long n = 0;
        for (Readers r : keys.values()) n += r.size();
        return n;
    }

    /** BCAST prefixes registered (INFO tracking_total_prefixes). */
    public int prefixCount() { return prefixes.size(); }

    boolean active() { return clients.get() > 0; }

    // ---- CLIENT TRACKING / CACHING / TRACKINGINFO / GETREDIR ----------------------------

    private static final String PREFIX_NEEDS_BCAST = "ERR PREFIX option requires BCAST mode to be enabled";
    private static final String BCAST_SWITCH = "ERR You can't switch BCAST mode on/off before disabling tracking for this "
            + "client, and then re-enabling it with a different mode.";
    private static final String OPT_BCAST = "ERR OPTIN and OPTOUT are not compatible with BCAST";
    private static final String OPT_BOTH = "ERR You can't specify both OPTIN mode and OPTOUT mode";
    private static final String OPT_SWITCH = "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this "
            + "client, and then re-enabling it with a different mode.";
    private static final String NO_REDIR_CLIENT = "ERR The client ID you want redirect to does not exist";
    private static final String ONE_REDIR = "ERR A client can only redirect to a single other client";

    /** CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p]... [BCAST] [OPTIN] [OPTOUT] [NOLOOP]. */
    public static void trackingCommand(CommandContext c) { c.engine().pubsub().tracking().tracking(c); }

    private void tracking(CommandContext c) {
        Session s = c.session();
        boolean bcast = false, optin = false, optout = false, noloop = false;
        long redir = 0;
        List<byte[]> newPrefixes = new ArrayList<>();
        for (int j = 3; j < c.argc(); j++) {
            boolean more = c.argc() - 1 > j;
            if (c.argIs(j, "redirect") && more) {
                j++;
                if (redir != 0) throw CommandContext.error(ONE_REDIR);
                redir = c.longArg(j);
                if (engine.session(redir) == null) throw CommandContext.error(NO_REDIR_CLIENT);
            } else if (c.argIs(j, "bcast")) {
                bcast = true;
            } else if (c.argIs(j, "optin")) {
                optin = true;
            } else if (c.argIs(j, "optout")) {
                optout = true;
            } else if (c.argIs(j, "noloop")) {
                noloop = true;
            } else if (c.argIs(j, "prefix") && more) {
                j++;
                newPrefixes.add(c.arg(j));
            } else {
                throw c.syntax();
            }
        }
        ClientState st = s.pubsubState();
        if (c.argIs(2, "on")) {
            if (!bcast && !newPrefixes.isEmpty()) throw CommandContext.error(PREFIX_NEEDS_BCAST);
            if (st.tracking && st.bcast != bcast) throw CommandContext.error(BCAST_SWITCH);
            if (bcast && (optin || optout)) throw CommandContext.error(OPT_BCAST);
            if (optin && optout) throw CommandContext.error(OPT_BOTH);
            if ((optin && st.tracking && st.optout) || (optout && st.tracking && st.optin)) throw CommandContext.error(OPT_SWITCH);
            if (bcast) checkPrefixes(st, newPrefixes);
            enable(s, redir, bcast, optin, optout, noloop, newPrefixes);
        } else if (c.argIs(2, "off")) {
            disable(s);
        } else {
            throw c.syntax();
        }
        c.out().ok();
    }

    private static void checkPrefixes(ClientState st, List<byte[]> given) {
        List<byte[]> existing;
        synchronized (st) { existing = st.tracking ? new ArrayList<>(st.prefixes) : List.of(); }
        for (int i = 0; i < given.size(); i++) {
            byte[] p = given.get(i);
            for (byte[] old : existing) {
                if (overlap(p, old)) {
                    throw CommandContext.error("ERR Prefix '" + text(p) + "' overlaps with an existing prefix '" + text(old)
                            + "'. Prefixes for a single client must not overlap.");
                }
            }
            for (int j = i + 1; j < given.size(); j++) {
                if (overlap(p, given.get(j))) {
                    throw CommandContext.error("ERR Prefix '" + text(p) + "' overlaps with another provided prefix '"
                            + text(given.get(j)) + "'. Prefixes for a single client must not overlap.");
                }
            }
        }
    }

    private static boolean overlap(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        return java.util.Arrays.equals(a, 0, n, b, 0, n);
    }

    private static String text(byte[] b) { return new String(b, StandardCharsets.UTF_8); }

    private void enable(Session s, long redir, boolean bcast, boolean optin, boolean optout, boolean noloop, List<byte[]> ps) {
        ClientState st = s.pubsubState();
        synchronized (st) {
            // a session closed meanwhile (CLIENT KILL from another thread) stays off
            if (!s.internal() && engine.session(s.id()) == null) return;
            if (!st.tracking) clients.incrementAndGet();
            st.redirect = redir;
            st.redirectBroken = false;
            st.bcast = bcast;
            st.optin = optin;
            st.optout = optout;
            st.noloop = noloop;
            st.cachingArmed = false;
            if (bcast) {
                if (ps.isEmpty()) ps = List.of(new byte[0]);
                for (byte[] p : ps) {
                    Bytes b = new Bytes(p);
                    boolean known = false;
                    for (byte[] old : st.prefixes) known |= java.util.Arrays.equals(old, p);
                    if (!known) st.prefixes.add(p);
                    prefixes.computeIfAbsent(b, k -> ConcurrentHashMap.newKeySet()).add(s.id());
                }
            }
            st.tracking = true;
        }
    }

    /** Tracking off (CLIENT TRACKING OFF, RESET, disconnect). */
    void disable(Session s) {
        ClientState st = s.pubsubState();
        synchronized (st) {
            if (!st.tracking) return;
            st.tracking = false;
            clients.decrementAndGet();
            for (byte[] p : st.prefixes) {
                prefixes.computeIfPresent(new Bytes(p), (k, ids) -> {
                    ids.remove(s.id());
                    return ids.isEmpty() ? null : ids;
                });
            }
            st.prefixes.clear();
            st.bcast = st.optin = st.optout = st.noloop = false;
            st.redirect = 0;
            st.redirectBroken = false;
            st.cachingArmed = false;
        }
    }

    private static final String CACHING_MODE = "ERR CLIENT CACHING can be called only when the client is in tracking mode "
            + "with OPTIN or OPTOUT mode enabled";

    /** CLIENT CACHING YES|NO: for the next command only (OPTIN: track it; OPTOUT: do not). */
    public static void cachingCommand(CommandContext c) {
        ClientState st = c.session().pubsubState();
        if (!st.tracking || !(st.optin || st.optout)) throw CommandContext.error(CACHING_MODE);
        if (c.argIs(2, "yes")) {
            if (!st.optin) throw CommandContext.error("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
            st.caching = true;
        } else if (c.argIs(2, "no")) {
            if (!st.optout) throw CommandContext.error("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
            st.caching = false;
        } else {
            throw c.syntax();
        }
        st.cachingArmed = true;
        c.out().ok();
    }

    public static void trackingInfoCommand(CommandContext c) {
        ClientState st = c.session().pubsubState();
        List<String> flags = new ArrayList<>();
        if (!st.tracking) {
            flags.add("off");
        } else {
            flags.add("on");
            if (st.bcast) flags.add("bcast");
            if (st.optin) flags.add("optin");
            if (st.optout) flags.add("optout");
            if (st.cachingArmed && st.optin && st.caching) flags.add("caching-yes");
            if (st.cachingArmed && st.optout && !st.caching) flags.add("caching-no");
            if (st.noloop) flags.add("noloop");
            if (st.redirectBroken) flags.add("broken_redirect");
        }
        RespWriter out = c.out();
        out.mapHeader(3);
        out.bulk("flags");
        out.setHeader(flags.size());
        for (String f : flags) out.bulk(f);
        out.bulk("redirect");
        out.integer(st.redirectField());
        out.bulk("prefixes");
        List<byte[]> ps;
        synchronized (st) { ps = new ArrayList<>(st.prefixes); }
        out.arrayHeader(ps.size());
        for (byte[] p : ps) out.bulk(p);
    }

    public static void getredirCommand(CommandContext c) { c.out().integer(c.session().pubsubState().redirectField()); }

    // ---- reads and writes -------------------------------------------------------------

    /**
     * After a command of a tracking client (stripe locks still held): remember the keys of a
     * read-only command, and retire a CLIENT CACHING hint once the command it was for ran.
     */
    void afterCommand(CommandContext c) {
        ClientState st = c.session().pubsubState();
        if (!st.tracking) return;
        CommandSpec spec = c.spec();
        if (!st.bcast && spec.has(CommandFlags.READONLY)) {
            boolean track = st.optin ? st.cachingArmed && st.caching
                    : !st.optout || !(st.cachingArmed && !st.caching);
            if (track) {
                long id = c.session().id();
                KeyArgs.forEach(spec, c.argv(), key -> remember(new Bytes(key), id));
                long max = maxKeys;
                if (max > 0 && keys.size() > max) shrink(c, max);
            }
        }
        // as Redis: the hint lasts until a command other than CLIENT ran outside MULTI (so it
        // covers every command of a transaction, up to its EXEC)
        boolean clientCommand = spec.parent() != null && spec.parent().name().equals("client");
        if (!clientCommand && !c.inAtomicUnit() && !c.session().tx().inMulti()) st.cachingArmed = false;
    }

    private void remember(Bytes key, long id) {
        while (true) {
            Readers r = keys.computeIfAbsent(key, k -> new Readers());
            if (r.add(id)) return;
            keys.remove(key, r);      // taken meanwhile: start a fresh entry
        }
    }

    /**
     * tracking-table-max-keys: drops arbitrary keys until the table fits, invalidating them
     * for their readers (as Redis does), so their caches stay correct.
     */
    private void shrink(CommandContext origin, long max) {
        var it = keys.keySet().iterator();
        while (keys.size() > max && it.hasNext()) {
            Bytes k = it.next();
            Readers r = keys.remove(k);
            if (r != null) invalidateReaders(origin, k.b(), r.take(), false);
        }
    }

    /** {@code key} was written (origin = the writing command, null for expiry/eviction). */
    void keyWritten(CommandContext origin, byte[] key) {
        Bytes k = new Bytes(key);
        Readers readers = keys.remove(k);
        Session self = origin == null ? null : origin.session();
        if (readers != null) invalidateReaders(origin, key, readers.take(), true);
        if (!prefixes.isEmpty()) {
            for (Map.Entry<Bytes, Set<Long>> e : prefixes.entrySet()) {
                if (!k.startsWith(e.getKey().b())) continue;
                for (long id : e.getValue()) {
                    Session t = engine.session(id);
                    if (t == null) continue;
                    ClientState st = t.pubsubState();
                    if (!st.tracking || (st.noloop && t == self)) continue;
                    invalidate(origin, t, new byte[][] {key});
                }
            }
        }
    }

    /** One invalidation of {@code key} per default-mode reader; NOLOOP spares the writer itself. */
    private void invalidateReaders(CommandContext origin, byte[] key, long[] ids, boolean write) {
        Session self = write && origin != null ? origin.session() : null;
        for (long id : ids) {
            Session t = engine.session(id);
            if (t == null) continue;
            ClientState st = t.pubsubState();
            if (!st.tracking || st.bcast || (st.noloop && t == self)) continue;
            invalidate(origin, t, new byte[][] {key});
        }
    }

    /** FLUSHDB/FLUSHALL: every tracking client gets a null invalidation ("drop everything"). */
    void flushed(CommandContext origin) {
        if (!active()) return;
        for (Session t : engine.sessions()) {
            if (t.pubsubState().tracking) invalidate(origin, t, null);
        }
        keys.clear();
    }

    /** Sends one invalidation for tracking client {@code t} to wherever its messages go. */
    private void invalidate(CommandContext origin, Session t, byte[][] ks) {
        ClientState st = t.pubsubState();
        Session target = t;
        long redir = st.redirect;
        if (redir != 0) {
            target = engine.session(redir);
            if (target == null) {
                // as Redis: flag the client and tell it (RESP3) on every invalidation it misses
                st.redirectBroken = true;
                if (t.protocol() == 3) deliver(origin, t, Resp.redirBroken(redir));
                return;
            }
        }
        int proto = target.protocol();
        if (proto != 3 && !(redir != 0 && target.pubsubState().subscribed())) return;
        deliver(origin, target, Resp.invalidate(proto, ks));
    }

    /** Own invalidations wait until the command's reply is written (see {@link #flushSelf}). */
    private static void deliver(CommandContext origin, Session target, byte[] frame) {
        if (origin != null && origin.session() == target) {
            ClientState st = target.pubsubState();
            if (st.selfInvalidations == null) st.selfInvalidations = new ArrayList<>(2);
            st.selfInvalidations.add(frame);
        } else {
            Hub.send(null, target, frame);
        }
    }

    /** Writes the running command's own invalidations after its reply. */
    static void flushSelf(CommandContext c) {
        ClientState st = c.session().pubsubState();
        List<byte[]> pending = st.selfInvalidations;
        if (pending == null || pending.isEmpty()) return;
        RespWriter out = c.out();
        for (byte[] f : pending) {
            if (out != null) out.raw(f); else c.session().connection().deliver(io.netty.buffer.Unpooled.wrappedBuffer(f));
        }
        pending.clear();
    }
}
