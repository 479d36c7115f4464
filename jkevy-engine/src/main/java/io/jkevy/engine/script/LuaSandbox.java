package io.jkevy.engine.script;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.CoroutineLib;
import org.luaj.vm2.lib.DebugLib;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JseMathLib;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Builds the sandboxed Lua environments scripts run in (LuaJ 3.0.1, a Lua 5.2 VM, with the
 * Lua 5.1 surface Redis scripts expect added back).
 *
 * <p>What a script can reach: the base library without {@code dofile}, {@code loadfile},
 * {@code print}, {@code require}, {@code module}; {@code loadstring}/{@code load} compile
 * text only (no bytecode: the undumper is removed, so {@code "\27Lua..."} fails to parse);
 * {@code string}, {@code table}, {@code math} (with Redis's deterministic {@code random}),
 * {@code coroutine}, {@code bit}, {@code cjson}, {@code cmsgpack}, {@code struct} and
 * {@code redis}. Not reachable: {@code io}, {@code os}, {@code debug}, {@code package},
 * {@code luajava} — they are never loaded, so no Java class or file can be reached.
 *
 * <p>As Redis 7: the global table and every library table are read-only ("Attempt to modify a
 * readonly table") and reading an undefined global is an error ("Script attempted to access
 * nonexistent global variable 'x'").
 */
final class LuaSandbox {
    private LuaSandbox() { }

    static final String READONLY = "Attempt to modify a readonly table";

    /** A table that refuses every write once {@link #freeze} was called. */
    static class ReadOnlyTable extends LuaTable {
        boolean frozen;

        void freeze() { frozen = true; }

        private void check() { if (frozen) throw new LuaError(READONLY); }

        @Override public void set(int key, LuaValue value) { check(); super.set(key, value); }
        @Override public void set(LuaValue key, LuaValue value) { check(); super.set(key, value); }
        @Override public void rawset(int key, LuaValue value) { check(); super.rawset(key, value); }
        @Override public void rawset(LuaValue key, LuaValue value) { check(); super.rawset(key, value); }
        @Override public void hashset(LuaValue key, LuaValue value) { check(); super.hashset(key, value); }
        @Override public LuaValue remove(int pos) { check(); return super.remove(pos); }
        @Override public void insert(int pos, LuaValue value) { check(); super.insert(pos, value); }
        @Override public void sort(LuaValue comparator) { check(); super.sort(comparator); }
        @Override public LuaValue setmetatable(LuaValue mt) { check(); return super.setmetatable(mt); }
    }

    /** The global table of one environment: a {@link Globals} (so the hook applies) that can be frozen. */
    static final class SandboxGlobals extends Globals {
        boolean frozen;

        Hook hook;

        private void check() { if (frozen) throw new ScriptError(LuaValue.valueOf(READONLY), hook.position(1), true); }

        /** Sets a global while frozen (KEYS, ARGV before each call). */
        void internalSet(String key, LuaValue value) { internalSet(LuaValue.valueOf(key), value); }

        void internalSet(LuaValue key, LuaValue value) {
            boolean f = frozen;
            frozen = false;
            try {
                super.rawset(key, value);
            } finally {
                frozen = f;
            }
        }

        @Override public void set(int key, LuaValue value) { check(); super.set(key, value); }
        @Override public void set(LuaValue key, LuaValue value) { check(); super.set(key, value); }
        @Override public void rawset(int key, LuaValue value) { check(); super.rawset(key, value); }
        @Override public void rawset(LuaValue key, LuaValue value) { check(); super.rawset(key, value); }
        @Override public void hashset(LuaValue key, LuaValue value) { check(); super.hashset(key, value); }
        @Override public LuaValue remove(int pos) { check(); return super.remove(pos); }
        @Override public void insert(int pos, LuaValue value) { check(); super.insert(pos, value); }
        @Override public void sort(LuaValue comparator) { check(); super.sort(comparator); }
        @Override public LuaValue setmetatable(LuaValue mt) { check(); return super.setmetatable(mt); }
    }

    /**
     * The interpreter hook: LuaJ calls a Globals' debug library on every call, return and
     * instruction. This one keeps only what error messages need (the prototype and pc of each
     * active frame) and calls {@link ScriptRun#tick} every {@link #EVERY} instructions
     * (time budget, SCRIPT KILL). A depth limit turns runaway recursion into a Lua error
     * before the Java stack overflows.
     */
    static final class Hook extends DebugLib {
        static final int EVERY = 10_000;
        static final int MAX_DEPTH = 400;
        private int count;
        private Prototype[] protos = new Prototype[32];
        private int[] pcs = new int[32];
        private int depth;
        ScriptRun run;
        /** While FUNCTION LOAD runs library code: the System.nanoTime() it must end by (0 = none). */
        long loadDeadlineNanos;

        void reset() {
            depth = 0;
            justReturned = false;
            count = 0;
        }

        private void push(Prototype p) {
            if (depth == protos.length) {
                if (depth >= MAX_DEPTH) throw new ScriptError(LuaValue.valueOf("stack overflow"), position(1), true);
                protos = java.util.Arrays.copyOf(protos, depth * 2);
                pcs = java.util.Arrays.copyOf(pcs, depth * 2);
            }
            protos[depth] = p;
            pcs[depth] = 0;
            depth++;
        }

        /**
         * Set by a return and cleared by the next call or instruction: a Java function called
         * while it is set was tail-called ({@code return redis.call(...)}), and the frame that
         * called it is the one just popped, whose slot still holds its prototype and pc.
         */
        private boolean justReturned;

        @Override public void onCall(LuaFunction f) { justReturned = false; push(null); }
        @Override public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) { justReturned = false; push(c.p); }

        @Override public void onReturn() {
            if (depth > 0) {
                depth--;
                justReturned = true;
            }
        }
        @Override public String traceback(int level) { return ""; }

        @Override public void onInstruction(int pc, Varargs v, int top) {
            justReturned = false;
            if (depth > 0) pcs[depth - 1] = pc;
            if (++count >= EVERY) {
                count = 0;
                ScriptRun r = run;
                if (r != null) {
                    r.tick();
                } else if (loadDeadlineNanos != 0 && System.nanoTime() - loadDeadlineNanos > 0) {
                    throw new ScriptError(LuaValue.valueOf("FUNCTION LOAD timeout"), null, false);
                }
            }
        }

        int depth() { return depth; }

        /**
         * "chunk:line" of the {@code level}-th frame from the top (1 = the function running
         * now, as Lua's error levels count), or null when that frame is a Java function (pcall
         * calling error directly) or there is none.
         */
        String position(int level) {
            for (int i = justReturned && depth < protos.length ? depth : depth - 1; i >= 0; i--) {
                if (--level == 0) {
                    Prototype p = protos[i];
                    return p == null ? null : p.source.tojstring() + ":" + line(p, pcs[i]);
                }
            }
            return null;
        }

        /** "chunk:line" of the innermost Lua frame, skipping Java frames, or null. */
        String luaPosition() {
            for (int i = justReturned && depth < protos.length ? depth : depth - 1; i >= 0; i--) {
                Prototype p = protos[i];
                if (p != null) return p.source.tojstring() + ":" + line(p, pcs[i]);
            }
            return null;
        }

        /** The line the innermost Lua frame is at ("?" when unknown). */
        String currentLine() {
            for (int i = justReturned && depth < protos.length ? depth : depth - 1; i >= 0; i--) {
                if (protos[i] != null) return line(protos[i], pcs[i]);
            }
            return "?";
        }

        private static String line(Prototype p, int pc) {
            return p.lineinfo != null && pc >= 0 && pc < p.lineinfo.length ? Integer.toString(p.lineinfo[pc]) : "?";
        }
    }

    /** Error handler that leaves messages as they are (no traceback appended). */
    private static final LuaValue IDENTITY = new OneArgFunction() {
        @Override public LuaValue call(LuaValue arg) {
            return arg.isstring() ? LuaValue.valueOf(io.jkevy.engine.script.Scripting.fixPosition(arg.tojstring())) : arg;
        }
    };

    private static final String[] REMOVED = {
        "dofile", "loadfile", "print", "require", "module", "package", "io", "os", "debug", "luajava",
        "setfenv", "getfenv", "newproxy", "collectgarbage",
    };

    /**
     * A fresh environment: libraries loaded, dangerous globals removed, 5.1 compatibility
     * added, library tables made read-only. {@code extra} adds tables (redis, cjson, ...)
     * before everything is frozen by {@link #freeze}.
     */
    static SandboxGlobals create(Hook hook, RandomState random) {
        SandboxGlobals g = new SandboxGlobals();
        g.hook = hook;
        g.load(new BaseLib());
        g.load(new org.luaj.vm2.lib.PackageLib());     // libraries register in package.loaded; removed below
        g.load(new TableLib());
        g.load(new StringLib());
        g.load(new CoroutineLib());
        g.load(new JseMathLib());
        LuaC.install(g);
        g.undumper = null;          // no binary chunks, ever
        g.finder = name -> null;    // no files
        g.STDOUT = null;
        g.STDIN = null;
        for (String r : REMOVED) g.rawset(LuaValue.valueOf(r), LuaValue.NIL);
        g.running.errorfunc = IDENTITY;
        g.rawset("error", new VarArgFunction() {
            @Override public Varargs invoke(Varargs args) {
                int level = args.optint(2, 1);
                throw new ScriptError(args.arg1(), level > 0 ? hook.position(level) : null, level > 0, hook.luaPosition());
            }
        });
        // as Redis 7: an error table caught by pcall comes back as its err string
        g.rawset("pcall", new VarArgFunction() {
            @Override public Varargs invoke(Varargs args) {
                LuaValue f = args.checkvalue(1);
                hook.onCall(this);
                try {
                    return LuaValue.varargsOf(LuaValue.TRUE, f.invoke(args.subargs(2)));
                } catch (LuaError e) {
                    LuaValue m = e.getMessageObject();
                    if (m == null) m = LuaValue.NIL;
                    else if (m.istable() && m.get("err").type() == LuaValue.TSTRING) m = m.get("err");
                    else if (m.type() == LuaValue.TSTRING) m = LuaValue.valueOf(Scripting.fixPosition(m.tojstring()));
                    return LuaValue.varargsOf(LuaValue.FALSE, m);
                } finally {
                    hook.onReturn();
                }
            }
        });
        g.rawset("tostring", new org.luaj.vm2.lib.OneArgFunction() {
            @Override public LuaValue call(LuaValue v) {
                if (v.type() == LuaValue.TNUMBER) return LuaValue.valueOf(numberToString(v.todouble()));
                LuaValue h = v.metatag(LuaValue.TOSTRING);
                if (!h.isnil()) return h.call(v);
                return v.type() == LuaValue.TSTRING ? v : LuaValue.valueOf(v.tojstring());
            }
        });
        g.debuglib = hook;

        // Lua 5.1 surface
        LuaTable table = g.get("table").checktable();
        g.rawset("unpack", table.get("unpack"));
        table.rawset("getn", new OneArgFunction() {
            @Override public LuaValue call(LuaValue t) { return LuaValue.valueOf(t.checktable().length()); }
        });
        LuaValue loadstring = new VarArgFunction() {
            @Override public Varargs invoke(Varargs args) {
                return loadText(g, args.checkstring(1), args.optjstring(2, null));
            }
        };
        g.rawset("loadstring", loadstring);
        g.rawset("load", new VarArgFunction() {
            @Override public Varargs invoke(Varargs args) {
                LuaValue src = args.arg1();
                LuaString text;
                if (src.isfunction()) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < 100_000; i++) {
                        LuaValue piece = src.call();
                        if (piece.isnil() || piece.length() == 0) break;
                        sb.append(piece.checkjstring());
                    }
                    text = LuaValue.valueOf(sb.toString());
                } else {
                    text = src.checkstring();
                }
                return loadText(g, text, args.optjstring(2, null));
            }
        });
        g.rawset("gcinfo", new VarArgFunction() {
            @Override public Varargs invoke(Varargs args) { return LuaValue.valueOf(usedKb()); }
        });
        g.rawset("collectgarbage", new VarArgFunction() {
            @Override public Varargs invoke(Varargs args) {
                String opt = args.optjstring(1, "collect");
                return switch (opt) {
                    case "count" -> LuaValue.valueOf(usedKb());
                    case "step", "isrunning" -> LuaValue.TRUE;
                    default -> LuaValue.valueOf(0);
                };
            }
        });
        g.rawset("_VERSION", LuaValue.valueOf("Lua 5.1"));
        LuaValue format = LuaFormat.function();
        g.get("string").checktable().rawset("format", new VarArgFunction() {
            @Override public Varargs invoke(Varargs a) {
                try {
                    return format.invoke(a);
                } catch (ScriptError e) {
                    throw e;
                } catch (LuaError e) {
                    throw new ScriptError(LuaValue.valueOf(String.valueOf(e.getMessage())), hook.position(1), true);
                }
            }
        });
        LuaTable math = g.get("math").checktable();
        math.rawset("random", random.randomFunction());
        math.rawset("randomseed", random.seedFunction());
        return g;
    }

    /** Lua 5.1's number to string ("%.14g"). */
    static String numberToString(double d) {
        if (Double.isNaN(d)) return d != d && Double.doubleToRawLongBits(d) < 0 ? "-nan" : "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        return CjsonLib.formatG14(d);
    }

    private static double usedKb() {
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) / 1024.0;
    }

    /** Compiles source text (never bytecode) in {@code env}; (nil, message) on a syntax error. */
    static Varargs loadText(Globals env, LuaString text, String chunkname) {
        String name = chunkname == null ? "=(load)" : chunkname;
        try {
            Prototype p = compile(text.m_bytes, text.m_offset, text.m_length, name);
            return new LuaClosure(p, env);
        } catch (LuaError e) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(String.valueOf(e.getMessageObject().tojstring())));
        }
    }

    /** Compiles Lua source text; a syntax error is a LuaError with Lua's message. */
    static Prototype compile(byte[] src, int off, int len, String chunkname) {
        try {
            return LuaC.instance.compile(new ByteArrayInputStream(src, off, len), chunkname);
        } catch (IOException e) {
            throw new LuaError(e.getMessage());
        }
    }

    static Prototype compile(byte[] src, String chunkname) { return compile(src, 0, src.length, chunkname); }

    /**
     * Replaces every table in {@code g} (one level deep, plus the string metatable's index)
     * by a frozen read-only copy, then freezes {@code g} itself and installs the
     * nonexistent-global guard.
     */
    static void freeze(SandboxGlobals g, Hook hook) {
        LuaValue k = LuaValue.NIL;
        java.util.List<LuaValue[]> swaps = new java.util.ArrayList<>();
        while (true) {
            Varargs n = g.next(k);
            if ((k = n.arg1()).isnil()) break;
            LuaValue v = n.arg(2);
            if (v.istable() && v != g && !(v instanceof ReadOnlyTable)) swaps.add(new LuaValue[] {k, readOnlyCopy(v.checktable())});
        }
        for (LuaValue[] s : swaps) g.rawset(s[0], s[1]);
        g.rawset("_G", g);
        LuaValue string = g.get("string");
        LuaTable smt = new ReadOnlyTable();
        smt.rawset(LuaValue.INDEX, string);
        ((ReadOnlyTable) smt).freeze();
        LuaString.s_metatable = smt;
        LuaTable mt = new ReadOnlyTable();
        mt.rawset(LuaValue.INDEX, new org.luaj.vm2.lib.TwoArgFunction() {
            @Override public LuaValue call(LuaValue t, LuaValue key) {
                throw new ScriptError(LuaValue.valueOf("Script attempted to access nonexistent global variable '"
                        + key.tojstring() + "'"), hook.position(1), true);
            }
        });
        ((ReadOnlyTable) mt).freeze();
        g.setmetatable(mt);
        g.frozen = true;
    }

    static ReadOnlyTable readOnlyCopy(LuaTable t) {
        if (t instanceof ReadOnlyTable r) {
            r.freeze();
            return r;
        }
        ReadOnlyTable r = new ReadOnlyTable();
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            if ((k = n.arg1()).isnil()) break;
            r.rawset(k, n.arg(2));
        }
        r.freeze();
        return r;
    }

}
