package io.jkevy.engine.script;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code math.random} / {@code math.randomseed} as Redis defines them for scripts: the 48-bit
 * linear congruential generator of {@code rand48} (seeded with 0 when the VM starts), so a
 * script's random numbers are the same sequence Redis produces, independent of the JVM.
 */
final class RandomState {
    private static final long MASK = (1L << 48) - 1;
    private static final int MAX = Integer.MAX_VALUE;
    private long x;

    RandomState() { seed(0); }

    void seed(int s) { x = (((long) s & 0xffffffffL) << 16 | 0x330E) & MASK; }

    /** The next 31-bit value (lrand48). */
    int next() {
        x = (0x5DEECE66DL * x + 0xB) & MASK;
        return (int) (x >>> 17);
    }

    VarArgFunction randomFunction() {
        return new VarArgFunction() {
            @Override public Varargs invoke(Varargs args) {
                double r = (double) (RandomState.this.next() % MAX) / (double) MAX;
                switch (args.narg()) {
                    case 0:
                        return LuaValue.valueOf(r);
                    case 1: {
                        int u = args.checkint(1);
                        if (u < 1) throw new LuaError("bad argument #1 to 'random' (interval is empty)");
                        return LuaValue.valueOf(Math.floor(r * u) + 1);
                    }
                    case 2: {
                        int l = args.checkint(1), u = args.checkint(2);
                        if (l > u) throw new LuaError("bad argument #2 to 'random' (interval is empty)");
                        return LuaValue.valueOf(Math.floor(r * (u - l + 1)) + l);
                    }
                    default:
                        throw new LuaError("wrong number of arguments");
                }
            }
        };
    }

    VarArgFunction seedFunction() {
        return new VarArgFunction() {
            @Override public Varargs invoke(Varargs args) {
                seed(args.checkint(1));
                return LuaValue.NONE;
            }
        };
    }
}
