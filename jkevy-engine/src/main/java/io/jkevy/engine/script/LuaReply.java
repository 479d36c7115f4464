package io.jkevy.engine.script;

import io.jkevy.resp.RespValue;
import io.jkevy.resp.RespWriter;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.util.List;

/**
 * Conversion between RESP replies and Lua values, as Redis documents it.
 *
 * <p>RESP to Lua (what {@code redis.call} returns): integer → number, bulk → string, null bulk
 * / null array → {@code false}, array → table, status → {@code {ok=...}}, error →
 * {@code {err=...}}; with {@code redis.setresp(3)} also null → nil, boolean → boolean,
 * double → {@code {double=n}}, map → {@code {map={...}}}, set → {@code {set={k=true}}},
 * big number → {@code {big_number=s}}, verbatim → {@code {verbatim_string={format=,string=}}}.
 *
 * <p>Lua to RESP (what a script returns): number → integer (truncated toward zero; NaN and
 * out-of-range values give Long.MIN_VALUE as Redis's C cast does), string → bulk, nil → null,
 * {@code true} → 1 and {@code false} → null (after {@code setresp(3)}: RESP3 booleans), a table
 * with {@code err} → error, {@code ok} → status, {@code double} → double, {@code map},
 * {@code set}, {@code big_number}, {@code verbatim_string}; any other table → array of its
 * elements 1..n up to the first nil.
 */
final class LuaReply {
    private LuaReply() { }

    static final LuaString ERR = LuaValue.valueOf("err");
    static final LuaString OK = LuaValue.valueOf("ok");
    static final LuaString DOUBLE = LuaValue.valueOf("double");
    static final LuaString MAP = LuaValue.valueOf("map");
    static final LuaString SET = LuaValue.valueOf("set");
    static final LuaString BIG_NUMBER = LuaValue.valueOf("big_number");
    static final LuaString VERBATIM = LuaValue.valueOf("verbatim_string");
    static final LuaString FORMAT = LuaValue.valueOf("format");
    static final LuaString STRING = LuaValue.valueOf("string");
    private static final int MAX_DEPTH = 1000;

    /** A RESP reply as the Lua value a script sees. */
    static LuaValue toLua(RespValue v) {
        if (v instanceof RespValue.Bulk b) return b.value() == null ? LuaValue.FALSE : LuaValue.valueOf(b.value());
        if (v instanceof RespValue.Integer i) return LuaValue.valueOf((double) i.value());
        if (v instanceof RespValue.SimpleString s) return single(OK, LuaValue.valueOf(s.value()));
        if (v instanceof RespValue.Error e) return single(ERR, LuaValue.valueOf(e.message()));
        if (v instanceof RespValue.Array a) return a.elements() == null ? LuaValue.FALSE : list(a.elements());
        if (v instanceof RespValue.Null) return LuaValue.NIL;
        if (v instanceof RespValue.Bool b) return LuaValue.valueOf(b.value());
        if (v instanceof RespValue.Double d) return single(DOUBLE, LuaValue.valueOf(d.value()));
        if (v instanceof RespValue.BigNumber n) return single(BIG_NUMBER, LuaValue.valueOf(n.value()));
        if (v instanceof RespValue.Set s) {
            LuaTable t = new LuaTable();
            for (RespValue e : s.elements()) t.rawset(toLua(e), LuaValue.TRUE);
            return single(SET, t);
        }
        if (v instanceof RespValue.Map m) {
            LuaTable t = new LuaTable();
            List<RespValue> kv = m.flattenedPairs();
            for (int i = 0; i + 1 < kv.size(); i += 2) t.rawset(toLua(kv.get(i)), toLua(kv.get(i + 1)));
            return single(MAP, t);
        }
        if (v instanceof RespValue.Verbatim vb) {
            LuaTable t = new LuaTable();
            t.rawset(FORMAT, LuaValue.valueOf(vb.format()));
            t.rawset(STRING, LuaValue.valueOf(vb.text()));
            return single(VERBATIM, t);
        }
        if (v instanceof RespValue.Push p) return list(p.elements());
        throw new IllegalStateException("unexpected reply " + v);
    }

    /**
     * The common RESP2 replies (bulk, integer, status, error, flat arrays of those) decoded
     * straight from the buffer without the intermediate {@link RespValue}s; null (buffer
     * untouched) for anything else, which then goes through the general parser.
     */
    static LuaValue fastToLua(io.netty.buffer.ByteBuf b) {
        int start = b.readerIndex();
        int[] pos = {start};
        LuaValue v = scalar(b, pos);
        if (v == null && b.writerIndex() > start && b.getByte(start) == '*') {
            long n = number(b, start + 1, pos);
            if (n < 0 || n > 1_000_000) return null;
            LuaTable t = new LuaTable((int) Math.min(n, 1024), 0);
            for (int i = 1; i <= n; i++) {
                LuaValue e = scalar(b, pos);
                if (e == null) return null;
                t.rawset(i, e);
            }
            v = t;
        }
        if (v == null || pos[0] != b.writerIndex()) return null;
        b.readerIndex(pos[0]);
        return v;
    }

    /** Reads the decimal number ending in CRLF at {@code at}; leaves pos after the CRLF. */
    private static long number(io.netty.buffer.ByteBuf b, int at, int[] pos) {
        int end = b.writerIndex();
        boolean neg = false;
        if (at < end && b.getByte(at) == '-') {
            neg = true;
            at++;
        }
        long n = 0;
        int digits = 0;
        while (at < end && b.getByte(at) != '\r') {
            int d = b.getByte(at++) - '0';
            if (d < 0 || d > 9 || ++digits > 18) return Long.MIN_VALUE;
            n = n * 10 + d;
        }
        if (digits == 0 || at + 1 >= end) return Long.MIN_VALUE;
        pos[0] = at + 2;
        return neg ? -n : n;
    }

    private static LuaValue scalar(io.netty.buffer.ByteBuf b, int[] pos) {
        int at = pos[0];
        if (at >= b.writerIndex()) return null;
        byte type = b.getByte(at);
        switch (type) {
            case '$' -> {
                long len = number(b, at + 1, pos);
                if (len == -1) return LuaValue.FALSE;
                if (len < 0 || pos[0] + len + 2 > b.writerIndex()) return null;
                byte[] bytes = new byte[(int) len];
                b.getBytes(pos[0], bytes);
                pos[0] += (int) len + 2;
                return LuaValue.valueOf(bytes);
            }
            case ':' -> {
                long n = number(b, at + 1, pos);
                return n == Long.MIN_VALUE ? null : LuaValue.valueOf((double) n);
            }
            case '+', '-' -> {
                int end = b.indexOf(at + 1, b.writerIndex(), (byte) '\r');
                if (end < 0 || end + 1 >= b.writerIndex()) return null;
                String s = b.toString(at + 1, end - at - 1, java.nio.charset.StandardCharsets.UTF_8);
                pos[0] = end + 2;
                return single(type == '+' ? OK : ERR, LuaValue.valueOf(s));
            }
            default -> {
                return null;
            }
        }
    }

    private static LuaTable list(List<RespValue> elements) {
        LuaTable t = new LuaTable(elements.size(), 0);
        int i = 1;
        for (RespValue e : elements) t.rawset(i++, toLua(e));
        return t;
    }

    static LuaTable single(LuaString key, LuaValue value) {
        LuaTable t = new LuaTable(0, 1);
        t.rawset(key, value);
        return t;
    }

    /** Lua number → RESP integer as Redis's (long long) cast on x86-64 gives it. */
    static long toLong(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) return Long.MIN_VALUE;
        return (long) d;
    }

    /** Writes a script's return value as a reply; {@code resp} is the script's protocol (setresp). */
    static void write(LuaValue v, RespWriter out, int resp) { write(v, out, resp, 0); }

    private static void write(LuaValue v, RespWriter out, int resp, int depth) {
        if (depth > MAX_DEPTH) throw new LuaError("reached lua stack limit");
        switch (v.type()) {
            case LuaValue.TSTRING -> {
                LuaString s = v.checkstring();
                out.bulk(s.m_bytes, s.m_offset, s.m_length);
            }
            case LuaValue.TNUMBER -> out.integer(toLong(v.todouble()));
            case LuaValue.TBOOLEAN -> {
                if (resp == 3) out.bool(v.toboolean());
                else if (v.toboolean()) out.integer(1);
                else out.nullBulk();
            }
            case LuaValue.TTABLE -> writeTable(v.checktable(), out, resp, depth);
            default -> out.nullBulk();
        }
    }

    private static void writeTable(LuaTable t, RespWriter out, int resp, int depth) {
        LuaValue err = t.rawget(ERR);
        if (err.type() == LuaValue.TSTRING) {
            out.error(errorText(err.tojstring()));
            return;
        }
        LuaValue ok = t.rawget(OK);
        if (ok.type() == LuaValue.TSTRING) {
            out.simple(ok.tojstring().replace('\r', ' ').replace('\n', ' '));
            return;
        }
        LuaValue dbl = t.rawget(DOUBLE);
        if (dbl.type() == LuaValue.TNUMBER) {
            // Redis 7.0 writes a script's double with %.17g
            double d = dbl.todouble();
            String text = Double.isNaN(d) ? "nan" : Double.isInfinite(d) ? (d > 0 ? "inf" : "-inf") : CjsonLib.formatG(d, 17);
            if (out.protocol() == 3) out.raw((',' + text + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            else out.bulk(text);
            return;
        }
        LuaValue big = t.rawget(BIG_NUMBER);
        if (big.type() == LuaValue.TSTRING) {
            out.bigNumber(big.tojstring());
            return;
        }
        LuaValue map = t.rawget(MAP);
        if (map.istable()) {
            LuaTable m = map.checktable();
            int n = 0;
            for (LuaValue k = m.next(LuaValue.NIL).arg1(); !k.isnil(); k = m.next(k).arg1()) n++;
            out.mapHeader(n);
            for (LuaValue k = m.next(LuaValue.NIL).arg1(); !k.isnil(); k = m.next(k).arg1()) {
                write(k, out, resp, depth + 1);
                write(m.rawget(k), out, resp, depth + 1);
            }
            return;
        }
        LuaValue set = t.rawget(SET);
        if (set.istable()) {
            LuaTable m = set.checktable();
            int n = 0;
            for (LuaValue k = m.next(LuaValue.NIL).arg1(); !k.isnil(); k = m.next(k).arg1()) n++;
            out.setHeader(n);
            for (LuaValue k = m.next(LuaValue.NIL).arg1(); !k.isnil(); k = m.next(k).arg1()) write(k, out, resp, depth + 1);
            return;
        }
        LuaValue vs = t.rawget(VERBATIM);
        if (vs.istable()) {
            LuaValue f = vs.get(FORMAT), s = vs.get(STRING);
            if (f.isstring() && s.isstring() && f.tojstring().length() == 3) {
                LuaString str = s.checkstring();
                byte[] b = new byte[str.m_length];
                str.copyInto(0, b, 0, b.length);
                out.verbatim(f.tojstring(), b);
                return;
            }
        }
        int n = 0;
        while (!t.rawget(n + 1).isnil()) n++;
        out.arrayHeader(n);
        for (int i = 1; i <= n; i++) write(t.rawget(i), out, resp, depth + 1);
    }

    /** An error text as a reply line: newlines become spaces, an empty text gets a code. */
    static String errorText(String s) {
        return s.replace('\r', ' ').replace('\n', ' ');
    }
}
