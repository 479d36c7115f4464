package io.jkevy.embedded;

import io.jkevy.engine.Connection;
import io.jkevy.engine.Engine;
import io.jkevy.engine.Session;
import io.jkevy.engine.config.ConfigException;
import io.jkevy.engine.persist.Durability;
import io.jkevy.resp.RespReplyParser;
import io.jkevy.resp.RespValue;
import io.jkevy.resp.RespWriter;
import io.jkevy.server.JkevyServer;
import io.jkevy.store.Clock;
import io.jkevy.store.Keyspace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * jkevy inside a Java application: the server's engine, in-process. Thread-safe: any number of
 * application threads use one store; each command is atomic, {@link #atomically} runs several
 * as one isolated unit. Persistent when opened with a data directory (the same journal files
 * as the server's, so either can open what the other wrote).
 *
 * <pre>{@code
 * try (Store store = Store.open()) {
 *     store.set("greeting", "hello");
 *     store.hset("user:1", "name", "Ada");
 *     long n = store.atomically(tx -> { tx.incr("visits"); return tx.incr("visits"); });
 * }
 * }</pre>
 */
public final class Store extends Commands implements AutoCloseable {
    private final Engine engine;
    private final StoreConfig config;
    private final ScheduledExecutorService timer;
    private final ThreadLocal<Local> local;
    private final int db = 0;
    private volatile JkevyServer listener;
    private volatile boolean closed;

    /** One thread's client: its session, reply buffer and the connection blocked commands answer on. */
    private final class Local {
        final EmbeddedConnection conn = new EmbeddedConnection();
        final Session session = engine.internalSession(conn);
        final RespWriter writer = new RespWriter();
        final ByteBuf buf = Unpooled.buffer(256);
        final RespReplyParser parser = new RespReplyParser();
    }

    /** Answers blocked commands (BLPOP, XREAD BLOCK, ...) of an embedded caller. */
    private final class EmbeddedConnection implements Connection {
        private CompletableFuture<ByteBuf> served;    // guarded by this
        private ByteBuf parked;                       // a reply delivered before anyone waited for it

        @Override public void close() { }

        @Override public String remoteAddress() { return "embedded:0"; }

        @Override public String localAddress() { return "embedded:0"; }

        @Override public synchronized void deliver(ByteBuf reply) {
            if (served != null && served.complete(reply)) return;
            if (parked != null) parked.release();
            parked = reply;
        }

        /** The future that gets the blocked command's reply (completed at once if it already came). */
        synchronized CompletableFuture<ByteBuf> await() {
            CompletableFuture<ByteBuf> f = new CompletableFuture<>();
            if (parked != null) {
                f.complete(parked);
                parked = null;
            } else {
                served = f;
            }
            return f;
        }

        synchronized void done() { served = null; }

        @Override public Runnable schedule(long delayMillis, Runnable task) {
            ScheduledFuture<?> f = timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        }
    }

    private Store(StoreConfig config) throws IOException {
        this.config = config;
        Map<String, String> settings = new HashMap<>(config.settings);
        if (config.dataDir != null) settings.put("dir", config.dataDir.toString());
        settings.put("appendonly", config.dataDir != null ? "yes" : "no");
        try {
            this.engine = Engine.create(settings, Clock.SYSTEM, io.jkevy.server.repl.Replication::registerKeys);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("bad store configuration: " + e.getMessage(), e);
        }
        this.local = ThreadLocal.withInitial(Local::new);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jkevy-store-timer");
            t.setDaemon(true);
            return t;
        });
        Durability d = null;
        if (config.dataDir != null) {
            try {
                d = Durability.open(engine, config.dataDir.resolve(engine.config().get("appenddirname")),
                        new Durability.Options(config.fsync, true, false, 64L << 20));
            } catch (IOException | RuntimeException e) {
                timer.shutdownNow();
                throw e;
            }
        }
        if (d != null) engine.started(true);      // with a data directory, CONFIG SET appendonly acts
        try {
            replication = startReplication(engine, config);
        } catch (IOException | RuntimeException e) {
            timer.shutdownNow();
            if (d != null) d.close();
            throw e;
        }
        if (config.expiry == StoreConfig.Expiry.BACKGROUND) {
            long period = Math.max(1, 1000 / Math.max(1, engine.hz()));
            timer.scheduleAtFixedRate(this::tickQuietly, period, period, TimeUnit.MILLISECONDS);
        }
    }

    private final io.jkevy.server.repl.Replication replication;

    /**
     * Replication as configured ({@link StoreConfig.Builder#replicaOf},
     * {@link StoreConfig.Builder#replicationListener}): a primary binds its replication listener
     * on loopback; a replica follows its upstream (and binds a listener only when
     * {@code replication.listen_port} is set). Snapshots in transit go to the data directory,
     * or a temporary one.
     */
    private static io.jkevy.server.repl.Replication startReplication(Engine engine, StoreConfig config) throws IOException {
        String role = engine.config().get("replication.role");
        int port = Integer.parseInt(engine.config().get("replication.listen_port"));
        java.nio.file.Path state = config.dataDir != null ? config.dataDir
                : java.nio.file.Files.createTempDirectory("jkevy-store-repl");
        boolean bind = role.equals("primary") || port != 0;
        return io.jkevy.server.repl.Replication.install(engine, state, 0,
                bind ? io.jkevy.server.repl.Replication.ownLoops("127.0.0.1", port) : null);
    }

    /** The port of this store's replication listener, 0 when it has none. */
    public int replicationPort() { return replication.listenPort(); }

    /** An in-memory store with the defaults. */
    public static Store open() { return open(StoreConfig.inMemory()); }

    public static Store open(StoreConfig config) {
        try {
            return new Store(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The engine underneath (for integration with other jkevy modules). */
    public Engine engine() { return engine; }

    public StoreConfig config() { return config; }

    // ---- commands ------------------------------------------------------------------------

    @Override
    protected RespValue call(byte[][] argv) {
        if (closed) throw new IllegalStateException("store is closed");
        Local l = local.get();
        ByteBuf buf = l.buf;
        buf.clear();
        l.writer.target(buf);
        engine.execute(l.session, argv, l.writer);
        engine.flushStats(l.session);
        if (!buf.isReadable()) {
            // no reply yet: a blocking command that is waiting, or was served by another thread
            // in the meantime (its reply then is, or is about to be, delivered to our connection)
            io.jkevy.engine.command.CommandSpec spec = engine.commands().lookup(argv[0]);
            if (spec != null && (spec.has(io.jkevy.engine.command.CommandFlags.BLOCKING) || spec.name().equals("wait"))) return awaitServed(l);
            return new RespValue.Null();
        }
        return decode(l, buf);
    }

    private RespValue awaitServed(Local l) {
        CompletableFuture<ByteBuf> f = l.conn.await();
        ByteBuf r;
        try {
            r = f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            engine.unblock(l.session.id(), true);
            throw new JkevyException("ERR interrupted while blocked");
        } catch (ExecutionException e) {
            throw new JkevyException("ERR " + e.getCause());
        } finally {
            l.conn.done();
        }
        try {
            return decode(l, r);
        } finally {
            r.release();
        }
    }

    private static RespValue decode(Local l, ByteBuf buf) { return reply(l.parser, buf); }

    /**
     * GET without the protocol round trip: the value of a string key (a copy), or null. Same
     * semantics as GET (lazy expiry, WRONGTYPE); not counted in INFO's command statistics.
     */
    @Override
    public byte[] get(byte[] key) {
        if (closed) throw new IllegalStateException("store is closed");
        Keyspace ks = engine.keyspace();
        int st = ks.stripeOf(key);
        io.jkevy.store.Db d = ks.db(db);
        // optimistic first: no lock when no writer is in the stripe and the read changes nothing
        long stamp = ks.optimisticRead(st);
        if (stamp >= 0) {
            Object r = d.readOptimistic(key, engine.clock().millis());
            if (r != io.jkevy.store.Db.RETRY) {
                byte[] copy = r instanceof byte[] b ? b.clone() : null;
                if (ks.validate(st, stamp)) {
                    if (r == null || copy != null) return copy;
                    throw new JkevyException.WrongTypeException("WRONGTYPE Operation against a key holding the wrong kind of value");
                }
            }
        }
        Object v;
        ks.lockStripe(st);
        try {
            v = ks.db(db).get(key);
        } finally {
            ks.unlockStripe(st);
        }
        if (v == null) return null;
        if (v instanceof byte[] b) return b.clone();
        throw new JkevyException.WrongTypeException("WRONGTYPE Operation against a key holding the wrong kind of value");
    }

    /**
     * Runs {@code body} as one isolated unit, like MULTI/EXEC: no other client sees a state
     * between its commands, and its writes are journaled as one atomic group. An error in one
     * command does not undo the ones before it (as EXEC); it is thrown after the unit ends.
     */
    public <T> T atomically(Function<Transaction, T> body) {
        if (closed) throw new IllegalStateException("store is closed");
        Local l = local.get();
        Transaction tx = new Transaction(engine, l.session);
        Object[] result = new Object[1];
        RuntimeException[] failure = new RuntimeException[1];
        engine.runAtomic(l.session, () -> {
            try {
                result[0] = body.apply(tx);
            } catch (RuntimeException e) {
                failure[0] = e;
            } finally {
                tx.close();
            }
        });
        engine.flushStats(l.session);
        if (failure[0] != null) throw failure[0];
        @SuppressWarnings("unchecked") T t = (T) result[0];
        return t;
    }

    /** Subscribes {@code listener} to {@code channels} (SUBSCRIBE); close the subscription to stop. */
    public Subscription subscribe(Subscription.MessageListener listener, String... channels) {
        if (closed) throw new IllegalStateException("store is closed");
        return Subscription.open(engine, listener, false, channels);
    }

    /** Subscribes {@code listener} to glob {@code patterns} (PSUBSCRIBE). */
    public Subscription psubscribe(Subscription.MessageListener listener, String... patterns) {
        if (closed) throw new IllegalStateException("store is closed");
        return Subscription.open(engine, listener, true, patterns);
    }

    /** PUBLISH: the number of subscribers that received the message. */
    public long publish(String channel, String message) { return integer(call(argv("PUBLISH", channel, message))); }

    public long publish(byte[] channel, byte[] message) { return integer(call(argv("PUBLISH", channel, message))); }

    /** Every key matching a glob {@code pattern} (null = all), iterated with SCAN. */
    public Iterator<byte[]> scanIterator(String pattern) {
        return new Iterator<>() {
            String cursor = "0";
            final List<byte[]> batch = new ArrayList<>();
            int i;
            boolean done;

            private void fill() {
                while (i >= batch.size() && !done) {
                    batch.clear();
                    i = 0;
                    RespValue r = pattern == null ? call(argv("SCAN", cursor, "COUNT", 100))
                            : call(argv("SCAN", cursor, "MATCH", pattern, "COUNT", 100));
                    List<RespValue> parts = array(r);
                    cursor = new String(bulk(parts.get(0)), StandardCharsets.US_ASCII);
                    batch.addAll(bulks(parts.get(1)));
                    if (cursor.equals("0")) done = true;
                }
            }

            @Override public boolean hasNext() { fill(); return i < batch.size(); }

            @Override public byte[] next() {
                if (!hasNext()) throw new NoSuchElementException();
                return batch.get(i++);
            }
        };
    }

    /** {@link #scanIterator} as a stream of UTF-8 key names. */
    public Stream<String> scan(String pattern) {
        Iterator<byte[]> it = scanIterator(pattern);
        Iterable<byte[]> iterable = () -> it;
        return StreamSupport.stream(iterable.spliterator(), false).map(Commands::s);
    }

    /** One round of active expiry and the other periodic work (with {@code Expiry.MANUAL}). */
    public void tick() {
        if (closed) throw new IllegalStateException("store is closed");
        engine.cron();
    }

    private void tickQuietly() {
        try {
            if (!closed) engine.cron();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Store.class).warn("periodic task failed", e);
        }
    }

    /**
     * Starts a RESP listener on loopback so Redis clients (Jedis, Lettuce, redis-cli) can talk
     * to this store; {@code port} 0 picks a free port. Returns the port. Closing the store
     * closes the listener.
     */
    public synchronized int listen(int port) {
        if (closed) throw new IllegalStateException("store is closed");
        if (listener != null) throw new IllegalStateException("already listening on port " + listener.port());
        JkevyServer s = new JkevyServer(engine, "127.0.0.1", port, 2, "embedded");
        try {
            s.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the listener", e);
        }
        listener = s;
        return s.port();
    }

    /** The listener's port, or 0 when not listening. */
    public int port() {
        JkevyServer s = listener;
        return s == null ? 0 : s.port();
    }

    /** Closes the listener, writes and closes the journal, stops the store's threads. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        JkevyServer s = listener;
        if (s != null) s.stop();
        replication.close();
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Durability live = engine.durability();       // CONFIG SET appendonly may have changed it
        if (live != null) {
            try {
                live.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
