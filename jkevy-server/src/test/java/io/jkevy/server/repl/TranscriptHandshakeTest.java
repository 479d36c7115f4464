package io.jkevy.server.repl;

import io.jkevy.replicate.wire.Handshake;
import io.jkevy.replicate.wire.HandshakeParser;
import io.jkevy.replicate.wire.ReplicaStreamDecoder;
import io.jkevy.replicate.wire.ReplicaStreamDecoder.Event;
import io.jkevy.replicate.wire.WireException;
import io.jkevy.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Interop with the reference replica's bytes: every handshake a replica sent in the repl-*
 * transcripts (test resources, copied from jkevy-replicate) is sent verbatim to an in-process
 * jkevy primary's replication port, and the answer is decoded with jkevy's own replica decoder
 * and checked against spec/replication.md. The transcripts' generations are the reference
 * primary's, never this one's, so every well-formed one takes the snapshot path; resumes are
 * built from this primary's REPL.TOKEN in each of the transcript forms (RESP array, inline,
 * lower case). A well-formed transcript handshake is one the reference primary answered with
 * {@code +ACK}; the others (repl-08) must get {@code -ERR <reason>} and a close.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TranscriptHandshakeTest {
    static final String[] FILES = {
        "repl-00-empty-primary-fresh-replica.txt", "repl-01-fresh-replica-snapshot.txt", "repl-02-live-frames-basic.txt",
        "repl-03-live-frames-extended.txt", "repl-04-resume-in-backlog.txt", "repl-05-resume-caught-up.txt",
        "repl-06-generation-mismatch.txt", "repl-07-future-offset-fork.txt", "repl-08-handshake-rejects.txt",
        "repl-09-flushall-generation-bump.txt", "repl-10-resume-below-watermark.txt", "repl-11-real-replica-session.txt",
        "repl-12-two-shard-primary.txt",
    };

    @TempDir static Path dir;
    static TestServer server;
    static int replPort;
    static Jedis client;
    static int keyCounter;

    @BeforeAll
    static void startPrimary() throws Exception {
        int p;
        try (ServerSocket s = new ServerSocket(0)) {
            p = s.getLocalPort();
        }
        server = new TestServer(Map.of("replication.role", "primary", "replication.listen_port", Integer.toString(p)));
        server.server.startReplication(dir);
        replPort = server.server.replication().listenPort();
        assertThat(replPort).isEqualTo(p);
        client = new Jedis(server.host(), server.port());
        // some data of several types, and more frames than any transcript offset used below
        for (int i = 0; i < 50; i++) client.set("k" + i, "v" + i);
        client.hset("h", Map.of("f1", "a", "f2", "b"));
        client.rpush("l", "x", "y", "z");
        client.sadd("s", "m1", "m2");
        client.zadd("z", 1.5, "one");
        client.select(3);
        client.set("in-db-3", "yes");
        client.select(0);
    }

    @AfterAll
    static void stopPrimary() {
        if (client != null) client.close();
        if (server != null) server.close();
    }

    // ---- the transcripts ------------------------------------------------------------------------

    /** One handshake a reference replica sent, and whether the reference primary accepted it. */
    record Sent(String file, int line, byte[] bytes, boolean accepted) {
        @Override
        public String toString() { return file + ":" + line + " " + text(bytes); }
    }

    static String text(byte[] b) { return new String(b, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n"); }

    static final Pattern OPAQUE = Pattern.compile("\\{opaque (\\d+) bytes\\}");

    /** The bytes of one transcript line after its 3-character prefix (README.md: the notation). */
    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            Matcher m = OPAQUE.matcher(s);
            if (c == '{' && m.find(i) && m.start() == i) {
                for (int k = 0; k < Integer.parseInt(m.group(1)); k++) out.write('?');
                i = m.end() - 1;
            } else if (c == '\\' && i + 1 < s.length()) {
                char d = s.charAt(++i);
                switch (d) {
                    case 'r' -> out.write('\r');
                    case 'n' -> out.write('\n');
                    case '\\' -> out.write('\\');
                    case 'x' -> {
                        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                        i += 2;
                    }
                    default -> {
                        out.write('\\');
                        out.write(d);
                    }
                }
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    /**
     * Every line a replica sent that is not a {@code REPLCONF} (so a handshake attempt: the
     * REPLICATE requests and repl-08's {@code PING}); accepted when the next line that is not
     * commentary is the primary's {@code +ACK}.
     */
    static List<Sent> transcriptHandshakes() throws IOException {
        List<Sent> out = new ArrayList<>();
        for (String f : FILES) {
            List<String> lines;
            try (InputStream in = TranscriptHandshakeTest.class.getResourceAsStream("/wire-vectors/" + f)) {
                assertThat(in).as(f).isNotNull();
                lines = List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
            }
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                if (!l.startsWith("C> ") || l.toUpperCase(Locale.ROOT).contains("REPLCONF")) continue;
                String nextLine = "";
                for (int k = i + 1; k < lines.size(); k++) {
                    if (!lines.get(k).startsWith("#")) {
                        nextLine = lines.get(k);
                        break;
                    }
                }
                out.add(new Sent(f, i + 1, unescape(l.substring(3)), nextLine.startsWith("S> +ACK ")));
            }
        }
        return out;
    }

    // ---- a replication connection -------------------------------------------------------------

    /** A raw socket to the replication port whose input goes through jkevy's replica decoder. */
    static final class Link implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final InputStream in;
        final ReplicaStreamDecoder decoder = new ReplicaStreamDecoder();
        final ByteArrayOutputStream raw = new ByteArrayOutputStream();
        final List<Event> events = new ArrayList<>();
        int seen;
        boolean eof;

        Link() throws IOException {
            socket = new Socket("127.0.0.1", replPort);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(50);
            out = socket.getOutputStream();
            in = socket.getInputStream();
        }

        void send(byte[] b) throws IOException {
            out.write(b);
            out.flush();
        }

        /** Reads what arrived within {@code millis}; false when nothing did. */
        boolean read(long millis) throws IOException {
            byte[] buf = new byte[65536];
            long end = System.currentTimeMillis() + millis;
            boolean got = false;
            while (!eof && System.currentTimeMillis() < end) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    if (got) return true;
                    continue;
                } catch (IOException e) {
                    eof = true;
                    break;
                }
                if (n < 0) {
                    eof = true;
                    break;
                }
                got = true;
                raw.write(buf, 0, n);
                decoder.feed(buf, 0, n);
                try {
                    for (Event e; (e = decoder.next()) != null; ) events.add(e);
                } catch (WireException e) {
                    fail("jkevy's replica decoder refused the primary's stream: " + e.getMessage() + " after " + events, e);
                }
            }
            return got;
        }

        /** The next event past the ones already taken that matches, within 5 s; fails otherwise. */
        Event await(Predicate<Event> p, String what) throws IOException {
            long end = System.currentTimeMillis() + 5000;
            while (true) {
                while (seen < events.size()) {
                    Event e = events.get(seen++);
                    if (p.test(e)) return e;
                }
                if (eof || System.currentTimeMillis() > end) fail("no " + what + " from the primary; got " + events.stream().map(TranscriptHandshakeTest::show).toList());
                read(200);
            }
        }

        /** Events not taken yet, after reading for {@code millis}. */
        List<Event> rest(long millis) throws IOException {
            read(millis);
            List<Event> r = new ArrayList<>(events.subList(seen, events.size()));
            seen = events.size();
            return r;
        }

        boolean closedByPeer(long millis) throws IOException {
            long end = System.currentTimeMillis() + millis;
            while (!eof && System.currentTimeMillis() < end) read(100);
            return eof;
        }

        @Override
        public void close() throws IOException { socket.close(); }
    }

    static String show(Event e) {
        if (e instanceof Event.Frame f) {
            StringBuilder sb = new StringBuilder("frame " + f.offset());
            for (byte[] a : f.argv()) sb.append(' ').append(new String(a, StandardCharsets.ISO_8859_1));
            return sb.toString();
        }
        if (e instanceof Event.SnapshotChunk c) return "chunk " + c.data().length;
        return e.toString();
    }

    static final ProtocolCommand TOKEN = () -> "REPL.TOKEN".getBytes(StandardCharsets.US_ASCII);

    /** This primary's (generation, next offset) from REPL.TOKEN. */
    static long[] token() {
        @SuppressWarnings("unchecked")
        List<Object> t = (List<Object>) client.sendCommand(TOKEN);
        assertThat(t).hasSize(2);
        return new long[] {(Long) t.get(0), (Long) t.get(1)};
    }

    static String writeOne() {
        String k = "w" + (keyCounter++);
        client.set(k, "after");
        return k;
    }

    static boolean isFrameOf(Event e, String key) {
        return e instanceof Event.Frame f && f.argv().length >= 2 && new String(f.argv()[1], StandardCharsets.UTF_8).equals(key);
    }

    /**
     * The snapshot path after the +ACK: +SNAPSHOT, chunks of 1..65536 bytes, +SNAPSHOT_END at the
     * primary's next offset (nothing was written meanwhile), then live frames from exactly there.
     */
    static void expectSnapshotThenFrames(Link l, String what) throws IOException {
        long next = token()[1];
        l.await(e -> e instanceof Event.SnapshotStart, "+SNAPSHOT for " + what);
        Event.SnapshotEnd end = (Event.SnapshotEnd) l.await(e -> e instanceof Event.SnapshotEnd, "+SNAPSHOT_END for " + what);
        long bytes = 0;
        int chunks = 0;
        for (Event e : l.events) {
            if (e instanceof Event.Frame) fail("a frame before the snapshot ended: " + what);
            if (e instanceof Event.SnapshotChunk c) {
                assertThat(c.data().length).isBetween(1, 65536);
                bytes += c.data().length;
                chunks++;
            }
            if (e == end) break;
        }
        assertThat(chunks).as(what).isPositive();
        assertThat(bytes).as(what).isGreaterThan(100);           // 55 keys are not nothing
        assertThat(end.offset()).as(what + ": snapshot as of the primary's next offset").isEqualTo(next);
        String k = writeOne();
        Event first = l.await(e -> e instanceof Event.Frame, "a live frame for " + what);
        assertThat(((Event.Frame) first).offset()).as(what + ": the first live frame is at the snapshot's offset").isEqualTo(end.offset());
        l.seen--;
        l.await(e -> isFrameOf(e, k), "the SET frame for " + what);
    }

    static String ackLine(long gen, long off) { return "+ACK " + gen + " " + off + "\r\n"; }

    // ---- the tests ------------------------------------------------------------------------------

    @Test
    @Order(1)
    void everyTranscriptHandshakeGetsTheSpecsAnswer() throws Exception {
        List<Sent> all = transcriptHandshakes();
        int accepted = 0, refused = 0;
        for (Sent s : all) {
            long gen = token()[0];
            try (Link l = new Link()) {
                l.send(s.bytes());
                if (s.accepted()) {
                    HandshakeParser.Request r = HandshakeParser.parse(s.bytes(), s.bytes().length, new int[1]);
                    Event.Ack ack = (Event.Ack) l.await(e -> e instanceof Event.Ack, "+ACK for " + s);
                    assertThat(ack).as(s.toString()).isEqualTo(new Event.Ack(gen, r.fromOffset()));
                    assertThat(new String(l.raw.toByteArray(), StandardCharsets.ISO_8859_1)).as(s.toString())
                            .startsWith(ackLine(gen, r.fromOffset()) + "+SNAPSHOT\r\n");
                    // the reference primary's generation is never this one's: always the snapshot path
                    expectSnapshotThenFrames(l, s.toString());
                    accepted++;
                } else {
                    String reason;
                    try {
                        HandshakeParser.parse(s.bytes(), s.bytes().length, new int[1]);
                        reason = null;
                    } catch (WireException e) {
                        reason = e.getMessage();
                    }
                    assertThat(reason).as("jkevy's parser refuses what the reference refused: " + s).isNotNull();
                    assertThat(l.closedByPeer(5000)).as("closed after a refusal: " + s).isTrue();
                    assertThat(new String(l.raw.toByteArray(), StandardCharsets.ISO_8859_1)).as(s.toString()).isEqualTo("-ERR " + reason + "\r\n");
                    assertThat(l.events).containsExactly(new Event.Error("ERR " + reason));
                    refused++;
                }
            }
        }
        assertThat(accepted).isEqualTo(17);
        assertThat(refused).isEqualTo(4);             // repl-08: the 5-element form, PING, the empty id, the negative offset
    }

    /** A transcript handshake of each form with its generation and offset replaced. */
    static byte[] sameFormAs(byte[] template, long gen, long off) { return sameFormAs(template, gen, off, null); }

    /** The same, with the replica id replaced too (unless null). */
    static byte[] sameFormAs(byte[] template, long gen, long off, String id) {
        String t = new String(template, StandardCharsets.ISO_8859_1);
        if (t.startsWith("*")) {
            // RESP array: keep the keywords' case and the id, re-encode the two numbers
            List<String> w = new ArrayList<>();
            Matcher m = Pattern.compile("\\$(\\d+)\\r\\n").matcher(t);
            int p = 0;
            while (m.find(p)) {
                int len = Integer.parseInt(m.group(1));
                w.add(t.substring(m.end(), m.end() + len));
                p = m.end() + len + 2;
            }
            w.set(2, Long.toString(gen));
            w.set(3, Long.toString(off));
            if (id != null) w.set(5, id);
            StringBuilder sb = new StringBuilder("*" + w.size() + "\r\n");
            for (String s : w) sb.append('$').append(s.length()).append("\r\n").append(s).append("\r\n");
            return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        }
        String[] w = t.trim().split(" +");
        w[2] = Long.toString(gen);
        w[3] = Long.toString(off);
        if (id != null) w[5] = id;
        return (String.join(" ", w) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The three forms the transcripts use: upper-case array, inline, lower-case array. */
    static List<Sent> forms() throws IOException {
        List<Sent> out = new ArrayList<>();
        boolean array = false, inline = false, lower = false;
        for (Sent s : transcriptHandshakes()) {
            if (!s.accepted()) continue;
            String t = new String(s.bytes(), StandardCharsets.ISO_8859_1);
            if (t.startsWith("*") && t.contains("REPLICATE") && !array) { out.add(s); array = true; }
            if (!t.startsWith("*") && !inline) { out.add(s); inline = true; }
            if (t.contains("replicate") && !lower) { out.add(s); lower = true; }
        }
        assertThat(out).hasSize(3);
        return out;
    }

    @Test
    @Order(2)
    void aResumeInTheBacklogStreamsTheMissedFramesWithoutASnapshot() throws Exception {
        for (Sent form : forms()) {
            for (int i = 0; i < 6; i++) writeOne();
            long[] t = token();
            long from = t[1] - 5;
            try (Link l = new Link()) {
                l.send(sameFormAs(form.bytes(), t[0], from));
                assertThat(l.await(e -> e instanceof Event.Ack, "+ACK")).isEqualTo(new Event.Ack(t[0], from));
                assertThat(new String(l.raw.toByteArray(), StandardCharsets.ISO_8859_1)).startsWith(ackLine(t[0], from) + "*2\r\n:" + from + "\r\n");
                List<Long> offsets = new ArrayList<>();
                for (int i = 0; i < 5; i++) offsets.add(((Event.Frame) l.await(e -> e instanceof Event.Frame, "a missed frame")).offset());
                assertThat(offsets).containsExactly(from, from + 1, from + 2, from + 3, from + 4);
                assertThat(l.events).noneMatch(e -> e instanceof Event.SnapshotStart);
                String k = writeOne();
                Event f = l.await(e -> e instanceof Event.Frame, "a live frame");
                assertThat(isFrameOf(f, k)).isTrue();
                assertThat(((Event.Frame) f).offset()).isEqualTo(t[1]);
            }
        }
    }

    @Test
    @Order(3)
    void aCaughtUpResumeGetsHeartbeatsThenLiveFrames() throws Exception {
        Sent form = forms().get(1);                   // inline
        long[] t = token();
        try (Link l = new Link()) {
            l.send(sameFormAs(form.bytes(), t[0], t[1]));
            assertThat(l.await(e -> e instanceof Event.Ack, "+ACK")).isEqualTo(new Event.Ack(t[0], t[1]));
            // the 1 Hz heartbeat says where the primary is, and nothing else comes
            assertThat(l.await(e -> e instanceof Event.Ping, "+PING")).isEqualTo(new Event.Ping(t[0], t[1]));
            assertThat(l.rest(300)).allMatch(e -> e instanceof Event.Ping);
            assertThat(new String(l.raw.toByteArray(), StandardCharsets.ISO_8859_1)).startsWith(ackLine(t[0], t[1]) + "+PING ");
            String k = writeOne();
            Event f = l.await(e -> e instanceof Event.Frame, "a live frame");
            assertThat(((Event.Frame) f).offset()).isEqualTo(t[1]);
            assertThat(isFrameOf(f, k)).isTrue();
        }
    }

    @Test
    @Order(4)
    void unknownGenerationsFutureOffsetsAndGenerationZeroGetASnapshot() throws Exception {
        Sent form = forms().get(2);                   // lower case
        // each ask is built from a fresh token: every snapshot below is followed by a write
        List<java.util.function.Function<long[], long[]>> asks = List.of(
                t -> new long[] {t[0], t[1] + 1}, t -> new long[] {t[0], t[1] + 100}, t -> new long[] {t[0] ^ 0x5555, t[1] - 1},
                t -> new long[] {t[0] ^ 0x5555, 0}, t -> new long[] {0, 0}, t -> new long[] {0, t[1] - 1});
        for (var ask : asks) {
            long[] t = token();
            long[] a = ask.apply(t);
            try (Link l = new Link()) {
                l.send(sameFormAs(form.bytes(), a[0], a[1]));
                assertThat(l.await(e -> e instanceof Event.Ack, "+ACK")).isEqualTo(new Event.Ack(t[0], a[1]));
                expectSnapshotThenFrames(l, "REPLICATE FROM " + a[0] + " " + a[1] + " (primary at " + t[0] + " " + t[1] + ")");
            }
        }
    }

    /** Polls INFO replication until the link of {@code id} shows {@code offset=<want>}. */
    static void awaitAckedOffset(String id, long want) throws InterruptedException {
        String line = "";
        for (int i = 0; i < 100; i++) {
            line = client.info("replication").lines().filter(s -> s.contains(",id=" + id)).findFirst().orElse("");
            if (line.contains(",offset=" + want + ",")) return;
            Thread.sleep(50);
        }
        fail("INFO replication never showed offset=" + want + " for " + id + ": '" + line + "' in " + client.info("replication"));
    }

    @Test
    @Order(5)
    void bothReplconfAckFormsMoveTheAckedOffset() throws Exception {
        // repl-08 sends "REPLCONF ACK 37" both as a RESP array and inline; a jkevy primary takes both
        byte[] arrayAck = null, inlineAck = null;
        for (String f : new String[] {"repl-08-handshake-rejects.txt"}) {
            try (InputStream in = getClass().getResourceAsStream("/wire-vectors/" + f)) {
                for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (l.startsWith("C> *3\\r\\n$8\\r\\nREPLCONF")) arrayAck = unescape(l.substring(3));
                    if (l.startsWith("C> REPLCONF ACK")) inlineAck = unescape(l.substring(3));
                }
            }
        }
        assertThat(text(arrayAck)).isEqualTo("*3\\r\\n$8\\r\\nREPLCONF\\r\\n$3\\r\\nACK\\r\\n$2\\r\\n37\\r\\n");
        assertThat(text(inlineAck)).isEqualTo("REPLCONF ACK 37\\r\\n");
        assertThat(token()[1]).isGreaterThan(45);
        byte[][] firsts = {arrayAck, inlineAck};
        for (int i = 0; i < 2; i++) {
            String id = "ack-form-" + i;
            try (Link l = new Link()) {
                l.send(Handshake.replicateFrom(0, 0, id));
                l.await(e -> e instanceof Event.SnapshotEnd, "+SNAPSHOT_END");
                awaitAckedOffset(id, 0);
                l.send(firsts[i]);                                    // the transcript's bytes: 37
                awaitAckedOffset(id, 37);
                long n = 41 + i;
                byte[] other = i == 0 ? Handshake.ack(n)               // then the other form
                        : ("*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$2\r\n" + n + "\r\n").getBytes(StandardCharsets.US_ASCII);
                l.send(other);
                awaitAckedOffset(id, n);
                l.send(Handshake.ack(5));                             // acks never go back
                l.send(("*3\r\n$8\r\nreplconf\r\n$3\r\nack\r\n$1\r\n6\r\n").getBytes(StandardCharsets.US_ASCII));
                Thread.sleep(200);
                awaitAckedOffset(id, n);
                assertThat(l.closedByPeer(100)).isFalse();           // the primary never answers an ack
                assertThat(l.rest(0)).allMatch(e -> e instanceof Event.Ping);
            }
        }
    }

    @Test
    @Order(6)
    void aHandshakeAndAcksArrivingOneByteAtATimeAreReadWhole() throws Exception {
        for (Sent form : forms()) {
            long[] t = token();
            String id = "slow-" + (keyCounter++);
            byte[] hs = sameFormAs(form.bytes(), t[0], t[1], id);
            try (Link l = new Link()) {
                for (byte b : hs) {
                    l.send(new byte[] {b});
                    Thread.sleep(1);
                }
                assertThat(l.await(e -> e instanceof Event.Ack, "+ACK")).isEqualTo(new Event.Ack(t[0], t[1]));
                byte[] ack = Handshake.ack(t[1] - 2);
                for (byte b : ack) {
                    l.send(new byte[] {b});
                    Thread.sleep(1);
                }
                awaitAckedOffset(id, t[1] - 2);
                String k = writeOne();
                l.await(e -> isFrameOf(e, k), "the live SET frame");
            }
        }
    }

    @Test
    @Order(7)
    void anOffsetTrimmedFromTheBacklogGetsASnapshot() throws Exception {
        Sent form = forms().get(0);
        for (int i = 0; i < 10; i++) writeOne();
        long budget = server.engine.journal().backlogBytes();
        try {
            server.engine.journal().backlogBudget(200);                // keeps only the newest frames
            long first = server.engine.journal().backlogFirstOffset();
            long[] t = token();
            assertThat(first).isGreaterThan(t[1] - 10).isLessThanOrEqualTo(t[1]);
            try (Link l = new Link()) {
                l.send(sameFormAs(form.bytes(), t[0], first - 1));
                assertThat(l.await(e -> e instanceof Event.Ack, "+ACK")).isEqualTo(new Event.Ack(t[0], first - 1));
                expectSnapshotThenFrames(l, "an evicted offset");
            }
            try (Link l = new Link()) {                                // the first retained one still resumes
                long[] t2 = token();
                long at = server.engine.journal().backlogFirstOffset();
                l.send(sameFormAs(form.bytes(), t2[0], at));
                assertThat(l.await(e -> e instanceof Event.Ack, "+ACK")).isEqualTo(new Event.Ack(t2[0], at));
                assertThat(((Event.Frame) l.await(e -> e instanceof Event.Frame, "a frame")).offset()).isEqualTo(at);
                assertThat(l.events).noneMatch(e -> e instanceof Event.SnapshotStart);
            }
        } finally {
            server.engine.journal().backlogBudget(Math.max(budget, 256L << 20));
        }
    }
}
