package io.jkevy.replicate.wire;

import io.jkevy.replicate.wire.ReplicaStreamDecoder.Event;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The reference primary's side of every repl-* transcript (test resources) through jkevy's
 * replica decoder, split at every byte boundary (or at random points for long streams), and
 * jkevy's handshake and ack bytes against what the reference replica sent.
 */
class WireVectorsTest {
    static final String[] FILES = {
        "repl-00-empty-primary-fresh-replica.txt", "repl-01-fresh-replica-snapshot.txt", "repl-02-live-frames-basic.txt",
        "repl-03-live-frames-extended.txt", "repl-04-resume-in-backlog.txt", "repl-05-resume-caught-up.txt",
        "repl-06-generation-mismatch.txt", "repl-07-future-offset-fork.txt", "repl-08-handshake-rejects.txt",
        "repl-09-flushall-generation-bump.txt", "repl-10-resume-below-watermark.txt", "repl-11-real-replica-session.txt",
        "repl-12-two-shard-primary.txt",
    };
    static final Pattern OPAQUE = Pattern.compile("\\{opaque (\\d+) bytes\\}");

    /** The bytes of one transcript line (after the 3-character prefix). */
    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                Matcher m = OPAQUE.matcher(s);
                if (m.find(i) && m.start() == i) {
                    int n = Integer.parseInt(m.group(1));
                    for (int k = 0; k < n; k++) out.write(k * 31 + 7);
                    i = m.end() - 1;
                    continue;
                }
            }
            if (c == '\\' && i + 1 < s.length()) {
                char d = s.charAt(++i);
                switch (d) {
                    case 'r' -> out.write('\r');
                    case 'n' -> out.write('\n');
                    case '\\' -> out.write('\\');
                    case 'x' -> { out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16)); i += 2; }
                    default -> { out.write('\\'); out.write(d); }
                }
                continue;
            }
            out.write(c);
        }
        return out.toByteArray();
    }

    /** One replication connection: what the replica sent and what the primary sent. */
    record Conn(List<byte[]> client, ByteArrayOutputStream server) { }

    static List<Conn> connections(String file) throws IOException {
        List<Conn> out = new ArrayList<>();
        Conn cur = null;
        try (InputStream in = WireVectorsTest.class.getResourceAsStream("/wire-vectors/" + file)) {
            assertThat(in).as(file).isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("# [shard")) {           // repl-12 interleaves two shards' streams
                    cur = out.get(Integer.parseInt(line.substring(8, line.length() - 1)));
                    continue;
                }
                if (line.length() < 3) continue;
                byte[] b = unescape(line.substring(3));
                boolean handshake = line.startsWith("C> ") && line.toUpperCase().contains("REPLICATE");
                if (cur == null || handshake) {
                    cur = new Conn(new ArrayList<>(), new ByteArrayOutputStream());
                    out.add(cur);
                }
                if (line.startsWith("C> ")) cur.client.add(b);
                else cur.server.write(b, 0, b.length);
            }
        }
        return out;
    }

    static List<Event> decode(byte[] stream, int[] cuts) throws WireException {
        ReplicaStreamDecoder d = new ReplicaStreamDecoder();
        List<Event> events = new ArrayList<>();
        int from = 0;
        for (int c = 0; c <= cuts.length; c++) {
            int to = c < cuts.length ? cuts[c] : stream.length;
            d.feed(stream, from, to - from);
            from = to;
            for (Event e; (e = d.next()) != null; ) events.add(e);
        }
        return events;
    }

    @Test
    void everyServerStreamDecodesTheSameWhateverTheSplit() throws Exception {
        Random r = new Random(1);
        int frames = 0, snapshots = 0, pings = 0;
        for (String f : FILES) {
            for (Conn c : connections(f)) {
                byte[] s = c.server.toByteArray();
                boolean continued = c.client.stream().noneMatch(b -> new String(b, StandardCharsets.UTF_8).toUpperCase().contains("REPLICATE"));
                if (continued) {
                    // repl-02/03 continue repl-01's connection: stand in for the +ACK it already had
                    String text = new String(s, StandardCharsets.ISO_8859_1);
                    int at = text.indexOf("*2\r\n:");
                    long first = Long.parseLong(text.substring(at + 5, text.indexOf('\r', at + 5)));
                    byte[] ack = ("+ACK 0 " + first + "\r\n").getBytes(StandardCharsets.US_ASCII);
                    byte[] joined = new byte[ack.length + s.length];
                    System.arraycopy(ack, 0, joined, 0, ack.length);
                    System.arraycopy(s, 0, joined, ack.length, s.length);
                    s = joined;
                }
                List<Event> whole = decode(s, new int[0]);
                // well formed: offsets dense, the first frame after a snapshot at its offset
                long expect = -1;
                for (Event e : whole) {
                    if (e instanceof Event.Ack a) expect = a.fromOffset();
                    if (e instanceof Event.SnapshotEnd se) { expect = se.offset(); snapshots++; }
                    if (e instanceof Event.Ping) pings++;
                    if (e instanceof Event.Frame fr) {
                        assertThat(fr.offset()).as(f).isEqualTo(expect);
                        expect++;
                        frames++;
                    }
                }
                List<String> shown = whole.stream().map(WireVectorsTest::show).toList();
                if (s.length <= 4096) {
                    for (int cut = 1; cut < s.length; cut++) {
                        assertThat(decode(s, new int[] {cut}).stream().map(WireVectorsTest::show).toList())
                                .as("%s split at %d", f, cut).isEqualTo(shown);
                    }
                }
                for (int round = 0; round < 50; round++) {
                    int[] cuts = r.ints(Math.min(8, s.length), 0, Math.max(1, s.length)).sorted().distinct().toArray();
                    assertThat(decode(s, cuts).stream().map(WireVectorsTest::show).toList()).as(f).isEqualTo(shown);
                }
            }
        }
        assertThat(frames).isGreaterThan(30);
        assertThat(snapshots).isGreaterThan(5);
        assertThat(pings).isGreaterThan(10);
    }

    static String show(Event e) {
        if (e instanceof Event.Frame fr) {
            StringBuilder sb = new StringBuilder("frame " + fr.offset());
            for (byte[] a : fr.argv()) sb.append(' ').append(new String(a, StandardCharsets.ISO_8859_1));
            return sb.toString();
        }
        if (e instanceof Event.SnapshotChunk ch) return "chunk " + ch.data().length;
        return e.toString();
    }

    @Test
    void jkevysHandshakeAndAcksAreTheBytesTheReferenceReplicaSent() throws Exception {
        int handshakes = 0, acks = 0;
        Pattern hs = Pattern.compile("\\*6\\r\\n\\$9\\r\\nREPLICATE\\r\\n\\$4\\r\\nFROM\\r\\n\\$\\d+\\r\\n(\\d+)\\r\\n\\$\\d+\\r\\n(\\d+)\\r\\n\\$2\\r\\nID\\r\\n\\$\\d+\\r\\n(.+)\\r\\n");
        Pattern ack = Pattern.compile("REPLCONF ACK (\\d+)\\r\\n");
        for (String f : FILES) {
            for (Conn c : connections(f)) {
                for (byte[] b : c.client) {
                    String s = new String(b, StandardCharsets.UTF_8);
                    Matcher m = hs.matcher(s);
                    if (m.matches() && !m.group(3).isEmpty()) {
                        assertThat(Handshake.replicateFrom(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3))).isEqualTo(b);
                        handshakes++;
                    }
                    Matcher a = ack.matcher(s);
                    if (a.matches()) {
                        assertThat(Handshake.ack(Long.parseLong(a.group(1)))).isEqualTo(b);
                        acks++;
                    }
                }
            }
        }
        assertThat(handshakes).isGreaterThan(8);
        assertThat(acks).isGreaterThan(8);
    }

    @Test
    void thePrimaryParsesEveryHandshakeOfTheTranscriptsAndRefusesTheMalformedOnes() throws Exception {
        int ok = 0, refused = 0;
        for (String f : FILES) {
            for (Conn c : connections(f)) {
                for (byte[] b : c.client) {
                    String s = new String(b, StandardCharsets.UTF_8);
                    if (!s.toUpperCase().contains("REPLICATE")) continue;
                    // every split of the request: null until complete, then the same answer
                    for (int cut = 0; cut < b.length; cut++) {
                        try {
                            assertThat(HandshakeParser.parse(java.util.Arrays.copyOf(b, cut), cut, new int[1])).isNull();
                        } catch (WireException early) {
                            // a malformed request may be refused before its end: fine
                        }
                    }
                    try {
                        int[] used = new int[1];
                        HandshakeParser.Request r = HandshakeParser.parse(b, b.length, used);
                        assertThat(used[0]).isEqualTo(b.length);
                        assertThat(r.replicaId()).isNotEmpty();
                        ok++;
                    } catch (WireException e) {
                        refused++;
                        assertThat(f).as(s).isEqualTo("repl-08-handshake-rejects.txt");
                    }
                }
            }
        }
        assertThat(ok).isGreaterThan(10);
        assertThat(refused).isGreaterThanOrEqualTo(3);       // repl-08's 5-element, empty-id and negative-offset requests
        byte[] bad = "REPLICATE FROM x 0 ID a\r\n".getBytes();
        assertThatThrownBy(() -> HandshakeParser.parse(bad, bad.length, new int[1]))
                .hasMessageContaining("invalid generation");
        byte[] lower = "replicate from 1 2 id lc\r\n".getBytes();
        assertThat(HandshakeParser.parse(lower, lower.length, new int[1]))
                .isEqualTo(new HandshakeParser.Request(1, 2, "lc"));
    }

    @Test
    void malformedInputIsAHardErrorNamingTheProblem() {
        String ack = "+ACK 7 0\r\n";
        assertThatThrownBy(() -> decode((ack + "*2\r\n:1\r\n*1\r\n$4\r\nPING\r\n").getBytes(), new int[0]))
                .hasMessageContaining("frame offset 1 where 0 was expected");
        assertThatThrownBy(() -> decode((ack + "*3\r\n").getBytes(), new int[0])).hasMessageContaining("envelope");
        assertThatThrownBy(() -> decode((ack + "*2\r\n:-1\r\n").getBytes(), new int[0])).hasMessageContaining("bad number");
        assertThatThrownBy(() -> decode("+ACK x 0\r\n".getBytes(), new int[0])).hasMessageContaining("bad number");
        assertThatThrownBy(() -> decode("+WHAT\r\n".getBytes(), new int[0])).hasMessageContaining("unknown status");
        assertThatThrownBy(() -> decode((ack + "$3\r\nabc\r\n").getBytes(), new int[0])).hasMessageContaining("outside a snapshot");
        assertThatThrownBy(() -> decode((ack + "+SNAPSHOT\r\n$70000\r\n").getBytes(), new int[0])).hasMessageContaining("chunk of 70000");
        assertThatThrownBy(() -> decode(("+" + "P".repeat(300) + "\r\n").getBytes(), new int[0])).hasMessageContaining("longer than");
        assertThatThrownBy(() -> decode("*2\r\n:0\r\n*1\r\n$4\r\nPING\r\n".getBytes(), new int[0])).hasMessageContaining("before +ACK");
        assertThatThrownBy(() -> decode("x".getBytes(), new int[0])).hasMessageContaining("unexpected byte");
    }

    @Test
    void randomBytesNeverThrowAnythingButTheCodecsOwnError() {
        Random r = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(64)];
            r.nextBytes(b);
            if (r.nextBoolean() && b.length > 0) b[0] = (byte) "+-$*".charAt(r.nextInt(4));
            byte[] withAck = ("+ACK 1 0\r\n" + (r.nextBoolean() ? "+SNAPSHOT\r\n" : "")).getBytes();
            byte[] in = new byte[withAck.length + b.length];
            System.arraycopy(withAck, 0, in, 0, withAck.length);
            System.arraycopy(b, 0, in, withAck.length, b.length);
            try {
                decode(in, new int[] {r.nextInt(in.length)});
            } catch (WireException expected) {
                // the codec's own error: fine
            }
        }
    }
}
