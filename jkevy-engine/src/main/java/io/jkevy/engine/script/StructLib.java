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
 * {@code struct.pack(fmt, ...)}, {@code struct.unpack(fmt, s [, pos])} and
 * {@code struct.size(fmt)} (Roberto Ierusalimschy's struct library as bundled with Redis, on
 * x86-64): {@code < > =} set the byte order (native = little), {@code !n} the maximum
 * alignment; {@code b B h H l L T i[n] I[n] f d} numbers (l, L, T are 8 bytes, i/I default 4,
 * up to 32), {@code s} a zero-terminated string, {@code c[n]} n characters ({@code c0}: the
 * whole string when packing, the length given by the previous value when unpacking),
 * {@code x} one padding byte. unpack returns the values and then the position after them.
 */
final class StructLib {
    private StructLib() { }

    private static final int MAXINTSIZE = 32;

    private static final class Fmt {
        final String f;
        int i;
        boolean little = true;
        int align = 1;
        final String fn;

        Fmt(String f, String fn) { this.f = f; this.fn = fn; }

        boolean more() { return i < f.length(); }

        int number(int def) {
            if (i >= f.length() || !Character.isDigit(f.charAt(i))) return def;
            int n = 0;
            while (i < f.length() && Character.isDigit(f.charAt(i))) n = n * 10 + (f.charAt(i++) - '0');
            return n;
        }

        /** Reads one option; returns its char and sets {@link #size}. Handles modifiers itself (returns 0). */
        int size;

        char option() {
            char c = f.charAt(i++);
            switch (c) {
                case 'b', 'B', 'x' -> size = 1;
                case 'h', 'H' -> size = 2;
                case 'l', 'L', 'T', 'd' -> size = 8;
                case 'f' -> size = 4;
                case 'i', 'I' -> {
                    size = number(4);
                    if (size > MAXINTSIZE) throw new LuaError("integral size " + size + " is larger than limit of " + MAXINTSIZE);
                }
                case 'c' -> size = number(1);
                case 's' -> size = 0;
                case ' ' -> { size = 0; return 0; }
                case '<' -> { little = true; size = 0; return 0; }
                case '>' -> { little = false; size = 0; return 0; }
                case '=' -> { little = true; size = 0; return 0; }
                case '!' -> {
                    int a = number(8);
                    if (Integer.bitCount(a) != 1) throw new LuaError("bad argument #1 to '" + fn + "' (alignment " + a + " is not a power of 2)");
                    align = a;
                    size = 0;
                    return 0;
                }
                default -> throw new LuaError("bad argument #1 to '" + fn + "' (invalid format option '" + c + "')");
            }
            return c;
        }

        int pad(long len, char opt) {
            int s = size;
            if (s == 0 || opt == 'c' || opt == 's') return 0;
            if (s > align) s = align;
            return (int) ((s - (len & (s - 1))) & (s - 1));
        }
    }

    static LuaTable create() {
        LuaTable t = new LuaTable();
        t.rawset("pack", new VarArgFunction() {
            @Override public Varargs invoke(Varargs a) { return pack(a); }
        });
        t.rawset("unpack", new VarArgFunction() {
            @Override public Varargs invoke(Varargs a) { return unpack(a); }
        });
        t.rawset("size", new VarArgFunction() {
            @Override public Varargs invoke(Varargs a) {
                Fmt f = new Fmt(a.checkjstring(1), "size");
                long pos = 0;
                while (f.more()) {
                    char opt = f.option();
                    if (opt == 0) continue;
                    if (opt == 's' || (opt == 'c' && f.size == 0)) {
                        throw new LuaError("bad argument #1 to 'size' (option '" + opt + "' has no fixed size)");
                    }
                    pos += f.pad(pos, opt) + f.size;
                }
                return LuaValue.valueOf((double) pos);
            }
        });
        return t;
    }

    private static Varargs pack(Varargs a) {
        Fmt f = new Fmt(a.checkjstring(1), "pack");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int arg = 2;
        while (f.more()) {
            char opt = f.option();
            if (opt == 0) continue;
            for (int p = f.pad(out.size(), opt); p > 0; p--) out.write(0);
            switch (opt) {
                case 'x' -> out.write(0);
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    double d = a.checkdouble(arg++);
                    long v = d < 0 ? (long) d : (d >= 0x1p63 ? (long) (d - 0x1p63) ^ Long.MIN_VALUE : (long) d);
                    putInt(out, v, f.size, f.little);
                }
                case 'f' -> putInt(out, Float.floatToIntBits((float) a.checkdouble(arg++)) & 0xffffffffL, 4, f.little);
                case 'd' -> putInt(out, Double.doubleToLongBits(a.checkdouble(arg++)), 8, f.little);
                case 'c', 's' -> {
                    int argNo = arg;
                    LuaString s = a.checkstring(arg++);
                    int n = f.size;
                    if (opt == 's' || n == 0) n = s.m_length;
                    if (s.m_length < n) throw new LuaError("bad argument #" + argNo + " to 'pack' (string too short)");
                    out.write(s.m_bytes, s.m_offset, n);
                    if (opt == 's') out.write(0);
                }
                default -> { }
            }
        }
        return LuaValue.valueOf(out.toByteArray());
    }

    private static void putInt(ByteArrayOutputStream out, long v, int size, boolean little) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            int shift = 8 * i;
            b[little ? i : size - 1 - i] = (byte) (shift < 64 ? v >>> shift : (v < 0 ? 0xff : 0));
        }
        out.writeBytes(b);
    }

    private static Varargs unpack(Varargs a) {
        Fmt f = new Fmt(a.checkjstring(1), "unpack");
        LuaString s = a.checkstring(2);
        int len = s.m_length;
        long pos = a.optint(3, 1) - 1;
        if (pos < 0 || pos > len) throw new LuaError("bad argument #3 to 'unpack' (offset must be 1 or greater)");
        List<LuaValue> out = new ArrayList<>();
        while (f.more()) {
            char opt = f.option();
            if (opt == 0) continue;
            pos += f.pad(pos, opt);
            int size = f.size;
            if (opt == 'c' && size == 0) {
                if (out.isEmpty() || !out.get(out.size() - 1).isnumber()) {
                    throw new LuaError("bad argument #1 to 'unpack' (format 'c0' needs a previous size)");
                }
                size = out.remove(out.size() - 1).toint();
            }
            if (opt != 's' && pos + size > len) throw new LuaError("bad argument #2 to 'unpack' (data string too short)");
            int at = (int) pos + s.m_offset;
            switch (opt) {
                case 'x' -> { }
                case 'b', 'h', 'l', 'i' -> out.add(LuaValue.valueOf((double) getInt(s.m_bytes, at, size, f.little, true)));
                case 'B', 'H', 'L', 'T', 'I' -> {
                    long v = getInt(s.m_bytes, at, size, f.little, false);
                    out.add(LuaValue.valueOf(v >= 0 || size < 8 ? (double) v : (double) (v >>> 1) * 2 + (v & 1)));
                }
                case 'f' -> out.add(LuaValue.valueOf((double) Float.intBitsToFloat((int) getInt(s.m_bytes, at, 4, f.little, false))));
                case 'd' -> out.add(LuaValue.valueOf(Double.longBitsToDouble(getInt(s.m_bytes, at, 8, f.little, false))));
                case 'c' -> out.add(LuaValue.valueOf(java.util.Arrays.copyOfRange(s.m_bytes, at, at + size)));
                case 's' -> {
                    int end = at;
                    while (end < s.m_offset + len && s.m_bytes[end] != 0) end++;
                    if (end >= s.m_offset + len) throw new LuaError("unfinished string in data");
                    out.add(LuaValue.valueOf(java.util.Arrays.copyOfRange(s.m_bytes, at, end)));
                    size = end - at + 1;
                }
                default -> { }
            }
            pos += size;
        }
        out.add(LuaValue.valueOf((double) (pos + 1)));
        return LuaValue.varargsOf(out.toArray(new LuaValue[0]));
    }

    private static long getInt(byte[] b, int at, int size, boolean little, boolean signed) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            int idx = little ? at + size - 1 - i : at + i;
            v = (v << 8) | (b[idx] & 0xff);
        }
        if (signed && size < 8) {
            int shift = 64 - 8 * size;
            v = (v << shift) >> shift;
        }
        return v;
    }
}
