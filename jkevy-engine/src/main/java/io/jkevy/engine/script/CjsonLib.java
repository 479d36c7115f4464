package io.jkevy.engine.script;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * {@code cjson.encode} / {@code cjson.decode} with lua-cjson 2.1's default behaviour as
 * Redis ships it: numbers printed with {@code %.14g}, '/' escaped, control characters as
 * {@code \\u00XX}, bytes above 0x7f passed through; tables whose keys are all positive integers
 * are arrays (holes become null; "excessively sparse" arrays — max index above twice the
 * element count and above 10 — are refused), others objects; {@code cjson.null} for JSON null;
 * nesting limited to 1000 both ways. Error texts are lua-cjson's.
 */
final class CjsonLib {
    private CjsonLib() { }

    static final int MAX_DEPTH = 1000;

    /** JSON null: a userdata that prints as lua-cjson's light userdata NULL does. */
    static final LuaUserdata NULL = new LuaUserdata(new Object()) {
        @Override public String tojstring() { return "userdata: (nil)"; }
    };

    static LuaTable create() {
        LuaTable t = new LuaTable();
        t.rawset("encode", new OneArgFunction() {
            @Override public LuaValue call(LuaValue v) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                encode(v, out, 0);
                return LuaValue.valueOf(out.toByteArray());
            }
        });
        t.rawset("decode", new OneArgFunction() {
            @Override public LuaValue call(LuaValue v) {
                LuaString s = v.checkstring();
                byte[] b = new byte[s.m_length];
                s.copyInto(0, b, 0, b.length);
                return new Decoder(b).document();
            }
        });
        t.rawset("null", NULL);
        return t;
    }

    // ---- encode ----------------------------------------------------------------------------

    static void encode(LuaValue v, ByteArrayOutputStream out, int depth) {
        switch (v.type()) {
            case LuaValue.TNIL -> out.writeBytes(bytes("null"));
            case LuaValue.TBOOLEAN -> out.writeBytes(bytes(v.toboolean() ? "true" : "false"));
            case LuaValue.TNUMBER -> {
                double d = v.todouble();
                if (Double.isNaN(d) || Double.isInfinite(d)) throw new LuaError("Cannot serialise number: must not be NaN or Inf");
                out.writeBytes(bytes(formatG14(d)));
            }
            case LuaValue.TSTRING -> string(v.checkstring(), out);
            case LuaValue.TTABLE -> table(v.checktable(), out, depth + 1);
            case LuaValue.TUSERDATA -> {
                if (v == NULL) out.writeBytes(bytes("null"));
                else throw new LuaError("Cannot serialise userdata: type not supported");
            }
            default -> throw new LuaError("Cannot serialise " + v.typename() + ": type not supported");
        }
    }

    private static void table(LuaTable t, ByteArrayOutputStream out, int depth) {
        if (depth > MAX_DEPTH) throw new LuaError("Cannot serialise, excessive nesting (" + depth + ")");
        int items = 0;
        double max = 0;
        boolean array = true;
        for (LuaValue k = t.next(LuaValue.NIL).arg1(); !k.isnil(); k = t.next(k).arg1()) {
            items++;
            if (k.type() == LuaValue.TNUMBER) {
                double d = k.todouble();
                if (d >= 1 && d == Math.floor(d)) {
                    if (d > max) max = d;
                    continue;
                }
            }
            array = false;
        }
        if (array && items > 0) {
            if (max > items * 2 && max > 10) throw new LuaError("Cannot serialise table: excessively sparse array");
            out.write('[');
            for (int i = 1; i <= (int) max; i++) {
                if (i > 1) out.write(',');
                encode(t.rawget(i), out, depth);
            }
            out.write(']');
            return;
        }
        out.write('{');
        boolean first = true;
        for (LuaValue k = t.next(LuaValue.NIL).arg1(); !k.isnil(); k = t.next(k).arg1()) {
            if (!first) out.write(',');
            first = false;
            if (k.type() == LuaValue.TSTRING) {
                string(k.checkstring(), out);
            } else if (k.type() == LuaValue.TNUMBER) {
                out.write('"');
                out.writeBytes(bytes(formatG14(k.todouble())));
                out.write('"');
            } else {
                throw new LuaError("Cannot serialise " + k.typename() + ": table key must be a number or string");
            }
            out.write(':');
            encode(t.rawget(k), out, depth);
        }
        out.write('}');
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private static void string(LuaString s, ByteArrayOutputStream out) {
        out.write('"');
        for (int i = 0; i < s.m_length; i++) {
            int c = s.m_bytes[s.m_offset + i] & 0xff;
            switch (c) {
                case '"' -> out.writeBytes(bytes("\\\""));
                case '\\' -> out.writeBytes(bytes("\\\\"));
                case '/' -> out.writeBytes(bytes("\\/"));
                case '\n' -> out.writeBytes(bytes("\\n"));
                case '\r' -> out.writeBytes(bytes("\\r"));
                case '\t' -> out.writeBytes(bytes("\\t"));
                case '\b' -> out.writeBytes(bytes("\\b"));
                case '\f' -> out.writeBytes(bytes("\\f"));
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.writeBytes(bytes("\\u00"));
                        out.write(HEX[c >> 4]);
                        out.write(HEX[c & 15]);
                    } else {
                        out.write(c);
                    }
                }
            }
        }
        out.write('"');
    }

    /** C's {@code printf("%.14g", d)}. */
    static String formatG14(double d) { return formatG(d, 14); }

    static String formatG(double d, int precision) {
        if (d == 0) return (1 / d < 0) ? "-0" : "0";
        BigDecimal bd = new BigDecimal(d).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        int exp = bd.precision() - bd.scale() - 1;
        if (exp < -4 || exp >= precision) {
            String digits = bd.unscaledValue().abs().toString().replaceAll("0+$", "");
            StringBuilder sb = new StringBuilder();
            if (d < 0) sb.append('-');
            sb.append(digits.charAt(0));
            if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
            sb.append('e').append(exp < 0 ? '-' : '+');
            int ax = Math.abs(exp);
            if (ax < 10) sb.append('0');
            sb.append(ax);
            return sb.toString();
        }
        String plain = bd.toPlainString();
        if (plain.indexOf('.') >= 0) plain = plain.replaceAll("0+$", "").replaceAll("\\.$", "");
        return plain;
    }

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    // ---- decode ----------------------------------------------------------------------------

    private static final class Decoder {
        private final byte[] b;
        private int pos;
        private int depth;

        Decoder(byte[] b) { this.b = b; }

        LuaValue document() {
            LuaValue v = value();
            skipWs();
            if (pos < b.length) throw unexpected("the end");
            return v;
        }

        private void skipWs() {
            while (pos < b.length && (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\n' || b[pos] == '\r')) pos++;
        }

        /** lua-cjson's name for the token at pos. */
        private String tokenName() {
            if (pos >= b.length) return "T_END";
            return switch (b[pos]) {
                case '{' -> "T_OBJ_BEGIN";
                case '}' -> "T_OBJ_END";
                case '[' -> "T_ARR_BEGIN";
                case ']' -> "T_ARR_END";
                case ',' -> "T_COMMA";
                case ':' -> "T_COLON";
                case '"' -> "T_STRING";
                case 't', 'f' -> startsWith("true") || startsWith("false") ? "T_BOOLEAN" : "invalid token";
                case 'n' -> startsWith("null") ? "T_NULL" : "invalid token";
                default -> (b[pos] == '-' || (b[pos] >= '0' && b[pos] <= '9')) ? "T_NUMBER" : "invalid token";
            };
        }

        private LuaError unexpected(String expected) {
            return new LuaError("Expected " + expected + " but found " + tokenName() + " at character " + (pos + 1));
        }

        private boolean startsWith(String w) {
            if (pos + w.length() > b.length) return false;
            for (int i = 0; i < w.length(); i++) if (b[pos + i] != w.charAt(i)) return false;
            return true;
        }

        private LuaValue value() {
            skipWs();
            if (pos >= b.length) throw unexpected("value");
            byte c = b[pos];
            switch (c) {
                case '{' -> { return object(); }
                case '[' -> { return array(); }
                case '"' -> { return LuaValue.valueOf(str()); }
                default -> { }
            }
            if (startsWith("true")) { pos += 4; return LuaValue.TRUE; }
            if (startsWith("false")) { pos += 5; return LuaValue.FALSE; }
            if (startsWith("null")) { pos += 4; return NULL; }
            if (c == '-' || (c >= '0' && c <= '9')) return number();
            throw unexpected("value");
        }

        private void enter() {
            if (++depth > MAX_DEPTH) {
                throw new LuaError("Found too many nested data structures (" + depth + ") at character " + (pos + 1));
            }
        }

        private LuaValue object() {
            enter();
            pos++;
            LuaTable t = new LuaTable();
            skipWs();
            if (pos < b.length && b[pos] == '}') {
                pos++;
                depth--;
                return t;
            }
            while (true) {
                skipWs();
                if (pos >= b.length || b[pos] != '"') throw unexpected("object key string");
                LuaString key = LuaValue.valueOf(str());
                skipWs();
                if (pos >= b.length || b[pos] != ':') throw unexpected("colon");
                pos++;
                t.rawset(key, value());
                skipWs();
                if (pos < b.length && b[pos] == ',') { pos++; continue; }
                if (pos < b.length && b[pos] == '}') { pos++; depth--; return t; }
                throw unexpected("comma or object end");
            }
        }

        private LuaValue array() {
            enter();
            pos++;
            LuaTable t = new LuaTable();
            skipWs();
            if (pos < b.length && b[pos] == ']') {
                pos++;
                depth--;
                return t;
            }
            for (int i = 1; ; i++) {
                t.rawset(i, value());
                skipWs();
                if (pos < b.length && b[pos] == ',') { pos++; continue; }
                if (pos < b.length && b[pos] == ']') { pos++; depth--; return t; }
                throw unexpected("comma or array end");
            }
        }

        private LuaValue number() {
            int start = pos;
            while (pos < b.length) {
                byte c = b[pos];
                if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') pos++;
                else break;
            }
            String s = new String(b, start, pos - start, StandardCharsets.US_ASCII);
            try {
                return LuaValue.valueOf(Double.parseDouble(s));
            } catch (NumberFormatException e) {
                pos = start;
                throw unexpected("value");
            }
        }

        private byte[] str() {
            int start = pos;
            pos++;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                if (pos >= b.length) {
                    pos = start;
                    throw unexpected("value");
                }
                int c = b[pos++] & 0xff;
                if (c == '"') return out.toByteArray();
                if (c != '\\') {
                    out.write(c);
                    continue;
                }
                if (pos >= b.length) {
                    pos = start;
                    throw unexpected("value");
                }
                int e = b[pos++];
                switch (e) {
                    case '"', '\\', '/' -> out.write(e);
                    case 'b' -> out.write('\b');
                    case 'f' -> out.write('\f');
                    case 'n' -> out.write('\n');
                    case 'r' -> out.write('\r');
                    case 't' -> out.write('\t');
                    case 'u' -> {
                        int cp = hex4();
                        if (cp >= 0xD800 && cp <= 0xDBFF && pos + 1 < b.length && b[pos] == '\\' && b[pos + 1] == 'u') {
                            pos += 2;
                            int lo = hex4();
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        }
                        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                    }
                    default -> {
                        pos = start;
                        throw unexpected("value");
                    }
                }
            }
        }

        private int hex4() {
            if (pos + 4 > b.length) throw new LuaError("Expected value but found invalid unicode escape code at character " + (pos + 1));
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(b[pos++], 16);
                if (d < 0) throw new LuaError("Expected value but found invalid unicode escape code at character " + (pos - 5));
                v = v * 16 + d;
            }
            return v;
        }
    }

    static Varargs none() { return LuaValue.NONE; }
}
