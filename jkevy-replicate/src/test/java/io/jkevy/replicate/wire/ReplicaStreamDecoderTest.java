package io.jkevy.replicate.wire;

import io.jkevy.replicate.wire.ReplicaStreamDecoder.Event;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The replica's stream decoder on its own: every hard error with its exact message (whole and
 * byte by byte), every unit split at every byte boundary, and random or mutated input that
 * must end in nothing but a {@link WireException} or "need more bytes", without allocating
 * from a declared count or length.
 */
class ReplicaStreamDecoderTest {

    static final String ACK = "+ACK 7 0\r\n";
    static final String SNAP = ACK + "+SNAPSHOT\r\n";

    static byte[] bytes(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    /** Feeds {@code in} cut at {@code cuts}, draining events after every feed. */
    static List<Event> decode(byte[] in, int... cuts) throws WireException {
        ReplicaStreamDecoder d = new ReplicaStreamDecoder();
        List<Event> events = new ArrayList<>();
        int from = 0;
        for (int c = 0; c <= cuts.length; c++) {
            int to = c < cuts.length ? cuts[c] : in.length;
            d.feed(in, from, to - from);
            from = to;
            for (Event e; (e = d.next()) != null; ) events.add(e);
        }
        return events;
    }

    static List<Event> byteByByte(byte[] in) throws WireException {
        int[] cuts = new int[Math.max(0, in.length - 1)];
        for (int i = 0; i < cuts.length; i++) cuts[i] = i + 1;
        return decode(in, cuts);
    }

    static String show(Event e) {
        if (e instanceof Event.Frame fr) {
            StringBuilder sb = new StringBuilder("frame " + fr.offset());
            for (byte[] a : fr.argv()) sb.append(" [").append(new String(a, StandardCharsets.ISO_8859_1)).append(']');
            return sb.toString();
        }
        if (e instanceof Event.SnapshotChunk ch) return "chunk [" + new String(ch.data(), StandardCharsets.ISO_8859_1) + "]";
        return e.toString();
    }

    static List<String> shown(List<Event> es) { return es.stream().map(ReplicaStreamDecoderTest::show).toList(); }

    // ---- hard errors, each with its own message -------------------------------------------------

    /** The whole input, and the same input one byte at a time, fail with exactly {@code message}. */
    static void fails(String input, String message) {
        byte[] in = bytes(input);
        assertThatThrownBy(() -> decode(in)).as("whole: %s", input).isInstanceOf(WireException.class).hasMessage(message);
        assertThatThrownBy(() -> byteByByte(in)).as("byte by byte: %s", input).isInstanceOf(WireException.class).hasMessage(message);
    }

    @Example
    void unitStartAndLineErrors() {
        fails("x", "unexpected byte 0x78 at the start of a unit");
        fails(ACK + "\r\n", "unexpected byte 0xd at the start of a unit");
        fails(ACK + ":5\r\n", "unexpected byte 0x3a at the start of a unit");
        fails("+ACK 1 0\rX", "CR without LF");
        fails("-ERR x\r\r\n", "CR without LF");
        fails(ACK + "*2\r\n:0\rX", "CR without LF");
        // a control line is at most 256 bytes with its '+' (CRLF not counted)
        fails("+" + "A".repeat(256) + "\r\n", "line longer than 256 bytes");
        fails("+" + "A".repeat(255) + "\r\n", "unknown status line '" + "A".repeat(255) + "'");
        fails("+" + "A".repeat(5000), "line longer than 256 bytes");     // no CRLF at all
        fails("-" + "E".repeat(300) + "\r\n", "line longer than 256 bytes");
        // number lines inside a frame or a chunk header are at most 20 bytes
        fails(SNAP + "$" + "1".repeat(25), "line longer than 20 bytes");
        fails(ACK + "*2\r\n:" + "1".repeat(25), "line longer than 20 bytes");
        fails(ACK + "*2\r\n:0\r\n*" + "1".repeat(25), "line longer than 20 bytes");
        fails(ACK + "*2\r\n:0\r\n*1\r\n$" + "1".repeat(25), "line longer than 20 bytes");
    }

    @Example
    void statusLineErrors() {
        fails("+ACK 1\r\n", "malformed line 'ACK 1'");
        fails("+ACK 1 2 3\r\n", "malformed line 'ACK 1 2 3'");
        fails("+ACK  1 2\r\n", "malformed line 'ACK  1 2'");
        fails(ACK + "+SNAPSHOT now\r\n", "malformed line 'SNAPSHOT now'");
        fails(SNAP + "+SNAPSHOT_END\r\n", "malformed line 'SNAPSHOT_END'");
        fails("+PING 1\r\n", "malformed line 'PING 1'");
        fails("+SNAPSHOT\r\n", "+SNAPSHOT before +ACK");
        fails(SNAP + "+SNAPSHOT\r\n", "+SNAPSHOT inside a snapshot");
        fails(ACK + "+SNAPSHOT_END 3\r\n", "+SNAPSHOT_END without +SNAPSHOT");
        fails("+SNAPSHOT_END 3\r\n", "+SNAPSHOT_END without +SNAPSHOT");
        fails("+FULLRESYNC abc 1\r\n", "unknown status line 'FULLRESYNC abc 1'");
        fails("+ack 1 2\r\n", "unknown status line 'ack 1 2'");
        fails("+\r\n", "unknown status line ''");
        fails("+OK\r\n", "unknown status line 'OK'");
    }

    @Example
    void numberErrors() {
        fails("+ACK x 0\r\n", "bad number 'x'");
        fails("+ACK -1 0\r\n", "bad number '-1'");
        fails("+ACK +1 0\r\n", "bad number '+1'");
        fails("+ACK 1 \r\n", "bad number ''");
        fails("+ACK 1 0x10\r\n", "bad number '0x10'");
        fails("+PING 1 00000000000000000001\r\n", "bad number '00000000000000000001'");   // 20 digits
        fails("+ACK 9223372036854775808 0\r\n", "number out of range '9223372036854775808'");
        fails("+PING 1 9999999999999999999\r\n", "number out of range '9999999999999999999'");
        fails(SNAP + "+SNAPSHOT_END -5\r\n", "bad number '-5'");
    }

    @Example
    void numbersAtTheLimitsAreAccepted() throws WireException {
        assertThat(decode(bytes("+ACK 9223372036854775807 9223372036854775807\r\n+PING 1 0000000000000000001\r\n")))
                .containsExactly(new Event.Ack(Long.MAX_VALUE, Long.MAX_VALUE), new Event.Ping(1, 1));
    }

    @Example
    void snapshotChunkErrors() {
        fails(ACK + "$3\r\nabc\r\n", "a bulk string outside a snapshot");
        fails("$3\r\nabc\r\n", "a bulk string outside a snapshot");
        fails(SNAP + "$3\r\nabc\r\n+SNAPSHOT_END 0\r\n$1\r\nx\r\n", "a bulk string outside a snapshot");
        fails(SNAP + "$0\r\n\r\n", "snapshot chunk of 0 bytes (1..65536)");
        fails(SNAP + "$65537\r\n", "snapshot chunk of 65537 bytes (1..65536)");
        fails(SNAP + "$99999999999\r\n", "snapshot chunk of 99999999999 bytes (1..65536)");
        fails(SNAP + "$-1\r\n", "bad number '-1'");
        fails(SNAP + "$\r\n", "bad number ''");
        fails(SNAP + "$3\r\nabcXY", "chunk not followed by CRLF");
        fails(SNAP + "$3\r\nabc\rX", "chunk not followed by CRLF");
        fails(SNAP + "$3\r\nabcd\r\n", "chunk not followed by CRLF");
    }

    @Example
    void chunksUpTo64KiBAreAccepted() throws WireException {
        byte[] big = new byte[65536];
        new Random(5).nextBytes(big);
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.writeBytes(bytes(SNAP + "$65536\r\n"));
        s.writeBytes(big);
        s.writeBytes(bytes("\r\n$1\r\n\r\r\n+SNAPSHOT_END 0\r\n"));
        List<Event> es = decode(s.toByteArray(), 100, 40_000, 65_580);
        assertThat(es).hasSize(5);
        assertThat(((Event.SnapshotChunk) es.get(2)).data()).isEqualTo(big);
        assertThat(((Event.SnapshotChunk) es.get(3)).data()).containsExactly('\r');
        assertThat(es.get(4)).isEqualTo(new Event.SnapshotEnd(0));
    }

    @Example
    void frameErrors() {
        String ok = "*2\r\n:0\r\n*1\r\n$4\r\nPING\r\n";
        fails(SNAP + ok, "a frame inside a snapshot");
        fails(ok, "a frame before +ACK");
        fails(ACK + "*3\r\n:0\r\n", "frame envelope is not *2");
        fails(ACK + "*2\n", "frame envelope is not *2");
        fails(ACK + "*20\r\n", "frame envelope is not *2");
        fails(ACK + "*\r\n", "frame envelope is not *2");
        fails(ACK + "*2\r\n$1\r\n0\r\n", "frame offset is not an integer");
        fails(ACK + "*2\r\n:x\r\n", "bad number 'x'");
        fails(ACK + "*2\r\n:-1\r\n", "bad number '-1'");
        fails(ACK + "*2\r\n:\r\n", "bad number ''");
        fails(ACK + "*2\r\n:9223372036854775808\r\n", "number out of range '9223372036854775808'");
        fails(ACK + "*2\r\n:0\r\n$4\r\nPING\r\n", "frame payload is not an array");
        fails(ACK + "*2\r\n:0\r\n*0\r\n", "frame argument count 0");
        fails(ACK + "*2\r\n:0\r\n*1048577\r\n", "frame argument count 1048577");
        fails(ACK + "*2\r\n:0\r\n*-1\r\n", "bad number '-1'");
        fails(ACK + "*2\r\n:0\r\n*1\r\n:5\r\n", "frame argument is not a bulk string");
        fails(ACK + "*2\r\n:0\r\n*2\r\n$1\r\na\r\n+OK\r\n", "frame argument is not a bulk string");
        fails(ACK + "*2\r\n:0\r\n*1\r\n$536870913\r\n", "frame argument of 536870913 bytes");
        fails(ACK + "*2\r\n:0\r\n*1\r\n$-1\r\n", "bad number '-1'");
        fails(ACK + "*2\r\n:0\r\n*1\r\n$4\r\nPINGxx", "argument not followed by CRLF");
        fails(ACK + "*2\r\n:0\r\n*1\r\n$4\r\nPING\n\r", "argument not followed by CRLF");
        fails(ACK + "*2\r\n:0\r\n*1\r\n$3\r\nPING\r\n", "argument not followed by CRLF");
    }

    @Example
    void offsetsMustBeExactlyTheExpectedOnes() {
        String f0 = "*2\r\n:0\r\n*1\r\n$1\r\na\r\n";
        fails(ACK + "*2\r\n:1\r\n*1\r\n$1\r\na\r\n", "frame offset 1 where 0 was expected");
        fails(ACK + f0 + f0, "frame offset 0 where 1 was expected");                              // a repeat
        fails(ACK + f0 + "*2\r\n:2\r\n*1\r\n$1\r\na\r\n", "frame offset 2 where 1 was expected");  // a gap
        fails("+ACK 7 5\r\n*2\r\n:4\r\n*1\r\n$1\r\na\r\n", "frame offset 4 where 5 was expected");
        fails(SNAP + "$1\r\nx\r\n+SNAPSHOT_END 9\r\n" + "*2\r\n:8\r\n*1\r\n$1\r\na\r\n", "frame offset 8 where 9 was expected");
        fails(SNAP + "+SNAPSHOT_END 9\r\n" + "*2\r\n:10\r\n*1\r\n$1\r\na\r\n", "frame offset 10 where 9 was expected");
    }

    @Example
    void incompleteInputIsOnlyNeedMoreBytes() throws WireException {
        // every prefix of a unit is "need more bytes", including a huge declared length
        for (String s : new String[] {"+ACK 1 0\r", "-ERR", SNAP + "$65536\r\n" + "x".repeat(100),
                ACK + "*2\r\n:0\r\n*1048576\r\n", ACK + "*2\r\n:0\r\n*1\r\n$536870912\r\n" + "y".repeat(10), ACK + "*", ACK + "*2\r"}) {
            ReplicaStreamDecoder d = new ReplicaStreamDecoder();
            byte[] in = bytes(s);
            d.feed(in, 0, in.length);
            List<Event> es = new ArrayList<>();
            for (Event e; (e = d.next()) != null; ) es.add(e);
            assertThat(d.next()).as(s).isNull();
            assertThat(es).as(s).allMatch(e -> e instanceof Event.Ack || e instanceof Event.SnapshotStart);
        }
    }

    @Example
    void errorRepliesAndHeartbeatsAreEventsAnywhere() throws WireException {
        String s = "-ERR expected REPLICATE FROM <generation> <offset> ID <replica-id>\r\n"
                + "+PING 3 4\r\n" + SNAP + "+PING 7 2\r\n-ERR mid-snapshot\r\n$1\r\nz\r\n+PING 7 2\r\n+SNAPSHOT_END 1\r\n+PING 7 2\r\n";
        assertThat(shown(decode(bytes(s)))).containsExactly(
                "Error[message=ERR expected REPLICATE FROM <generation> <offset> ID <replica-id>]",
                "Ping[generation=3, nextOffset=4]", "Ack[generation=7, fromOffset=0]", "SnapshotStart[]",
                "Ping[generation=7, nextOffset=2]", "Error[message=ERR mid-snapshot]", "chunk [z]",
                "Ping[generation=7, nextOffset=2]", "SnapshotEnd[offset=1]", "Ping[generation=7, nextOffset=2]");
    }

    // ---- every unit split at every byte boundary ------------------------------------------------

    /** One of each unit, including empty and binary arguments, an in-stream snapshot and a re-ack. */
    static final String ALL = "+ACK 5 10\r\n"
            + "+PING 5 12\r\n"
            + "*2\r\n:10\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n"
            + "*2\r\n:11\r\n*2\r\n$3\r\nDEL\r\n$4\r\na\r\nb\r\n"
            + "-ERR something\r\n"
            + "+SNAPSHOT\r\n"
            + "+PING 5 12\r\n"
            + "$3\r\nabc\r\n"
            + "$6\r\n\r\n*2\r\n\r\n"
            + "$1\r\n\u00ff\r\n"
            + "+SNAPSHOT_END 12\r\n"
            + "*2\r\n:12\r\n*1\r\n$5\r\nMULTI\r\n"
            + "+ACK 6 0\r\n"
            + "*2\r\n:0\r\n*1\r\n$4\r\nEXEC\r\n"
            + "*2\r\n:1\r\n*2\r\n$4\r\nINCR\r\n$9\r\n+PING 1 1\r\n";

    static final List<String> ALL_EVENTS = List.of(
            "Ack[generation=5, fromOffset=10]", "Ping[generation=5, nextOffset=12]",
            "frame 10 [SET] [k] []", "frame 11 [DEL] [a\r\nb]", "Error[message=ERR something]",
            "SnapshotStart[]", "Ping[generation=5, nextOffset=12]", "chunk [abc]", "chunk [\r\n*2\r\n]", "chunk [\u00ff]",
            "SnapshotEnd[offset=12]", "frame 12 [MULTI]", "Ack[generation=6, fromOffset=0]", "frame 0 [EXEC]",
            "frame 1 [INCR] [+PING 1 1]");

    @Example
    void everyUnitDecodesTheSameAtEverySplit() throws WireException {
        byte[] in = bytes(ALL);
        assertThat(shown(decode(in))).isEqualTo(ALL_EVENTS);
        assertThat(shown(byteByByte(in))).isEqualTo(ALL_EVENTS);
        for (int a = 1; a < in.length; a++) {
            assertThat(shown(decode(in, a))).as("split at %d", a).isEqualTo(ALL_EVENTS);
            for (int b = a + 1; b < in.length; b += 7) assertThat(shown(decode(in, a, b))).as("split at %d,%d", a, b).isEqualTo(ALL_EVENTS);
        }
        // the raw bytes of a frame are exactly its bytes on the wire
        List<Event> es = decode(in);
        assertThat(((Event.Frame) es.get(3)).raw()).isEqualTo(bytes("*2\r\n:11\r\n*2\r\n$3\r\nDEL\r\n$4\r\na\r\nb\r\n"));
    }

    @Example
    void expectedOffsetAndSnapshotStateFollowTheStream() throws WireException {
        ReplicaStreamDecoder d = new ReplicaStreamDecoder();
        assertThat(d.expectedOffset()).isEqualTo(-1);
        byte[] in = bytes(ALL);
        d.feed(in, 0, in.length);
        List<Long> expected = new ArrayList<>();
        List<Boolean> snap = new ArrayList<>();
        while (d.next() != null) {
            expected.add(d.expectedOffset());
            snap.add(d.inSnapshot());
        }
        assertThat(expected).containsExactly(10L, 10L, 11L, 12L, 12L, -1L, -1L, -1L, -1L, -1L, 12L, 13L, 0L, 1L, 2L);
        assertThat(snap).containsExactly(false, false, false, false, false, true, true, true, true, true, false, false, false, false, false);
    }

    @Example
    void aLongStreamFedInManySmallPiecesKeepsItsBufferBounded() throws WireException {
        // the decoder reuses its buffer once units are consumed instead of growing with the stream
        ReplicaStreamDecoder d = new ReplicaStreamDecoder();
        d.feed(bytes("+ACK 1 0\r\n"), 0, 10);
        assertThat(d.next()).isInstanceOf(Event.Ack.class);
        long off = 0;
        long before = allocated();
        for (int i = 0; i < 20_000; i++) {
            byte[] f = bytes("*2\r\n:" + off + "\r\n*2\r\n$3\r\nDEL\r\n$3\r\nkey\r\n");
            for (int p = 0; p < f.length; p += 9) d.feed(f, p, Math.min(9, f.length - p));
            Event e = d.next();
            assertThat(e).isInstanceOf(Event.Frame.class);
            assertThat(((Event.Frame) e).offset()).isEqualTo(off++);
        }
        // per frame: its raw copy, its two arguments, the events, the test's own strings; no growing buffer
        assertThat(allocated() - before).isLessThan(40L << 20);
    }

    @Example
    void theBufferOfABigFrameIsNotKeptOnceConsumed() throws WireException {
        ReplicaStreamDecoder d = new ReplicaStreamDecoder();
        byte[] big = new byte[4 << 20];
        byte[] head = bytes(ACK + "*2\r\n:0\r\n*2\r\n$3\r\nSET\r\n$" + big.length + "\r\n");
        d.feed(head, 0, head.length);
        for (int p = 0; p < big.length; p += 65536) d.feed(big, p, 65536);
        d.feed(bytes("\r\n"), 0, 2);
        assertThat(d.next()).isInstanceOf(Event.Ack.class);
        assertThat(((Event.Frame) d.next()).argv()[1]).hasSize(big.length);
        assertThat(d.capacity()).isGreaterThanOrEqualTo(big.length);
        d.feed(bytes("+PING 7 1\r\n"), 0, 11);
        assertThat(d.capacity()).isLessThanOrEqualTo(ReplicaStreamDecoder.SHRINK_ABOVE);
        assertThat(d.next()).isEqualTo(new Event.Ping(7, 1));
        // a partly consumed buffer keeps its unconsumed bytes
        byte[] two = bytes("+PING 7 1\r\n+PING 7 2\r\n+PI");
        d.feed(two, 0, two.length);
        assertThat(d.next()).isEqualTo(new Event.Ping(7, 1));
        d.feed(bytes("NG 7 3\r\n"), 0, 8);
        assertThat(d.next()).isEqualTo(new Event.Ping(7, 2));
        assertThat(d.next()).isEqualTo(new Event.Ping(7, 3));
        assertThat(d.next()).isNull();
    }

    // ---- no allocation from an untrusted count or length ----------------------------------------

    static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Example
    void aHugeDeclaredCountOrLengthAllocatesNothingUntilTheBytesAreThere() throws WireException {
        for (String s : new String[] {
                ACK + "*2\r\n:0\r\n*1048576\r\n",
                ACK + "*2\r\n:0\r\n*1048576\r\n$1\r\na\r\n",
                ACK + "*2\r\n:0\r\n*1\r\n$536870912\r\n",
                SNAP + "$65536\r\n"}) {
            ReplicaStreamDecoder d = new ReplicaStreamDecoder();
            byte[] in = bytes(s);
            d.feed(in, 0, in.length);
            while (d.next() != null) { }
            long before = allocated();
            for (int i = 0; i < 100; i++) assertThat(d.next()).isNull();      // a replica polls again on every read
            assertThat(allocated() - before).as(s).isLessThan(256L << 10);
        }
    }

    @Example
    void aFrameWithManyArgumentsArrivingSlowlyIsNotCopiedOverAndOver() throws WireException {
        int n = 20_000;
        StringBuilder sb = new StringBuilder(ACK + "*2\r\n:0\r\n*" + n + "\r\n");
        for (int i = 0; i < n; i++) sb.append("$1\r\nx\r\n");
        byte[] in = bytes(sb.toString());
        ReplicaStreamDecoder d = new ReplicaStreamDecoder();
        long before = allocated();
        Event last = null;
        for (int p = 0; p < in.length; p += 512) {
            d.feed(in, p, Math.min(512, in.length - p));
            for (Event e; (e = d.next()) != null; ) last = e;
        }
        long used = allocated() - before;
        assertThat(((Event.Frame) last).argv().length).isEqualTo(n);
        // the frame once (about 140 KB raw, 20000 one-byte arrays) and the growing buffer: a few MB at most
        assertThat(used).isLessThan(8L << 20);
    }

    @Example
    void aFrameWithManyArgumentsArrivingInSmallReadsIsScannedOnce() throws WireException {
        // each read resumes the scan where the previous one stopped: linear, not quadratic
        int n = 200_000;
        StringBuilder sb = new StringBuilder(ACK + "*2\r\n:0\r\n*" + n + "\r\n");
        for (int i = 0; i < n; i++) sb.append(i % 1000 == 0 ? "$12\r\nhello\r\nworld\r\n" : "$1\r\nx\r\n");
        sb.append("*2\r\n:1\r\n*1\r\n$4\r\nEXEC\r\n");
        byte[] in = bytes(sb.toString());
        ReplicaStreamDecoder d = new ReplicaStreamDecoder();
        List<Event> es = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int p = 0; p < in.length; p += 100) {
            d.feed(in, p, Math.min(100, in.length - p));
            for (Event e; (e = d.next()) != null; ) es.add(e);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(es).hasSize(3);
        byte[][] argv = ((Event.Frame) es.get(1)).argv();
        assertThat(argv.length).isEqualTo(n);
        assertThat(new String(argv[1000], StandardCharsets.ISO_8859_1)).isEqualTo("hello\r\nworld");
        assertThat(argv[n - 1]).containsExactly('x');
        assertThat(((Event.Frame) es.get(2)).offset()).isEqualTo(1);
        assertThat(ms).as("14000 reads of one 1.4 MB frame").isLessThan(3000);
    }

    // ---- random and mutated input ---------------------------------------------------------------

    /** Decodes, with a cut, and fails the test on anything but a WireException; bounds allocation. */
    static void survives(byte[] in, int cut) {
        long before = allocated();
        try {
            decode(in, Math.min(Math.max(0, cut), in.length));
        } catch (WireException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        } catch (Throwable t) {
            fail("decoder threw " + t + " on " + Arrays.toString(in), t);
        }
        long used = allocated() - before;
        assertThat(used).as("allocated for %d input bytes", in.length).isLessThan(64L * in.length + (256L << 10));
    }

    @Provide
    Arbitrary<byte[]> randomInput() {
        Arbitrary<Byte> interesting = Arbitraries.of((byte) '+', (byte) '-', (byte) '$', (byte) '*', (byte) ':',
                (byte) '\r', (byte) '\n', (byte) '0', (byte) '1', (byte) '9', (byte) ' ', (byte) 'A');
        Arbitrary<Byte> any = Arbitraries.bytes();
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, any), net.jqwik.api.Tuple.of(3, interesting))
                .list().ofMaxSize(200)
                .map(l -> {
                    byte[] b = new byte[l.size()];
                    for (int i = 0; i < b.length; i++) b[i] = l.get(i);
                    return b;
                });
    }

    @Property(tries = 2000)
    void randomBytesEndInNothingButAWireException(@ForAll("randomInput") byte[] tail, @ForAll @IntRange(min = 0, max = 2) int prefix,
            @ForAll @IntRange(min = 0, max = 300) int cut) {
        byte[] head = bytes(prefix == 0 ? "" : prefix == 1 ? ACK : SNAP);
        byte[] in = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, in, head.length, tail.length);
        survives(in, cut);
    }

    /** A mutation of the valid {@link #ALL} stream. */
    record Mutation(int kind, int at, int len, byte value, String number) { }

    @Provide
    Arbitrary<Mutation> mutations() {
        Arbitrary<String> numbers = Arbitraries.of("-1", "0", "1048576", "1048577", "536870912", "536870913", "65536", "65537",
                "2147483647", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808", "99999999999999999999", "");
        return Combinators.combine(Arbitraries.integers().between(0, 6), Arbitraries.integers().between(0, ALL.length() - 1),
                Arbitraries.integers().between(1, 40), Arbitraries.bytes(), numbers).as(Mutation::new);
    }

    @Provide
    Arbitrary<List<Mutation>> mutationLists() { return mutations().list().ofMinSize(1).ofMaxSize(3); }

    static byte[] mutate(byte[] in, Mutation m) {
        int at = Math.min(m.at(), in.length - 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (m.kind()) {
            case 0 -> {                                                   // overwrite one byte
                byte[] c = in.clone();
                c[at] = m.value();
                return c;
            }
            case 1 -> {                                                   // delete a run
                out.write(in, 0, at);
                int to = Math.min(in.length, at + m.len());
                out.write(in, to, in.length - to);
            }
            case 2 -> {                                                   // insert a byte
                out.write(in, 0, at);
                out.write(m.value());
                out.write(in, at, in.length - at);
            }
            case 3 -> {                                                   // duplicate a run
                int to = Math.min(in.length, at + m.len());
                out.write(in, 0, to);
                out.write(in, at, to - at);
                out.write(in, to, in.length - to);
            }
            case 4 -> {                                                   // truncate
                out.write(in, 0, at);
            }
            default -> {                                                  // replace the number after a type byte
                int p = at;
                while (p < in.length && in[p] != ':' && in[p] != '*' && in[p] != '$' && in[p] != ' ') p++;
                if (p >= in.length) return in;
                int q = p + 1;
                while (q < in.length && in[q] >= '0' && in[q] <= '9') q++;
                out.write(in, 0, p + 1);
                out.writeBytes(bytes(m.number()));
                out.write(in, q, in.length - q);
            }
        }
        return out.toByteArray();
    }

    @Property(tries = 3000)
    void mutatedValidStreamsEndInNothingButAWireException(@ForAll("mutationLists") List<Mutation> ms,
            @ForAll @IntRange(min = 0, max = 400) int cut) {
        byte[] in = bytes(ALL);
        for (Mutation m : ms) {
            if (in.length == 0) break;
            in = mutate(in, m);
        }
        survives(in, cut);
    }

    @Example
    void theMutationsDoReachEveryKindOfError() {
        // a sanity check on the generator: mutating the valid stream meets many different errors
        java.util.Set<String> seen = new java.util.TreeSet<>();
        Random r = new Random(11);
        byte[] all = bytes(ALL);
        String[] numbers = {"-1", "0", "1048577", "536870913", "65537", "9223372036854775808", ""};
        for (int i = 0; i < 20_000; i++) {
            Mutation m = new Mutation(r.nextInt(7), r.nextInt(all.length), 1 + r.nextInt(40), (byte) r.nextInt(256), numbers[r.nextInt(numbers.length)]);
            try {
                decode(mutate(all, m));
            } catch (WireException e) {
                seen.add(e.getMessage().replaceAll("'.*'|-?\\d+", "N"));
            }
        }
        assertThat(seen).hasSizeGreaterThanOrEqualTo(15);
    }

    // ---- the primary's handshake parser ----------------------------------------------------------

    static void refused(String input, String message) {
        byte[] in = bytes(input);
        assertThatThrownBy(() -> HandshakeParser.parse(in, in.length, new int[1])).as(input)
                .isInstanceOf(WireException.class).hasMessage(message);
    }

    static final String SHAPE = "expected REPLICATE FROM <generation> <offset> ID <replica-id>";

    @Example
    void malformedHandshakesAreRefusedWithTheirReason() {
        refused("*5\r\n$9\r\nREPLICATE\r\n$4\r\nFROM\r\n$1\r\n0\r\n$2\r\nID\r\n$1\r\nx\r\n", SHAPE + ", got 5 words");
        refused("*1\r\n$4\r\nPING\r\n", SHAPE + ", got 1 words");
        refused("PING\r\n", SHAPE + ", got 1 words");
        refused("\r\n", SHAPE + ", got 0 words");
        refused("*0\r\n", SHAPE + ", got 0 words");
        refused("REPLICATE FROM 0 0 ID a b\r\n", SHAPE + ", got 7 words");
        refused("*6\r\n$9\r\nREPLICATE\r\n$4\r\nFROM\r\n$1\r\n0\r\n$1\r\n0\r\n$2\r\nID\r\n$0\r\n\r\n", "replica id must not be empty");
        refused("*6\r\n$9\r\nREPLICATE\r\n$4\r\nFROM\r\n$1\r\n0\r\n$2\r\n-1\r\n$2\r\nID\r\n$1\r\nx\r\n", "invalid offset '-1'");
        refused("REPLICATE TO 0 0 ID x\r\n", SHAPE);
        refused("SYNC FROM 0 0 ID x\r\n", SHAPE);
        refused("REPLICATE FROM 0 0 AS x\r\n", SHAPE);
        refused("REPLICATE FROM g 0 ID x\r\n", "invalid generation 'g'");
        refused("REPLICATE FROM -3 0 ID x\r\n", "invalid generation '-3'");
        refused("REPLICATE FROM 99999999999999999999 0 ID x\r\n", "invalid generation '99999999999999999999'");
        refused("REPLICATE FROM 9223372036854775808 0 ID x\r\n", "invalid generation '9223372036854775808'");
        refused("REPLICATE FROM 1 1.5 ID x\r\n", "invalid offset '1.5'");
        refused("*x\r\n", "invalid array length 'x'");
        refused("*-1\r\n", "invalid array length '-1'");
        refused("*\r\n", "invalid array length ''");
        refused("*17\r\n", "handshake array of 17 elements");
        refused("*6\r\n:1\r\n", "handshake element is not a bulk string");
        refused("*6\r\n$9\r\nREPLICATE\r\n+FROM\r\n", "handshake element is not a bulk string");
        refused("*6\r\n$x\r\n", "invalid bulk length 'x'");
        refused("*6\r\n$-1\r\n", "invalid bulk length '-1'");
        refused("*6\r\n$1025\r\n", "handshake element too long");
        refused("*6\r\n$9\r\nREPLICATExx", "bulk string not followed by CRLF");
        refused("REPLICATE FROM 0 0 ID " + "x".repeat(1100), "handshake line too long");
        refused("*" + "1".repeat(1100), "handshake line too long");
    }

    @Example
    void handshakesParseIncrementallyAndConsumeOnlyThemselves() throws WireException {
        for (String hs : new String[] {
                "*6\r\n$9\r\nREPLICATE\r\n$4\r\nFROM\r\n$16\r\n6875911217059898\r\n$2\r\n32\r\n$2\r\nID\r\n$19\r\nkevy-replica-7903#0\r\n",
                "REPLICATE FROM 6875911217059898 32 ID kevy-replica-7903#0\r\n",
                "  replicate   from 6875911217059898 32 id kevy-replica-7903#0  \r\n"}) {
            byte[] in = bytes(hs + "REPLCONF ACK 5\r\n");
            int hsLen = hs.length();
            for (int cut = 0; cut < hsLen; cut++) assertThat(HandshakeParser.parse(in, cut, new int[1])).as("%s cut %d", hs, cut).isNull();
            int[] used = new int[1];
            assertThat(HandshakeParser.parse(in, in.length, used)).isEqualTo(new HandshakeParser.Request(6875911217059898L, 32, "kevy-replica-7903#0"));
            assertThat(used[0]).isEqualTo(hsLen);
        }
        // a bulk id may hold anything, spaces and CRLF included
        byte[] odd = bytes("*6\r\n$9\r\nREPLICATE\r\n$4\r\nFROM\r\n$1\r\n0\r\n$1\r\n0\r\n$2\r\nID\r\n$4\r\na\r\nb\r\n");
        assertThat(HandshakeParser.parse(odd, odd.length, new int[1]).replicaId()).isEqualTo("a\r\nb");
    }

    @Property(tries = 500)
    void jkevysOwnHandshakeRoundTrips(@ForAll @LongRange(min = 0) long gen, @ForAll @LongRange(min = 0) long off,
            @ForAll @net.jqwik.api.constraints.StringLength(min = 1, max = 100) String id) throws WireException {
        byte[] b = Handshake.replicateFrom(gen, off, id);
        String wantId = new String(id.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);   // lone surrogates become '?'
        int[] used = new int[1];
        assertThat(HandshakeParser.parse(b, b.length, used)).isEqualTo(new HandshakeParser.Request(gen, off, wantId));
        assertThat(used[0]).isEqualTo(b.length);
    }

    @Property(tries = 2000)
    void theHandshakeParserEndsInNothingButAWireException(@ForAll("randomInput") byte[] tail, @ForAll boolean array) {
        byte[] head = bytes(array ? "*6\r\n$9\r\nREPLICATE\r\n" : "REPLICATE FROM ");
        byte[] in = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, in, head.length, tail.length);
        for (int len = 0; len <= in.length; len++) {
            try {
                int[] used = new int[1];
                HandshakeParser.Request r = HandshakeParser.parse(in, len, used);
                if (r != null) {
                    assertThat(used[0]).isBetween(1, len);
                    assertThat(r.replicaId()).isNotEmpty();
                    assertThat(r.generation()).isNotNegative();
                    assertThat(r.fromOffset()).isNotNegative();
                }
            } catch (WireException expected) {
                // the parser's own refusal: fine
            } catch (Throwable t) {
                fail("handshake parser threw " + t + " on " + Arrays.toString(Arrays.copyOf(in, len)), t);
            }
        }
    }
}
