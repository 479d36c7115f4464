package io.jkevy.engine;

import io.jkevy.engine.ops.ClientBufferLimits;
import io.jkevy.engine.ops.LatencyMonitor;
import io.jkevy.resp.RespValue;
import io.jkevy.resp.RespWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SLOWLOG, LATENCY, MONITOR, client-output-buffer-limit and CLIENT NO-TOUCH at engine level. */
class OpsCommandsTest {
    EngineHarness h;

    @BeforeEach
    void setUp() { h = new EngineHarness(); }

    private static List<RespValue> arr(RespValue v) {
        if (v instanceof RespValue.Array a) return a.elements();
        throw new AssertionError("expected an array, got " + v);
    }

    private static long num(RespValue v) { return ((RespValue.Integer) v).value(); }

    private static String str(RespValue v) { return new String(((RespValue.Bulk) v).value(), StandardCharsets.UTF_8); }

    private static List<String> strs(RespValue v) {
        List<String> out = new ArrayList<>();
        for (RespValue x : arr(v)) out.add(str(x));
        return out;
    }

    // ---- SLOWLOG ------------------------------------------------------------------------

    @Test
    void slowlogRecordsEveryCommandAtThresholdZeroNewestFirst() {
        h.simple("config", "set", "slowlog-log-slower-than", "0");
        h.simple("slowlog", "reset");
        assertEquals(1, h.integer("slowlog", "len"));          // the RESET itself, as in Redis
        h.simple("set", "k", "v");
        h.session.name("app");
        h.bulk("get", "k");
        List<RespValue> entries = arr(h.call("slowlog", "get", "2"));
        assertEquals(2, entries.size());
        List<RespValue> get = arr(entries.get(0));
        List<RespValue> set = arr(entries.get(1));
        assertEquals(6, get.size());
        assertEquals(num(set.get(0)) + 1, num(get.get(0)));     // ids grow
        assertEquals(h.now() / 1000, num(get.get(1)));
        assertTrue(num(get.get(2)) >= 0);
        assertEquals(List.of("get", "k"), strs(get.get(3)));
        assertEquals(List.of("set", "k", "v"), strs(set.get(3)));
        assertEquals("127.0.0.1:0", str(get.get(4)));
        assertEquals("app", str(get.get(5)));
        assertEquals("", str(set.get(5)));
        assertEquals(5, arr(h.call("slowlog", "get", "-1")).size());   // reset, len, set, get, slowlog get 2
    }

    @Test
    void slowlogDefaultThresholdSkipsFastCommandsAndNegativeDisables() {
        h.simple("set", "k", "v");
        assertEquals(0, h.integer("slowlog", "len"));
        h.simple("config", "set", "slowlog-log-slower-than", "15000");
        h.simple("debug", "sleep", "0.03");
        assertEquals(1, h.integer("slowlog", "len"));
        List<RespValue> e = arr(arr(h.call("slowlog", "get")).get(0));
        assertEquals(List.of("debug", "sleep", "0.03"), strs(e.get(3)));
        assertTrue(num(e.get(2)) >= 30_000, "duration in microseconds: " + e.get(2));
        h.simple("config", "set", "slowlog-log-slower-than", "-1");
        h.simple("debug", "sleep", "0.02");
        assertEquals(1, h.integer("slowlog", "len"));
    }

    @Test
    void slowlogTruncatesArgumentsAndStringsAsRedis() {
        h.simple("config", "set", "slowlog-log-slower-than", "0");
        String[] args = new String[42];
        args[0] = "rpush";
        args[1] = "l";
        for (int i = 2; i < 42; i++) args[i] = Integer.toString(i - 1);
        h.integer(args);
        h.simple("set", "k", "a".repeat(200));
        List<RespValue> all = arr(h.call("slowlog", "get", "2"));
        List<String> set = strs(arr(all.get(0)).get(3));
        assertEquals("a".repeat(128) + "... (72 more bytes)", set.get(2));
        List<String> push = strs(arr(all.get(1)).get(3));
        assertEquals(32, push.size());
        assertEquals("29", push.get(30));
        assertEquals("... (11 more arguments)", push.get(31));
    }

    @Test
    void slowlogRedactsSecretsAndHonoursMaxLen() {
        h.simple("config", "set", "slowlog-log-slower-than", "0");
        h.call("auth", "user", "secret");
        h.simple("config", "set", "requirepass", "");
        List<RespValue> all = arr(h.call("slowlog", "get", "2"));
        assertEquals(List.of("config", "set", "requirepass", "(redacted)"), strs(arr(all.get(0)).get(3)));
        assertEquals(List.of("auth", "(redacted)", "(redacted)"), strs(arr(all.get(1)).get(3)));
        h.simple("config", "set", "slowlog-max-len", "3");
        for (int i = 0; i < 10; i++) h.call("ping");
        assertEquals(3, h.integer("slowlog", "len"));
        h.simple("config", "set", "slowlog-max-len", "0");
        h.call("ping");
        assertEquals(0, h.integer("slowlog", "len"));
    }

    @Test
    void slowlogErrors() {
        assertEquals("ERR count should be greater than or equal to -1", h.error("slowlog", "get", "-2"));
        assertEquals("ERR count should be greater than or equal to -1", h.error("slowlog", "get", "x"));
        assertEquals("ERR unknown subcommand or wrong number of arguments for 'get'. Try SLOWLOG HELP.",
                h.error("slowlog", "get", "1", "2"));
        assertEquals("ERR wrong number of arguments for 'slowlog|len' command", h.error("slowlog", "len", "x"));
        assertEquals("ERR unknown subcommand 'foo'. Try SLOWLOG HELP.", h.error("slowlog", "foo"));
        List<RespValue> help = arr(h.call("slowlog", "help"));
        assertEquals(new RespValue.SimpleString("SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"), help.get(0));
        assertEquals(0, arr(h.call("slowlog", "get", "0")).size());
    }

    // ---- LATENCY ------------------------------------------------------------------------

    @Test
    void latencyRecordsCommandSpikesAboveThreshold() {
        h.simple("debug", "sleep", "0.02");
        assertEquals(0, arr(h.call("latency", "latest")).size());       // threshold 0: off
        h.simple("config", "set", "latency-monitor-threshold", "10");
        h.simple("debug", "sleep", "0.03");
        h.simple("set", "k", "v");                                        // fast, below threshold
        List<RespValue> latest = arr(h.call("latency", "latest"));
        assertEquals(1, latest.size());
        List<RespValue> cmd = arr(latest.get(0));
        assertEquals("command", str(cmd.get(0)));
        assertEquals(h.now() / 1000, num(cmd.get(1)));
        assertTrue(num(cmd.get(2)) >= 30, cmd.toString());
        assertEquals(num(cmd.get(2)), num(cmd.get(3)));
        List<RespValue> hist = arr(h.call("latency", "history", "command"));
        assertEquals(1, hist.size());
        assertEquals(h.now() / 1000, num(arr(hist.get(0)).get(0)));
        assertEquals(0, arr(h.call("latency", "history", "nope")).size());
        assertEquals("ERR No samples available for event 'nope'", h.error("latency", "graph", "nope"));
        assertEquals(0, h.integer("latency", "reset", "nope"));
        assertEquals(1, h.integer("latency", "reset", "command", "nope"));
        assertEquals(0, arr(h.call("latency", "latest")).size());
        assertEquals("ERR wrong number of arguments for 'latency|history' command", h.error("latency", "history"));
    }

    @Test
    void latencySamplesOnePerSecondKeepingTheLargest() {
        LatencyMonitor lm = h.engine.ops().latency();
        lm.add("command", 50, 1000);
        lm.add("command", 80, 1000);
        lm.add("command", 20, 1000);
        lm.add("command", 30, 1001);
        lm.add("expire-cycle", 5, 1001);
        assertEquals(List.of(new LatencyMonitor.Sample(1000, 80), new LatencyMonitor.Sample(1001, 30)), lm.history("command"));
        List<LatencyMonitor.Latest> latest = lm.latest();
        assertEquals(new LatencyMonitor.Latest("command", 1001, 30, 80), latest.get(0));
        assertEquals(new LatencyMonitor.Latest("expire-cycle", 1001, 5, 5), latest.get(1));
        for (int i = 0; i < 200; i++) lm.add("fast-command", i + 1, 2000 + i);
        List<LatencyMonitor.Sample> fast = lm.history("fast-command");
        assertEquals(160, fast.size());
        assertEquals(new LatencyMonitor.Sample(2040, 41), fast.get(0));
        assertEquals(new LatencyMonitor.Sample(2199, 200), fast.get(159));
        assertEquals(3, h.integer("latency", "reset"));
    }

    @Test
    void latencyDoctorAndGraphText() {
        String none = text(h.call("latency", "doctor"));
        assertTrue(none.startsWith("Dave, no latency spike was observed during the lifetime of this Redis instance"), none);
        LatencyMonitor lm = h.engine.ops().latency();
        long now = h.now() / 1000;
        // the samples of a real Redis run, and its graph of them, character for character
        lm.add("command", 20, now - 6);
        lm.add("command", 43, now - 5);
        lm.add("command", 30, now - 4);
        lm.add("command", 12, now - 2);
        String doc = text(h.call("latency", "doctor"));
        assertTrue(doc.startsWith("Dave, I have observed latency spikes in this Redis instance."), doc);
        assertTrue(doc.contains("1. command: 4 latency spikes (average 26ms, mean deviation 10ms, period 1.50 sec). Worst all time event 43ms."), doc);
        assertEquals(String.join("\n",
                "command - high 43 ms, low 12 ms (all time high 43 ms)",
                "-".repeat(80),
                " #  ",
                " |_ ",
                "_|| ",
                "|||_",
                "    ",
                "6542",
                "ssss", ""), text(h.call("latency", "graph", "command")));
        lm.resetAll();
        lm.add("command", 21, now);
        assertEquals(String.join("\n",
                "command - high 21 ms, low 21 ms (all time high 21 ms)", "-".repeat(80), " ", " ", " ", "_", " ", "0", "s", ""),
                text(h.call("latency", "graph", "command")));
        assertTrue(text(h.call("latency", "doctor")).contains("1. command: 1 latency spikes (average 21ms, mean deviation 0ms, period 0.00 sec)."));
    }

    private static String text(RespValue v) {
        if (v instanceof RespValue.Verbatim t) return new String(t.text(), StandardCharsets.UTF_8);
        if (v instanceof RespValue.Bulk b) return new String(b.value(), StandardCharsets.UTF_8);
        throw new AssertionError("expected text, got " + v);
    }

    @Test
    void expireCycleIsALatencyEvent() {
        h.engine.ops().expireCycle(25_000_000L, h.now());
        assertEquals(0, arr(h.call("latency", "latest")).size());
        h.simple("config", "set", "latency-monitor-threshold", "20");
        h.engine.ops().expireCycle(25_000_000L, h.now());
        h.engine.ops().expireCycle(5_000_000L, h.now() + 1000);
        assertEquals(List.of(new LatencyMonitor.Sample(h.now() / 1000, 25)), h.engine.ops().latency().history("expire-cycle"));
    }

    // ---- MONITOR ------------------------------------------------------------------------

    @Test
    void monitorSeesOtherClientsCommandsInRedisFormat() {
        BlockingTest.FakeConnection conn = new BlockingTest.FakeConnection();
        Session mon = h.engine.openSession(conn);
        RespWriter w = new RespWriter();
        assertEquals(new RespValue.SimpleString("OK"), h.callOn(mon, w, "monitor"));
        h.call(new byte[][] {"set".getBytes(), "a b".getBytes(), {'x', '\t', 'y', '\n', 1, (byte) 0xff, '"', '\\', 7, 8, '\r'}});
        h.call("config", "set", "slowlog-max-len", "10");       // admin: not shown
        h.call("auth", "x");
        h.call("hello", "2", "AUTH", "u", "p");
        h.call("select", "3");
        h.call("get", "k");
        h.call("nosuchcommand");                                   // rejected before running: not shown
        assertEquals(5, conn.delivered.size(), conn.delivered.toString());
        String first = conn.delivered.get(0);
        assertTrue(first.matches("\\+\\d{10}\\.\\d{6} \\[0 127\\.0\\.0\\.1:0\\] .*\r\n"), first);
        assertEquals("\"set\" \"a b\" \"x\\ty\\n\\x01\\xff\\\"\\\\\\a\\b\\r\"\r\n", first.substring(first.indexOf("] ") + 2));
        assertTrue(conn.delivered.get(1).endsWith("] \"auth\" \"(redacted)\"\r\n"), conn.delivered.get(1));
        assertTrue(conn.delivered.get(2).endsWith("] \"hello\" \"2\" \"AUTH\" \"(redacted)\" \"(redacted)\"\r\n"));
        assertTrue(conn.delivered.get(4).contains(" [3 127.0.0.1:0] \"get\" \"k\"\r\n"), conn.delivered.get(4));
        // CLIENT LIST shows the monitor's O flag
        String list = text(h.call("client", "list"));
        assertTrue(list.contains("id=" + mon.id() + " ") && list.lines().anyMatch(l -> l.startsWith("id=" + mon.id() + " ") && l.contains(" flags=O ")), list);
        // a second MONITOR gets no reply at all
        assertEquals(null, h.callOn(mon, w, "monitor"));
        // RESET leaves monitor mode; so does disconnecting
        h.callOn(mon, w, "reset");
        int before = conn.delivered.size();
        h.call("ping");
        assertEquals(before, conn.delivered.size());
        h.callOn(mon, w, "monitor");
        h.engine.closeSession(mon);
        assertFalse(h.engine.ops().monitored());
    }

    @Test
    void monitorWatchingItselfGetsTheLineAfterItsReply() {
        h.simple("monitor");
        String raw = h.raw("ping");
        assertTrue(raw.matches("\\+PONG\r\n\\+\\d+\\.\\d{6} \\[0 127\\.0\\.0\\.1:0\\] \"ping\"\r\n"), raw);
        // like a replica link in Redis, a monitor may not touch the keyspace
        assertEquals("ERR Replica can't interact with the keyspace", h.error("get", "k"));
        assertEquals("ERR Replica can't interact with the keyspace", h.error("set", "k", "v"));
        h.call("reset");
        assertEquals(null, h.bulk("get", "k"));
    }

    // ---- client-output-buffer-limit ------------------------------------------------------

    @Test
    void outputBufferLimitConfigParsesAsRedis() {
        assertEquals("normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
                h.engine.config().get("client-output-buffer-limit"));
        h.simple("config", "set", "client-output-buffer-limit", "normal 1mb 2kb 3");
        h.simple("config", "set", "client-output-buffer-limit", "replica 2mb 1mb 5 pubsub 0 0 0");
        assertEquals("normal 1048576 2048 3 slave 2097152 1048576 5 pubsub 0 0 0",
                h.engine.config().get("client-output-buffer-limit"));
        String pre = "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - ";
        assertEquals(pre + "Invalid client class specified in buffer limit configuration.",
                h.error("config", "set", "client-output-buffer-limit", "foo 1 2 3"));
        assertEquals(pre + "Wrong number of arguments in buffer limit configuration.",
                h.error("config", "set", "client-output-buffer-limit", "normal 1 2"));
        assertEquals(pre + "Error in hard, soft or soft_seconds setting in buffer limit configuration.",
                h.error("config", "set", "client-output-buffer-limit", "normal 5 5 5 replica 1mb 2kb x"));
        assertEquals(pre + "Error in hard, soft or soft_seconds setting in buffer limit configuration.",
                h.error("config", "set", "client-output-buffer-limit", "replica 1mb 2kb -1"));
        // a refused value changed nothing (the valid "normal" group before the bad one included)
        assertEquals("normal 1048576 2048 3 slave 2097152 1048576 5 pubsub 0 0 0",
                h.engine.config().get("client-output-buffer-limit"));
        ClientBufferLimits l = h.engine.ops().bufferLimits();
        assertEquals(1048576, l.hard(ClientBufferLimits.NORMAL));
        assertEquals(2048, l.soft(ClientBufferLimits.NORMAL));
        assertEquals(3, l.softSeconds(ClientBufferLimits.NORMAL));
        assertEquals(ClientBufferLimits.NORMAL, ClientBufferLimits.classOf(h.session));
        assertEquals("ERR CONFIG SET failed (possibly related to argument 'client-query-buffer-limit') - "
                + "argument must be between 1048576 and 9223372036854775807 inclusive",
                h.error("config", "set", "client-query-buffer-limit", "100"));
        h.simple("config", "set", "client-query-buffer-limit", "2mb");
        assertEquals(2 * 1024 * 1024, h.engine.ops().queryBufferLimit());
    }

    @Test
    void outputBufferHardAndSoftLimitDecisions() {
        h.simple("config", "set", "client-output-buffer-limit", "normal 1000 100 2");
        ClientBufferLimits l = h.engine.ops().bufferLimits();
        ClientBufferLimits.Tracker t = new ClientBufferLimits.Tracker();
        int n = ClientBufferLimits.NORMAL;
        assertFalse(t.exceeded(l, n, 99, 0));
        assertTrue(t.exceeded(l, n, 1000, 0));          // hard: at once (and the soft clock started)
        assertFalse(t.exceeded(l, n, 0, 1));            // drained: the soft clock stops
        assertFalse(t.exceeded(l, n, 500, 10_000));     // soft clock starts
        assertFalse(t.exceeded(l, n, 500, 12_000));     // exactly the soft seconds: still allowed
        assertTrue(t.exceeded(l, n, 500, 12_001));      // above soft for longer: closed
        assertFalse(t.exceeded(l, n, 50, 12_002));      // below soft: clock stops
        assertFalse(t.exceeded(l, n, 500, 20_000));     // starts again
        h.simple("config", "set", "client-output-buffer-limit", "normal 0 0 0");
        assertFalse(t.exceeded(l, n, Long.MAX_VALUE / 2, 30_000));
    }

    // ---- CLIENT NO-TOUCH -----------------------------------------------------------------

    @Test
    void noTouchLeavesAccessTimeAloneButTouchUpdatesIt() {
        h.simple("set", "k", "v");
        h.simple("set", "other", "v");
        h.advance(10_000);
        h.engine.cron();
        assertEquals(10, h.integer("object", "idletime", "k"));
        h.simple("client", "no-touch", "on");
        h.bulk("get", "k");
        h.integer("strlen", "k");
        h.integer("exists", "k");
        assertEquals(10, h.integer("object", "idletime", "k"));
        h.integer("touch", "k");                                  // TOUCH always updates
        assertEquals(0, h.integer("object", "idletime", "k"));
        h.simple("client", "no-touch", "off");
        assertEquals(10, h.integer("object", "idletime", "other"));
        h.bulk("get", "other");
        assertEquals(0, h.integer("object", "idletime", "other"));
    }

    // ---- CONFIG REWRITE (the host does the file work) -------------------------------------

    @Test
    void configRewriteErrorsAsRedis() {
        assertEquals("ERR The server is running without a config file", h.error("config", "rewrite"));
        int[] calls = {0};
        h.engine.host(new Host() {
            @Override public void shutdown() { }
            @Override public int port() { return 0; }
            @Override public String configFile() { return "/etc/jkevy.toml"; }
            @Override public void rewriteConfig() throws java.io.IOException {
                if (++calls[0] == 1) throw new java.io.IOException("Permission denied");
            }
        });
        assertEquals("ERR Rewriting config file: Permission denied", h.error("config", "rewrite"));
        assertEquals("OK", h.simple("config", "rewrite"));
        assertEquals(2, calls[0]);
    }
}
