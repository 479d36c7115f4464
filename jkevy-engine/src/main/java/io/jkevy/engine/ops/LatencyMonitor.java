package io.jkevy.engine.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latency monitor: per event class ("command", "fast-command", "expire-cycle"), the
 * latency spikes of at least {@code latency-monitor-threshold} milliseconds (0 = off), one
 * sample per second (spikes in the same second keep the largest), the last 160 seconds with a
 * spike, and the all-time maximum. Time is given by the caller (unix seconds), so tests
 * drive it with a synthetic clock. Thread-safe; the hot path only reads the threshold.
 */
public final class LatencyMonitor {
    /** Samples kept per event (Redis LATENCY_TS_LEN). */
    static final int HISTORY = 160;

    public static final String COMMAND = "command", FAST_COMMAND = "fast-command", EXPIRE_CYCLE = "expire-cycle";

    /** One (time, latency) sample. */
    public record Sample(long timeSeconds, long millis) { }

    /** What LATENCY LATEST shows for one event. */
    public record Latest(String event, long timeSeconds, long millis, long maxMillis) { }

    private static final class Series {
        final long[] time = new long[HISTORY];
        final long[] millis = new long[HISTORY];
        int next;
        long max;
    }

    private final Map<String, Series> events = new LinkedHashMap<>();
    volatile long thresholdMillis;

    /** Whether a spike of {@code millis} is recorded (the monitor is on and it reaches the threshold). */
    public boolean wants(long millis) {
        long t = thresholdMillis;
        return t > 0 && millis >= t;
    }

    /** Records {@code millis} for {@code event} when it reaches the threshold. */
    public void sampleIfNeeded(String event, long millis, long nowSeconds) {
        if (wants(millis)) add(event, millis, nowSeconds);
    }

    public synchronized void add(String event, long millis, long nowSeconds) {
        Series s = events.computeIfAbsent(event, e -> new Series());
        if (millis > s.max) s.max = millis;
        int prev = (s.next + HISTORY - 1) % HISTORY;
        if (s.time[prev] == nowSeconds) {
            if (millis > s.millis[prev]) s.millis[prev] = millis;
            return;
        }
        s.time[s.next] = nowSeconds;
        s.millis[s.next] = millis;
        s.next = (s.next + 1) % HISTORY;
    }

    /** The latest sample and the maximum of every event that has samples. */
    public synchronized List<Latest> latest() {
        List<Latest> out = new ArrayList<>();
        for (Map.Entry<String, Series> e : events.entrySet()) {
            Series s = e.getValue();
            int last = (s.next + HISTORY - 1) % HISTORY;
            out.add(new Latest(e.getKey(), s.time[last], s.millis[last], s.max));
        }
        return out;
    }

    /** The samples of {@code event}, oldest first (empty when it has none). */
    public synchronized List<Sample> history(String event) {
        Series s = events.get(event);
        List<Sample> out = new ArrayList<>();
        if (s == null) return out;
        for (int i = 0; i < HISTORY; i++) {
            int j = (s.next + i) % HISTORY;
            if (s.time[j] != 0) out.add(new Sample(s.time[j], s.millis[j]));
        }
        return out;
    }

    /** The all-time maximum of {@code event}, 0 when it has none. */
    public synchronized long max(String event) {
        Series s = events.get(event);
        return s == null ? 0 : s.max;
    }

    public synchronized List<String> eventNames() { return new ArrayList<>(events.keySet()); }

    /** Forgets every event; returns how many there were. */
    public synchronized int resetAll() {
        int n = events.size();
        events.clear();
        return n;
    }

    /** Forgets one event; true when it had data. */
    public synchronized boolean reset(String event) { return events.remove(event) != null; }
}
