package io.jkevy.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static io.jkevy.resp.Feeder.bytes;
import static io.jkevy.resp.Feeder.feed;
import static io.jkevy.resp.Feeder.mbulk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RespRequestParserTest {

    private static List<List<String>> cmds(String data) {
        Feeder.Outcome o = feed(data);
        assertThat(o.error()).isNull();
        return o.commands();
    }

    private static String errorOf(String data) {
        Feeder.Outcome o = feed(data);
        assertThat(o.error()).as("expected a protocol error").isNotNull();
        return o.error();
    }

    @Test
    void multibulk() {
        assertThat(cmds("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n"))
                .containsExactly(List.of("SET", "k", "hello"));
    }

    @Test
    void multibulkBinarySafe() {
        String v = "a\r\nb\0c\u00ff";
        assertThat(cmds(mbulk("SET", "k", v))).containsExactly(List.of("SET", "k", v));
        assertThat(cmds(mbulk("GET", ""))).containsExactly(List.of("GET", ""));
    }

    @Test
    void argumentsAreFreshArraysAndReaderIndexAdvances() {
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeBytes(bytes(mbulk("PING") + mbulk("ECHO", "x")));
            RespRequestParser p = new RespRequestParser(new RespLimits());
            byte[][] a = p.parse(buf);
            assertThat(Feeder.args(a)).containsExactly("PING");
            assertThat(buf.readerIndex()).isEqualTo(mbulk("PING").length());
            byte[][] b = p.parse(buf);
            assertThat(Feeder.args(b)).containsExactly("ECHO", "x");
            assertThat(p.parse(buf)).isNull();
            assertThat(buf.isReadable()).isFalse();
            buf.setByte(buf.readerIndex() - 3, 'Z');
            assertThat(Feeder.str(b[1])).isEqualTo("x");
        } finally {
            buf.release();
        }
    }

    @Test
    void emptyMultibulkAndBlankLinesAreSkipped() {
        assertThat(cmds("*0\r\n*-1\r\n\r\n\n   \r\n*1\r\n$4\r\nPING\r\n")).containsExactly(List.of("PING"));
        assertThat(cmds("*0\r\n")).isEmpty();
        assertThat(cmds("\r\n")).isEmpty();
    }

    @Test
    void inlineBasic() {
        assertThat(cmds("SET k v\r\nGET k\nPING\r\n"))
                .containsExactly(List.of("SET", "k", "v"), List.of("GET", "k"), List.of("PING"));
        assertThat(cmds("  set   a\t b  \r\n")).containsExactly(List.of("set", "a", "b"));
        assertThat(cmds("GET k")).isEmpty(); // no newline yet
    }

    @Test
    void inlineQuotesAndEscapes() {
        assertThat(cmds("set \"a b\" 'c d'\r\n")).containsExactly(List.of("set", "a b", "c d"));
        assertThat(cmds("x \"\\n\\r\\t\\b\\a\\\\\\\"\\q\"\n"))
                .containsExactly(List.of("x", "\n\r\t\b\u0007\\\"q"));
        assertThat(cmds("x \"\\x41\\x7a\\xff\\x4\\xzz\"\n"))
                .containsExactly(List.of("x", "Az\u00ff" + "x4" + "xzz"));
        assertThat(cmds("x 'it\\'s' '\\n'\n")).containsExactly(List.of("x", "it's", "\\n"));
        assertThat(cmds("x \"\" ''\n")).containsExactly(List.of("x", "", ""));
        // a quote inside a word starts quoting that continues the same argument
        assertThat(cmds("x ab\"c d\"\n")).containsExactly(List.of("x", "abc d"));
        // CR inside the line separates like a space; only a CR right before LF is stripped
        assertThat(cmds("a\rb\r\n")).containsExactly(List.of("a", "b"));
        // a NUL ends the line for splitting, as in the C implementation
        assertThat(cmds("a b\0c d\n")).containsExactly(List.of("a", "b"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "set \"abc",
            "set \"abc\"def",
            "set 'abc",
            "set 'abc'def",
            "set \"a\\\"",
            "set '\\'",
    })
    void inlineUnbalancedQuotes(String line) {
        assertThat(errorOf(line + "\r\n")).isEqualTo("ERR Protocol error: unbalanced quotes in request");
    }

    @Test
    void pipelineOfTenThousandCommands() {
        StringBuilder sb = new StringBuilder();
        List<List<String>> expected = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            if (i % 3 == 0) {
                sb.append("INCR counter:").append(i).append("\r\n");
                expected.add(List.of("INCR", "counter:" + i));
            } else {
                sb.append(mbulk("SET", "key:" + i, "value-" + i));
                expected.add(List.of("SET", "key:" + i, "value-" + i));
            }
        }
        assertThat(cmds(sb.toString())).isEqualTo(expected);
    }

    @Test
    void multibulkLengthErrors() {
        String msg = "ERR Protocol error: invalid multibulk length";
        assertThat(errorOf("*abc\r\n")).isEqualTo(msg);
        assertThat(errorOf("*\r\n")).isEqualTo(msg);
        assertThat(errorOf("*01\r\n")).isEqualTo(msg);
        assertThat(errorOf("*+1\r\n")).isEqualTo(msg);
        assertThat(errorOf("*1 \r\n")).isEqualTo(msg);
        assertThat(errorOf("*99999999999999999999\r\n")).isEqualTo(msg);
        assertThat(errorOf("*1073741825\r\n")).isEqualTo(msg);
        RespLimits small = new RespLimits();
        small.maxMultibulkLen(2);
        assertThat(feed(small, bytes("*3\r\n")).error()).isEqualTo(msg);
        assertThat(feed(small, bytes(mbulk("a", "b"))).commands()).containsExactly(List.of("a", "b"));
    }

    @Test
    void tooBigCountStrings() {
        String digits = "1".repeat(64 * 1024 + 1);
        assertThat(errorOf("*" + digits)).isEqualTo("ERR Protocol error: too big mbulk count string");
        assertThat(errorOf("*1\r\n$" + digits)).isEqualTo("ERR Protocol error: too big bulk count string");
        // exactly at the limit without CR is still "need more"
        assertThat(feed("*" + "1".repeat(64 * 1024 - 1)).error()).isNull();
    }

    @Test
    void expectedDollar() {
        assertThat(errorOf("*1\r\nX3\r\nfoo\r\n")).isEqualTo("ERR Protocol error: expected '$', got 'X'");
        assertThat(errorOf("*2\r\n$1\r\na\r\n:1\r\n")).isEqualTo("ERR Protocol error: expected '$', got ':'");
    }

    @Test
    void bulkLengthErrors() {
        String msg = "ERR Protocol error: invalid bulk length";
        assertThat(errorOf("*1\r\n$-1\r\n")).isEqualTo(msg);
        assertThat(errorOf("*1\r\n$x\r\n")).isEqualTo(msg);
        assertThat(errorOf("*1\r\n$\r\n")).isEqualTo(msg);
        assertThat(errorOf("*1\r\n$536870913\r\n")).isEqualTo(msg);
        // missing CRLF after the payload
        assertThat(errorOf("*1\r\n$3\r\nfooXY")).isEqualTo(msg);
        assertThat(errorOf("*1\r\n$3\r\nfoo\rX")).isEqualTo(msg);
        // CR not followed by LF in the header line
        assertThat(errorOf("*1\r\n$3\rXfoo\r\n")).isEqualTo(msg);
    }

    @Test
    void tooBigInline() {
        assertThat(errorOf("a".repeat(64 * 1024 + 2))).isEqualTo("ERR Protocol error: too big inline request");
        assertThat(feed("a".repeat(64 * 1024 + 1)).error()).isNull();
        assertThat(cmds("a".repeat(64 * 1024) + "\r\n")).containsExactly(List.of("a".repeat(64 * 1024)));
        RespLimits small = new RespLimits();
        small.maxInlineLen(10);
        assertThat(feed(small, bytes("PING 12345\r\n")).commands()).containsExactly(List.of("PING", "12345"));
        assertThat(feed(small, bytes("PING 123456\r\n")).error())
                .isEqualTo("ERR Protocol error: too big inline request");
    }

    @Test
    void bulkOverLimitFailsBeforeAnyPayloadArrives() {
        RespLimits limits = new RespLimits();
        limits.maxBulkLen(10);
        RespRequestParser p = new RespRequestParser(limits);
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeBytes(bytes("*2\r\n$3\r\nSET\r\n$10\r\n"));
            assertThat(p.parse(buf)).isNull();
            p.reset();
            buf.clear().writeBytes(bytes("*2\r\n$3\r\nSET\r\n$11\r\n"));
            assertThatThrownBy(() -> p.parse(buf)).isInstanceOf(RespProtocolException.class)
                    .hasMessage("ERR Protocol error: invalid bulk length");
            // a 4 GiB announcement with the default limit is refused from the header alone
            RespRequestParser q = new RespRequestParser(new RespLimits());
            buf.clear().writeBytes(bytes("*1\r\n$4294967296\r\n"));
            assertThatThrownBy(() -> q.parse(buf)).hasMessage("ERR Protocol error: invalid bulk length");
        } finally {
            buf.release();
        }
    }

    @Test
    void hugeAnnouncedCountDoesNotAllocate() {
        RespRequestParser p = new RespRequestParser(new RespLimits());
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeBytes(bytes("*1000000000\r\n$3\r\nfoo\r\n$1\r\nb\r\n$400000000\r\n"));
            // with -Xmx1g, sizing 1e9 slots (4-8 GB) or a 400 MB bulk up front would fail here
            for (int i = 0; i < 3; i++) {
                assertThat(p.parse(buf)).isNull();
            }
            assertThat(buf.readableBytes()).isZero();
        } finally {
            buf.release();
        }
    }

    @Test
    void partialMultibulkKeepsStateAndConsumesCompletedElements() {
        RespRequestParser p = new RespRequestParser(new RespLimits());
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeBytes(bytes("*3\r\n$3\r\nSET\r\n$1\r\nk"));
            assertThat(p.parse(buf)).isNull();
            int consumed = buf.readerIndex();
            assertThat(consumed).isEqualTo("*3\r\n$3\r\nSET\r\n$1\r\n".length());
            buf.discardReadBytes();
            buf.writeBytes(bytes("\r\n$1\r\nv\r\n"));
            assertThat(Feeder.args(p.parse(buf))).containsExactly("SET", "k", "v");
        } finally {
            buf.release();
        }
    }

    @Test
    void resetDropsPartialCommand() {
        RespRequestParser p = new RespRequestParser(new RespLimits());
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeBytes(bytes("*3\r\n$3\r\nSET\r\n"));
            assertThat(p.parse(buf)).isNull();
            p.reset();
            buf.clear().writeBytes(bytes("PING\r\n"));
            assertThat(Feeder.args(p.parse(buf))).containsExactly("PING");
        } finally {
            buf.release();
        }
    }

    @Test
    void manyElementsGrowArgvToExactSize() {
        String[] args = new String[1000];
        for (int i = 0; i < args.length; i++) {
            args[i] = "a" + i;
        }
        List<List<String>> c = cmds(mbulk(args));
        assertThat(c).hasSize(1);
        assertThat(c.get(0)).containsExactly(args);
    }

    /** Several commands of every kind, fed split at every possible single position. */
    @Test
    void splitAtEveryPosition() {
        String stream = mbulk("SET", "key", "va\r\nlue") + "*0\r\n" + "GET key\r\n" + "\r\n"
                + "set \"a \\x41\" 'b\\'c'\n" + mbulk("PING") + "*-1\r\n" + mbulk("", "x") + "ECHO  z \r\n";
        byte[] data = bytes(stream);
        Feeder.Outcome whole = feed(data);
        assertThat(whole.error()).isNull();
        assertThat(whole.commands()).containsExactly(
                List.of("SET", "key", "va\r\nlue"), List.of("GET", "key"), List.of("set", "a A", "b'c"),
                List.of("PING"), List.of("", "x"), List.of("ECHO", "z"));
        for (int cut = 0; cut <= data.length; cut++) {
            assertThat(feed(data, cut)).as("cut at %d", cut).isEqualTo(whole);
        }
        // and one byte at a time
        int[] all = new int[data.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        assertThat(feed(data, all)).isEqualTo(whole);
    }

    @Test
    void splitAtEveryPositionBeforeAnError() {
        byte[] data = bytes(mbulk("PING") + "*1\r\n$3\r\nfooXX" + mbulk("NEVER"));
        Feeder.Outcome whole = feed(data);
        assertThat(whole.commands()).containsExactly(List.of("PING"));
        assertThat(whole.error()).isEqualTo("ERR Protocol error: invalid bulk length");
        for (int cut = 0; cut <= data.length; cut++) {
            assertThat(feed(data, cut)).as("cut at %d", cut).isEqualTo(whole);
        }
    }

    @Test
    void protocolExceptionHasNoStackTrace() {
        RespProtocolException e = new RespProtocolException("ERR x");
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.getMessage()).isEqualTo("ERR x");
    }

    @Test
    void limitsDefaults() {
        RespLimits l = new RespLimits();
        assertThat(l.maxBulkLen()).isEqualTo(512L * 1024 * 1024);
        assertThat(l.maxMultibulkLen()).isEqualTo(1024L * 1024 * 1024);
        assertThat(l.maxInlineLen()).isEqualTo(64 * 1024);
        l.maxBulkLen(5);
        l.maxMultibulkLen(6);
        l.maxInlineLen(7);
        assertThat(l.maxBulkLen()).isEqualTo(5);
        assertThat(l.maxMultibulkLen()).isEqualTo(6);
        assertThat(l.maxInlineLen()).isEqualTo(7);
    }
}
