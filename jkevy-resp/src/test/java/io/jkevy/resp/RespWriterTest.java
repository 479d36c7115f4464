package io.jkevy.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RespWriterTest {

    private ByteBuf buf;
    private RespWriter w;

    @BeforeEach
    void setUp() {
        buf = Unpooled.buffer();
        w = new RespWriter();
        w.target(buf);
    }

    @AfterEach
    void tearDown() {
        buf.release();
    }

    private String out(int protocol, Consumer<RespWriter> action) {
        buf.clear();
        w.protocol(protocol);
        action.accept(w);
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    /** Asserts the same bytes in RESP2 and RESP3. */
    private void both(String expected, Consumer<RespWriter> action) {
        assertThat(out(2, action)).isEqualTo(expected);
        assertThat(out(3, action)).isEqualTo(expected);
    }

    private void each(String resp2, String resp3, Consumer<RespWriter> action) {
        assertThat(out(2, action)).as("RESP2").isEqualTo(resp2);
        assertThat(out(3, action)).as("RESP3").isEqualTo(resp3);
    }

    @Test
    void defaults() {
        RespWriter fresh = new RespWriter();
        assertThat(fresh.protocol()).isEqualTo(2);
        assertThat(fresh.target()).isNull();
        assertThat(w.target()).isSameAs(buf);
        assertThatThrownBy(() -> w.protocol(4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void simpleReplies() {
        both("+OK\r\n", RespWriter::ok);
        both("+PONG\r\n", x -> x.simple("PONG"));
        both("+a b c\r\n", x -> x.simple("a\rb\nc"));
        both("+raw\r\n", x -> x.simple("raw".getBytes(StandardCharsets.US_ASCII)));
        both("+x y  z\r\n", x -> x.simple("x\ny\r\nz".getBytes(StandardCharsets.US_ASCII)));
        both("-ERR syntax error\r\n", x -> x.error("ERR syntax error"));
        both("-ERR bad  line\r\n", x -> x.error("ERR bad\r\nline"));
        both("+\u00c3\u00a9\r\n", x -> x.simple("\u00e9")); // UTF-8 bytes seen as Latin-1
    }

    @ParameterizedTest
    @CsvSource({"0", "1", "7", "1023", "1024", "-1", "-1024", "123456789012", "9223372036854775807",
            "-9223372036854775808"})
    void integers(long v) {
        both(":" + v + "\r\n", x -> x.integer(v));
        both("$" + Long.toString(v).length() + "\r\n" + v + "\r\n", x -> x.bulk(v));
    }

    @Test
    void bulks() {
        both("$5\r\nhello\r\n", x -> x.bulk("hello".getBytes(StandardCharsets.US_ASCII)));
        both("$0\r\n\r\n", x -> x.bulk(new byte[0]));
        both("$3\r\nell\r\n", x -> x.bulk("hello".getBytes(StandardCharsets.US_ASCII), 1, 3));
        both("$2\r\n\u00c3\u00a9\r\n", x -> x.bulk("\u00e9"));
        both("$4\r\na\r\nb\r\n", x -> x.bulk("a\r\nb"));
        String big = "x".repeat(5000);
        both("$5000\r\n" + big + "\r\n", x -> x.bulk(big));
        each("$-1\r\n", "_\r\n", x -> x.bulk((byte[]) null));
        each("$-1\r\n", "_\r\n", x -> x.bulk((String) null));
    }

    @Test
    void nulls() {
        each("$-1\r\n", "_\r\n", RespWriter::nullBulk);
        each("*-1\r\n", "_\r\n", RespWriter::nullArray);
    }

    @Test
    void headers() {
        both("*3\r\n", x -> x.arrayHeader(3));
        both("*0\r\n", x -> x.arrayHeader(0));
        both("*-1\r\n", x -> x.arrayHeader(-1));
        each("*4\r\n", "%2\r\n", x -> x.mapHeader(2));
        each("*0\r\n", "%0\r\n", x -> x.mapHeader(0));
        each("*5\r\n", "~5\r\n", x -> x.setHeader(5));
        each("*3\r\n", ">3\r\n", x -> x.pushHeader(3));
        both("*2000\r\n", x -> x.arrayHeader(2000));
    }

    @Test
    void doubles() {
        each("$3\r\n1.5\r\n", ",1.5\r\n", x -> x.doubleValue(1.5));
        each("$1\r\n3\r\n", ",3\r\n", x -> x.doubleValue(3.0));
        each("$3\r\n0.1\r\n", ",0.1\r\n", x -> x.doubleValue(0.1));
        each("$3\r\ninf\r\n", ",inf\r\n", x -> x.doubleValue(Double.POSITIVE_INFINITY));
        each("$4\r\n-inf\r\n", ",-inf\r\n", x -> x.doubleValue(Double.NEGATIVE_INFINITY));
        each("$3\r\nnan\r\n", ",nan\r\n", x -> x.doubleValue(Double.NaN));
    }

    @ParameterizedTest
    @CsvSource({
            "1.5, 1.5", "3.0, 3", "0.1, 0.1", "-2.5, -2.5", "0.0, 0", "-0.0, -0", "100.0, 100",
            "123456.789, 123456.789", "0.000123, 0.000123", "1.23E-7, 1.23e-7", "1.0E-7, 1e-7",
            "1.5E300, 1.5e+300", "1.0E18, 1000000000000000000", "1.0E19, 1e+19", "1.0E21, 1e+21",
            "4.611686018427388E18, 4611686018427387904", "1.2345678901234567E19, 12345678901234567000",
            "0.30000000000000004, 0.30000000000000004", "3.14159, 3.14159", "1.0E-300, 1e-300",
            "4.9E-324, 5e-324", "1.7976931348623157E308, 1.7976931348623157e+308", "-1.0E-7, -1e-7",
            "1234567.5, 1234567.5", "0.001, 0.001", "2.5E-5, 0.000025"
    })
    void formatDouble(double d, String expected) {
        assertThat(RespWriter.formatDouble(d)).isEqualTo(expected);
        if (!expected.contains("inf") && !expected.equals("nan")) {
            assertThat(Double.parseDouble(expected)).isEqualTo(d);
        }
    }

    @Test
    void booleans() {
        each(":1\r\n", "#t\r\n", x -> x.bool(true));
        each(":0\r\n", "#f\r\n", x -> x.bool(false));
    }

    @Test
    void verbatimAndBigNumber() {
        byte[] text = "Some text".getBytes(StandardCharsets.US_ASCII);
        each("$9\r\nSome text\r\n", "=13\r\ntxt:Some text\r\n", x -> x.verbatim("txt", text));
        assertThatThrownBy(() -> w.verbatim("text", text)).isInstanceOf(IllegalArgumentException.class);
        each("$5\r\n12345\r\n", "(12345\r\n", x -> x.bigNumber("12345"));
        each("$3\r\n-99\r\n", "(-99\r\n", x -> x.bigNumber("-99"));
    }

    @Test
    void raw() {
        both("+QUEUED\r\n", x -> x.raw("+QUEUED\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void targetCanBeSwapped() {
        ByteBuf other = Unpooled.buffer();
        try {
            w.ok();
            w.target(other);
            w.integer(5);
            assertThat(buf.toString(StandardCharsets.US_ASCII)).isEqualTo("+OK\r\n");
            assertThat(other.toString(StandardCharsets.US_ASCII)).isEqualTo(":5\r\n");
        } finally {
            other.release();
        }
    }
}
