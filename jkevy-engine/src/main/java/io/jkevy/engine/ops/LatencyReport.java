package io.jkevy.engine.ops;

import java.util.List;
import java.util.Locale;

/**
 * The text of LATENCY DOCTOR (a per-event summary and advice) and LATENCY GRAPH (an ASCII
 * chart of an event's samples, newest on the right, with each column's age below it).
 */
final class LatencyReport {
    private LatencyReport() { }

    static String doctor(Ops ops, long nowSeconds) {
        LatencyMonitor lm = ops.latency();
        List<String> events = lm.eventNames();
        if (events.isEmpty()) {
            return "Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. "
                    + "I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n";
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n");
        boolean commandEvents = false, fastEvents = false, expireEvents = false;
        int i = 1;
        for (String e : events) {
            List<LatencyMonitor.Sample> s = lm.history(e);
            if (s.isEmpty()) continue;
            long sum = 0;
            for (LatencyMonitor.Sample x : s) sum += x.millis();
            double avg = (double) sum / s.size();
            double dev = 0;
            for (LatencyMonitor.Sample x : s) dev += Math.abs(x.millis() - avg);
            dev /= s.size();
            // the mean time between spikes, from the first one until now
            double period = (double) Math.max(0, nowSeconds - s.get(0).timeSeconds()) / s.size();
            sb.append(i++).append(". ").append(e).append(": ").append(s.size())
              .append(" latency spikes")
              .append(String.format(Locale.ROOT, " (average %dms, mean deviation %dms, period %.2f sec). Worst all time event %dms.\n",
                      Math.round(avg), Math.round(dev), period, lm.max(e)));
            commandEvents |= e.equals(LatencyMonitor.COMMAND);
            fastEvents |= e.equals(LatencyMonitor.FAST_COMMAND);
            expireEvents |= e.equals(LatencyMonitor.EXPIRE_CYCLE);
        }
        sb.append("\nI have a few advices for you:\n\n");
        long slowlog = ops.slowLog().thresholdMicros;
        long threshold = lm.thresholdMillis;
        if (slowlog < 0 || (threshold > 0 && slowlog / 1000 > threshold)) {
            sb.append("- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. ")
              .append("Please use 'CONFIG SET slowlog-log-slower-than ").append(threshold * 1000).append("'.\n");
        }
        if (commandEvents || fastEvents) {
            sb.append("- Check your Slow Log to understand what are the commands you are running which are too slow to execute. ")
              .append("Please check https://redis.io/commands/slowlog for more information.\n");
        }
        if (fastEvents) {
            sb.append("- Commands flagged as fast (O(1) or O(log N)) were slow: the process did not get CPU time for long periods. ")
              .append("Lower the system load, check for noisy neighbours, and for long garbage collection pauses of the JVM.\n");
        }
        if (commandEvents || expireEvents) {
            sb.append("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. ")
              .append("If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n");
        }
        return sb.toString();
    }

    /** Rows of the chart (height), then the age labels. */
    private static final int ROWS = 4;

    static String graph(String event, List<LatencyMonitor.Sample> samples, long allTimeMax, long nowSeconds) {
        long hi = Long.MIN_VALUE, lo = Long.MAX_VALUE;
        for (LatencyMonitor.Sample s : samples) {
            hi = Math.max(hi, s.millis());
            lo = Math.min(lo, s.millis());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(event).append(" - high ").append(hi).append(" ms, low ").append(lo)
          .append(" ms (all time high ").append(allTimeMax).append(" ms)\n");
        sb.append("-".repeat(80)).append('\n');
        int n = samples.size();
        // each column's height in half-rows: 1 (lowest sample) .. ROWS*2 (highest)
        int[] level = new int[n];
        for (int i = 0; i < n; i++) {
            long v = samples.get(i).millis();
            level[i] = hi == lo ? 1 : 1 + (int) Math.round((double) (v - lo) * (ROWS * 2 - 1) / (hi - lo));
        }
        for (int row = ROWS - 1; row >= 0; row--) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < n; i++) {
                int top = (level[i] - 1) / 2;          // the row where the column ends
                char ch = row > top ? ' ' : row < top ? '|' : (level[i] - 1) % 2 == 1 ? '#' : '_';
                line.append(ch);
            }
            sb.append(line).append('\n');
        }
        sb.append(" ".repeat(n)).append('\n');
        // ages below each column, written top to bottom ("15s", "2m", "1h", "3d")
        String[] ages = new String[n];
        int width = 0;
        for (int i = 0; i < n; i++) {
            ages[i] = age(nowSeconds - samples.get(i).timeSeconds());
            width = Math.max(width, ages[i].length());
        }
        for (int r = 0; r < width; r++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < n; i++) line.append(r < ages[i].length() ? ages[i].charAt(r) : ' ');
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    static String age(long secs) {
        if (secs < 0) secs = 0;
        if (secs < 60) return secs + "s";
        if (secs < 3600) return secs / 60 + "m";
        if (secs < 86400) return secs / 3600 + "h";
        return secs / 86400 + "d";
    }
}
