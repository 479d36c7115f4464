package io.jkevy.engine.script;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code cmsgpack.pack(...)} / {@code cmsgpack.unpack(s)} as lua-cmsgpack (bundled with Redis)
 * does them: integral numbers in the smallest integer format, other numbers as float32 when
 * exact else float64, strings as str8/16/32 (fixstr up to 31 bytes), tables whose keys are
 * exactly 1..n as arrays (the empty table too) and other tables as maps, tables nested deeper
 * than 16 as nil. {@code pack} concatenates its arguments; {@code unpack} returns every value.
 */
final class CmsgpackLib {
    private CmsgpackLib() { }

    static final int MAX_NESTING = 16;

    static LuaTable create() {
        LuaTable t = new LuaTable();
        t.rawset("pack", new VarArgFunction() {
            @Override public Varargs invoke(Varargs a) {
                if (a.narg() == 0) throw new LuaError("MessagePack pack needs input.");
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (int i = 1; i <= a.narg(); i++) pack(a.arg(i), out, 0);
                return LuaValue.valueOf(out.toByteArray());
            }
        });
        t.rawset("unpack", new VarArgFunction() {
            @Override public Varargs invoke(Varargs a) {
                LuaString s = a.checkstring(1);
                byte[] b = new byte[s.m_length];
                s.copyInto(0, b, 0, b.length);
                Reader r = new Reader(b);
                List<LuaValue> out = new ArrayList<>();
                while (r.pos < b.length) out.add(r.value());
                return LuaValue.varargsOf(out.toArray(new LuaValue[0]));
            }
        });
        return t;
    }

    static void pack(LuaValue v, ByteArrayOutputStream out, int depth) {
        switch (v.type()) {
            case LuaValue.TNIL -> out.write(0xc0);
            case LuaValue.TBOOLEAN -> out.write(v.toboolean() ? 0xc3 : 0xc2);
            case LuaValue.TNUMBER -> number(v.todouble(), out);
            case LuaValue.TSTRING -> {
                LuaString s = v.checkstring();
                int n = s.m_length;
                if (n < 32) out.write(0xa0 | n);
                else if (n <= 0xff) { out.write(0xd9); out.write(n); }
                else if (n <= 0xffff) { out.write(0xda); be(out, n, 2); }
                else { out.write(0xdb); be(out, n, 4); }
                out.write(s.m_bytes, s.m_offset, n);
            }
            case LuaValue.TTABLE -> {
                if (depth >= MAX_NESTING) {
                    out.write(0xc0);
                    return;
                }
                table(v.checktable(), out, depth + 1);
            }
            default -> out.write(0xc0);
        }
    }

    private static void table(LuaTable t, ByteArrayOutputStream out, int depth) {
        int count = 0;
        double max = 0;
        boolean array = true;
        for (LuaValue k = t.next(LuaValue.NIL).arg1(); !k.isnil(); k = t.next(k).arg1()) {
            count++;
            if (k.type() == LuaValue.TNUMBER && k.todouble() >= 1 && k.todouble() == Math.floor(k.todouble())) {
                max = Math.max(max, k.todouble());
            } else {
                array = false;
            }
        }
        if (array && max == count) {
            header(out, count, 0x90, 0xdc, 0xdd);
            for (int i = 1; i <= count; i++) pack(t.rawget(i), out, depth);
            return;
        }
        header(out, count, 0x80, 0xde, 0xdf);
        for (LuaValue k = t.next(LuaValue.NIL).arg1(); !k.isnil(); k = t.next(k).arg1()) {
            pack(k, out, depth);
            pack(t.rawget(k), out, depth);
        }
    }

    private static void header(ByteArrayOutputStream out, int n, int fix, int c16, int c32) {
        if (n < 16) out.write(fix | n);
        else if (n <= 0xffff) { out.write(c16); be(out, n, 2); }
        else { out.write(c32); be(out, n, 4); }
    }

    private static void number(double d, ByteArrayOutputStream out) {
        if (d == Math.floor(d) && d >= -0x1p63 && d < 0x1p64 && !Double.isInfinite(d)) {
            if (d >= 0) {
                long v = d >= 0x1p63 ? (long) (d - 0x1p63) ^ Long.MIN_VALUE : (long) d;
                if (d <= 127) out.write((int) v);
                else if (d <= 0xff) { out.write(0xcc); out.write((int) v); }
                else if (d <= 0xffff) { out.write(0xcd); be(out, v, 2); }
                else if (d <= 0xffffffffL) { out.write(0xce); be(out, v, 4); }
                else { out.write(0xcf); be(out, v, 8); }
            } else {
                long v = (long) d;
                if (v >= -32) out.write((int) v & 0xff);
                else if (v >= -128) { out.write(0xd0); out.write((int) v & 0xff); }
                else if (v >= -32768) { out.write(0xd1); be(out, v, 2); }
                else if (v >= Integer.MIN_VALUE) { out.write(0xd2); be(out, v, 4); }
                else { out.write(0xd3); be(out, v, 8); }
            }
            return;
        }
        float f = (float) d;
        if ((double) f == d || Double.isNaN(d)) {
            out.write(0xca);
            be(out, Float.floatToIntBits(f) & 0xffffffffL, 4);
        } else {
            out.write(0xcb);
            be(out, Double.doubleToLongBits(d), 8);
        }
    }

    private static void be(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) out.write((int) (v >>> (8 * i)) & 0xff);
    }

    private static final class Reader {
        final byte[] b;
        int pos;

        Reader(byte[] b) { this.b = b; }

        private void need(int n) { if (pos + n > b.length) throw new LuaError("Missing bytes in input."); }

        private long u(int n) {
            need(n);
            long v = 0;
            for (int i = 0; i < n; i++) v = (v << 8) | (b[pos++] & 0xff);
            return v;
        }

        private LuaValue str(long n) {
            if (n < 0 || n > b.length) throw new LuaError("Missing bytes in input.");
            need((int) n);
            LuaValue s = LuaValue.valueOf(java.util.Arrays.copyOfRange(b, pos, pos + (int) n));
            pos += (int) n;
            return s;
        }

        private LuaValue array(long n) {
            LuaTable t = new LuaTable();
            for (int i = 1; i <= n; i++) t.rawset(i, value());
            return t;
        }

        private LuaValue map(long n) {
            LuaTable t = new LuaTable();
            for (long i = 0; i < n; i++) {
                LuaValue k = value();
                LuaValue v = value();
                if (!k.isnil()) t.rawset(k, v);
            }
            return t;
        }

        LuaValue value() {
            need(1);
            int c = b[pos++] & 0xff;
            if (c <= 0x7f) return LuaValue.valueOf(c);
            if (c >= 0xe0) return LuaValue.valueOf((byte) c);
            if ((c & 0xe0) == 0xa0) return str(c & 0x1f);
            if ((c & 0xf0) == 0x90) return array(c & 0x0f);
            if ((c & 0xf0) == 0x80) return map(c & 0x0f);
            switch (c) {
                case 0xc0: return LuaValue.NIL;
                case 0xc2: return LuaValue.FALSE;
                case 0xc3: return LuaValue.TRUE;
                case 0xca: return LuaValue.valueOf((double) Float.intBitsToFloat((int) u(4)));
                case 0xcb: return LuaValue.valueOf(Double.longBitsToDouble(u(8)));
                case 0xcc: return LuaValue.valueOf((double) u(1));
                case 0xcd: return LuaValue.valueOf((double) u(2));
                case 0xce: return LuaValue.valueOf((double) u(4));
                case 0xcf: {
                    long v = u(8);
                    return LuaValue.valueOf(v >= 0 ? (double) v : (double) (v >>> 1) * 2 + (v & 1));
                }
                case 0xd0: return LuaValue.valueOf((double) (byte) u(1));
                case 0xd1: return LuaValue.valueOf((double) (short) u(2));
                case 0xd2: return LuaValue.valueOf((double) (int) u(4));
                case 0xd3: return LuaValue.valueOf((double) u(8));
                case 0xc4, 0xd9: return str(u(1));
                case 0xc5, 0xda: return str(u(2));
                case 0xc6, 0xdb: return str(u(4));
                case 0xdc: return array(u(2));
                case 0xdd: return array(u(4));
                case 0xde: return map(u(2));
                case 0xdf: return map(u(4));
                default: throw new LuaError("Bad data format in input.");
            }
        }
    }
}
