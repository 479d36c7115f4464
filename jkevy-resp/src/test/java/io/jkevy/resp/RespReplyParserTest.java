package io.jkevy.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RespReplyParserTest {

    private static RespValue.Bulk b(String s) {
        return RespValue.Bulk.of(s);
    }

    /** Parses all values from {@code data}, fed whole. */
    private static List<RespValue> parseAll(byte[] data, int... cuts) {
        RespReplyParser p = new RespReplyParser();
        ByteBuf cum = Unpooled.buffer();
        List<RespValue> out = new ArrayList<>();
        try {
            int prev = 0;
            int[] bounds = java.util.Arrays.copyOf(cuts, cuts.length + 1);
            bounds[cuts.length] = data.length;
            for (int bound : bounds) {
                cum.writeBytes(data, prev, bound - prev);
                prev = bound;
                int before = cum.readerIndex();
                RespValue v;
                while ((v = p.parse(cum)) != null) {
                    out.add(v);
                    before = cum.readerIndex();
                }
                assertThat(cum.readerIndex()).as("incomplete parse must not consume").isEqualTo(before);
            }
            assertThat(cum.isReadable()).isFalse();
            return out;
        } finally {
            cum.release();
        }
    }

    private static List<RespValue> parseAll(String s) {
        return parseAll(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String errorOf(String s) {
        RespReplyParser p = new RespReplyParser();
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            try {
                while (p.parse(buf) != null) {
                    // keep going until error or incomplete
                }
            } catch (RespProtocolException e) {
                return e.getMessage();
            }
            throw new AssertionError("no error for " + s);
        } finally {
            buf.release();
        }
    }

    @Test
    void resp2Types() {
        assertThat(parseAll("+OK\r\n-ERR x y\r\n:42\r\n:-7\r\n$3\r\nfoo\r\n$-1\r\n*-1\r\n*2\r\n$1\r\na\r\n:1\r\n$0\r\n\r\n"))
                .containsExactly(new RespValue.SimpleString("OK"), new RespValue.Error("ERR x y"),
                        new RespValue.Integer(42), new RespValue.Integer(-7), b("foo"), new RespValue.Bulk(null),
                        new RespValue.Array(null), new RespValue.Array(List.of(b("a"), new RespValue.Integer(1))),
                        b(""));
    }

    @Test
    void resp3Types() {
        assertThat(parseAll("_\r\n,1.5\r\n,inf\r\n,-inf\r\n#t\r\n#f\r\n%1\r\n+k\r\n:1\r\n~2\r\n:1\r\n:2\r\n"
                + ">2\r\n$7\r\nmessage\r\n$1\r\nx\r\n=8\r\ntxt:abcd\r\n(123456789012345678901234567890\r\n"
                + "!8\r\nERR x\r\ny\r\n|1\r\n+ttl\r\n:3\r\n:99\r\n"))
                .containsExactly(new RespValue.Null(), new RespValue.Double(1.5),
                        new RespValue.Double(Double.POSITIVE_INFINITY), new RespValue.Double(Double.NEGATIVE_INFINITY),
                        new RespValue.Bool(true), new RespValue.Bool(false),
                        new RespValue.Map(List.of(new RespValue.SimpleString("k"), new RespValue.Integer(1))),
                        new RespValue.Set(List.of(new RespValue.Integer(1), new RespValue.Integer(2))),
                        new RespValue.Push(List.of(b("message"), b("x"))),
                        new RespValue.Verbatim("txt", "abcd".getBytes(StandardCharsets.US_ASCII)),
                        new RespValue.BigNumber("123456789012345678901234567890"),
                        new RespValue.Error("ERR x\r\ny"),
                        new RespValue.Integer(99));
        RespValue nan = parseAll(",nan\r\n").get(0);
        assertThat(((RespValue.Double) nan).value()).isNaN();
    }

    @ParameterizedTest
    @ValueSource(strings = {"?x\r\n", ":abc\r\n", ":01\r\n", "$-2\r\n", "*-2\r\n", "$3\r\nfooXY", "#x\r\n",
            "_x\r\n", ",1.5x\r\n", ",0x10\r\n", "(12a\r\n", "=3\r\ntxt\r\n", "=5\r\ntxt-a\r\n", "+a\rb\r\n",
            "$?\r\n", "*?\r\n", "$600000000\r\n"})
    void malformed(String s) {
        assertThat(errorOf(s)).startsWith("ERR Protocol error: ");
    }

    @Test
    void limits() {
        RespLimits limits = new RespLimits();
        limits.maxBulkLen(3);
        limits.maxMultibulkLen(2);
        limits.maxInlineLen(8);
        RespReplyParser p = new RespReplyParser(limits);
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeBytes("$4\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> p.parse(buf)).hasMessage("ERR Protocol error: invalid bulk length");
            buf.clear().writeBytes("*3\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> p.parse(buf)).hasMessage("ERR Protocol error: invalid multibulk length");
            buf.clear().writeBytes("%2\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> p.parse(buf)).hasMessage("ERR Protocol error: invalid multibulk length");
            buf.clear().writeBytes("+123456789".getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> p.parse(buf)).hasMessage("ERR Protocol error: too big line");
            // a huge announced array with few elements present is just incomplete
            RespReplyParser q = new RespReplyParser();
            buf.clear().writeBytes("*1000000000\r\n:1\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(q.parse(buf)).isNull();
            assertThat(buf.readerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    @Test
    void nestingDepthLimit() {
        String ok = "*1\r\n".repeat(RespReplyParser.MAX_DEPTH) + ":1\r\n";
        assertThat(parseAll(ok)).hasSize(1);
        String deep = "*1\r\n".repeat(RespReplyParser.MAX_DEPTH + 1) + ":1\r\n";
        assertThat(errorOf(deep)).isEqualTo("ERR Protocol error: nesting too deep");
    }

    /** Writes a nested reply with every writer method, then decodes it. */
    private static byte[] writeNested(int protocol) {
        ByteBuf buf = Unpooled.buffer();
        try {
            RespWriter w = new RespWriter();
            w.target(buf);
            w.protocol(protocol);
            w.arrayHeader(12);
            w.ok();
            w.simple("PONG");
            w.error("ERR nope");
            w.integer(-12345);
            w.bulk("héllo");
            w.nullBulk();
            w.mapHeader(2);
            w.bulk("a");
            w.arrayHeader(2);
            w.bulk(1L);
            w.doubleValue(2.5);
            w.bulk("b");
            w.setHeader(1);
            w.bool(true);
            w.pushHeader(2);
            w.bulk("pmessage");
            w.nullArray();
            w.verbatim("txt", "body".getBytes(StandardCharsets.UTF_8));
            w.bigNumber("99999999999999999999");
            w.doubleValue(Double.NEGATIVE_INFINITY);
            w.raw(":7\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] out = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), out);
            return out;
        } finally {
            buf.release();
        }
    }

    @Test
    void roundTripResp3() {
        byte[] data = writeNested(3);
        List<RespValue> v = parseAll(data);
        RespValue expected = new RespValue.Array(List.of(
                new RespValue.SimpleString("OK"), new RespValue.SimpleString("PONG"), new RespValue.Error("ERR nope"),
                new RespValue.Integer(-12345), b("héllo"), new RespValue.Null(),
                new RespValue.Map(List.of(b("a"),
                        new RespValue.Array(List.of(b("1"), new RespValue.Double(2.5))),
                        b("b"), new RespValue.Set(List.of(new RespValue.Bool(true))))),
                new RespValue.Push(List.of(b("pmessage"), new RespValue.Null())),
                new RespValue.Verbatim("txt", "body".getBytes(StandardCharsets.UTF_8)),
                new RespValue.BigNumber("99999999999999999999"),
                new RespValue.Double(Double.NEGATIVE_INFINITY),
                new RespValue.Integer(7)));
        assertThat(v).containsExactly(expected);
        for (int cut = 0; cut <= data.length; cut++) {
            assertThat(parseAll(data, cut)).as("cut at %d", cut).containsExactly(expected);
        }
    }

    @Test
    void roundTripResp2() {
        byte[] data = writeNested(2);
        RespValue expected = new RespValue.Array(List.of(
                new RespValue.SimpleString("OK"), new RespValue.SimpleString("PONG"), new RespValue.Error("ERR nope"),
                new RespValue.Integer(-12345), b("héllo"), new RespValue.Bulk(null),
                new RespValue.Array(List.of(b("a"),
                        new RespValue.Array(List.of(b("1"), b("2.5"))),
                        b("b"), new RespValue.Array(List.of(new RespValue.Integer(1))))),
                new RespValue.Array(List.of(b("pmessage"), new RespValue.Array(null))),
                b("body"),
                b("99999999999999999999"),
                b("-inf"),
                new RespValue.Integer(7)));
        for (int cut = 0; cut <= data.length; cut++) {
            assertThat(parseAll(data, cut)).as("cut at %d", cut).containsExactly(expected);
        }
        int[] every = new int[data.length];
        for (int i = 0; i < every.length; i++) {
            every[i] = i;
        }
        assertThat(parseAll(data, every)).containsExactly(expected);
    }
}
