package io.jkevy.engine.script;

import io.jkevy.engine.EngineHarness;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** bit, cjson, cmsgpack and struct; every expected value is what redis-server 7.0.15 returned for the same script. */
class LibrariesTest {
    final EngineHarness h = new EngineHarness();

    String raw(String script) { return h.raw("EVAL", script, "0"); }

    /** The bulk reply of a script as hex. */
    String hex(String script) {
        String r = raw(script);
        assertThat(r).startsWith("$");
        String body = r.substring(r.indexOf("\r\n") + 2, r.length() - 2);
        return HexFormat.of().formatHex(body.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    String bulk(String script) { return h.bulk("EVAL", script, "0"); }

    @Test
    void bit() {
        assertThat(raw("return {bit.tobit(0xffffffff), bit.tobit(2^32+5), bit.tohex(65535), bit.tohex(-1, -4), bit.tohex(255, 2), "
                + "bit.bnot(0), bit.band(0xff, 0x0f, 0x3), bit.bor(1,2,4), bit.bxor(7, 2), bit.lshift(1, 31), bit.rshift(-1, 28), "
                + "bit.arshift(-256, 4), bit.rol(0x12345678, 8), bit.ror(0x12345678, 8), bit.bswap(0x12345678), bit.tobit(1.5), "
                + "bit.tobit(2.5), bit.tobit(-1.5), bit.lshift(1, 33)}"))
                .isEqualTo("*19\r\n:-1\r\n:5\r\n$8\r\n0000ffff\r\n$4\r\nFFFF\r\n$2\r\nff\r\n:-1\r\n:3\r\n:7\r\n:5\r\n:-2147483648\r\n"
                        + ":15\r\n:-16\r\n:878082066\r\n:2014458966\r\n:2018915346\r\n:2\r\n:2\r\n:-2\r\n:2\r\n");
    }

    @Test
    void cjsonEncode() {
        assertThat(bulk("return cjson.encode({1,2,3})")).isEqualTo("[1,2,3]");
        assertThat(bulk("return cjson.encode({a=1})")).isEqualTo("{\"a\":1}");
        assertThat(bulk("return cjson.encode({a={b='x'}})")).isEqualTo("{\"a\":{\"b\":\"x\"}}");
        assertThat(bulk("return cjson.encode('he\"llo\\n/')")).isEqualTo("\"he\\\"llo\\n\\/\"");
        assertThat(bulk("return cjson.encode(1.5)")).isEqualTo("1.5");
        assertThat(bulk("return cjson.encode(0.1)")).isEqualTo("0.1");
        assertThat(bulk("return cjson.encode(1e100)")).isEqualTo("1e+100");
        assertThat(bulk("return cjson.encode(-1e-7)")).isEqualTo("-1e-07");
        assertThat(bulk("return cjson.encode(1/3)")).isEqualTo("0.33333333333333");
        assertThat(bulk("return cjson.encode(100)")).isEqualTo("100");
        assertThat(bulk("return cjson.encode(123456789012)")).isEqualTo("123456789012");
        assertThat(bulk("return cjson.encode(cjson.null)")).isEqualTo("null");
        assertThat(bulk("return cjson.encode({})")).isEqualTo("{}");
        assertThat(bulk("return cjson.encode({[1]=1,[3]=3})")).isEqualTo("[1,null,3]");
        assertThat(bulk("return cjson.encode({[1]=1,[2]=2,[5]=5})")).isEqualTo("[1,2,null,null,5]");
        assertThat(bulk("return cjson.encode({1,'a',{x=1}})")).isEqualTo("[1,\"a\",{\"x\":1}]");
        assertThat(bulk("return cjson.encode({['1']=1})")).isEqualTo("{\"1\":1}");
        assertThat(raw("return cjson.encode('\\1\\127\\128')")).isEqualTo("$15\r\n\"\\u0001\\u007f\u0080\"\r\n");
        assertThat(h.error("EVAL", "return cjson.encode(function() end)", "0")).startsWith("ERR user_script:1: Cannot serialise function: type not supported script: ");
        assertThat(h.error("EVAL", "return cjson.encode({[true]=1})", "0"))
                .startsWith("ERR user_script:1: Cannot serialise boolean: table key must be a number or string script: ");
        assertThat(h.error("EVAL", "return cjson.encode(0/0)", "0")).startsWith("ERR user_script:1: Cannot serialise number: must not be NaN or Inf script: ");
    }

    @Test
    void cjsonDecode() {
        assertThat(raw("local t = cjson.decode('{\"a\":[1,2,{\"b\":null}],\"c\":\"x\\\\u00e9\"}') return {t.a[1], t.a[2], tostring(t.a[3].b), t.c}"))
                .isEqualTo("*4\r\n:1\r\n:2\r\n$15\r\nuserdata: (nil)\r\n$3\r\nx\u00c3\u00a9\r\n");
        assertThat(raw("return cjson.decode('[1,2,3]')[2]")).isEqualTo(":2\r\n");
        assertThat(raw("return cjson.decode('1.5e2')")).isEqualTo(":150\r\n");
        assertThat(raw("return type(cjson.decode('true'))")).isEqualTo("$7\r\nboolean\r\n");
        assertThat(h.error("EVAL", "return cjson.decode('{bad')", "0"))
                .startsWith("ERR user_script:1: Expected object key string but found invalid token at character 2 script: ");
        assertThat(h.error("EVAL", "return cjson.decode('[1,2')", "0"))
                .startsWith("ERR user_script:1: Expected comma or array end but found T_END at character 5 script: ");
    }

    @Test
    void cmsgpack() {
        assertThat(hex("return cmsgpack.pack(1)")).isEqualTo("01");
        assertThat(hex("return cmsgpack.pack(-1)")).isEqualTo("ff");
        assertThat(hex("return cmsgpack.pack(127, 128, 255, 256, 65535, 65536, 4294967296)"))
                .isEqualTo("7fcc80ccffcd0100cdffffce00010000cf0000000100000000");
        assertThat(hex("return cmsgpack.pack(-32, -33, -128, -129, -32768, -32769, -2147483649)"))
                .isEqualTo("e0d0dfd080d1ff7fd18000d2ffff7fffd3ffffffff7fffffff");
        assertThat(hex("return cmsgpack.pack(1.5)")).isEqualTo("ca3fc00000");
        assertThat(hex("return cmsgpack.pack(-1.5)")).isEqualTo("cabfc00000");
        assertThat(hex("return cmsgpack.pack(0.1)")).isEqualTo("cb3fb999999999999a");
        assertThat(hex("return cmsgpack.pack(1e20)")).isEqualTo("cb4415af1d78b58c40");
        assertThat(hex("return cmsgpack.pack(2^53)")).isEqualTo("cf0020000000000000");
        assertThat(hex("return cmsgpack.pack('abc')")).isEqualTo("a3616263");
        assertThat(hex("return cmsgpack.pack(string.rep('x', 32))")).isEqualTo("d920" + "78".repeat(32));
        assertThat(hex("return cmsgpack.pack(string.rep('x', 256))")).isEqualTo("da0100" + "78".repeat(256));
        assertThat(hex("return cmsgpack.pack({1,2,3})")).isEqualTo("93010203");
        assertThat(hex("return cmsgpack.pack({a=1})")).isEqualTo("81a16101");
        assertThat(hex("return cmsgpack.pack(true, false, nil)")).isEqualTo("c3c2c0");
        assertThat(hex("return cmsgpack.pack({})")).isEqualTo("90");
        assertThat(hex("return cmsgpack.pack({1,nil,3})")).isEqualTo("8201010303");
        assertThat(raw("return {cmsgpack.unpack(cmsgpack.pack(1,'a',{1,2}))}")).isEqualTo("*3\r\n:1\r\n$1\r\na\r\n*2\r\n:1\r\n:2\r\n");
        assertThat(raw("local t = cmsgpack.unpack(cmsgpack.pack({a={b=2}})) return t.a.b")).isEqualTo(":2\r\n");
        assertThat(raw("return cmsgpack.unpack('\\202\\064\\072\\245\\195')")).isEqualTo(":3\r\n");
        assertThat(raw("return tostring(cmsgpack.unpack('\\192'))")).isEqualTo("$3\r\nnil\r\n");
        assertThat(raw("return cmsgpack.unpack('\\195')")).isEqualTo(":1\r\n");
        assertThat(h.error("EVAL", "return {cmsgpack.unpack('\\147\\001\\002')}", "0")).startsWith("ERR user_script:1: Missing bytes in input. script: ");
    }

    @Test
    void struct() {
        assertThat(hex("return struct.pack('>I', 1)")).isEqualTo("00000001");
        assertThat(hex("return struct.pack('<I2', 258)")).isEqualTo("0201");
        assertThat(hex("return struct.pack('>i', -2)")).isEqualTo("fffffffe");
        assertThat(hex("return struct.pack('bBhH', -1, 255, -2, 65535)")).isEqualTo("fffffeffffff");
        assertThat(hex("return struct.pack('>l', 1)")).isEqualTo("0000000000000001");
        assertThat(hex("return struct.pack('>d', 1.5)")).isEqualTo("3ff8000000000000");
        assertThat(hex("return struct.pack('<f', 1.5)")).isEqualTo("0000c03f");
        assertThat(hex("return struct.pack('s', 'ab')")).isEqualTo("616200");
        assertThat(hex("return struct.pack('c3', 'abcdef')")).isEqualTo("616263");
        assertThat(hex("return struct.pack('c0', 'xyz')")).isEqualTo("78797a");
        assertThat(hex("return struct.pack('>xI1', 7)")).isEqualTo("0007");
        assertThat(hex("return struct.pack('!4 b I', 1, 2)")).isEqualTo("0100000002000000");
        assertThat(hex("return struct.pack('>I9', 1)")).isEqualTo("000000000000000001");
        assertThat(raw("return {struct.unpack('>I', '\\0\\0\\1\\2')}")).isEqualTo("*2\r\n:258\r\n:5\r\n");
        assertThat(raw("return {struct.unpack('<h', '\\254\\255')}")).isEqualTo("*2\r\n:-2\r\n:3\r\n");
        assertThat(raw("return {struct.unpack('s', 'ab\\0cd')}")).isEqualTo("*2\r\n$2\r\nab\r\n:4\r\n");
        assertThat(raw("return {struct.unpack('c2', 'abcd', 2)}")).isEqualTo("*2\r\n$2\r\nbc\r\n:4\r\n");
        assertThat(raw("return {struct.unpack('>B c0', '\\3abcd')}")).isEqualTo("*2\r\n$3\r\nabc\r\n:5\r\n");
        assertThat(raw("return struct.size('>I2 d b')")).isEqualTo(":11\r\n");
        assertThat(bulk("return tostring(({struct.unpack('>d', struct.pack('>d', 1.25))})[1])")).isEqualTo("1.25");
        assertThat(h.error("EVAL", "return struct.size('s')", "0")).startsWith("ERR user_script:1: bad argument #1 to 'size' (option 's' has no fixed size) script: ");
        assertThat(h.error("EVAL", "return {struct.unpack('>I', '\\0')}", "0")).startsWith("ERR user_script:1: bad argument #2 to 'unpack' (data string too short) script: ");
        assertThat(h.error("EVAL", "return struct.pack('z', 1)", "0")).startsWith("ERR user_script:1: bad argument #1 to 'pack' (invalid format option 'z') script: ");
    }

    @Test
    void librariesAreReadOnly() {
        assertThat(h.error("EVAL", "cjson.encode = nil", "0")).contains("Attempt to modify a readonly table");
        assertThat(h.error("EVAL", "bit.band = nil", "0")).contains("Attempt to modify a readonly table");
    }
}
