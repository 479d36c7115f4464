package io.jkevy.engine.ops;

import io.jkevy.engine.Session;
import io.jkevy.engine.config.Config;
import io.jkevy.engine.config.ConfigException;

import java.util.Locale;

/**
 * {@code client-output-buffer-limit}: per client class (normal, replica, pubsub) a hard
 * limit, a soft limit and soft seconds. A client whose queued, unwritten output reaches the
 * hard limit, or stays at or above the soft limit for more than the soft seconds, is closed
 * at once (its pending output is dropped), as Redis does. 0 disables a limit. The text form
 * is Redis's: {@code <class> <hard> <soft> <seconds>} repeated, sizes with Redis's units;
 * CONFIG SET may name only some classes, and the whole value is checked before any of it
 * applies.
 *
 * <p>Enforcement lives where the bytes are queued (the server's connection); this class
 * holds the limits and the decision ({@link Tracker#exceeded}), which reads no clock.
 */
public final class ClientBufferLimits {
    public static final int NORMAL = 0, REPLICA = 1, PUBSUB = 2;
    private static final String[] NAMES = {"normal", "slave", "pubsub"};

    /** [class] -> {hard, soft, softSeconds}. Replaced whole on every change. */
    private volatile long[][] limits = {
        {0, 0, 0},
        {256L * 1024 * 1024, 64L * 1024 * 1024, 60},
        {32L * 1024 * 1024, 8L * 1024 * 1024, 60},
    };

    /**
     * The class whose limits apply to {@code s}: PUBSUB while it has any subscription (RESP2
     * or RESP3, as Redis's client type), else NORMAL. Monitors are normal, as in Redis.
     */
    public static int classOf(Session s) {
        return s.pubsubMode() ? PUBSUB : NORMAL;
    }

    public long hard(int cls) { return limits[cls][0]; }

    public long soft(int cls) { return limits[cls][1]; }

    public long softSeconds(int cls) { return limits[cls][2]; }

    /** True when no class has any limit (lets the server skip the check). */
    public boolean none() {
        for (long[] l : limits) if (l[0] != 0 || l[1] != 0) return false;
        return true;
    }

    String text() {
        long[][] l = limits;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < NAMES.length; i++) {
            if (i > 0) sb.append(' ');
            sb.append(NAMES[i]).append(' ').append(l[i][0]).append(' ').append(l[i][1]).append(' ').append(l[i][2]);
        }
        return sb.toString();
    }

    void set(String text) throws ConfigException {
        String t = text.trim();
        String[] w = t.isEmpty() ? new String[0] : t.split("\\s+");
        if (w.length % 4 != 0) throw new ConfigException("Wrong number of arguments in buffer limit configuration.");
        long[][] next = new long[3][];
        for (int i = 0; i < 3; i++) next[i] = limits[i].clone();
        for (int i = 0; i < w.length; i += 4) {
            int cls = switch (w[i].toLowerCase(Locale.ROOT)) {
                case "normal" -> NORMAL;
                case "slave", "replica" -> REPLICA;
                case "pubsub" -> PUBSUB;
                default -> throw new ConfigException("Invalid client class specified in buffer limit configuration.");
            };
            long hard, soft, secs;
            try {
                hard = Config.parseMemory(w[i + 1]);
                soft = Config.parseMemory(w[i + 2]);
                secs = Long.parseLong(w[i + 3]);
            } catch (RuntimeException e) {
                throw new ConfigException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
            if (hard < 0 || soft < 0 || secs < 0) {
                throw new ConfigException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
            next[cls] = new long[] {hard, soft, secs};
        }
        limits = next;
    }

    Config.Entry entry() {
        return new Config.Entry() {
            @Override public String name() { return "client-output-buffer-limit"; }

            @Override public String get() { return text(); }

            @Override public void set(String value) throws ConfigException { ClientBufferLimits.this.set(value); }
        };
    }

    /** Per-client soft-limit clock; one per connection, safe from any thread. */
    public static final class Tracker {
        private long softSinceMillis = -1;

        /**
         * Whether a client of class {@code cls} with {@code used} bytes of queued output must
         * be closed now: at or above the hard limit, or at or above the soft limit for more
         * than the soft seconds (the soft clock starts the first time it is seen above and
         * stops when it is seen below).
         */
        public synchronized boolean exceeded(ClientBufferLimits l, int cls, long used, long nowMillis) {
            long[] lim = l.limits[cls];
            long hard = lim[0], soft = lim[1], secs = lim[2];
            boolean overHard = hard > 0 && used >= hard;
            boolean overSoft = soft > 0 && used >= soft;
            if (overSoft) {
                if (softSinceMillis < 0) {
                    softSinceMillis = nowMillis;
                    overSoft = false;
                } else if (nowMillis - softSinceMillis <= secs * 1000) {
                    overSoft = false;
                }
            } else {
                softSinceMillis = -1;
            }
            return overHard || overSoft;
        }

        /** True while the client is above its soft limit but not yet for long enough. */
        public synchronized boolean softClockRunning() { return softSinceMillis >= 0; }
    }
}
