package io.jkevy.store;

/**
 * The LFU access counter kept in a key's access-time slot while an LFU maxmemory policy is
 * selected (as Redis reuses its LRU field): {@code minutes << 8 | counter}, where
 * {@code minutes} is the 16-bit minute clock of the last decrement and {@code counter} an
 * 8-bit logarithmic frequency. An access first decays the counter by one per
 * {@code lfu-decay-time} minutes elapsed, then increments it with probability
 * {@code 1 / ((counter - INIT) * lfu-log-factor + 1)}, so it saturates at 255 only after
 * about a million hits with the default factor 10. New keys start at {@link #INIT} so that
 * they are not evicted before they had a chance to be used. Pure: the caller supplies the
 * time (LRU clock seconds) and a uniform random number in [0, 1).
 */
public final class Lfu {
    private Lfu() { }

    public static final int INIT = 5;
    public static final int MAX = 255;

    static int minutes(int lruSeconds) { return (lruSeconds / 60) & 0xFFFF; }

    /** The stamp of a key created now. */
    public static int fresh(int lruSeconds) { return minutes(lruSeconds) << 8 | INIT; }

    /** The stamp of a key whose counter is set to {@code counter} now (RESTORE ... FREQ). */
    public static int of(int counter, int lruSeconds) { return minutes(lruSeconds) << 8 | (counter & 0xFF); }

    /** The counter of {@code stamp} after decay at time {@code lruSeconds} (OBJECT FREQ). */
    public static int decayed(int stamp, int lruSeconds, long decayTime) {
        int counter = stamp & 0xFF;
        if (decayTime <= 0) return counter;
        int then = (stamp >>> 8) & 0xFFFF, now = minutes(lruSeconds);
        int elapsed = now >= then ? now - then : 0x10000 - then + now;
        long periods = elapsed / decayTime;
        return periods >= counter ? 0 : counter - (int) periods;
    }

    /** The stamp after one access: decay, then a logarithmic increment. */
    public static int touch(int stamp, int lruSeconds, long logFactor, long decayTime, double random) {
        int c = decayed(stamp, lruSeconds, decayTime);
        if (c < MAX) {
            int base = Math.max(0, c - INIT);
            double p = 1.0 / (base * (double) logFactor + 1);
            if (random < p) c++;
        }
        return minutes(lruSeconds) << 8 | c;
    }
}
