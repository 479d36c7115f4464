package io.jkevy.engine.ops;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The slow log: the most recent commands whose execution took at least
 * {@code slowlog-log-slower-than} microseconds (negative: off, 0: every command), at most
 * {@code slowlog-max-len} of them, newest first. Arguments are stored as Redis stores them:
 * at most 32 (the last one says how many more there were) and each at most 128 bytes (with a
 * "... (N more bytes)" suffix), after sensitive arguments were redacted.
 *
 * <p>Thread-safe. The hot path only reads the threshold ({@link #wants}); the lock is taken
 * only when an entry is recorded.
 */
public final class SlowLog {
    /** Redis SLOWLOG_ENTRY_MAX_ARGC and SLOWLOG_ENTRY_MAX_STRING. */
    static final int MAX_ARGC = 32, MAX_STRING = 128;

    /** One entry: unique id, unix seconds, duration in microseconds, arguments, peer, client name. */
    public record Entry(long id, long timestampSeconds, long micros, byte[][] argv, String peer, String clientName) { }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long nextId;
    volatile long thresholdMicros = 10_000;
    volatile long maxLen = 128;

    /** Whether a command that took {@code micros} is logged. */
    public boolean wants(long micros) {
        long t = thresholdMicros;
        return t >= 0 && micros >= t;
    }

    /** Records an entry (argv is copied and truncated here; the caller keeps its array). */
    public void add(byte[][] argv, long micros, long nowMillis, String peer, String clientName) {
        byte[][] kept = truncate(argv);
        synchronized (this) {
            entries.addFirst(new Entry(nextId++, nowMillis / 1000, micros, kept, peer, clientName));
            long max = maxLen;
            while (entries.size() > max) entries.removeLast();
        }
    }

    /** The newest {@code count} entries (all of them when count is negative). */
    public synchronized List<Entry> newest(long count) {
        List<Entry> out = new ArrayList<>();
        Iterator<Entry> it = entries.iterator();
        while (it.hasNext() && (count < 0 || out.size() < count)) out.add(it.next());
        return out;
    }

    public synchronized int size() { return entries.size(); }

    public synchronized void reset() { entries.clear(); }

    static byte[][] truncate(byte[][] argv) {
        int n = Math.min(argv.length, MAX_ARGC);
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            if (i == MAX_ARGC - 1 && argv.length > MAX_ARGC) {
                out[i] = ("... (" + (argv.length - MAX_ARGC + 1) + " more arguments)").getBytes(StandardCharsets.US_ASCII);
                break;
            }
            byte[] a = argv[i];
            if (a.length > MAX_STRING) {
                byte[] suffix = ("... (" + (a.length - MAX_STRING) + " more bytes)").getBytes(StandardCharsets.US_ASCII);
                byte[] t = new byte[MAX_STRING + suffix.length];
                System.arraycopy(a, 0, t, 0, MAX_STRING);
                System.arraycopy(suffix, 0, t, MAX_STRING, suffix.length);
                out[i] = t;
            } else {
                out[i] = a.clone();
            }
        }
        return out;
    }
}
