package io.jkevy.engine.script;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code bit} library (LuaBitOp 1.0 semantics, as bundled with Redis): numbers are
 * normalised to signed 32-bit integers (rounded to nearest, wrapped modulo 2^32) and results
 * are signed 32-bit integers; shift counts use their low 5 bits.
 */
final class BitLib {
    private BitLib() { }

    static int tobit(LuaValue v) {
        double d = v.checkdouble();
        double r = Math.rint(d);
        if (Math.abs(r) < 0x1p63) return (int) (long) r;
        return (int) (long) Math.IEEEremainder(r, 0x1p32);
    }

    private interface Op { int apply(Varargs a); }

    private static VarArgFunction fn(Op op) {
        return new VarArgFunction() {
            @Override public Varargs invoke(Varargs a) { return LuaValue.valueOf(op.apply(a)); }
        };
    }

    static LuaTable create() {
        LuaTable t = new LuaTable();
        t.rawset("tobit", fn(a -> tobit(a.arg1())));
        t.rawset("bnot", fn(a -> ~tobit(a.arg1())));
        t.rawset("band", fn(a -> {
            int r = tobit(a.arg1());
            for (int i = 2; i <= a.narg(); i++) r &= tobit(a.arg(i));
            return r;
        }));
        t.rawset("bor", fn(a -> {
            int r = tobit(a.arg1());
            for (int i = 2; i <= a.narg(); i++) r |= tobit(a.arg(i));
            return r;
        }));
        t.rawset("bxor", fn(a -> {
            int r = tobit(a.arg1());
            for (int i = 2; i <= a.narg(); i++) r ^= tobit(a.arg(i));
            return r;
        }));
        t.rawset("lshift", fn(a -> tobit(a.arg1()) << (tobit(a.arg(2)) & 31)));
        t.rawset("rshift", fn(a -> tobit(a.arg1()) >>> (tobit(a.arg(2)) & 31)));
        t.rawset("arshift", fn(a -> tobit(a.arg1()) >> (tobit(a.arg(2)) & 31)));
        t.rawset("rol", fn(a -> Integer.rotateLeft(tobit(a.arg1()), tobit(a.arg(2)) & 31)));
        t.rawset("ror", fn(a -> Integer.rotateRight(tobit(a.arg1()), tobit(a.arg(2)) & 31)));
        t.rawset("bswap", fn(a -> Integer.reverseBytes(tobit(a.arg1()))));
        t.rawset("tohex", new VarArgFunction() {
            @Override public Varargs invoke(Varargs a) {
                int b = tobit(a.arg1());
                int n = a.isnoneornil(2) ? 8 : tobit(a.arg(2));
                boolean upper = n < 0;
                if (upper) n = -n;
                if (n > 8) n = 8;
                String digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
                char[] out = new char[n];
                for (int i = n - 1; i >= 0; i--) {
                    out[i] = digits.charAt(b & 15);
                    b >>>= 4;
                }
                return LuaValue.valueOf(new String(out));
            }
        });
        return t;
    }
}
