package io.jkevy.engine.pubsub;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.Session;
import io.jkevy.engine.util.Glob;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Channels, patterns and shard channels mapped to their subscriber sessions. Thread-safe:
 * publishers run on any thread. Each name maps to an immutable array of sessions, replaced
 * on (un)subscribe, so a publish reads a consistent set without locking the registry.
 *
 * <p>Order: a publish to a channel holds that channel's lock (one of 64 by hash) while it
 * hands the message to every subscriber's connection, so two publishers to one channel are
 * seen in the same order by all its subscribers. A message for the session that is running
 * the publishing command goes into that command's reply stream (before its reply, as Redis);
 * other sessions get it through {@link io.jkevy.engine.Connection#deliver}.
 */
public final class Hub {
    private final ConcurrentHashMap<Bytes, Session[]> channels = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Bytes, Session[]> patterns = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Bytes, Session[]> shards = new ConcurrentHashMap<>();
    private final Object[] locks = new Object[64];

    Hub() {
        for (int i = 0; i < locks.length; i++) locks[i] = new Object();
    }

    enum Kind { CHANNEL, PATTERN, SHARD }

    private ConcurrentHashMap<Bytes, Session[]> map(Kind k) {
        return switch (k) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD -> shards;
        };
    }

    void add(Kind kind, Bytes name, Session s) {
        map(kind).compute(name, (k, old) -> {
            if (old == null) return new Session[] {s};
            for (Session x : old) if (x == s) return old;
            Session[] n = Arrays.copyOf(old, old.length + 1);
            n[old.length] = s;
            return n;
        });
    }

    void remove(Kind kind, Bytes name, Session s) {
        map(kind).computeIfPresent(name, (k, old) -> {
            int i = 0;
            while (i < old.length && old[i] != s) i++;
            if (i == old.length) return old;
            if (old.length == 1) return null;
            Session[] n = new Session[old.length - 1];
            System.arraycopy(old, 0, n, 0, i);
            System.arraycopy(old, i + 1, n, i, old.length - i - 1);
            return n;
        });
    }

    /** True when nobody subscribed to any channel or pattern (notifications are skipped). */
    boolean idle() { return channels.isEmpty() && patterns.isEmpty(); }

    /**
     * PUBLISH: sends {@code message} to the subscribers of {@code channel} and of every
     * matching pattern; returns how many deliveries were made (a client matched twice counts
     * twice). {@code origin} is the running command (null for expiry and other server events).
     */
    public int publish(CommandContext origin, byte[] channel, byte[] message) {
        if (idle()) return 0;
        Bytes key = new Bytes(channel);
        int n = 0;
        synchronized (locks[key.hashCode() & (locks.length - 1)]) {
            Session[] subs = channels.get(key);
            if (subs != null) {
                byte[] f2 = null, f3 = null;
                for (Session s : subs) {
                    byte[] f;
                    if (s.protocol() == 3) f = f3 != null ? f3 : (f3 = Resp.frame(3, Resp.MESSAGE, channel, message));
                    else f = f2 != null ? f2 : (f2 = Resp.frame(2, Resp.MESSAGE, channel, message));
                    send(origin, s, f);
                    n++;
                }
            }
            if (!patterns.isEmpty()) {
                for (Map.Entry<Bytes, Session[]> e : patterns.entrySet()) {
                    byte[] pat = e.getKey().b();
                    if (!Glob.match(pat, channel, false)) continue;
                    byte[] f2 = null, f3 = null;
                    for (Session s : e.getValue()) {
                        byte[] f;
                        if (s.protocol() == 3) f = f3 != null ? f3 : (f3 = Resp.frame(3, Resp.PMESSAGE, pat, channel, message));
                        else f = f2 != null ? f2 : (f2 = Resp.frame(2, Resp.PMESSAGE, pat, channel, message));
                        send(origin, s, f);
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /** SPUBLISH: to the subscribers of shard channel {@code channel} (patterns do not apply). */
    public int spublish(CommandContext origin, byte[] channel, byte[] message) {
        if (shards.isEmpty()) return 0;
        Bytes key = new Bytes(channel);
        int n = 0;
        synchronized (locks[key.hashCode() & (locks.length - 1)]) {
            Session[] subs = shards.get(key);
            if (subs == null) return 0;
            byte[] f2 = null, f3 = null;
            for (Session s : subs) {
                byte[] f;
                if (s.protocol() == 3) f = f3 != null ? f3 : (f3 = Resp.frame(3, Resp.SMESSAGE, channel, message));
                else f = f2 != null ? f2 : (f2 = Resp.frame(2, Resp.SMESSAGE, channel, message));
                send(origin, s, f);
                n++;
            }
        }
        return n;
    }

    /**
     * Hands pre-encoded bytes to {@code target}: into the running command's reply stream when
     * the target is the session running it (inside EXEC too, as Redis), else through its
     * connection (any thread). A writer capturing a nested reply (a script's call) never gets
     * a push: then it takes the connection path.
     */
    static void send(CommandContext origin, Session target, byte[] frame) {
        if (origin != null && origin.session() == target && origin.outIsClientStream()) {
            origin.out().raw(frame);
            return;
        }
        target.connection().deliver(Unpooled.wrappedBuffer(frame));
    }

    /** Active channels (with at least one subscriber), optionally filtered by a glob. */
    List<byte[]> active(Kind kind, byte[] pattern) {
        List<byte[]> out = new ArrayList<>();
        for (Bytes b : map(kind).keySet()) if (pattern == null || Glob.match(pattern, b.b(), false)) out.add(b.b());
        return out;
    }

    int subscribers(Kind kind, byte[] channel) {
        Session[] s = map(kind).get(new Bytes(channel));
        return s == null ? 0 : s.length;
    }

    /** PUBSUB NUMPAT: distinct patterns subscribed by anyone (INFO pubsub_patterns). */
    public int patternCount() { return patterns.size(); }

    /** Channels with subscribers (INFO pubsub_channels). */
    public int channelCount() { return channels.size(); }

    /** Shard channels with subscribers (INFO pubsubshard_channels). */
    public int shardChannelCount() { return shards.size(); }
}
