package io.jkevy.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Protocol edge cases over real sockets: fragmentation, pipelines, limits, bad input. */
class ProtocolEdgeTest {
    static TestServer server;

    @BeforeAll
    static void start() { server = new TestServer(); }

    @AfterAll
    static void stop() { server.close(); }

    static String setCmd(String k, String v) {
        return "*3\r\n$3\r\nSET\r\n$" + k.length() + "\r\n" + k + "\r\n$" + v.length() + "\r\n" + v + "\r\n";
    }

    static String getCmd(String k) {
        return "*2\r\n$3\r\nGET\r\n$" + k.length() + "\r\n" + k + "\r\n";
    }

    @Test
    void commandSentOneByteAtATimeIsParsed() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            byte[] bytes = (setCmd("frag", "value-1") + getCmd("frag")).getBytes(StandardCharsets.US_ASCII);
            for (byte b : bytes) {
                c.send(new byte[] {b});
            }
            assertThat(c.readUntil("value-1\r\n")).isEqualTo("+OK\r\n$7\r\nvalue-1\r\n");
        }
    }

    @Test
    void pipelineOfTenThousandCommandsAnswersInOrder() throws Exception {
        int n = 10_000;
        StringBuilder sb = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(setCmd("p:" + i, "v" + i));
            expected.append("+OK\r\n");
        }
        for (int i = 0; i < n; i++) {
            sb.append(getCmd("p:" + i));
            String v = "v" + i;
            expected.append('$').append(v.length()).append("\r\n").append(v).append("\r\n");
        }
        try (RawClient c = new RawClient(server.port())) {
            c.send(sb.toString());
            assertThat(c.readBytes(expected.length())).isEqualTo(expected.toString());
        }
    }

    @Test
    void inlineCommandsWork() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send("SET inl \"a b\"\r\nGET inl\r\nPING\r\n");
            assertThat(c.readUntil("+PONG\r\n")).isEqualTo("+OK\r\n$3\r\na b\r\n+PONG\r\n");
        }
    }

    @Test
    void invalidBulkLengthGetsProtocolErrorAndCloseOthersUnaffected() throws Exception {
        try (RawClient good = new RawClient(server.port()); RawClient bad = new RawClient(server.port())) {
            good.send(setCmd("survivor", "yes"));
            assertThat(good.readUntil("+OK\r\n")).isEqualTo("+OK\r\n");
            bad.send("*1\r\n$x\r\n");
            assertThat(bad.closedByPeer(5000)).isTrue();
            assertThat(bad.received()).isEqualTo("-ERR Protocol error: invalid bulk length\r\n");
            good.send(getCmd("survivor"));
            assertThat(good.readUntil("yes\r\n")).endsWith("$3\r\nyes\r\n");
        }
    }

    @Test
    void bulkLengthOverLimitIsRefusedBeforeAnyPayload() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send("*2\r\n$3\r\nGET\r\n$" + (512L * 1024 * 1024 + 1) + "\r\n");
            assertThat(c.closedByPeer(5000)).isTrue();
            assertThat(c.received()).isEqualTo("-ERR Protocol error: invalid bulk length\r\n");
        }
    }

    @Test
    void multibulkCountOverLimitIsRefused() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send("*" + (1024L * 1024 * 1024 + 1) + "\r\n");
            assertThat(c.closedByPeer(5000)).isTrue();
            assertThat(c.received()).isEqualTo("-ERR Protocol error: invalid multibulk length\r\n");
        }
    }

    @Test
    void hugeInlineLineIsRefused() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send("a".repeat(70 * 1024));
            assertThat(c.closedByPeer(5000)).isTrue();
            assertThat(c.received()).isEqualTo("-ERR Protocol error: too big inline request\r\n");
        }
    }

    @Test
    void repliesBeforeAProtocolErrorAreDelivered() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send("PING\r\n*1\r\n$-5\r\n");
            assertThat(c.closedByPeer(5000)).isTrue();
            assertThat(c.received()).isEqualTo("+PONG\r\n-ERR Protocol error: invalid bulk length\r\n");
        }
    }

    @Test
    void maxclientsRefusesTheExtraConnection() throws Exception {
        try (TestServer small = new TestServer(Map.of("maxclients", "2"));
             RawClient a = new RawClient(small.port()); RawClient b = new RawClient(small.port())) {
            a.send("PING\r\n");
            b.send("PING\r\n");
            assertThat(a.readUntil("+PONG\r\n")).isEqualTo("+PONG\r\n");
            assertThat(b.readUntil("+PONG\r\n")).isEqualTo("+PONG\r\n");
            try (RawClient c = new RawClient(small.port())) {
                assertThat(c.closedByPeer(5000)).isTrue();
                assertThat(c.received()).isEqualTo("-ERR max number of clients reached\r\n");
            }
        }
    }

    @Test
    void idleClientIsClosedAfterTimeout() throws Exception {
        try (TestServer s = new TestServer(Map.of("timeout", "1")); RawClient c = new RawClient(s.port())) {
            c.send("PING\r\n");
            assertThat(c.readUntil("+PONG\r\n")).isEqualTo("+PONG\r\n");
            assertThat(c.closedByPeer(5000)).isTrue();
        }
    }

    @Test
    void clientThatDoesNotReadDoesNotStopOthers() throws Exception {
        StringBuilder sb = new StringBuilder(setCmd("big", "x".repeat(64 * 1024)));
        for (int i = 0; i < 2000; i++) sb.append(getCmd("big"));   // ~128 MB of replies nobody reads
        try (RawClient hog = new RawClient(server.port()); RawClient other = new RawClient(server.port())) {
            Thread writer = new Thread(() -> {
                try {
                    hog.send(sb.toString());
                } catch (Exception ignored) {
                    // the server may stop reading: the write blocks until the socket closes
                }
            });
            writer.setDaemon(true);
            writer.start();
            Thread.sleep(500);
            other.send("PING\r\n");
            assertThat(other.readUntil("+PONG\r\n")).isEqualTo("+PONG\r\n");
            long pending = server.engine.sessions().stream().mapToLong(s -> s.connection().outputBufferBytes()).max().orElse(0);
            // back-pressure: the server stopped reading long before buffering all replies
            assertThat(pending).isLessThan(32L * 1024 * 1024);
        }
    }
}
