package io.jkevy.engine;

import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.command.Errors;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.Db;
import io.jkevy.store.Keyspace;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a command body sees: its arguments, the selected database, the reply writer, the
 * command's fixed time, and the effect recorder. One per session, reused for every command
 * (no allocation per command).
 *
 * <p>Effects: a write body records what it did with {@link #propagate} (the effect argv,
 * rewritten to be deterministic) and which keys it wrote with {@link #touched}; the
 * dispatcher appends the effects to the journal as one atomic unit while the stripe locks
 * are still held, then stamps every touched key with the unit's offset (its version).
 */
public final class CommandContext {
    private final Engine engine;
    private final Session session;
    private CommandSpec spec;
    private byte[][] argv;
    private RespWriter out;
    private long now;
    private final List<byte[][]> effects = new ArrayList<>(4);
    private int[] effectDbs = new int[4];
    private final List<byte[]> touchedKeys = new ArrayList<>(4);
    private int[] touchedDbs = new int[4];

    /** Set while a writer re-runs this (blocked) session's command to serve it. */
    boolean serving;
    /** Set by {@link #block} when a served command still found nothing. */
    boolean stillBlocked;
    /** Depth of {@link Engine#executeNested} calls: above 0 the command runs inside EXEC or a script. */
    int nested;
    /** Keys with blocked waiters that this command's writes made ready (served after unlock). */
    final List<Blocking.Key> readyKeys = new ArrayList<>(2);

    CommandContext(Engine engine, Session session) {
        this.engine = engine;
        this.session = session;
    }

    void begin(CommandSpec spec, byte[][] argv, RespWriter out, long now) {
        this.spec = spec;
        this.argv = argv;
        this.out = out;
        this.now = now;
        if (nested == 0) clientOut = out;
    }

    /** The writer of the outermost command: the client's own reply stream. */
    private RespWriter clientOut;

    /**
     * True when {@link #out} writes into the client's reply stream (always outside a unit; in
     * EXEC, whose replies go straight into its array) rather than into a writer capturing a
     * nested reply (a script's redis.call): out-of-band pushes may then be written inline.
     */
    public boolean outIsClientStream() { return out != null && (nested == 0 || out == clientOut); }

    /** The per-command fields, saved around a nested command. */
    record Frame(CommandSpec spec, byte[][] argv, RespWriter out, long now) { }

    Frame save() { return new Frame(spec, argv, out, now); }

    void restore(Frame f) {
        spec = f.spec;
        argv = f.argv;
        out = f.out;
        now = f.now;
    }

    /** True inside EXEC or a script: the command is one step of an isolated unit. */
    public boolean inAtomicUnit() { return nested > 0; }

    public Engine engine() { return engine; }

    public Session session() { return session; }

    public CommandSpec spec() { return spec; }

    public byte[][] argv() { return argv; }

    public int argc() { return argv.length; }

    public byte[] arg(int i) { return argv[i]; }

    /** Argument as text (UTF-8). */
    public String argString(int i) { return new String(argv[i], StandardCharsets.UTF_8); }

    /** True when argument {@code i} equals {@code lowerWord} ignoring ASCII case. */
    public boolean argIs(int i, String lowerWord) { return Args.is(argv[i], lowerWord); }

    public RespWriter out() { return out; }

    public Keyspace keyspace() { return engine.keyspace(); }

    /** The session's selected database. */
    public Db db() { return engine.keyspace().db(session.db()); }

    /** Unix milliseconds, fixed for the duration of the command. */
    public long now() { return now; }

    // ---- argument parsing (throw CommandError with Redis's text) ---------------------

    public long longArg(int i) { return Args.parseLong(argv[i]); }

    public long longArg(int i, String error) { return Args.parseLong(argv[i], error); }

    public double doubleArg(int i) { return Args.parseDouble(argv[i]); }

    public static CommandError error(String msg) { return new CommandError(msg); }

    public CommandError wrongType() { return new CommandError(Errors.WRONGTYPE); }

    public CommandError syntax() { return new CommandError(Errors.SYNTAX); }

    /** Counts a keyspace hit (a read found its key), for INFO keyspace_hits. */
    public void hit() { session.counters.hits++; }

    /** Counts a keyspace miss, for INFO keyspace_misses. */
    public void miss() { session.counters.misses++; }

    // ---- effects ----------------------------------------------------------------------

    /** Records an effect made in the selected database. */
    public void propagate(byte[]... effect) { propagate(session.db(), effect); }

    public void propagate(int db, byte[][] effect) {
        int n = effects.size();
        if (n == effectDbs.length) effectDbs = java.util.Arrays.copyOf(effectDbs, n * 2);
        effectDbs[n] = db;
        effects.add(effect);
    }

    /** The effect recorded last by the running command (null when none yet): lets keyspace notifications tell what a write did. */
    public byte[][] lastEffect() { return effects.isEmpty() ? null : effects.get(effects.size() - 1); }

    /** Records that {@code key} in the selected database was written. */
    public void touched(byte[] key) { touched(session.db(), key); }

    public void touched(int db, byte[] key) {
        int n = touchedKeys.size();
        if (n == touchedDbs.length) touchedDbs = java.util.Arrays.copyOf(touchedDbs, n * 2);
        touchedDbs[n] = db;
        touchedKeys.add(key);
        engine.pubsub().touched(this, db, key);     // keyspace notifications, tracking invalidation
    }

    /** The common case: the command itself is its effect, and it wrote {@code key}. */
    public void propagateAsIs(byte[] key) {
        propagate(argv);
        touched(key);
    }

    /**
     * Blocks the client until one of {@code keys} (in the selected database) is written, or
     * {@code timeoutMillis} passes (0 = forever), when {@code timeoutReply} answers. The body
     * calls this instead of replying when it found nothing to serve; when the client is
     * served later the same body runs again and replies. Write no reply before calling it.
     */
    public void block(byte[][] keys, long timeoutMillis, java.util.function.Consumer<RespWriter> timeoutReply) {
        block(keys, timeoutMillis, timeoutReply, argv);
    }

    /**
     * As {@link #block(byte[][], long, java.util.function.Consumer)}, re-running
     * {@code rerun} instead of the original arguments when served — for commands whose
     * arguments mean "from now on" ({@code XREAD ... $}) and must be pinned at block time.
     */
    public void block(byte[][] keys, long timeoutMillis, java.util.function.Consumer<RespWriter> timeoutReply, byte[][] rerun) {
        if (answeredWithoutBlocking(timeoutReply)) return;
        engine.block(session, new Blocking.Waiter(session, spec, rerun, session.db(), keys, timeoutReply), timeoutMillis);
    }

    /**
     * True when a command about to block must not: it is being re-run to serve it (it stays
     * blocked), or it runs inside EXEC or a script, where it times out at once.
     */
    private boolean answeredWithoutBlocking(java.util.function.Consumer<RespWriter> timeoutReply) {
        if (serving) {
            stillBlocked = true;
            return true;
        }
        if (nested > 0) {
            timeoutReply.accept(out);
            return true;
        }
        return false;
    }

    /**
     * When at least 0, the command is a journal frame being applied (boot replay, a replica):
     * its frame is already in the journal at this offset, so {@link #commit} records nothing
     * and stamps touched keys with this offset.
     */
    long applyingOffset = -1;

    /** {@link Engine#applyFrame}'s reply writer for this session, reused frame after frame. */
    RespWriter applyOut;

    /** True while a journal frame is applied (boot replay, replica): write nothing to the journal. */
    public boolean applying() { return applyingOffset >= 0; }

    /**
     * Blocks the client until the journal grows (FEED.READ BLOCK) or the timeout passes; works
     * like {@link #block} with the feed as the one "key".
     */
    public void blockOnFeed(long timeoutMillis, java.util.function.Consumer<RespWriter> timeoutReply) {
        if (answeredWithoutBlocking(timeoutReply)) return;
        engine.block(session, new Blocking.Waiter(session, spec, argv, Engine.FEED_DB, new byte[][] {Engine.FEED_KEY}, timeoutReply), timeoutMillis);
    }

    /** Blocks the client until a replica acknowledges an offset (WAIT) or the timeout passes. */
    public void blockOnAcks(long timeoutMillis, java.util.function.Consumer<RespWriter> timeoutReply) {
        if (answeredWithoutBlocking(timeoutReply)) return;
        engine.block(session, new Blocking.Waiter(session, spec, argv, Engine.FEED_DB, new byte[][] {Engine.ACK_KEY}, timeoutReply), timeoutMillis);
    }

    /** True while a blocked command runs again to see whether it can be served now. */
    public boolean serving() { return serving; }

    private boolean replyWithOffset;

    /**
     * The command's reply is the journal offset its effects get (the new version of the key
     * it wrote), written when they are committed; the body writes no reply of its own.
     */
    public void replyWithVersion() { replyWithOffset = true; }

    /**
     * Journals the effects recorded so far as their own atomic group, now. For a command
     * that must append to the journal directly inside an atomic unit (FLUSHALL, which closes
     * the journal's generation): what the unit did before it must precede it in the journal.
     * Outside a unit there is nothing pending and this does nothing.
     */
    public void commitPending() {
        if (nested > 0) commit();
    }

    /** Appends recorded effects and stamps versions; called with the stripe locks held. */
    void commit() {
        engine.pubsub().afterCommand(this);     // client tracking of reads; own invalidations
        if (effects.isEmpty() && applyingOffset < 0) {
            touchedKeys.clear();
            return;
        }
        long off = applyingOffset >= 0 ? applyingOffset : engine.journal().appendAtomic(effectDbs, effects);
        if (applyingOffset < 0) session.lastWriteOffset = off;
        Keyspace ks = engine.keyspace();
        boolean waiting = engine.blocking().anyone();
        boolean watched = engine.watches().any();
        for (int i = 0, n = touchedKeys.size(); i < n; i++) {
            ks.db(touchedDbs[i]).committed(touchedKeys.get(i), off);   // version + size re-estimate
            if (watched) engine.watches().touched(touchedDbs[i], touchedKeys.get(i));
            if (waiting && engine.blocking().hasWaiters(touchedDbs[i], touchedKeys.get(i))) {
                readyKeys.add(new Blocking.Key(touchedDbs[i], touchedKeys.get(i)));
            }
        }
        if (replyWithOffset) {
            replyWithOffset = false;
            out.integer(off);
        }
        if (waiting && applyingOffset < 0 && engine.blocking().hasWaiters(Engine.FEED_DB, Engine.FEED_KEY)) {
            readyKeys.add(new Blocking.Key(Engine.FEED_DB, Engine.FEED_KEY));
        }
        session.counters.dirty += effects.size();
        effects.clear();
        touchedKeys.clear();
    }

    void end() {
        argv = null;
        out = null;
    }
}
