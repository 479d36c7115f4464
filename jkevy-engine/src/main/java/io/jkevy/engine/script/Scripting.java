package io.jkevy.engine.script;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.CommandError;
import io.jkevy.engine.Engine;
import io.jkevy.engine.Session;
import io.jkevy.engine.command.CommandFlags;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.command.CommandTable;
import io.jkevy.resp.RespReplyParser;
import io.jkevy.resp.RespValue;
import io.jkevy.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.VarArgFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scripting engine of one {@link Engine}: the Lua VM (one, like Redis's: scripts run one at
 * a time because EVAL/FCALL hold every stripe lock), the script cache, the function libraries,
 * and the running script's state for the time budget and SCRIPT/FUNCTION KILL.
 *
 * <p>Threading: everything that runs Lua runs under the global lock (commands flagged
 * "global"); {@link #kill} and {@link #running} are read from other threads; the script
 * cache is a concurrent map; the function registry is an immutable snapshot replaced on change.
 */
public final class Scripting {
    private static final Logger log = LoggerFactory.getLogger(Scripting.class);

    static final String BUSY_SCRIPT = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    static final String BUSY_FUNCTION = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
    static final String NOTBUSY = "NOTBUSY No scripts in execution right now.";
    static final String UNKILLABLE = "UNKILLABLE Sorry the script already executed write commands against the dataset. "
            + "You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.";
    static final String NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL.";

    private static final LuaString KEYS = LuaValue.valueOf("KEYS");
    private static final LuaString ARGV = LuaValue.valueOf("ARGV");

    final Engine engine;
    final LuaSandbox.Hook hook = new LuaSandbox.Hook();
    final RandomState random = new RandomState();
    final LuaSandbox.SandboxGlobals evalEnv;
    final LuaSandbox.SandboxGlobals fnEnv;
    final LuaTable fnRuntimeRedis;
    final LuaTable fnLoadRedis;
    final Functions functions;
    private final Map<String, CachedScript> scripts = new ConcurrentHashMap<>();
    private final ByteBuf scratch = Unpooled.buffer(256);
    private final RespWriter scratchWriter = new RespWriter();
    private final RespReplyParser parser;
    private volatile ScriptRun running;
    private volatile long busyThresholdMillis = 5000;

    /** A compiled EVAL script: compiled once, its closure reused for every call. */
    record CachedScript(String sha, byte[] body, LuaClosure closure, boolean noWrites) { }

    public Scripting(Engine engine) {
        this.engine = engine;
        this.parser = new RespReplyParser(engine.limits());
        scratchWriter.target(scratch);
        evalEnv = LuaSandbox.create(hook, random);
        installLibraries(evalEnv);
        evalEnv.rawset("redis", redisTable(evalEnv, false));
        LuaSandbox.freeze(evalEnv, hook);

        fnEnv = LuaSandbox.create(hook, random);
        installLibraries(fnEnv);
        fnRuntimeRedis = LuaSandbox.readOnlyCopy(redisTable(fnEnv, false));
        fnLoadRedis = loadTimeRedis();
        fnEnv.rawset("redis", fnRuntimeRedis);
        LuaSandbox.freeze(fnEnv, hook);
        functions = new Functions(this);
    }

    private void installLibraries(LuaSandbox.SandboxGlobals g) {
        g.rawset("bit", positioned(BitLib.create()));
        g.rawset("cjson", positioned(CjsonLib.create()));
        g.rawset("cmsgpack", positioned(CmsgpackLib.create()));
        g.rawset("struct", positioned(StructLib.create()));
    }

    /**
     * Wraps a library's functions so their errors carry the calling script line, as Lua's
     * luaL_error does ("user_script:1: Cannot serialise ...").
     */
    private LuaTable positioned(LuaTable lib) {
        LuaTable out = new LuaTable();
        for (LuaValue k = lib.next(LuaValue.NIL).arg1(); !k.isnil(); k = lib.next(k).arg1()) {
            LuaValue v = lib.get(k);
            if (!v.isfunction()) {
                out.rawset(k, v);
                continue;
            }
            LuaValue fn = v;
            out.rawset(k, new VarArgFunction() {
                @Override public Varargs invoke(Varargs a) {
                    try {
                        return fn.invoke(a);
                    } catch (ScriptError e) {
                        throw e;
                    } catch (LuaError e) {
                        LuaValue m = e.getMessageObject();
                        throw new ScriptError(m == null ? LuaValue.valueOf(String.valueOf(e.getMessage())) : m, hook.position(1), true);
                    }
                }
            });
        }
        return out;
    }

    long busyThresholdNanos() { return busyThresholdMillis * 1_000_000L; }

    public void busyThresholdMillis(long ms) { busyThresholdMillis = ms; }

    /** The script running now, or null (read from any thread). */
    ScriptRun running() { return running; }

    void becameBusy(ScriptRun r) {
        engine.busyError(r.function ? BUSY_FUNCTION : BUSY_SCRIPT);
    }

    // ---- EVAL / EVALSHA ----------------------------------------------------------------

    void eval(CommandContext c, boolean bySha, boolean readOnlyCommand) {
        int numkeys = numkeys(c, false);
        CachedScript s;
        if (bySha) {
            s = scripts.get(shaKey(c.arg(1)));
            if (s == null) throw CommandContext.error(NOSCRIPT);
        } else {
            byte[] body = c.arg(1);
            String sha = sha1hex(body);
            s = scripts.get(sha);
            if (s == null) s = compileAndCache(body, sha);
        }
        if (readOnlyCommand && s.body.length > 2 && s.body[0] == '#' && s.body[1] == '!' && !s.noWrites) {
            throw CommandContext.error("ERR Can not execute a script with write flag using *_ro command.");
        }
        LuaTable keys = argTable(c, 3, numkeys);
        LuaTable args = argTable(c, 3 + numkeys, c.argc() - 3 - numkeys);
        evalEnv.internalSet(KEYS, keys);
        evalEnv.internalSet(ARGV, args);
        ScriptRun run = new ScriptRun(this, c, s.sha, false, readOnlyCommand || s.noWrites);
        execute(run, s.closure, LuaValue.NONE);
    }

    static int numkeys(CommandContext c, boolean function) {
        long n;
        try {
            n = c.longArg(2);
        } catch (CommandError e) {
            if (function) throw CommandContext.error("ERR Bad number of keys provided");
            throw e;
        }
        if (n < 0) throw CommandContext.error("ERR Number of keys can't be negative");
        if (n > c.argc() - 3) throw CommandContext.error("ERR Number of keys can't be greater than number of args");
        return (int) n;
    }

    static LuaTable argTable(CommandContext c, int from, int n) {
        LuaTable t = new LuaTable(n, 0);
        for (int i = 0; i < n; i++) t.rawset(i + 1, LuaValue.valueOf(c.arg(from + i)));
        return t;
    }

    static String shaKey(byte[] b) {
        if (b.length != 40) return "";
        char[] ch = new char[40];
        for (int i = 0; i < 40; i++) {
            int x = b[i];
            if (x >= 'A' && x <= 'Z') x += 32;
            ch[i] = (char) (x & 0xff);
        }
        return new String(ch);
    }

    CachedScript compileAndCache(byte[] body, String sha) {
        boolean noWrites = false;
        byte[] src = body;
        if (body.length >= 2 && body[0] == '#' && body[1] == '!') {
            noWrites = parseShebangFlags(body);
            src = body.clone();
            src[0] = '-';                      // keep line numbers: the shebang becomes a comment
            src[1] = '-';
        }
        Prototype p;
        try {
            p = LuaSandbox.compile(src, "user_script");
        } catch (LuaError e) {
            throw CommandContext.error("ERR Error compiling script (new function): " + compileMessage(e));
        }
        CachedScript s = new CachedScript(sha, body, new LuaClosure(p, evalEnv), noWrites);
        CachedScript prev = scripts.putIfAbsent(sha, s);
        return prev != null ? prev : s;
    }

    /** Parses "#!lua [flags=a,b]"; returns whether no-writes is set. */
    static boolean parseShebangFlags(byte[] body) {
        int nl = 0;
        while (nl < body.length && body[nl] != '\n') nl++;
        String line = new String(body, 0, nl, StandardCharsets.UTF_8);
        String[] parts = line.trim().split(" +");
        if (!parts[0].equals("#!lua")) throw CommandContext.error("ERR Unexpected engine in script shebang: " + parts[0]);
        boolean noWrites = false;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (!p.startsWith("flags=")) throw CommandContext.error("ERR Unknown lua shebang option: " + p);
            String list = p.substring(6);
            if (list.isEmpty()) continue;
            for (String f : list.split(",")) {
                switch (f) {
                    case "no-writes" -> noWrites = true;
                    case "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys" -> { }
                    default -> throw CommandContext.error("ERR Unexpected flag in script shebang: " + f);
                }
            }
        }
        return noWrites;
    }

    static String compileMessage(LuaError e) {
        String m = String.valueOf(e.getMessageObject() == null ? e.getMessage() : e.getMessageObject().tojstring());
        // LuaJ names a token by its code ("symbol 43 (+)", 286 is end of input); Lua says "near '+'"
        m = java.util.regex.Pattern.compile("(symbol|near) (\\d+) \\((.)\\)").matcher(m).replaceAll(r ->
                "symbol near '" + (r.group(2).equals("286") ? "<eof>" : java.util.regex.Matcher.quoteReplacement(r.group(3))) + "'");
        m = m.replace("[string \"user_script\"]", "user_script").replace("[string \"user_function\"]", "user_function");
        return fixPosition(m);
    }

    /** LuaJ writes "chunk:line message"; Lua (and Redis) write "chunk:line: message". */
    static String fixPosition(String m) {
        int sp = m.indexOf(' ');
        if (sp > 0 && m.charAt(sp - 1) != ':') {
            int colon = m.lastIndexOf(':', sp);
            if (colon > 0 && colon < sp - 1) {
                boolean digits = true;
                for (int i = colon + 1; i < sp; i++) if (!Character.isDigit(m.charAt(i))) digits = false;
                if (digits) return m.substring(0, sp) + ":" + m.substring(sp);
            }
        }
        return m;
    }

    // ---- running -----------------------------------------------------------------------

    /** Runs {@code fn} as {@code run}, writing its result (or error) as the command's reply. */
    void execute(ScriptRun run, LuaFunction fn, Varargs args) {
        CommandContext c = run.context;
        Session session = c.session();
        int db = session.db();
        hook.reset();
        hook.run = run;
        running = run;
        String error = null;
        try {
            LuaValue result = fn.invoke(args).arg1();
            LuaReply.write(result, c.out(), run.resp);
        } catch (ScriptRun.ScriptKilled k) {
            error = "ERR Script killed by user with SCRIPT KILL... script: " + run.name + ", on @" + run.chunk + ":"
                    + hook.currentLine() + ".";
        } catch (LuaError e) {
            error = errorReply(run, e);
        } catch (StackOverflowError e) {
            error = "ERR Error running script: reached lua stack limit script: " + run.name + ", on @" + run.chunk + ":?.";
        } catch (OutOfMemoryError e) {
            // one oversized allocation (string.rep, a huge table) failed; the heap itself is fine
            error = "ERR Error running script: not enough memory script: " + run.name + ", on @" + run.chunk + ":"
                    + hook.currentLine() + ".";
        } finally {
            running = null;
            hook.run = null;
            if (run.busy()) engine.busyError(null);
            session.db(db);
        }
        if (error != null) throw CommandContext.error(error);
    }

    /** The reply of a script that ended in an error, as Redis 7 words it. */
    String errorReply(ScriptRun run, LuaError e) {
        LuaValue obj;
        String where;
        if (e instanceof ScriptError se) {
            obj = se.object();
            where = se.position() == null ? null : se.position();
        } else {
            String m = fixPosition(String.valueOf(e.getMessage()));
            obj = LuaValue.valueOf(m);
            int colon2 = m.indexOf(": ");
            where = colon2 > 0 && m.startsWith(run.chunk + ":") ? m.substring(0, colon2) : null;
        }
        String msg;
        if (obj.istable() && obj.get(LuaReply.ERR).isstring()) {
            msg = obj.get(LuaReply.ERR).tojstring();
        } else if (obj.isstring()) {
            msg = "ERR " + obj.tojstring();
        } else {
            msg = "ERR " + (obj.isnil() ? "nil" : obj.tojstring());
        }
        String pos = where != null ? where : run.chunk + ":" + hook.currentLine();
        return LuaReply.errorText(msg) + " script: " + run.name + ", on @" + pos + ".";
    }

    // ---- redis.* -----------------------------------------------------------------------

    private LuaTable redisTable(LuaSandbox.SandboxGlobals env, boolean loadTime) {
        LuaTable r = new LuaTable();
        r.rawset("call", new VarArgFunction() {
            @Override public Varargs invoke(Varargs a) { return Scripting.this.call(a, true); }
        });
        r.rawset("pcall", new VarArgFunction() {
            @Override public Varargs invoke(Varargs a) { return Scripting.this.call(a, false); }
        });
        r.rawset("error_reply", new OneArgFunction() {
            @Override public LuaValue call(LuaValue v) {
                if (v.type() != LuaValue.TSTRING) throw ScriptError.plain("wrong number or type of arguments");
                String m = v.tojstring();
                if (m.startsWith("-")) m = m.substring(1);
                return LuaReply.single(LuaReply.ERR, LuaValue.valueOf(m));
            }
        });
        r.rawset("status_reply", new OneArgFunction() {
            @Override public LuaValue call(LuaValue v) {
                if (v.type() != LuaValue.TSTRING) throw ScriptError.plain("wrong number or type of arguments");
                return LuaReply.single(LuaReply.OK, v);
            }
        });
        r.rawset("sha1hex", new VarArgFunction() {
            @Override public Varargs invoke(Varargs a) {
                if (a.narg() != 1) throw ScriptError.plain("wrong number of arguments");
                LuaString s = a.checkstring(1);
                byte[] b = new byte[s.m_length];
                s.copyInto(0, b, 0, b.length);
                return LuaValue.valueOf(sha1hex(b));
            }
        });
        addCommon(r);
        r.rawset("setresp", new VarArgFunction() {
            @Override public Varargs invoke(Varargs a) {
                if (a.narg() != 1) throw ScriptError.plain("redis.setresp() requires one argument.");
                int v = a.checkint(1);
                if (v != 2 && v != 3) throw ScriptError.plain("RESP version must be 2 or 3.");
                ScriptRun run = running;
                if (run != null) run.resp = v;
                return LuaValue.NONE;
            }
        });
        r.rawset("set_repl", new VarArgFunction() {
            @Override public Varargs invoke(Varargs a) {
                if (a.narg() != 1) throw ScriptError.plain("redis.set_repl() requires one argument.");
                int v = a.checkint(1);
                if (v < 0 || v > 3) {
                    throw ScriptError.plain("Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
                }
                return LuaValue.NONE;      // effects are always journaled whole (see docs/scripting.md)
            }
        });
        r.rawset("replicate_commands", new VarArgFunction() {
            @Override public Varargs invoke(Varargs a) { return LuaValue.TRUE; }
        });
        r.rawset("breakpoint", new VarArgFunction() {
            @Override public Varargs invoke(Varargs a) { return LuaValue.FALSE; }
        });
        r.rawset("debug", new VarArgFunction() {
            @Override public Varargs invoke(Varargs a) { return LuaValue.NONE; }
        });
        r.rawset("REPL_NONE", 0);
        r.rawset("REPL_AOF", 1);
        r.rawset("REPL_SLAVE", 2);
        r.rawset("REPL_REPLICA", 2);
        r.rawset("REPL_ALL", 3);
        return r;
    }

    private static void addCommon(LuaTable r) {
        r.rawset("log", new VarArgFunction() {
            @Override public Varargs invoke(Varargs a) {
                if (a.narg() < 2) throw ScriptError.plain("redis.log() requires two arguments or more.");
                if (!a.arg1().isnumber()) throw ScriptError.plain("First argument must be a number (log level).");
                int level = a.checkint(1);
                if (level < 0 || level > 3) throw ScriptError.plain("Invalid debug level.");
                StringBuilder sb = new StringBuilder();
                for (int i = 2; i <= a.narg(); i++) {
                    if (i > 2) sb.append(' ');
                    sb.append(a.arg(i).tojstring());
                }
                switch (level) {
                    case 0 -> log.debug("{}", sb);
                    case 1, 2 -> log.info("{}", sb);
                    default -> log.warn("{}", sb);
                }
                return LuaValue.NONE;
            }
        });
        r.rawset("LOG_DEBUG", 0);
        r.rawset("LOG_VERBOSE", 1);
        r.rawset("LOG_NOTICE", 2);
        r.rawset("LOG_WARNING", 3);
        r.rawset("REDIS_VERSION", Engine.REDIS_VERSION);
        String[] v = Engine.REDIS_VERSION.split("\\.");
        r.rawset("REDIS_VERSION_NUM", (Integer.parseInt(v[0]) << 16) | (Integer.parseInt(v[1]) << 8) | Integer.parseInt(v[2]));
    }

    /** The {@code redis} table library code sees while FUNCTION LOAD runs it. */
    private LuaTable loadTimeRedis() {
        LuaSandbox.ReadOnlyTable r = new LuaSandbox.ReadOnlyTable();
        r.rawset("register_function", new VarArgFunction() {
            @Override public Varargs invoke(Varargs a) {
                functions.register(a);
                return LuaValue.NONE;
            }
        });
        addCommon(r);
        LuaSandbox.ReadOnlyTable mt = new LuaSandbox.ReadOnlyTable();
        mt.rawset(LuaValue.INDEX, new org.luaj.vm2.lib.TwoArgFunction() {
            @Override public LuaValue call(LuaValue t, LuaValue key) {
                throw new ScriptError(LuaValue.valueOf("Script attempted to access nonexistent global variable '"
                        + key.tojstring() + "'"), hook.position(1), true);
            }
        });
        mt.freeze();
        r.setmetatable(mt);
        r.freeze();
        return r;
    }

    /** redis.call / redis.pcall. */
    private Varargs call(Varargs a, boolean raise) {
        ScriptRun run = running;
        if (run == null) throw ScriptError.plain("redis.call() can only be called inside a script invocation");
        int n = a.narg();
        if (n == 0) return fail(raise, "ERR Please specify at least one argument for this redis lib call");
        byte[][] argv = new byte[n][];
        for (int i = 0; i < n; i++) {
            LuaValue v = a.arg(i + 1);
            int t = v.type();
            if (t == LuaValue.TSTRING) {
                LuaString s = (LuaString) v.checkstring();
                byte[] b = new byte[s.m_length];
                System.arraycopy(s.m_bytes, s.m_offset, b, 0, b.length);
                argv[i] = b;
            } else if (t == LuaValue.TNUMBER) {
                argv[i] = formatNumber(v.todouble()).getBytes(StandardCharsets.US_ASCII);
            } else {
                return fail(raise, "ERR Lua redis lib command arguments must be strings or integers");
            }
        }
        CommandTable table = engine.commands();
        CommandSpec spec = table.lookup(argv[0]);
        if (spec == null) return fail(raise, "ERR Unknown Redis command called from script");
        if (!spec.subcommands().isEmpty() && n > 1) {
            CommandSpec sub = CommandTable.lookupSub(spec, argv[1]);
            if (sub != null) spec = sub;
        }
        if (!spec.arityOk(n)) return fail(raise, "ERR Wrong number of args calling Redis command from script");
        if (spec.has(CommandFlags.NOSCRIPT) || (spec.parent() != null && spec.parent().has(CommandFlags.NOSCRIPT))) {
            return fail(raise, "ERR This Redis command is not allowed from script");
        }
        if (spec.has(CommandFlags.WRITE)) {
            if (run.readOnly) return fail(raise, "ERR Write commands are not allowed from read-only scripts.");
            run.wrote = true;
        }
        scratch.clear();
        scratchWriter.protocol(run.resp);
        engine.executeNested(run.context.session(), argv, scratchWriter);
        boolean error = scratch.isReadable() && scratch.getByte(scratch.readerIndex()) == '-';
        LuaValue v = LuaReply.fastToLua(scratch);
        if (v == null) {
            RespValue reply = parser.parse(scratch);
            if (reply == null) throw new IllegalStateException("incomplete nested reply");
            v = LuaReply.toLua(reply);
            error = reply instanceof RespValue.Error;
        }
        if (raise && error) throw new ScriptError(v, hook.position(1), false);
        return v;
    }

    private LuaValue fail(boolean raise, String msg) {
        LuaTable t = LuaReply.single(LuaReply.ERR, LuaValue.valueOf(msg));
        if (raise) throw new ScriptError(t, hook.position(1), false);
        return t;
    }

    /** A Lua number as a command argument: integers in full, others in shortest round-trip form. */
    static String formatNumber(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e21) {
            if (Math.abs(d) < 0x1p63) return Long.toString((long) d);
            return new java.math.BigDecimal(d).toPlainString();
        }
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        java.math.BigDecimal bd = new java.math.BigDecimal(Double.toString(d));
        int exp = bd.precision() - bd.scale() - 1;
        if (exp < -6 || exp >= 21) {
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
        return bd.stripTrailingZeros().toPlainString();
    }

    // ---- SCRIPT ------------------------------------------------------------------------

    void scriptLoad(CommandContext c) {
        byte[] body = c.arg(2);
        String sha = sha1hex(body);
        if (!scripts.containsKey(sha)) compileAndCache(body, sha);
        c.out().bulk(sha);
    }

    void scriptExists(CommandContext c) {
        c.out().arrayHeader(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) c.out().integer(scripts.containsKey(shaKey(c.arg(i))) ? 1 : 0);
    }

    void scriptFlush(CommandContext c) {
        if (c.argc() > 3 || (c.argc() == 3 && !c.argIs(2, "async") && !c.argIs(2, "sync"))) {
            throw CommandContext.error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        }
        scripts.clear();
        c.out().ok();
    }

    /** SCRIPT KILL ({@code function} false) or FUNCTION KILL; callable from any thread. */
    void kill(CommandContext c, boolean function) {
        ScriptRun r = running;
        if (r == null) throw CommandContext.error(NOTBUSY);
        if (r.wrote) throw CommandContext.error(UNKILLABLE);
        if (r.function != function) throw CommandContext.error(r.function ? BUSY_FUNCTION : BUSY_SCRIPT);
        r.killed = true;
        c.out().ok();
    }

    /** True once the running script passed busy-reply-threshold (others get -BUSY). */
    public boolean busy() {
        ScriptRun r = running;
        return r != null && r.busy();
    }

    /**
     * Stops the running script even if it wrote (for shutdown: SHUTDOWN NOSAVE, stopping the
     * server, tests). Returns whether a script was running.
     */
    public boolean abortRunning() {
        ScriptRun r = running;
        if (r == null) return false;
        r.killed = true;
        return true;
    }

    static String sha1hex(byte[] b) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(b);
            return java.util.HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String lower(String s) { return s.toLowerCase(Locale.ROOT); }
}
