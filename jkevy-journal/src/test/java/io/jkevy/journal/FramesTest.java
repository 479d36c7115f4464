package io.jkevy.journal;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class FramesTest {

    static byte[][] argv(String... a) {
        byte[][] out = new byte[a.length][];
        for (int i = 0; i < a.length; i++) out[i] = a[i].getBytes(StandardCharsets.UTF_8);
        return out;
    }

    @Example
    void goldenBytes() {
        byte[] f = Frames.encode(7, argv("SET", "k", "v"));
        assertThat(new String(f, StandardCharsets.ISO_8859_1))
                .isEqualTo("*2\r\n:7\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n");
        assertThat(Frames.size(7, argv("SET", "k", "v"))).isEqualTo(f.length);
    }

    @Example
    void goldenBytesWithMultiDigitLengthsAndEmptyArg() {
        byte[] f = Frames.encode(1234567890123L, argv("APPEND", "", "0123456789ab"));
        assertThat(new String(f, StandardCharsets.ISO_8859_1))
                .isEqualTo("*2\r\n:1234567890123\r\n*3\r\n$6\r\nAPPEND\r\n$0\r\n\r\n$12\r\n0123456789ab\r\n");
    }

    @Example
    void multiAndExecFrames() {
        assertThat(new String(Frames.encode(0, Frames.MULTI), StandardCharsets.ISO_8859_1))
                .isEqualTo("*2\r\n:0\r\n*1\r\n$5\r\nMULTI\r\n");
        assertThat(new String(Frames.encode(10, Frames.EXEC), StandardCharsets.ISO_8859_1))
                .isEqualTo("*2\r\n:10\r\n*1\r\n$4\r\nEXEC\r\n");
    }

    @Provide
    Arbitrary<byte[][]> argvs() {
        // any bytes, CR/LF and digits included, empty args and argv lengths past 9 (two digits)
        Arbitrary<byte[]> arg = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(20),
                Arbitraries.of((byte) '\r', (byte) '\n', (byte) '$', (byte) '*', (byte) '0').array(byte[].class).ofMaxSize(6),
                Arbitraries.bytes().array(byte[].class).ofMinSize(95).ofMaxSize(1200));
        return arg.array(byte[][].class).ofMinSize(0).ofMaxSize(15);
    }

    @Provide
    Arbitrary<Long> offsets() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, 20),
                Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.of(9L, 10L, 99L, 100L, 999_999_999L, 1_000_000_000L, Long.MAX_VALUE));
    }

    @Property(tries = 500)
    void sizeMatchesEncodingAndArgvRoundTrips(@ForAll("offsets") long offset, @ForAll("argvs") byte[][] argv) {
        byte[] f = Frames.encode(offset, argv);
        assertThat(Frames.size(offset, argv)).isEqualTo(f.length);
        assertThat(Frames.offsetOf(f)).isEqualTo(offset);
        byte[][] back = Frames.decodeArgv(f);
        assertThat(back.length).isEqualTo(argv.length);
        for (int i = 0; i < argv.length; i++) assertThat(back[i]).as("arg %d", i).isEqualTo(argv[i]);
        // the envelope: a two-element array whose first element is the offset integer
        String head = "*2\r\n:" + offset + "\r\n*" + argv.length + "\r\n";
        assertThat(new String(f, 0, head.length(), StandardCharsets.ISO_8859_1)).isEqualTo(head);
        assertThat(f[f.length - 2]).isEqualTo((byte) '\r');
        assertThat(f[f.length - 1]).isEqualTo((byte) '\n');
    }

    @Property(tries = 200)
    void digitsMatchesDecimalLength(@ForAll @LongRange(min = Long.MIN_VALUE, max = Long.MAX_VALUE) long v) {
        assertThat(Frames.digits(v)).isEqualTo(Long.toString(v).length());
    }

    @Example
    void digitsAtPowersOfTen() {
        long p = 1;
        for (int d = 1; d <= 18; d++) {
            assertThat(Frames.digits(p)).isEqualTo(d);
            assertThat(Frames.digits(p * 10 - 1)).isEqualTo(d);
            p *= 10;
        }
        assertThat(Frames.digits(0)).isEqualTo(1);
        assertThat(Frames.digits(Long.MIN_VALUE)).isEqualTo(20);
    }
}
