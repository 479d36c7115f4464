package io.jkevy.engine.script;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.util.Glob;
import io.jkevy.resp.RespWriter;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Redis 7 functions: libraries loaded with FUNCTION LOAD ({@code #!lua name=<lib>} then code
 * that calls {@code redis.register_function}), called with FCALL / FCALL_RO.
 *
 * <p>The registry is an immutable snapshot ({@link Registry}) swapped on every change, so
 * FUNCTION LIST / DUMP / STATS read it without locks while FUNCTION LOAD (under the global
 * lock) builds the next one.
 *
 * <p>DUMP payload (version 1), all integers big-endian:
 * {@code "JKFN" | u8 version=1 | u32 library count | (u32 length | code bytes)* | u32 CRC32 of
 * everything before it}. RESTORE checks magic, version and checksum, then loads each library's
 * code as FUNCTION LOAD would.
 */
final class Functions {
    private static final byte[] MAGIC = {'J', 'K', 'F', 'N'};
    private static final int VERSION = 1;

    static final String NAME_RULE = "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";

    record Fn(String name, LuaFunction callback, String description, Set<String> flags, Library library) {
        boolean noWrites() { return flags.contains("no-writes"); }
    }

    record Library(String name, byte[] code, Map<String, Fn> functions) { }

    record Registry(Map<String, Library> libraries, Map<String, Fn> functions) {
        static final Registry EMPTY = new Registry(Map.of(), Map.of());
    }

    /** Library code must finish loading within this (Redis: 500 ms). */
    static final long LOAD_TIMEOUT_NANOS = 500_000_000L;

    private final Scripting scripting;
    private volatile Registry registry = Registry.EMPTY;
    /** Functions collected while a library's code runs (FUNCTION LOAD). */
    private List<Fn> pending;
    private String pendingLibrary;

    Functions(Scripting scripting) { this.scripting = scripting; }

    Registry registry() { return registry; }

    // ---- FUNCTION LOAD ---------------------------------------------------------------------

    void load(CommandContext c) {
        boolean replace = false;
        int codeAt = c.argc() - 1;
        for (int i = 2; i < codeAt; i++) {
            if (!c.argIs(i, "replace")) throw CommandContext.error("ERR Unknown option given: " + c.argString(i));
            replace = true;
        }
        String name = parseMetadata(c.arg(codeAt));
        if (!replace && registry.libraries().containsKey(name)) {
            throw CommandContext.error("ERR Library '" + name + "' already exists");
        }
        Library lib = compileLibrary(c.arg(codeAt));
        Registry next = with(registry, lib, replace);
        registry = next;
        c.propagate(c.argv());
        c.out().bulk(lib.name());
    }

    /** The registry with {@code lib} added (replacing its namesake when {@code replace}). */
    private static Registry with(Registry r, Library lib, boolean replace) {
        Library old = r.libraries().get(lib.name());
        if (old != null && !replace) throw CommandContext.error("ERR Library '" + lib.name() + "' already exists");
        for (String f : lib.functions().keySet()) {
            Fn existing = r.functions().get(f);
            if (existing != null && (old == null || !existing.library().name().equals(old.name()))) throw CommandContext.error("ERR Function " + f + " already exists");
        }
        Map<String, Library> libs = new LinkedHashMap<>(r.libraries());
        Map<String, Fn> fns = new LinkedHashMap<>(r.functions());
        if (old != null) old.functions().keySet().forEach(fns::remove);
        libs.put(lib.name(), lib);
        fns.putAll(lib.functions());
        return new Registry(Collections.unmodifiableMap(libs), Collections.unmodifiableMap(fns));
    }

    /** Parses the shebang, runs the library code with the load-time API, returns the library. */
    Library compileLibrary(byte[] code) {
        String name = parseMetadata(code);
        byte[] src = code.clone();
        src[0] = '-';
        src[1] = '-';
        Prototype p;
        try {
            p = LuaSandbox.compile(src, "user_function");
        } catch (LuaError e) {
            throw CommandContext.error("ERR Error compiling function: " + Scripting.compileMessage(e));
        }
        LuaSandbox.SandboxGlobals env = scripting.fnEnv;
        List<Fn> collected = new ArrayList<>();
        pending = collected;
        pendingLibrary = name;
        env.internalSet("redis", scripting.fnLoadRedis);
        LuaSandbox.Hook hook = scripting.hook;
        hook.reset();
        hook.loadDeadlineNanos = System.nanoTime() + LOAD_TIMEOUT_NANOS;
        Library lib = new Library(name, code, new LinkedHashMap<>());
        try {
            new LuaClosure(p, env).call();
        } catch (LuaError e) {
            String m;
            if (e instanceof ScriptError se) {
                LuaValue o = se.object();
                m = o.istable() && o.get(LuaReply.ERR).isstring() ? o.get(LuaReply.ERR).tojstring() : "ERR " + o.tojstring();
            } else {
                m = "ERR " + Scripting.fixPosition(String.valueOf(e.getMessage()));
            }
            throw CommandContext.error("ERR Error registering functions: " + LuaReply.errorText(m));
        } catch (StackOverflowError e) {
            throw CommandContext.error("ERR Error registering functions: ERR stack overflow");
        } finally {
            hook.loadDeadlineNanos = 0;
            pending = null;
            pendingLibrary = null;
            env.internalSet("redis", scripting.fnRuntimeRedis);
        }
        if (collected.isEmpty()) throw CommandContext.error("ERR No functions registered");
        for (Fn f : collected) {
            lib.functions().put(f.name(), new Fn(f.name(), f.callback(), f.description(), f.flags(), lib));
        }
        return new Library(name, code, Collections.unmodifiableMap(lib.functions()));
    }

    /** "#!lua name=x": returns the library name or throws Redis's error. */
    static String parseMetadata(byte[] code) {
        if (code.length < 2 || code[0] != '#' || code[1] != '!') throw CommandContext.error("ERR Missing library metadata");
        int nl = 0;
        while (nl < code.length && code[nl] != '\n') nl++;
        if (nl == code.length) throw CommandContext.error("ERR Invalid library metadata");
        String[] parts = new String(code, 2, nl - 2, StandardCharsets.UTF_8).trim().split(" +");
        String engine = parts[0];
        if (!engine.equalsIgnoreCase("lua")) throw CommandContext.error("ERR Engine '" + engine + "' not found");
        String name = null;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.startsWith("name=")) name = p.substring(5);
            else throw CommandContext.error("ERR Invalid metadata value given: " + p);
        }
        if (name == null) throw CommandContext.error("ERR Library name was not given");
        if (!validName(name)) throw CommandContext.error("ERR " + NAME_RULE);
        return name;
    }

    static boolean validName(String n) {
        if (n.isEmpty()) return false;
        for (int i = 0; i < n.length(); i++) {
            char ch = n.charAt(i);
            if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_')) return false;
        }
        return true;
    }

    /** redis.register_function(name, callback) or redis.register_function{function_name=..., ...}. */
    void register(Varargs a) {
        List<Fn> into = pending;
        if (into == null) throw ScriptError.plain("ERR redis.register_function can only be called on FUNCTION LOAD command");
        String name;
        LuaValue callback;
        String description = null;
        Set<String> flags = new LinkedHashSet<>();
        if (a.narg() == 1) {
            if (!a.arg1().istable()) {
                throw err("ERR calling redis.register_function with a single argument is only applicable to Lua table "
                        + "(representing named arguments).");
            }
            LuaTable t = a.arg1().checktable();
            name = null;
            callback = LuaValue.NIL;
            for (LuaValue k = t.next(LuaValue.NIL).arg1(); !k.isnil(); k = t.next(k).arg1()) {
                LuaValue v = t.get(k);
                if (!k.isstring()) throw err("ERR named argument key given to redis.register_function is not a string");
                switch (k.tojstring()) {
                    case "function_name" -> {
                        if (!v.isstring()) throw err("ERR function_name argument given to redis.register_function must be a string");
                        name = v.tojstring();
                    }
                    case "description" -> {
                        if (!v.isstring()) throw err("ERR description argument given to redis.register_function must be a string");
                        description = v.tojstring();
                    }
                    case "callback" -> {
                        if (!v.isfunction()) throw err("ERR callback argument given to redis.register_function must be a function");
                        callback = v;
                    }
                    case "flags" -> {
                        if (!v.istable()) throw err("ERR flags argument to redis.register_function must be a table representing function flags");
                        LuaTable ft = v.checktable();
                        for (int i = 1; !ft.get(i).isnil(); i++) {
                            LuaValue f = ft.get(i);
                            String fs = f.isstring() ? f.tojstring() : "";
                            switch (fs) {
                                case "no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys" -> flags.add(fs);
                                default -> throw err("ERR unknown flag given");
                            }
                        }
                    }
                    default -> throw err("ERR unknown argument given to redis.register_function");
                }
            }
            if (name == null) throw err("ERR redis.register_function must get a function name argument");
            if (callback.isnil()) throw err("ERR redis.register_function must get a callback argument");
        } else if (a.narg() == 2) {
            if (!a.arg1().isstring()) throw err("ERR first argument to redis.register_function must be a string");
            if (!a.arg(2).isfunction()) throw err("ERR second argument to redis.register_function must be a function");
            name = a.arg1().tojstring();
            callback = a.arg(2);
        } else {
            throw err("ERR wrong number of arguments to redis.register_function");
        }
        if (!validName(name)) throw err("ERR " + NAME_RULE);
        for (Fn f : into) if (f.name().equals(name)) throw err("ERR Function already exists in the library");
        into.add(new Fn(name, (LuaFunction) callback, description, Collections.unmodifiableSet(flags), null));
    }

    private static ScriptError err(String msg) {
        return new ScriptError(LuaReply.single(LuaReply.ERR, LuaValue.valueOf(msg)), null, false);
    }

    // ---- FCALL -------------------------------------------------------------------------------

    void fcall(CommandContext c, boolean readOnlyCommand) {
        Fn f = registry.functions().get(c.argString(1));
        int numkeys = Scripting.numkeys(c, true);
        if (f == null) throw CommandContext.error("ERR Function not found");
        if (readOnlyCommand && !f.noWrites()) {
            throw CommandContext.error("ERR Can not execute a script with write flag using *_ro command.");
        }
        LuaTable keys = Scripting.argTable(c, 3, numkeys);
        LuaTable args = Scripting.argTable(c, 3 + numkeys, c.argc() - 3 - numkeys);
        ScriptRun run = new ScriptRun(scripting, c, f.name(), true, readOnlyCommand || f.noWrites());
        scripting.execute(run, f.callback(), LuaValue.varargsOf(keys, args));
    }

    // ---- the other subcommands ---------------------------------------------------------------

    void delete(CommandContext c) {
        Registry r = registry;
        Library lib = r.libraries().get(c.argString(2));
        if (lib == null) throw CommandContext.error("ERR Library not found");
        Map<String, Library> libs = new LinkedHashMap<>(r.libraries());
        Map<String, Fn> fns = new LinkedHashMap<>(r.functions());
        libs.remove(lib.name());
        lib.functions().keySet().forEach(fns::remove);
        registry = new Registry(Collections.unmodifiableMap(libs), Collections.unmodifiableMap(fns));
        c.propagate(c.argv());
        c.out().ok();
    }

    void flush(CommandContext c) {
        if (c.argc() > 3 || (c.argc() == 3 && !c.argIs(2, "async") && !c.argIs(2, "sync"))) {
            throw CommandContext.error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
        }
        registry = Registry.EMPTY;
        c.propagate(c.argv());
        c.out().ok();
    }

    void list(CommandContext c) {
        String pattern = null;
        boolean withCode = false;
        for (int i = 2; i < c.argc(); i++) {
            if (c.argIs(i, "withcode")) {
                if (withCode) throw CommandContext.error("ERR Unknown argument " + c.argString(i));
                withCode = true;
            } else if (c.argIs(i, "libraryname")) {
                if (pattern != null) throw CommandContext.error("ERR library name argument was already given");
                if (i + 1 >= c.argc()) throw CommandContext.error("ERR library name argument was not given");
                pattern = c.argString(++i);
            } else {
                throw CommandContext.error("ERR Unknown argument " + c.argString(i));
            }
        }
        List<Library> libs = new ArrayList<>();
        for (Library l : registry.libraries().values()) {
            if (pattern == null || Glob.match(pattern, l.name(), false)) libs.add(l);
        }
        RespWriter out = c.out();
        out.arrayHeader(libs.size());
        for (Library l : libs) {
            out.mapHeader(withCode ? 4 : 3);
            out.bulk("library_name");
            out.bulk(l.name());
            out.bulk("engine");
            out.bulk("LUA");
            out.bulk("functions");
            out.arrayHeader(l.functions().size());
            for (Fn f : l.functions().values()) {
                out.mapHeader(3);
                out.bulk("name");
                out.bulk(f.name());
                out.bulk("description");
                if (f.description() == null) out.nullBulk(); else out.bulk(f.description());
                out.bulk("flags");
                out.setHeader(f.flags().size());
                for (String fl : f.flags()) out.simple(fl);
            }
            if (withCode) {
                out.bulk("library_code");
                out.bulk(l.code());
            }
        }
    }

    void dump(CommandContext c) { c.out().bulk(dumpPayload(registry)); }

    static byte[] dumpPayload(Registry r) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(MAGIC);
        b.write(VERSION);
        writeInt(b, r.libraries().size());
        for (Library l : r.libraries().values()) {
            writeInt(b, l.code().length);
            b.writeBytes(l.code());
        }
        CRC32 crc = new CRC32();
        crc.update(b.toByteArray());
        writeInt(b, (int) crc.getValue());
        return b.toByteArray();
    }

    private static void writeInt(ByteArrayOutputStream b, int v) {
        b.write(v >>> 24);
        b.write(v >>> 16);
        b.write(v >>> 8);
        b.write(v);
    }

    void restore(CommandContext c) {
        String policy = "append";
        if (c.argc() == 4) {
            policy = c.argString(3).toLowerCase(java.util.Locale.ROOT);
            if (!policy.equals("append") && !policy.equals("replace") && !policy.equals("flush")) {
                throw CommandContext.error("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
            }
        } else if (c.argc() > 4) {
            throw CommandContext.error("ERR syntax error");
        }
        List<byte[]> codes = parsePayload(c.arg(2));
        Registry base = policy.equals("flush") ? Registry.EMPTY : registry;
        Registry next = base;
        for (byte[] code : codes) {
            Library lib = compileLibrary(code);
            if (policy.equals("append") && next.libraries().containsKey(lib.name())) {
                throw CommandContext.error("ERR Library " + lib.name() + " already exists");
            }
            next = with(next, lib, policy.equals("replace"));
        }
        registry = next;
        c.propagate(c.argv());
        c.out().ok();
    }

    static List<byte[]> parsePayload(byte[] p) {
        final String bad = "ERR DUMP payload version or checksum are wrong";
        if (p.length < MAGIC.length + 1 + 4 + 4) throw CommandContext.error(bad);
        ByteBuffer bb = ByteBuffer.wrap(p);
        for (byte m : MAGIC) if (bb.get() != m) throw CommandContext.error(bad);
        if (bb.get() != VERSION) throw CommandContext.error(bad);
        CRC32 crc = new CRC32();
        crc.update(p, 0, p.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(p, p.length - 4, 4).getInt()) throw CommandContext.error(bad);
        int n = bb.getInt();
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (bb.remaining() < 8) throw CommandContext.error(bad);
            int len = bb.getInt();
            if (len < 0 || len > bb.remaining() - 4) throw CommandContext.error(bad);
            byte[] code = new byte[len];
            bb.get(code);
            out.add(code);
        }
        if (bb.remaining() != 4) throw CommandContext.error(bad);
        return out;
    }

    void stats(CommandContext c) {
        RespWriter out = c.out();
        out.mapHeader(2);
        out.bulk("running_script");
        ScriptRun r = scripting.running();
        if (r == null || !r.function) {
            out.nullBulk();
        } else {
            out.mapHeader(3);
            out.bulk("name");
            out.bulk(r.name);
            out.bulk("command");
            out.arrayHeader(r.argv.length);
            for (byte[] a : r.argv) out.bulk(a);
            out.bulk("duration_ms");
            out.integer(System.currentTimeMillis() - r.startMillis);
        }
        Registry reg = registry;
        out.bulk("engines");
        out.mapHeader(1);
        out.bulk("LUA");
        out.mapHeader(2);
        out.bulk("libraries_count");
        out.integer(reg.libraries().size());
        out.bulk("functions_count");
        out.integer(reg.functions().size());
    }
}
