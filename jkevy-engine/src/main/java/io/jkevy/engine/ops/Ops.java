package io.jkevy.engine.ops;

import io.jkevy.engine.Engine;
import io.jkevy.engine.Session;
import io.jkevy.engine.command.CommandFlags;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.command.CommandTable;
import io.jkevy.engine.config.Config;
import io.jkevy.resp.RespWriter;

/**
 * Operations support of one engine: the slow log, the latency monitor, MONITOR, and the
 * client buffer limits the server enforces. Owns their configuration keys
 * ({@code slowlog-log-slower-than}, {@code slowlog-max-len}, {@code latency-monitor-threshold},
 * {@code client-output-buffer-limit}, {@code client-query-buffer-limit}) and the SLOWLOG,
 * LATENCY and MONITOR commands. The dispatcher calls {@link #afterCommand} after every
 * top-level command and {@link #feedMonitors} only while {@link #monitored}.
 */
public final class Ops {
    private final Engine engine;
    private final SlowLog slowLog = new SlowLog();
    private final LatencyMonitor latency = new LatencyMonitor();
    private final Monitors monitors = new Monitors();
    private final ClientBufferLimits bufferLimits = new ClientBufferLimits();
    private volatile long queryBufferLimit = 1024L * 1024 * 1024;

    /** Registers the configuration keys (before the standard ones, so these hooks win) and the commands. */
    public Ops(Engine engine, CommandTable commands) {
        this.engine = engine;
        Config c = engine.config();
        c.intEntry("slowlog-log-slower-than", 10000, -1, Long.MAX_VALUE, v -> slowLog.thresholdMicros = v);
        c.intEntry("slowlog-max-len", 128, 0, Long.MAX_VALUE, v -> slowLog.maxLen = v);
        c.intEntry("latency-monitor-threshold", 0, 0, Long.MAX_VALUE, v -> latency.thresholdMillis = v);
        c.memoryEntry("client-query-buffer-limit", 1024L * 1024 * 1024, 1024 * 1024, Long.MAX_VALUE, v -> queryBufferLimit = v);
        c.register(bufferLimits.entry());
        OpsCommands.register(commands, this);
    }

    public Engine engine() { return engine; }

    public SlowLog slowLog() { return slowLog; }

    public LatencyMonitor latency() { return latency; }

    public Monitors monitors() { return monitors; }

    public ClientBufferLimits bufferLimits() { return bufferLimits; }

    /** client-query-buffer-limit in bytes. */
    public long queryBufferLimit() { return queryBufferLimit; }

    /**
     * After a top-level command ran for {@code micros}: the slow log (unless the command is
     * flagged skip_slowlog or left the client blocked) and the latency monitor's "command" or
     * "fast-command" event.
     */
    public void afterCommand(Session s, CommandSpec spec, byte[][] argv, long micros, long nowMillis) {
        if (slowLog.wants(micros) && !spec.has(CommandFlags.SKIP_SLOWLOG) && !s.blocked()) {
            slowLog.add(Redaction.redact(argv), micros, nowMillis, s.connection().remoteAddress(), s.name());
        }
        long ms = micros / 1000;
        if (latency.wants(ms)) {
            latency.add(spec.has(CommandFlags.FAST) ? LatencyMonitor.FAST_COMMAND : LatencyMonitor.COMMAND, ms, nowMillis / 1000);
        }
    }

    /** One active-expire cycle took {@code nanos}: the "expire-cycle" latency event. */
    public void expireCycle(long nanos, long nowMillis) {
        latency.sampleIfNeeded(LatencyMonitor.EXPIRE_CYCLE, nanos / 1_000_000, nowMillis / 1000);
    }

    /** True while some client is in MONITOR mode. */
    public boolean monitored() { return monitors.active(); }

    /**
     * Shows a command that ran to every monitor, unless it is an admin command or flagged
     * skip_monitor (as Redis); secrets are redacted. {@code out} is the running client's
     * writer (a monitor watching itself sees the line after its reply).
     */
    public void feedMonitors(Session s, CommandSpec spec, byte[][] argv, RespWriter out) {
        if (spec.has(CommandFlags.ADMIN | CommandFlags.SKIP_MONITOR)) return;
        java.time.Instant now = java.time.Instant.now();
        long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
        monitors.feed(s, s.db(), argv, out, micros);
    }

    /**
     * A client in MONITOR mode may not read or write keys (Redis treats it as a replica link):
     * writes the error and returns true for such a command.
     */
    public boolean refuseFromMonitor(CommandSpec spec, RespWriter out) {
        if (!spec.has(CommandFlags.READONLY | CommandFlags.WRITE)) return false;
        spec.rejectedCalls.increment();
        out.error("ERR Replica can't interact with the keyspace");
        return true;
    }

    /** The session is gone: it stops monitoring. */
    public void sessionClosed(Session s) {
        if (s.monitor()) monitors.remove(s);
    }
}
