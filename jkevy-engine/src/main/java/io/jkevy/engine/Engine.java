package io.jkevy.engine;

import io.jkevy.engine.command.BitCommands;
import io.jkevy.engine.command.CommandFlags;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.command.CommandTable;
import io.jkevy.engine.command.ConnectionCommands;
import io.jkevy.engine.command.Errors;
import io.jkevy.engine.command.GeoCommands;
import io.jkevy.engine.command.HashCommands;
import io.jkevy.engine.command.HyperLogLogCommands;
import io.jkevy.engine.command.KeyCommands;
import io.jkevy.engine.command.ListCommands;
import io.jkevy.engine.command.SetCommands;
import io.jkevy.engine.command.SortedSetCommands;
import io.jkevy.engine.command.StreamCommands;
import io.jkevy.engine.command.ServerCommands;
import io.jkevy.engine.command.StringCommands;
import io.jkevy.engine.config.Config;
import io.jkevy.engine.config.ConfigException;
import io.jkevy.engine.tx.TxCommands;
import io.jkevy.engine.tx.WatchRegistry;
import io.jkevy.journal.Journal;
import io.jkevy.resp.RespLimits;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.Clock;
import io.jkevy.store.Keyspace;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine: keyspace, journal, command table, configuration and clients, and
 * {@link #execute} — the write path of ARCHITECTURE.md from command lookup to journal
 * append. Thread-safe: any number of threads may execute commands for their own sessions.
 */
public final class Engine {
    private static final Logger log = LoggerFactory.getLogger(Engine.class);
    public static final String VERSION = "0.1.0";
    /** The Redis version whose behaviour jkevy matches (INFO redis_version, HELLO). */
    public static final String REDIS_VERSION = "7.0.15";

    private final Clock clock;
    private final Keyspace keyspace;
    private final Journal journal;
    private final CommandTable commands = new CommandTable();
    private final Config config = new Config();
    private final Stats stats;
    private final RespLimits limits = new RespLimits();
    private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicLong nextClientId = new AtomicLong(1);
    private final SecureRandom random = new SecureRandom();
    private final String runId;
    private volatile Host host = Host.NONE;
    private final WatchRegistry watches = new WatchRegistry();
    private final io.jkevy.engine.ops.Ops ops;
    private final io.jkevy.engine.acl.Acl acl;
    private final io.jkevy.engine.memory.MemoryManager memory;
    private final io.jkevy.engine.pubsub.PubSub pubsub;
    /** Non-null while a script runs past busy-reply-threshold: other commands (not allow_busy) get it as their reply. */
    private volatile String busyError;
    private io.jkevy.engine.script.Scripting scripting;

    // settings read on hot paths, written by config apply hooks
    volatile int maxClients;
    volatile long timeoutSeconds;
    volatile int hz;
    volatile boolean activeExpire = true;
    volatile long pauseUntilMillis;
    private volatile boolean loading;
    private volatile boolean started;
    private volatile io.jkevy.engine.persist.Durability durability;
    private volatile WriteHook writeHook;

    /** Called before every write command's body with its stripe locks held (a snapshot in progress). */
    public interface WriteHook {
        void beforeWrite(Engine engine, CommandSpec spec, byte[][] argv);
    }

    private final List<WriteHook> writeHooks = new java.util.ArrayList<>();

    /** Adds a hook that sees every write before it happens (several snapshots may run at once). */
    public synchronized void addWriteHook(WriteHook h) {
        writeHooks.add(h);
        installHooks();
    }

    public synchronized void removeWriteHook(WriteHook h) {
        writeHooks.remove(h);
        installHooks();
    }

    private void installHooks() {
        WriteHook[] all = writeHooks.toArray(new WriteHook[0]);
        writeHook = all.length == 0 ? null : all.length == 1 ? all[0] : (e, spec, argv) -> {
            for (WriteHook h : all) h.beforeWrite(e, spec, argv);
        };
    }

    private volatile io.jkevy.engine.repl.ReplicationControl replication;

    /** The node's replication role and gates; null while replication is dormant (standalone). */
    public io.jkevy.engine.repl.ReplicationControl replication() { return replication; }

    public void replication(io.jkevy.engine.repl.ReplicationControl r) { replication = r; }
    volatile boolean pauseWritesOnly;

    /** Builds an engine; {@code settings} (file/CLI keys) are applied on top of the defaults. */
    public static Engine create(Map<String, String> settings, Clock clock) throws ConfigException {
        return create(settings, clock, cfg -> { });
    }

    /**
     * Like {@link #create(Map, Clock)}, letting the owner register its own keys (the server's
     * listener settings, say) before the settings are applied, so one file and one CONFIG
     * surface cover every component. Keys already registered by the engine are skipped.
     */
    public static Engine create(Map<String, String> settings, Clock clock,
                                java.util.function.Consumer<Config> extraKeys) throws ConfigException {
        int databases = parseIntSetting(settings, "databases", 16, 1, 1 << 20);
        int stripes = parseIntSetting(settings, "lock-stripes", 16, 1, 256);
        if (Integer.bitCount(stripes) != 1) throw new ConfigException("lock-stripes must be a power of two");
        Engine e = new Engine(databases, stripes, clock);
        extraKeys.accept(e.config);
        for (Map.Entry<String, String> s : settings.entrySet()) {
            String k = s.getKey();
            if (k.equals("databases") || k.equals("lock-stripes")) continue;
            try {
                e.config.set(k, s.getValue());
            } catch (ConfigException ex) {
                throw new ConfigException("'" + k + "': " + ex.getMessage());
            }
        }
        e.acl.loadAtStartup();
        return e;
    }

    private static int parseIntSetting(Map<String, String> s, String k, int def, int min, int max) throws ConfigException {
        String v = s.get(k);
        if (v == null) return def;
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) throw new ConfigException("'" + k + "' must be between " + min + " and " + max);
            return n;
        } catch (NumberFormatException ex) {
            throw new ConfigException("'" + k + "' is not an integer: " + v);
        }
    }

    public Engine(int databases, int stripes, Clock clock) {
        this.clock = clock;
        this.stats = new Stats(clock.millis());
        this.keyspace = new Keyspace(databases, stripes, clock);
        this.runId = randomHex(40);
        this.journal = new Journal(newGeneration(), 1, 1024 * 1024);
        keyspace.expiryListener((db, key) -> {
            stats.expiredKeys.increment();
            journal.append(db, new byte[][] {DEL, key});
            pubsub().expired(db, key);
        });
        registerCoreConfig(databases);
        ops = new io.jkevy.engine.ops.Ops(this, commands);
        memory = new io.jkevy.engine.memory.MemoryManager(this);
        pubsub = new io.jkevy.engine.pubsub.PubSub(this);
        memory.evictionListener((db, key) -> pubsub.evicted(db, key));   // "evicted" events and tracking invalidations
        StringCommands.register(commands);
        BitCommands.register(commands);
        KeyCommands.register(commands);
        HashCommands.register(commands);
        ListCommands.register(commands);
        SetCommands.register(commands);
        SortedSetCommands.register(commands);
        StreamCommands.register(commands);
        HyperLogLogCommands.register(commands);
        GeoCommands.register(commands);
        ConnectionCommands.register(commands);
        io.jkevy.engine.command.feed.FeedCommands.register(commands);
        io.jkevy.engine.command.feed.VersionCommands.register(commands);
        TxCommands.register(commands);
        io.jkevy.engine.repl.ReplCommands.register(commands);
        io.jkevy.engine.persist.PersistCommands.register(commands);
        scripting = io.jkevy.engine.script.ScriptCommands.register(commands, this);   // before the passive config defaults
        ServerCommands.register(commands, this);
        io.jkevy.engine.acl.AclCommands.register(commands);
        // last: the default user's +@all covers every command registered above
        acl = new io.jkevy.engine.acl.Acl(this);
        acl.registerConfig(config);
    }

    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);

    private void registerCoreConfig(int databases) {
        config.intEntry("databases", databases, databases, databases);
        config.intEntry("maxclients", 10000, 1, 1_000_000, v -> maxClients = (int) v);
        config.intEntry("timeout", 0, 0, Integer.MAX_VALUE, v -> timeoutSeconds = v);
        config.intEntry("hz", 10, 1, 500, v -> hz = (int) v);
        config.memoryEntry("proto-max-bulk-len", 512L * 1024 * 1024, 1024 * 1024, Long.MAX_VALUE, limits::maxBulkLen);
        config.memoryEntry("repl-backlog-size", 1024 * 1024, 16 * 1024, Long.MAX_VALUE, v -> {
            if (journal != null) journal.backlogBudget(v);
        });
    }

    // ---- accessors ---------------------------------------------------------------------

    public Keyspace keyspace() { return keyspace; }

    public Journal journal() { return journal; }

    public CommandTable commands() { return commands; }

    public Config config() { return config; }

    public Stats stats() { return stats; }

    /** Memory accounting, maxmemory and eviction. */
    public io.jkevy.engine.memory.MemoryManager memory() { return memory; }

    public Clock clock() { return clock; }

    public RespLimits limits() { return limits; }

    /** Slow log, latency monitor, MONITOR, client buffer limits. */
    public io.jkevy.engine.ops.Ops ops() { return ops; }

    public String runId() { return runId; }

    public Host host() { return host; }

    /** Every session's WATCHed keys (io.jkevy.engine.tx). */
    public WatchRegistry watches() { return watches; }
    /** Users, authentication and permission checks. */
    public io.jkevy.engine.acl.Acl acl() { return acl; }

    /** Pub/sub hub, keyspace notifications and client tracking. */
    public io.jkevy.engine.pubsub.PubSub pubsub() { return pubsub; }

    public void host(Host h) { host = h; }

    /** Scripting (EVAL, FUNCTION): sets or clears (null) the -BUSY reply other clients get. */
    public void busyError(String error) { busyError = error; }

    public io.jkevy.engine.script.Scripting scripting() { return scripting; }

    public int hz() { return hz; }

    /** True while the dataset is being loaded: commands not flagged {@code loading} get -LOADING. */
    public boolean loading() { return loading; }

    public void loading(boolean on) { loading = on; }

    /** Set by the owner once booting (loading the data directory) is over: settings then act at run time. */
    public boolean started() { return started; }

    public void started(boolean on) { started = on; }

    /** The journal on disk, when persistence is on (null otherwise). */
    public io.jkevy.engine.persist.Durability durability() { return durability; }

    public void durability(io.jkevy.engine.persist.Durability d) { durability = d; }

    public long timeoutSeconds() { return timeoutSeconds; }

    public int maxClients() { return maxClients; }

    public boolean activeExpire() { return activeExpire; }

    public void activeExpire(boolean on) { activeExpire = on; }

    /** A random positive 63-bit generation (never a counter: see spec/replication.md). */
    public long newGeneration() {
        long g;
        do { g = random.nextLong() & Long.MAX_VALUE; } while (g == 0);
        return g;
    }

    public String randomHex(int chars) {
        StringBuilder sb = new StringBuilder(chars);
        for (int i = 0; i < chars; i++) sb.append(Character.forDigit(random.nextInt(16), 16));
        return sb.toString();
    }

    public int randomInt() { return random.nextInt(); }

    // ---- clients -----------------------------------------------------------------------

    /** Registers a client connection; null when {@code maxclients} is reached. */
    public Session openSession(Connection connection) {
        if (sessions.size() >= maxClients) {
            stats.rejectedConnections.increment();
            return null;
        }
        Session s = new Session(nextClientId.getAndIncrement(), connection, clock.millis(), this, false);
        acl.onConnect(s);
        sessions.put(s.id(), s);
        stats.connections.increment();
        return s;
    }

    /** A session that is not a network client (journal replay, embedded use, tests). */
    public Session internalSession() {
        return new Session(nextClientId.getAndIncrement(), Connection.NONE, clock.millis(), this, true);
    }

    /** An internal session whose blocked commands are answered through {@code c} (the embedded store). */
    public Session internalSession(Connection c) {
        return new Session(nextClientId.getAndIncrement(), c, clock.millis(), this, true);
    }

    /**
     * Runs {@code body} as one isolated unit for {@code s} (the embedded store's transactions):
     * every stripe lock held, commands inside via {@link #executeNested}, all their effects
     * journaled as one atomic group at the end, blocked clients served after.
     */
    public void runAtomic(Session s, Runnable body) {
        CommandContext c = s.context;
        List<Blocking.Key> ready = null;
        keyspace.lockAll();
        try {
            body.run();
        } finally {
            try {
                c.commit();
            } finally {
                if (!c.readyKeys.isEmpty()) {
                    ready = new java.util.ArrayList<>(c.readyKeys);
                    c.readyKeys.clear();
                }
                keyspace.unlockAll();
            }
        }
        if (ready != null) serveReady(ready);
    }

    public void closeSession(Session s) {
        sessions.remove(s.id());
        TxCommands.discard(this, s);
        ops.sessionClosed(s);
        pubsub.sessionClosed(s);
        Blocking.Waiter w = s.waiter;
        if (w != null) {
            // a blocked client that disconnects leaves nothing behind
            int n = lockKeys(w, s);
            try {
                blocking.remove(w);
                s.waiter = null;
            } finally {
                unlock(s.stripes, n);
            }
        }
    }

    public Collection<Session> sessions() { return sessions.values(); }

    public Session session(long id) { return sessions.get(id); }

    /** CLIENT PAUSE: until {@code untilMillis}, all commands (or only writes) wait. */
    public void pause(long untilMillis, boolean writesOnly) {
        pauseWritesOnly = writesOnly;
        pauseUntilMillis = untilMillis;
    }

    public void unpause() { pauseUntilMillis = 0; }

    /** Milliseconds the command must still wait because of CLIENT PAUSE (0 = run it now). */
    public long pausedFor(byte[][] argv) { return pausedFor(null, argv); }

    /**
     * As {@link #pausedFor(byte[][])} for a command of session {@code s}: an EXEC whose
     * queued commands write counts as a write (as in Redis), so CLIENT PAUSE WRITE holds it.
     */
    public long pausedFor(Session s, byte[][] argv) {
        long until = pauseUntilMillis;
        if (until == 0) return 0;
        long now = clock.millis();
        if (now >= until) return 0;
        CommandSpec spec = commands.lookup(argv[0]);
        if (spec == null) return 0;
        if (Args.is(argv[0], "client")) return 0;     // CLIENT UNPAUSE must get through
        if (pauseWritesOnly && !spec.has(CommandFlags.WRITE)
                && !(s != null && s.tx().queuedWrite() && Args.is(argv[0], "exec"))) return 0;
        return until - now;
    }

    // ---- the write path ----------------------------------------------------------------

    /**
     * Runs one command for {@code s} and writes its reply to {@code out}'s target. Lookup,
     * arity, then the body under the stripe locks of its keys, then the journal append of
     * its effects before the locks are released.
     */
    public void execute(Session s, byte[][] argv, RespWriter out) {
        final long now = clock.millis();
        CommandSpec spec = commands.lookup(argv[0]);
        ByteBuf buf = out.target();
        int mark = buf.writerIndex();
        int suppressed = s.consumeReplySuppressed();
        if (spec == null) {
            reject(out, Errors.unknownCommand(argv));
            s.tx().rejected();
        } else {
            if (!spec.subcommands().isEmpty()) spec = subcommand(spec, argv, out);
            if (spec == null) {
                s.tx().rejected();
            } else if (!spec.arityOk(argv.length)) {
                spec.rejectedCalls.increment();
                reject(out, Errors.wrongArity(spec.name()));
                s.tx().rejected();
            } else {
                s.lastInteraction(now, spec.name());
                String denied = acl.check(s, spec, argv, "toplevel", now);
                if (denied != null) {
                    spec.rejectedCalls.increment();
                    reject(out, denied);
                    s.tx().rejected();
                } else if (!memory.admit(spec.has(CommandFlags.DENYOOM))) {
                    spec.rejectedCalls.increment();     // over maxmemory, nothing evictable
                    reject(out, io.jkevy.engine.memory.MemoryManager.OOM);
                    s.tx().rejected();
                } else if ((denied = io.jkevy.engine.pubsub.PubSub.subscribedModeError(s, spec)) != null) {
                    reject(out, denied);      // RESP2 subscribed mode: after ACL, before LOADING and MULTI (Redis's order)
                    s.tx().rejected();
                } else if (loading && !spec.has(CommandFlags.LOADING)) {
                    reject(out, "LOADING jkevy is loading the dataset in memory");
                } else if (replication != null && (denied = replication.gate(s, spec, now)) != null) {
                    reject(out, denied);      // READONLY, STALE, NOREPLICAS (spec/replication.md)
                    s.tx().rejected();
                } else if (s.monitor() && ops.refuseFromMonitor(spec, out)) {
                    stats.errorReplies.increment();
                } else {
                    // checked before any stripe lock is taken: a busy script holds them all
                    String busy = busyError;
                    if (busy != null && !spec.has(CommandFlags.ALLOW_BUSY)) {
                        reject(out, busy);
                        s.tx().rejected();
                    } else {
                        // inside MULTI most commands are queued for EXEC instead of run
                        if (!s.tx().inMulti() || !TxCommands.intercept(this, s, spec, argv, out)) run(s, spec, argv, out, now);
                        if (ops.monitored()) ops.feedMonitors(s, spec, argv, out);
                    }
                }
            }
        }
        if (suppressed != Session.SUPPRESS_NONE && s.discardReply(suppressed)) buf.writerIndex(mark);
    }

    private CommandSpec subcommand(CommandSpec container, byte[][] argv, RespWriter out) {
        if (argv.length < 2) {
            if (container.handler() != null) return container;   // e.g. bare COMMAND
            container.rejectedCalls.increment();
            reject(out, Errors.wrongArity(container.name()));
            return null;
        }
        CommandSpec sub = CommandTable.lookupSub(container, argv[1]);
        if (sub == null) {
            if (container.handler() != null) return container;   // container handles unknown itself
            reject(out, Errors.unknownSubcommand(argv[1], container.name()));
            return null;
        }
        return sub;
    }

    private void reject(RespWriter out, String error) {
        stats.errorReplies.increment();
        out.error(error);
    }

    private void run(Session s, CommandSpec spec, byte[][] argv, RespWriter out, long now) {
        CommandContext c = s.context;
        c.begin(spec, argv, out, now);
        long t0 = System.nanoTime();
        int n = lock(spec, argv, s);
        List<Blocking.Key> ready = null;
        int db = s.db();
        long[] access = s.noTouch() ? io.jkevy.engine.ops.NoTouch.save(keyspace, db, spec, argv) : null;
        try {
            WriteHook hook = writeHook;
            if (hook != null && spec.has(CommandFlags.WRITE)) hook.beforeWrite(this, spec, argv);
            body(c, spec, out);
        } finally {
            try {
                c.commit();
            } finally {
                if (access != null) io.jkevy.engine.ops.NoTouch.restore(keyspace, db, spec, argv, access);
                // everything that reads the context happens before the locks go: once they are
                // released a writer may serve this session (if it blocked) with the same context
                if (!c.readyKeys.isEmpty()) {
                    ready = new java.util.ArrayList<>(c.readyKeys);
                    c.readyKeys.clear();
                }
                c.end();
                unlock(s.stripes, n);
            }
        }
        long micros = (System.nanoTime() - t0) / 1000;
        s.counters.called(spec, micros);
        ops.afterCommand(s, spec, argv, micros, now);
        if (ready != null) serveReady(ready);
    }

    /**
     * Runs one command inside an isolated unit (EXEC, a script) whose owner already holds
     * every stripe lock: lookup and arity as {@link #execute}, then the body with no locking
     * of its own. Its effects stay in the session's context and are journaled with the rest
     * of the unit as one atomic group when the owning command commits; a blocking command
     * does not block here (it answers as if its timeout had passed, as Redis does inside
     * MULTI and scripts). The owner's arguments, writer and time are restored afterwards;
     * the nested command sees the owner's time (a script's clock does not move).
     *
     * @return the spec that ran, or null when lookup or arity failed or a denyoom command
     *         met used memory over maxmemory (an error was written)
     */
    public CommandSpec executeNested(Session s, byte[][] argv, RespWriter out) {
        CommandContext c = s.context;
        CommandSpec spec = commands.lookup(argv[0]);
        if (spec == null) {
            reject(out, Errors.unknownCommand(argv));
            return null;
        }
        if (!spec.subcommands().isEmpty()) spec = subcommand(spec, argv, out);
        if (spec == null) return null;
        if (!spec.arityOk(argv.length)) {
            spec.rejectedCalls.increment();
            reject(out, Errors.wrongArity(spec.name()));
            return null;
        }
        if (spec.has(CommandFlags.NO_MULTI)) {
            reject(out, "ERR Command not allowed inside a transaction");
            return null;
        }
        CommandSpec owner = c.spec();
        String denied = acl.check(s, spec, argv, owner != null && owner.name().equals("exec") ? "multi" : "lua", clock.millis());
        if (denied != null) {
            spec.rejectedCalls.increment();
            reject(out, denied);
            return null;
        }
        io.jkevy.engine.repl.ReplicationControl repl = replication;
        if (repl != null && spec.has(CommandFlags.WRITE) && (denied = repl.gate(s, spec, clock.millis())) != null) {
            spec.rejectedCalls.increment();     // a script's write on a read-only replica
            reject(out, denied);
            return null;
        }
        if (spec.has(CommandFlags.DENYOOM) && !memory.underLimit()) {
            spec.rejectedCalls.increment();     // over maxmemory: no eviction while holding every lock
            reject(out, io.jkevy.engine.memory.MemoryManager.OOM);
            return null;
        }
        CommandContext.Frame saved = c.save();
        c.nested++;
        long t0 = System.nanoTime();
        try {
            c.begin(spec, argv, out, saved.now() == 0 ? clock.millis() : saved.now());
            WriteHook hook = writeHook;
            if (hook != null && spec.has(CommandFlags.WRITE)) hook.beforeWrite(this, spec, argv);
            body(c, spec, out);
            pubsub.afterNested(c);
        } finally {
            c.nested--;
            c.restore(saved);
        }
        s.counters.called(spec, (System.nanoTime() - t0) / 1000);
        return spec;
    }

    /** Runs a command body, turning errors into error replies. */
    private void body(CommandContext c, CommandSpec spec, RespWriter out) {
        try {
            spec.handler().run(c);
        } catch (CommandError e) {
            spec.failedCalls.increment();
            stats.errorReplies.increment();
            out.error(e.getMessage());
        } catch (RuntimeException e) {
            log.error("command {} failed", spec.name(), e);
            spec.failedCalls.increment();
            stats.errorReplies.increment();
            stats.unexpectedErrorReplies.increment();
            out.error("ERR internal error while running '" + spec.name() + "': " + e);
        }
    }

    /**
     * Takes the stripe locks a command needs: those of its key arguments in ascending order,
     * all of them for whole-keyspace and movable-key commands, none for keyless ones. The
     * sorted stripes are left in {@code s.stripes}; returns their count, or -1 for "all".
     */
    private int lock(CommandSpec spec, byte[][] argv, Session s) {
        final Keyspace ks = keyspace;
        if (spec.has(CommandFlags.GLOBAL | CommandFlags.MOVABLEKEYS)) {
            ks.lockAll();
            return -1;
        }
        if (spec.firstKey() <= 0) return 0;
        int[] stripes = s.stripes;
        int n = 0;
        if (ks.stripes() > 1) {
            int last = spec.lastKeyIndex(argv.length);
            int step = Math.max(1, spec.step());
            for (int i = spec.firstKey(); i <= last; i += step) {
                if (n == stripes.length) stripes = s.stripes = java.util.Arrays.copyOf(stripes, n * 2);
                stripes[n++] = ks.stripeOf(argv[i]);
            }
            if (n > 1) java.util.Arrays.sort(stripes, 0, n);
        } else {
            stripes[0] = 0;
            n = 1;
        }
        if (n == 1) ks.lockStripe(stripes[0]); else if (n > 1) ks.lockStripes(stripes, n);
        return n;
    }

    private void unlock(int[] stripes, int n) {
        if (n < 0) keyspace.unlockAll();
        else if (n == 1) keyspace.unlockStripe(stripes[0]);
        else if (n > 1) keyspace.unlockStripes(stripes, n);
    }

    // ---- applying journal frames (boot replay; replicas) -------------------------------

    private static final byte[] SELECT_WORD = "SELECT".getBytes(StandardCharsets.US_ASCII);

    /**
     * Applies one journal frame at {@code offset} (its exact bytes, {@code frame}): the frame
     * goes into this engine's journal at the same offset, so the history continues unchanged,
     * and its effect is applied to the keyspace without being journaled again. Keys it writes
     * get {@code offset} as their version. {@code SELECT} switches {@code s}'s database;
     * {@code MULTI}/{@code EXEC} markers only take their offsets. Call with key expiry paused
     * ({@link io.jkevy.store.Keyspace#pauseExpiry}) so applying adds nothing of its own. The
     * command runs at time 0 (frames are effects: every time in them is absolute).
     *
     * @return the error text when the frame's command failed (a journal that does not fit the
     *         state it is applied to), else null
     */
    public String applyFrame(Session s, long offset, byte[] frame) {
        return applyFrame(s, offset, frame, io.jkevy.journal.Frames.decodeArgv(frame));
    }

    /** As {@link #applyFrame(Session, long, byte[])}, with the frame's arguments already decoded. */
    public String applyFrame(Session s, long offset, byte[] frame, byte[][] argv) {
        journal.appendFrame(offset, frame, argv);
        if (argv.length == 2 && java.util.Arrays.equals(argv[0], SELECT_WORD)) {
            s.db(Integer.parseInt(new String(argv[1], StandardCharsets.US_ASCII)));
            return null;
        }
        if (argv.length == 1 && (Args.is(argv[0], "multi") || Args.is(argv[0], "exec"))) return null;
        CommandSpec spec = commands.lookup(argv[0]);
        if (spec != null && !spec.subcommands().isEmpty() && argv.length > 1) {
            CommandSpec sub = CommandTable.lookupSub(spec, argv[1]);
            if (sub != null) spec = sub;
        }
        if (spec == null || spec.handler() == null || !spec.arityOk(argv.length)) {
            return "ERR frame " + offset + " holds an unknown or malformed command";
        }
        CommandContext c = s.context;
        // one reply buffer per applying session, reused: a replica applies every frame this way
        if (c.applyOut == null) {
            c.applyOut = new RespWriter();
            c.applyOut.target(io.netty.buffer.Unpooled.buffer(256));
        }
        RespWriter out = c.applyOut;
        ByteBuf scratch = out.target();
        scratch.clear();
        c.applyingOffset = offset;
        try {
            // time 0: every absolute TTL in a frame counts as in the future, so a key whose TTL
            // passed while the frames were in transit (or the server was down) is still stored
            // as the history has it, and expires normally once applying is over
            run(s, spec, argv, out, 0);
            byte first = scratch.writerIndex() > 0 ? scratch.getByte(0) : 0;
            return first == '-' ? scratch.toString(1, Math.max(0, scratch.writerIndex() - 3), StandardCharsets.UTF_8) : null;
        } finally {
            c.applyingOffset = -1;
            if (scratch.capacity() > 1 << 16) {       // a large reply (a whole list): do not keep its buffer
                scratch.release();
                c.applyOut = null;
            }
        }
    }

    // ---- blocking commands -----------------------------------------------------------

    private final Blocking blocking = new Blocking();

    /** The pseudo database and key FEED.READ BLOCK waits on: any journal append makes it ready. */
    static final int FEED_DB = -1;
    static final byte[] FEED_KEY = "__jkevy_feed__".getBytes(StandardCharsets.US_ASCII);

    /** The pseudo key WAIT waits on: a replica's acknowledgement makes it ready. */
    static final byte[] ACK_KEY = "__jkevy_repl_acks__".getBytes(StandardCharsets.US_ASCII);

    /** Serves blocked WAIT clients (a replica acknowledged an offset). */
    public void wakeAckWaiters() {
        if (blocking.anyone() && blocking.hasWaiters(FEED_DB, ACK_KEY)) {
            serveReady(List.of(new Blocking.Key(FEED_DB, ACK_KEY)));
        }
    }

    /** Serves blocked FEED.READ clients (after an append the dispatcher did not see, or an fsync). */
    public void wakeFeedReaders() {
        if (blocking.anyone() && blocking.hasWaiters(FEED_DB, FEED_KEY)) {
            serveReady(List.of(new Blocking.Key(FEED_DB, FEED_KEY)));
        }
    }

    Blocking blocking() { return blocking; }

    /** Clients currently blocked (INFO blocked_clients). */
    public int blockedClients() { return blocking.blockedClients(); }

    /** Registers a waiter; the caller (the blocking command) holds its keys' stripe locks. */
    void block(Session s, Blocking.Waiter w, long timeoutMillis) {
        blocking.add(w);
        s.waiter = w;
        if (timeoutMillis > 0) w.cancelTimer = s.connection().schedule(timeoutMillis, () -> finishWaiter(w, w.timeoutReply));
    }

    /**
     * Serves clients blocked on the keys a command just made ready, in FIFO order per key,
     * on the calling thread; a served command may make further keys ready (BLMOVE), which are
     * served in turn.
     */
    private void serveReady(List<Blocking.Key> ready) {
        java.util.ArrayDeque<Blocking.Key> work = new java.util.ArrayDeque<>(ready);
        while (!work.isEmpty()) {
            Blocking.Key k = work.poll();
            int st = keyspace.stripeOf(k.key());
            boolean progress = true;
            while (progress) {
                progress = false;
                List<Blocking.Waiter> ws;
                keyspace.lockStripe(st);
                try {
                    ws = blocking.waiters(k.db(), k.key());
                } finally {
                    keyspace.unlockStripe(st);
                }
                for (Blocking.Waiter w : ws) {
                    if (serve(w, work)) {
                        progress = true;      // the key changed: look at its queue again
                        break;
                    }
                }
            }
        }
    }

    /** Re-runs a waiter's command under its own locks; true when it was answered. */
    private boolean serve(Blocking.Waiter w, java.util.ArrayDeque<Blocking.Key> work) {
        Session ws = w.session;
        CommandContext wc = ws.context;
        ByteBuf buf = io.netty.buffer.Unpooled.buffer(64);
        RespWriter rw = new RespWriter();
        rw.target(buf);
        rw.protocol(ws.protocol());
        boolean served = false;
        int[] stripes = new int[Math.max(8, w.argv.length)];
        int[] saved = ws.stripes;
        ws.stripes = stripes;
        int n = lock(w.spec, w.argv, ws);
        // a keyless command blocked on a pseudo key (WAIT, FEED.READ, REPL.WAIT): its timeout
        // takes that key's stripe, so serving it must too, or both could run at once
        if (n == 0 && w.keys.length > 0) n = lockKeys(w, ws);
        try {
            if (w.done) {
                buf.release();
                return false;
            }
            int db = ws.db();
            ws.db(w.db);
            wc.begin(w.spec, w.argv, rw, clock.millis());
            wc.serving = true;
            wc.stillBlocked = false;
            try {
                WriteHook hook = writeHook;
                if (hook != null && w.spec.has(CommandFlags.WRITE)) hook.beforeWrite(this, w.spec, w.argv);
                body(wc, w.spec, rw);
            } finally {
                ws.db(db);
            }
            if (!wc.stillBlocked) {
                blocking.remove(w);
                ws.waiter = null;
                served = true;
            }
            wc.commit();
            work.addAll(wc.readyKeys);
            wc.readyKeys.clear();
        } finally {
            wc.serving = false;
            wc.end();
            unlock(ws.stripes, n);
            ws.stripes = saved;
        }
        if (served) {
            ws.connection().deliver(buf);
            ws.connection().resume();
        } else {
            buf.release();
        }
        return served;
    }

    /** Ends a wait without serving it (timeout, CLIENT UNBLOCK): {@code reply} answers it. */
    private void finishWaiter(Blocking.Waiter w, java.util.function.Consumer<RespWriter> reply) {
        Session ws = w.session;
        int n = lockKeys(w, ws);
        boolean removed;
        try {
            removed = blocking.remove(w);
            if (removed) ws.waiter = null;
        } finally {
            unlock(ws.stripes, n);
        }
        if (!removed) return;
        ByteBuf buf = io.netty.buffer.Unpooled.buffer(16);
        RespWriter rw = new RespWriter();
        rw.target(buf);
        rw.protocol(ws.protocol());
        reply.accept(rw);
        ws.connection().deliver(buf);
        ws.connection().resume();
    }

    private int lockKeys(Blocking.Waiter w, Session ws) {
        int[] st = new int[w.keys.length];
        for (int i = 0; i < st.length; i++) st[i] = keyspace.stripeOf(w.keys[i]);
        java.util.Arrays.sort(st);
        ws.stripes = st.length == 0 ? new int[8] : st;
        keyspace.lockStripes(st, st.length);
        return st.length;
    }

    /**
     * CLIENT UNBLOCK: ends client {@code id}'s wait as a timeout would, or with
     * {@code -UNBLOCKED} when {@code error}. False when that client is not blocked.
     */
    public boolean unblock(long id, boolean error) {
        Session s = sessions.get(id);
        Blocking.Waiter w = s == null ? null : s.waiter;
        if (w == null) return false;
        finishWaiter(w, error ? out -> out.error("UNBLOCKED client unblocked via CLIENT UNBLOCK") : w.timeoutReply);
        return true;
    }

    /**
     * Adds what {@code s} counted since the last call to the shared statistics. The server
     * calls it once per read batch (before the batch's replies are flushed), INFO for its own
     * session, tests after each command.
     */
    public void flushStats(Session s) { s.counters.flush(stats); }

    /**
     * Periodic work, called {@code hz} times a second by the owner: advance the LRU clock,
     * expire keys actively within a CPU budget (as Redis's active expire cycle: about 25% of
     * one tick), and close clients idle past {@code timeout}.
     */
    public void cron() {
        long now = clock.millis();
        keyspace.tick(now);
        if (activeExpire) {
            long t0 = System.nanoTime();
            activeExpireCycle(now);
            ops.expireCycle(System.nanoTime() - t0, now);
        }
        memory.cron();
        io.jkevy.engine.persist.Durability d = durability;
        if (d != null) d.cron(now);
        if (timeoutSeconds > 0) {
            for (Session s : sessions.values()) {
                if (now - s.lastInteractionMillis() > timeoutSeconds * 1000) s.connection().close();
            }
        }
    }

    private int expireStripeCursor;

    private synchronized void activeExpireCycle(long now) {
        long budgetNanos = 250_000_000L / Math.max(1, hz);     // 25% of a tick
        long deadline = System.nanoTime() + budgetNanos;
        int stripes = keyspace.stripes();
        for (int round = 0; round < stripes * 16; round++) {
            int st = expireStripeCursor;
            expireStripeCursor = (st + 1) % stripes;
            // never wait: a script or EXEC may hold every stripe for long, and cron runs on an event loop
            if (!keyspace.tryLockStripe(st)) continue;
            long r;
            try {
                r = keyspace.expireStep(st, now, 256);
            } finally {
                keyspace.unlockStripe(st);
            }
            long seen = r >>> 32, expired = r & 0xffffffffL;
            if (System.nanoTime() > deadline) break;
            // like Redis: keep going only while more than 10% of the sampled keys were stale
            if (round >= stripes && (seen == 0 || expired * 10 < seen)) break;
        }
    }
}
