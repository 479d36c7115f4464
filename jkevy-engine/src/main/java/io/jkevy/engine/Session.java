package io.jkevy.engine;

/**
 * The engine's view of one client: selected database, protocol, name and the state CLIENT
 * LIST reports. Touched only by the thread that serves the connection, except for the
 * fields other clients read for CLIENT LIST / KILL (volatile).
 */
public final class Session {
    /** CLIENT REPLY modes. */
    public enum ReplyMode { ON, OFF, SKIP }

    private final long id;
    private final Connection connection;
    private final long createdMillis;
    private volatile int db;
    private volatile int protocol = 2;
    private volatile String name = "";
    private volatile String libName = "";
    private volatile String libVersion = "";
    private long lastInteractionMillis;     // plain: written per command, read racily by CLIENT LIST
    private String lastCommand = "NULL";
    private volatile boolean closing;
    private volatile boolean noEvict;
    private volatile boolean noTouch;
    private volatile boolean monitor;
    private ReplyMode replyMode = ReplyMode.ON;
    private boolean skipNext;
    private final boolean internal;
    final CommandContext context;
    /** Set while the client waits in a blocking command; guarded by the stripe locks of its keys. */
    volatile Blocking.Waiter waiter;
    final SessionCounters counters;
    private final io.jkevy.engine.pubsub.ClientState pubsub = new io.jkevy.engine.pubsub.ClientState();
    int[] stripes = new int[8];
    /** Journal offset of this client's latest write (group commit holds its replies until it is durable). */
    long lastWriteOffset = -1;
    /** WAIT: the next offset at the time the client asked (kept while it is blocked). */
    public long waitTarget;
    private final io.jkevy.engine.tx.TxState tx = new io.jkevy.engine.tx.TxState();
    /** The ACL user the client is logged in as (null for internal sessions: full access). */
    private volatile io.jkevy.engine.acl.AclUser user;
    private volatile boolean authenticated = true;

    Session(long id, Connection connection, long nowMillis, Engine engine, boolean internal) {
        this.id = id;
        this.connection = connection;
        this.createdMillis = nowMillis;
        this.lastInteractionMillis = nowMillis;
        this.internal = internal;
        this.context = new CommandContext(engine, this);
        this.counters = new SessionCounters(engine.commands());
    }

    public long id() { return id; }

    /** The journal offset of this client's latest write, -1 before its first. */
    public long lastWriteOffset() { return lastWriteOffset; }

    /** Records a write this client made outside the dispatcher's commit (FLUSHALL). */
    public void noteWrite(long offset) { if (offset > lastWriteOffset) lastWriteOffset = offset; }

    public Connection connection() { return connection; }

    public long createdMillis() { return createdMillis; }

    public int db() { return db; }

    public void db(int d) { db = d; }

    public int protocol() { return protocol; }

    public void protocol(int p) { protocol = p; }

    public String name() { return name; }

    public void name(String n) { name = n; }

    public String libName() { return libName; }

    public void libName(String n) { libName = n; }

    public String libVersion() { return libVersion; }

    public void libVersion(String v) { libVersion = v; }

    public long lastInteractionMillis() { return lastInteractionMillis; }

    void lastInteraction(long now, String cmd) { lastInteractionMillis = now; lastCommand = cmd; }

    public String lastCommand() { return lastCommand; }

    public boolean closing() { return closing; }

    /** True while the client waits in a blocking command (BLPOP, ...): its next input waits too. */
    public boolean blocked() { return waiter != null; }

    /** Marks the session to be closed once its pending replies are written. */
    public void closeAfterReply() { closing = true; }

    /** CLIENT NO-EVICT: exempt from client eviction (flag 'e' in CLIENT LIST). */
    public boolean noEvict() { return noEvict; }

    public void noEvict(boolean on) { noEvict = on; }

    /** CLIENT NO-TOUCH: this client's commands leave keys' access time alone (flag 'T'). */
    public boolean noTouch() { return noTouch; }

    public void noTouch(boolean on) { noTouch = on; }

    /** In MONITOR mode (flag 'O' in CLIENT LIST); set by the engine's monitor list. */
    public boolean monitor() { return monitor; }

    public void monitor(boolean on) { monitor = on; }
    /** The ACL user of this client; null for internal sessions (journal replay, embedded), which may run anything. */
    public io.jkevy.engine.acl.AclUser user() { return user; }

    public void user(io.jkevy.engine.acl.AclUser u) { user = u; }

    /** Whether the client has authenticated (or needed not: the default user had no password when it connected). */
    public boolean authenticated() { return authenticated; }

    public void authenticated(boolean on) { authenticated = on; }

    public ReplyMode replyMode() { return replyMode; }

    public void replyMode(ReplyMode m) { replyMode = m; skipNext = m == ReplyMode.SKIP; }

    /** MULTI/EXEC and WATCH state (io.jkevy.engine.tx). */
    public io.jkevy.engine.tx.TxState tx() { return tx; }

    /** Subscriptions and client-tracking state (io.jkevy.engine.pubsub). */
    public io.jkevy.engine.pubsub.ClientState pubsubState() { return pubsub; }

    /**
     * True while the client has any channel, pattern or shard-channel subscription: the
     * client is then a pub/sub client for output-buffer limits (client-output-buffer-limit
     * pubsub) and shows flag 'P' in CLIENT LIST.
     */
    public boolean pubsubMode() { return pubsub.subscribed(); }

    /** True for sessions that are not a client connection (journal replay, embedded calls). */
    public boolean internal() { return internal; }

    /** How the reply of the command about to run is suppressed, advancing SKIP. */
    int consumeReplySuppressed() {
        if (replyMode == ReplyMode.ON) return SUPPRESS_NONE;
        if (replyMode == ReplyMode.OFF) return SUPPRESS_OFF;
        if (skipNext) { skipNext = false; return SUPPRESS_SKIP; }
        replyMode = ReplyMode.ON;
        return SUPPRESS_NONE;
    }

    static final int SUPPRESS_NONE = 0, SUPPRESS_OFF = 1, SUPPRESS_SKIP = 2;

    /**
     * Whether the reply just written is discarded: always for the command a SKIP covers (as
     * Redis, even RESET's), and under OFF unless the command itself turned replies back on
     * (CLIENT REPLY ON, RESET).
     */
    boolean discardReply(int suppression) {
        return suppression == SUPPRESS_SKIP || (suppression == SUPPRESS_OFF && replyMode == ReplyMode.OFF);
    }
}
