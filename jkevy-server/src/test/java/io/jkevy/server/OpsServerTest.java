package io.jkevy.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client buffer limits and MONITOR through real sockets: a client that never reads its
 * replies is dropped at the output hard/soft limit (and only kept, bounded by back-pressure,
 * when there is no limit), an oversized unparsed request is dropped at the query limit,
 * MONITOR streams other clients' commands.
 */
class OpsServerTest {
    TestServer server;
    Jedis jedis;

    @BeforeEach
    void start() {
        server = new TestServer();
        jedis = new Jedis(server.host(), server.port());
    }

    @AfterEach
    void stop() {
        jedis.close();
        server.close();
    }

    /** A socket with a small receive buffer that never reads: replies pile up in the server. */
    private Socket nonReader() throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(8192);
        s.connect(new InetSocketAddress("127.0.0.1", server.port()));
        return s;
    }

    private long clientId(Socket s) {
        String local = "127.0.0.1:" + s.getLocalPort();
        for (String line : jedis.clientList().split("\n")) {
            if (line.contains(" addr=" + local + " ")) return Long.parseLong(line.substring(3, line.indexOf(' ')));
        }
        return -1;
    }

    private String clientLine(Socket s) {
        String local = "127.0.0.1:" + s.getLocalPort();
        for (String line : jedis.clientList().split("\n")) if (line.contains(" addr=" + local + " ")) return line;
        return null;
    }

    private boolean goneWithin(Socket s, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (clientLine(s) == null) return true;
            Thread.sleep(50);
        }
        return false;
    }

    private static byte[] gets(String key, int n) {
        return ("GET " + key + "\r\n").repeat(n).getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends from a helper thread: the server may stop reading (back-pressure) and block our write. */
    private static Thread sendInBackground(Socket s, byte[] data) {
        Thread t = new Thread(() -> {
            try {
                OutputStream out = s.getOutputStream();
                for (int off = 0; off < data.length; off += 4096) {
                    out.write(data, off, Math.min(4096, data.length - off));
                }
                out.flush();
            } catch (IOException e) {
                // closed by the server: expected
            }
        }, "flooder");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void normalClientOverTheHardLimitIsClosed() throws Exception {
        jedis.configSet("client-output-buffer-limit", "normal 1mb 0 0");
        jedis.set("big".getBytes(), new byte[256 * 1024]);
        try (Socket s = nonReader()) {
            sendInBackground(s, gets("big", 400));          // 100 MB of replies, never read
            assertThat(goneWithin(s, 15_000)).as("client over the hard limit is dropped").isTrue();
            InputStream in = s.getInputStream();
            s.setSoTimeout(10_000);
            byte[] buf = new byte[65536];
            long got = 0;
            try {
                for (int r; (r = in.read(buf)) >= 0; ) got += r;
            } catch (IOException reset) {
                // a reset is a close too
            }
            assertThat(got).as("far less than the 100 MB asked for").isLessThan(50L * 1024 * 1024);
        }
        assertThat(jedis.ping()).isEqualTo("PONG");
    }

    @Test
    void withoutALimitBackPressureKeepsTheClientAndOmemShowsTheBacklog() throws Exception {
        jedis.set("big".getBytes(), new byte[256 * 1024]);
        try (Socket s = nonReader()) {
            sendInBackground(s, gets("big", 400));
            long end = System.currentTimeMillis() + 10_000;
            long omem = 0;
            while (System.currentTimeMillis() < end && omem < 1024 * 1024) {
                String line = clientLine(s);
                assertThat(line).isNotNull();
                omem = Long.parseLong(line.replaceAll(".* omem=(\\d+) .*", "$1"));
                Thread.sleep(50);
            }
            assertThat(omem).as("queued output shows in CLIENT LIST omem").isGreaterThanOrEqualTo(1024 * 1024);
            Thread.sleep(500);
            String line = clientLine(s);
            assertThat(line).as("no limit: still connected").isNotNull();
            long later = Long.parseLong(line.replaceAll(".* omem=(\\d+) .*", "$1"));
            assertThat(later).as("back-pressure bounds the queue").isLessThan(16L * 1024 * 1024);
        }
    }

    @Test
    void clientAboveTheSoftLimitForLongerThanItsSecondsIsClosed() throws Exception {
        jedis.configSet("client-output-buffer-limit", "normal 0 512kb 1");
        jedis.set("big".getBytes(), new byte[256 * 1024]);
        try (Socket s = nonReader()) {
            sendInBackground(s, gets("big", 200));
            Thread.sleep(300);
            assertThat(clientLine(s)).as("not at once").isNotNull();
            assertThat(goneWithin(s, 10_000)).as("dropped after the soft seconds").isTrue();
        }
    }

    @Test
    void subscriberThatNeverReadsIsDroppedWhilePublisherFloods() throws Exception {
        boolean havePubSub = jedis.sendCommand(redis.clients.jedis.Protocol.Command.COMMAND, "INFO", "publish") instanceof List<?> l
                && !l.isEmpty() && l.get(0) != null;
        Socket s = nonReader();
        try (s) {
            byte[] payload = new byte[64 * 1024];
            if (havePubSub) {
                // either class may apply: pubsub once subscriber mode is classified, normal before
                jedis.configSet("client-output-buffer-limit", "normal 1mb 0 0 pubsub 1mb 0 0");
                s.getOutputStream().write("SUBSCRIBE ch\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                long end = System.currentTimeMillis() + 5000;
                while (System.currentTimeMillis() < end && !String.valueOf(clientLine(s)).contains("cmd=subscribe")) Thread.sleep(20);
                for (int i = 0; i < 2000 && clientLine(s) != null; i++) {
                    jedis.publish("ch".getBytes(), payload);
                }
            } else {
                // no PUBLISH in this build: the same flood through large GET replies
                jedis.configSet("client-output-buffer-limit", "normal 1mb 0 0");
                jedis.set("big".getBytes(), payload);
                sendInBackground(s, gets("big", 2000));
            }
            Runtime rt = Runtime.getRuntime();
            assertThat(goneWithin(s, 15_000)).as("flooded non-reader dropped").isTrue();
            System.gc();
            assertThat(rt.totalMemory() - rt.freeMemory()).as("heap stays bounded").isLessThan(512L * 1024 * 1024);
        }
        assertThat(jedis.ping()).isEqualTo("PONG");
    }

    @Test
    void queryBufferLimitClosesAClientWithAnOversizedRequest() throws Exception {
        jedis.configSet("client-query-buffer-limit", "1mb");
        try (RawClient ok = new RawClient(server.port())) {
            byte[] v = new byte[900 * 1024];
            ok.send(("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + v.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            ok.send(v);
            ok.send("\r\n");
            assertThat(ok.readUntil("+OK\r\n")).isEqualTo("+OK\r\n");
        }
        try (RawClient big = new RawClient(server.port())) {
            int len = 2 * 1024 * 1024;
            big.send(("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$" + len + "\r\n").getBytes(StandardCharsets.US_ASCII));
            try {
                for (int i = 0; i < len / 65536; i++) big.send(new byte[65536]);
            } catch (IOException closed) {
                // the server closed mid-request
            }
            assertThat(big.closedByPeer(10_000)).isTrue();
        }
        assertThat(jedis.exists("x")).isFalse();
        assertThat(jedis.strlen("k")).isEqualTo(900 * 1024);
    }

    @Test
    void monitorStreamsOtherClientsCommands() throws Exception {
        jedis.ping();
        try (RawClient mon = new RawClient(server.port())) {
            mon.send("MONITOR\r\n");
            assertThat(mon.readUntil("+OK\r\n")).isEqualTo("+OK\r\n");
            jedis.set("foo", "bar baz");
            jedis.configSet("slowlog-max-len", "64");      // admin: not shown
            jedis.select(2);
            jedis.get("foo");
            String text = mon.readUntil("\"GET\" \"foo\"\r\n");
            String[] lines = text.split("\r\n");
            String port = jedis.clientInfo().replaceAll("(?s).* addr=127\\.0\\.0\\.1:(\\d+) .*", "$1");
            assertThat(lines[1]).matches("\\+\\d+\\.\\d{6} \\[0 127\\.0\\.0\\.1:" + port + "\\] \"SET\" \"foo\" \"bar baz\"");
            assertThat(lines[2]).matches("\\+\\d+\\.\\d{6} \\[2 127\\.0\\.0\\.1:" + port + "\\] \"SELECT\" \"2\"");
            assertThat(lines[3]).endsWith("] \"GET\" \"foo\"");
            assertThat(lines).hasSize(4);
            assertThat(jedis.clientList()).containsPattern("flags=O ");
        }
    }

    @Test
    void slowlogThroughJedis() {
        jedis.configSet("slowlog-log-slower-than", "0");
        jedis.slowlogReset();
        jedis.clientSetname("tester");
        jedis.set("a", "b");
        var entries = jedis.slowlogGet(2);
        assertThat(entries.get(0).getArgs()).containsExactly("SET", "a", "b");
        assertThat(entries.get(0).getClientName()).isEqualTo("tester");
        assertThat(entries.get(1).getArgs()).containsExactly("CLIENT", "SETNAME", "tester");
        assertThat(jedis.slowlogLen()).isEqualTo(4);
    }

    @Test
    void monitorThatNeverReadsIsDroppedAtTheLimit() throws Exception {
        // monitor lines reach the monitor through Connection.deliver (another thread's writes)
        jedis.configSet("client-output-buffer-limit", "normal 1mb 0 0");
        try (Socket mon = nonReader()) {
            mon.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
            mon.getOutputStream().flush();
            long end = System.currentTimeMillis() + 5000;
            while (System.currentTimeMillis() < end && !String.valueOf(clientLine(mon)).contains("flags=O")) Thread.sleep(20);
            assertThat(clientLine(mon)).contains("flags=O");
            byte[] value = new byte[64 * 1024];
            for (int i = 0; i < 1000 && clientLine(mon) != null; i++) jedis.set("k".getBytes(), value);
            assertThat(goneWithin(mon, 10_000)).as("monitor over the hard limit is dropped").isTrue();
        }
        assertThat(jedis.ping()).isEqualTo("PONG");
    }

    @Test
    void noTouchClientLeavesIdleTimeAloneThroughJedis() throws Exception {
        jedis.set("k", "v");
        Thread.sleep(2200);
        jedis.sendCommand(redis.clients.jedis.Protocol.Command.CLIENT, "NO-TOUCH", "on");
        assertThat(jedis.get("k")).isEqualTo("v");
        assertThat(jedis.objectIdletime("k")).isGreaterThanOrEqualTo(2L);
        assertThat(jedis.touch("k")).isEqualTo(1L);
        assertThat(jedis.objectIdletime("k")).isLessThanOrEqualTo(1L);
        jedis.sendCommand(redis.clients.jedis.Protocol.Command.CLIENT, "NO-TOUCH", "off");
        Thread.sleep(2200);
        jedis.get("k");
        assertThat(jedis.objectIdletime("k")).isLessThanOrEqualTo(1L);
    }

    @Test
    void latencyThroughJedis() {
        jedis.configSet("latency-monitor-threshold", "10");
        redis.clients.jedis.commands.ProtocolCommand debug = () -> "DEBUG".getBytes(StandardCharsets.US_ASCII);
        jedis.sendCommand(debug, "SLEEP", "0.05");
        Object latest = jedis.sendCommand(redis.clients.jedis.Protocol.Command.LATENCY, "LATEST");
        List<?> events = (List<?>) latest;
        assertThat(events).hasSize(1);
        List<?> e = (List<?>) events.get(0);
        assertThat(new String((byte[]) e.get(0), StandardCharsets.UTF_8)).isEqualTo("command");
        assertThat((Long) e.get(2)).isGreaterThanOrEqualTo(50L);
        Object doctor = jedis.sendCommand(redis.clients.jedis.Protocol.Command.LATENCY, "DOCTOR");
        assertThat(new String((byte[]) doctor, StandardCharsets.UTF_8)).contains("1. command: 1 latency spike");
    }
}
