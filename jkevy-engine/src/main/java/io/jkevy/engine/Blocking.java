package io.jkevy.engine;

import io.jkevy.engine.command.CommandSpec;
import io.jkevy.resp.RespWriter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Clients blocked on keys (BLPOP, BZPOPMIN, XREAD BLOCK, ...): a FIFO of waiters per
 * {@code (db, key)}. A key's queue is only touched under that key's stripe lock — a waiter
 * registers while its command holds the locks of all its keys, and a write that makes a key
 * ready notes it under the same lock — so FIFO order among clients blocked on one key is the
 * order they blocked in.
 *
 * <p>A ready key is served by the thread that made it ready, after the write's locks are
 * released: it re-runs the first waiter's command under that command's own locks, and the
 * reply goes to the waiter's connection. A command that still finds nothing stays blocked.
 */
final class Blocking {
    /** One blocked client. */
    static final class Waiter {
        final Session session;
        final CommandSpec spec;
        final byte[][] argv;
        final int db;
        final byte[][] keys;
        final Consumer<RespWriter> timeoutReply;
        volatile boolean done;
        Runnable cancelTimer = () -> { };

        Waiter(Session session, CommandSpec spec, byte[][] argv, int db, byte[][] keys, Consumer<RespWriter> timeoutReply) {
            this.session = session;
            this.spec = spec;
            this.argv = argv;
            this.db = db;
            this.keys = keys;
            this.timeoutReply = timeoutReply;
        }
    }

    /** A (db, key) pair with value equality. */
    record Key(int db, byte[] key) {
        @Override public boolean equals(Object o) {
            return o instanceof Key k && k.db == db && Arrays.equals(k.key, key);
        }

        @Override public int hashCode() { return 31 * db + Arrays.hashCode(key); }
    }

    private final Map<Key, ArrayDeque<Waiter>> queues = new ConcurrentHashMap<>();
    private final AtomicInteger blockedClients = new AtomicInteger();

    /** Fast check on the write path: is anyone blocked at all? */
    boolean anyone() { return blockedClients.get() > 0; }

    int blockedClients() { return blockedClients.get(); }

    /** Registers {@code w} on each of its keys; the caller holds their stripe locks. */
    void add(Waiter w) {
        for (byte[] k : w.keys) queues.computeIfAbsent(new Key(w.db, k), x -> new ArrayDeque<>()).addLast(w);
        blockedClients.incrementAndGet();
    }

    /** Removes {@code w} from its keys' queues; the caller holds their stripe locks. */
    boolean remove(Waiter w) {
        if (w.done) return false;
        w.done = true;
        for (byte[] k : w.keys) {
            Key key = new Key(w.db, k);
            ArrayDeque<Waiter> q = queues.get(key);
            if (q != null) {
                q.remove(w);
                if (q.isEmpty()) queues.remove(key);
            }
        }
        blockedClients.decrementAndGet();
        w.cancelTimer.run();
        return true;
    }

    boolean hasWaiters(int db, byte[] key) {
        ArrayDeque<Waiter> q = queues.get(new Key(db, key));
        return q != null && !q.isEmpty();
    }

    /** A snapshot of the waiters on a key in FIFO order; the caller holds its stripe lock. */
    List<Waiter> waiters(int db, byte[] key) {
        ArrayDeque<Waiter> q = queues.get(new Key(db, key));
        return q == null ? List.of() : new ArrayList<>(q);
    }
}
