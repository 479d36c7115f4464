package io.jkevy.engine.pubsub;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.Engine;
import io.jkevy.engine.Session;
import io.jkevy.engine.command.CommandSpec;

/**
 * The engine's pub/sub side, one per {@link Engine}: the channel {@link Hub}, keyspace
 * notifications ({@link KeyspaceEvents}) and client-side caching ({@link Tracking}). The
 * dispatcher calls the hooks below; everything else lives in this package.
 */
public final class PubSub {
    private final Engine engine;
    private final Hub hub = new Hub();
    private final KeyspaceEvents events = new KeyspaceEvents(hub);
    private final Tracking tracking;

    public PubSub(Engine engine) {
        this.engine = engine;
        this.tracking = new Tracking(engine);
        engine.config().register(events.configEntry());
        PubSubCommands.register(engine.commands(), this);
    }

    public Hub hub() { return hub; }

    public Tracking tracking() { return tracking; }

    // ---- subscribed mode (RESP2) ------------------------------------------------------

    /**
     * The error for a command a RESP2 client in subscribed mode may not run, else null: only
     * (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET are allowed there.
     */
    public static String subscribedModeError(Session s, CommandSpec spec) {
        if (!s.pubsubState().subscribed() || s.protocol() != 2) return null;
        switch (spec.name()) {
            case "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe", "ping", "quit", "reset":
                return null;
            default:
                return "ERR Can't execute '" + spec.name()
                        + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context";
        }
    }

    // ---- dispatcher hooks ---------------------------------------------------------------

    /** A key the running command wrote (CommandContext.touched), stripe lock held. */
    public void touched(CommandContext c, int db, byte[] key) {
        if (events.enabled()) events.touched(c, db, key);
        if (tracking.active()) tracking.keyWritten(c, key);
    }

    /**
     * After a command body (stripe locks held): keymiss events, tracking of the keys it
     * read, then the caller's own invalidations, which follow its reply.
     */
    public void afterCommand(CommandContext c) {
        // inside a unit (FLUSHALL's early commit in EXEC) the nested hook already ran, and the
        // writer may be capturing a nested reply; a unit's final commit may carry no command
        if (c.inAtomicUnit() || c.spec() == null || c.argv() == null) return;
        afterNested(c);
        Tracking.flushSelf(c);
    }

    /** After a command inside EXEC or a script: tracking of the keys it read. */
    public void afterNested(CommandContext c) {
        if (c.spec() == null || c.argv() == null) return;
        if (events.enabled()) events.afterCommand(c);
        if (tracking.active()) tracking.afterCommand(c);
    }

    /** A key removed because its TTL passed (called with its stripe lock held). */
    public void expired(int db, byte[] key) {
        events.expired(db, key);
        if (tracking.active()) tracking.keyWritten(null, key);
    }

    /** For the eviction code: a key removed by maxmemory eviction (its stripe lock held). */
    public void evicted(int db, byte[] key) {
        events.evicted(db, key);
        if (tracking.active()) tracking.keyWritten(null, key);
    }

    /** FLUSHDB / FLUSHALL ran ({@code c} is the flushing command). */
    public void flushed(CommandContext c) { tracking.flushed(c); }

    /** RESET or disconnect: drop every subscription and turn tracking off. */
    public void clear(Session s) {
        ClientState st = s.pubsubState();
        synchronized (st) {
            for (Bytes b : st.channels) hub.remove(Hub.Kind.CHANNEL, b, s);
            for (Bytes b : st.patterns) hub.remove(Hub.Kind.PATTERN, b, s);
            for (Bytes b : st.shardChannels) hub.remove(Hub.Kind.SHARD, b, s);
            st.channels.clear();
            st.patterns.clear();
            st.shardChannels.clear();
            st.counts();
        }
        tracking.disable(s);
    }

    /** A closed session must not subscribe again (CLIENT KILL races its own commands). */
    boolean closed(Session s) { return engine.session(s.id()) == null && !s.internal(); }

    /** Disconnect: as {@link #clear}. */
    public void sessionClosed(Session s) { clear(s); }
}
