package io.jkevy.engine.script;

import io.jkevy.engine.EngineHarness;
import io.jkevy.journal.Frames;
import io.jkevy.journal.Journal;
import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * EVAL / EVALSHA / SCRIPT against the engine. Expected replies were taken from redis-server
 * 7.0.15 (raw RESP) for the same scripts.
 */
class ScriptingTest {
    final EngineHarness h = new EngineHarness();

    String raw(String script, String... rest) {
        String[] args = new String[3 + rest.length];
        args[0] = "EVAL";
        args[1] = script;
        args[2] = "0";
        System.arraycopy(rest, 0, args, 3, rest.length);
        return h.raw(args);
    }

    static String sha(String s) { return Scripting.sha1hex(s.getBytes(StandardCharsets.UTF_8)); }

    @Test
    void luaToRespConversion() {
        assertThat(raw("return {1,2,3.7,'x',nil,5}")).isEqualTo("*4\r\n:1\r\n:2\r\n:3\r\n$1\r\nx\r\n");
        assertThat(raw("return {err='boom'}")).isEqualTo("-boom\r\n");
        assertThat(raw("return {ok='fine'}")).isEqualTo("+fine\r\n");
        assertThat(raw("return redis.error_reply('My Error')")).isEqualTo("-My Error\r\n");
        assertThat(raw("return redis.status_reply('STAT')")).isEqualTo("+STAT\r\n");
        assertThat(raw("return true")).isEqualTo(":1\r\n");
        assertThat(raw("return false")).isEqualTo("$-1\r\n");
        assertThat(raw("return nil")).isEqualTo("$-1\r\n");
        assertThat(raw("return 3.99")).isEqualTo(":3\r\n");
        assertThat(raw("return -3.99")).isEqualTo(":-3\r\n");
        assertThat(raw("return '3.99'")).isEqualTo("$4\r\n3.99\r\n");
        assertThat(raw("return {double=3.5}")).isEqualTo("$3\r\n3.5\r\n");
        assertThat(raw("return {map={a=1}}")).isEqualTo("*2\r\n$1\r\na\r\n:1\r\n");
        assertThat(raw("return {set={a=true}}")).isEqualTo("*1\r\n$1\r\na\r\n");
        assertThat(raw("return {1.5, -0.5, 1e20}")).isEqualTo("*3\r\n:1\r\n:0\r\n:-9223372036854775808\r\n");
        assertThat(raw("return {a=1}")).isEqualTo("*0\r\n");
        assertThat(raw("return {err=5}")).isEqualTo("*0\r\n");
        assertThat(raw("return 'a\\0b'")).isEqualTo("$3\r\na\0b\r\n");
        assertThat(raw("redis.setresp(3) return true")).isEqualTo(":1\r\n");
        assertThat(raw("redis.setresp(3) return false")).isEqualTo(":0\r\n");
    }

    @Test
    void resp3Conversion() {
        h.protocol(3);
        assertThat(raw("return true")).isEqualTo(":1\r\n");
        assertThat(raw("return false")).isEqualTo("_\r\n");
        assertThat(raw("redis.setresp(3) return true")).isEqualTo("#t\r\n");
        assertThat(raw("redis.setresp(3) return false")).isEqualTo("#f\r\n");
        assertThat(raw("return {double=3.5}")).isEqualTo(",3.5\r\n");
        assertThat(raw("return {double=0.1}")).isEqualTo(",0.10000000000000001\r\n");
        assertThat(raw("return {map={a=1}}")).isEqualTo("%1\r\n$1\r\na\r\n:1\r\n");
        assertThat(raw("return {set={a=true}}")).isEqualTo("~1\r\n$1\r\na\r\n");
        assertThat(raw("return {big_number='123'}")).isEqualTo("(123\r\n");
        assertThat(raw("return {verbatim_string={format='txt',string='abc'}}")).isEqualTo("=7\r\ntxt:abc\r\n");
        assertThat(raw("redis.setresp(3); return redis.call('hgetall','nokey')")).isEqualTo("%0\r\n");
        assertThat(raw("return redis.call('get','nonex')")).isEqualTo("_\r\n");
        h.call("ZADD", "zz", "1.5", "a");
        assertThat(raw("redis.setresp(3); return redis.call('zscore','zz','a')")).isEqualTo(",1.5\r\n");
        assertThat(raw("redis.setresp(3); return redis.call('zscore','zz','a')['double'] * 2")).isEqualTo(":3\r\n");
    }

    @Test
    void respToLuaConversion() {
        h.call("SET", "s", "abc");
        h.call("RPUSH", "l", "a", "b");
        assertThat(raw("return type(redis.call('get','nokey'))")).isEqualTo("$7\r\nboolean\r\n");
        assertThat(raw("return redis.call('get','s')")).isEqualTo("$3\r\nabc\r\n");
        assertThat(raw("return redis.call('incr','n') + 1")).isEqualTo(":2\r\n");
        assertThat(raw("return redis.call('set','x','1')['ok']")).isEqualTo("$2\r\nOK\r\n");
        assertThat(raw("return redis.pcall('incr','s')['err']")).isEqualTo("$43\r\nERR value is not an integer or out of range\r\n");
        assertThat(raw("local t = redis.call('lrange','l',0,-1) return #t")).isEqualTo(":2\r\n");
        assertThat(raw("return redis.call('set', 'num', 1.5)")).isEqualTo("+OK\r\n");
        assertThat(h.bulk("GET", "num")).isEqualTo("1.5");
        raw("return redis.call('set', 'num', 10000000000000000)");
        assertThat(h.bulk("GET", "num")).isEqualTo("10000000000000000");
    }

    @Test
    void errorsMatchRedis() {
        h.call("SET", "strkey", "abc");
        String incr = "return redis.call('incr','strkey')";
        assertThat(raw(incr)).isEqualTo("-ERR value is not an integer or out of range script: " + sha(incr) + ", on @user_script:1.\r\n");
        assertThat(raw("return redis.pcall('incr','strkey')")).isEqualTo("-ERR value is not an integer or out of range\r\n");
        String s = "error('foo')";
        assertThat(raw(s)).isEqualTo("-ERR user_script:1: foo script: " + sha(s) + ", on @user_script:1.\r\n");
        s = "error('x', 0)";
        assertThat(raw(s)).isEqualTo("-ERR x script: " + sha(s) + ", on @user_script:1.\r\n");
        s = "error({err='custom'})";
        assertThat(raw(s)).isEqualTo("-custom script: " + sha(s) + ", on @user_script:1.\r\n");
        s = "error()";
        assertThat(raw(s)).isEqualTo("-ERR nil script: " + sha(s) + ", on @user_script:1.\r\n");
        s = "x = 5 return 1";
        assertThat(raw(s)).isEqualTo("-ERR user_script:1: Attempt to modify a readonly table script: " + sha(s) + ", on @user_script:1.\r\n");
        s = "return y";
        assertThat(raw(s)).isEqualTo("-ERR user_script:1: Script attempted to access nonexistent global variable 'y' script: "
                + sha(s) + ", on @user_script:1.\r\n");
        s = "\nreturn redis.call('nosuchcmd')";
        assertThat(raw(s)).isEqualTo("-ERR Unknown Redis command called from script script: " + sha(s) + ", on @user_script:2.\r\n");
        assertThat(raw("return redis.pcall('nosuchcmd')")).isEqualTo("-ERR Unknown Redis command called from script\r\n");
        s = "return redis.call()";
        assertThat(raw(s)).isEqualTo("-ERR Please specify at least one argument for this redis lib call script: " + sha(s) + ", on @user_script:1.\r\n");
        s = "return redis.call('get', {})";
        assertThat(raw(s)).isEqualTo("-ERR Lua redis lib command arguments must be strings or integers script: " + sha(s) + ", on @user_script:1.\r\n");
        s = "return redis.call('get','a','b')";
        assertThat(raw(s)).isEqualTo("-ERR Wrong number of args calling Redis command from script script: " + sha(s) + ", on @user_script:1.\r\n");
        s = "return redis.call('eval','return 1','0')";
        assertThat(raw(s)).isEqualTo("-ERR This Redis command is not allowed from script script: " + sha(s) + ", on @user_script:1.\r\n");
        s = "redis.setresp(4)";
        assertThat(raw(s)).isEqualTo("-ERR RESP version must be 2 or 3. script: " + sha(s) + ", on @user_script:1.\r\n");
        assertThat(raw("return 1 +")).isEqualTo("-ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'\r\n");
        assertThat(h.raw("SCRIPT", "LOAD", "return +")).isEqualTo("-ERR Error compiling script (new function): user_script:1: unexpected symbol near '+'\r\n");
    }

    @Test
    void argumentsAndCache() {
        assertThat(h.raw("EVAL", "return {KEYS[1], ARGV[1], #KEYS, #ARGV}", "1", "k", "a")).isEqualTo("*4\r\n$1\r\nk\r\n$1\r\na\r\n:1\r\n:1\r\n");
        assertThat(h.error("EVAL", "return 1", "x")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(h.error("EVAL", "return 1", "2", "a")).isEqualTo("ERR Number of keys can't be greater than number of args");
        assertThat(h.error("EVAL", "return 1", "-1")).isEqualTo("ERR Number of keys can't be negative");
        assertThat(h.error("EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0")).isEqualTo("NOSCRIPT No matching script. Please use EVAL.");
        assertThat(h.bulk("SCRIPT", "LOAD", "return 1")).isEqualTo("e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
        assertThat(h.raw("SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "abc")).isEqualTo("*2\r\n:1\r\n:0\r\n");
        assertThat(h.integer("EVALSHA", "E0E1F9FABFC9D4800C877A703B823AC0578FF8DB", "0")).isEqualTo(1);
        assertThat(h.error("SCRIPT", "FLUSH", "foo")).isEqualTo("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        assertThat(h.simple("SCRIPT", "FLUSH", "ASYNC")).isEqualTo("OK");
        assertThat(h.error("EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0")).startsWith("NOSCRIPT");
        // EVAL caches too
        h.call("EVAL", "return 2", "0");
        assertThat(h.integer("EVALSHA", sha("return 2"), "0")).isEqualTo(2);
        assertThat(h.error("SCRIPT", "KILL")).isEqualTo("NOTBUSY No scripts in execution right now.");
        assertThat(h.bulk("EVAL", "return redis.sha1hex('')", "0")).isEqualTo("da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assertThat(h.bulk("EVAL", "return redis.REDIS_VERSION", "0")).isEqualTo("7.0.15");
        assertThat(h.integer("EVAL", "return redis.REDIS_VERSION_NUM", "0")).isEqualTo(458767);
        assertThat(h.integer("EVAL", "return redis.replicate_commands() and 1 or 0", "0")).isEqualTo(1);
    }

    @Test
    void readOnlyScripts() {
        String s = "\nreturn redis.call('set','a','b')";
        assertThat(h.error("EVAL_RO", s, "0")).isEqualTo("ERR Write commands are not allowed from read-only scripts. script: "
                + sha(s) + ", on @user_script:2.");
        assertThat(h.call("GET", "a")).isEqualTo(new RespValue.Bulk(null));
        s = "#!lua flags=no-writes\nreturn redis.call('set','a','b')";
        assertThat(h.error("EVAL", s, "0")).isEqualTo("ERR Write commands are not allowed from read-only scripts. script: "
                + sha(s) + ", on @user_script:2.");
        assertThat(h.integer("EVAL", "#!lua flags=no-writes,allow-oom\nreturn 1", "0")).isEqualTo(1);
        assertThat(h.error("EVAL", "#!lua flags=bad\nreturn 1", "0")).isEqualTo("ERR Unexpected flag in script shebang: bad");
        assertThat(h.error("EVAL", "#!lua name=x\nreturn 1", "0")).isEqualTo("ERR Unknown lua shebang option: name=x");
        assertThat(h.error("EVAL", "#!luax\nreturn 1", "0")).isEqualTo("ERR Unexpected engine in script shebang: #!luax");
        assertThat(h.error("EVAL_RO", "#!lua\nreturn 1", "0")).isEqualTo("ERR Can not execute a script with write flag using *_ro command.");
        assertThat(h.bulk("EVAL_RO", "return redis.call('get', KEYS[1])", "1", "a")).isNull();
    }

    @Test
    void sandboxBlocksFilesystemJavaAndBytecode() {
        for (String g : new String[] {"os", "io", "debug", "require", "dofile", "loadfile", "package", "luajava", "module", "print"}) {
            assertThat(h.error("EVAL", "return type(" + g + ")", "0"))
                    .contains("Script attempted to access nonexistent global variable '" + g + "'");
        }
        assertThat(h.error("EVAL", "return io.open('/etc/passwd')", "0")).contains("nonexistent global variable 'io'");
        assertThat(h.error("EVAL", "return os.execute('touch /tmp/jkevy-pwned')", "0")).contains("nonexistent global variable 'os'");
        assertThat(new java.io.File("/tmp/jkevy-pwned")).doesNotExist();
        assertThat(h.error("EVAL", "return luajava.bindClass('java.lang.System')", "0")).contains("nonexistent global variable 'luajava'");
        // bytecode never loads
        assertThat(h.raw("EVAL", "local f, e = loadstring(string.dump(function() return 1 end)) return {tostring(f), type(e)}", "0"))
                .isEqualTo("*2\r\n$3\r\nnil\r\n$6\r\nstring\r\n");
        assertThat(h.raw("EVAL", "local f = loadstring('\\27Lua') return f", "0")).isEqualTo("$-1\r\n");
        assertThat(h.raw("EVAL", "local f = load('\\27LuaQ') return f", "0")).isEqualTo("$-1\r\n");
        // text still loads
        assertThat(h.integer("EVAL", "local f = loadstring('return 1+1') return f()", "0")).isEqualTo(2);
        // library tables are read-only, also through the string metatable
        assertThat(h.error("EVAL", "string.foo = 1 return 1", "0")).contains("Attempt to modify a readonly table");
        assertThat(h.error("EVAL", "getmetatable('').__index.upper = nil return 1", "0")).contains("Attempt to modify a readonly table");
        assertThat(h.error("EVAL", "redis = nil return 1", "0")).contains("Attempt to modify a readonly table");
        assertThat(h.error("EVAL", "rawset(_G, 'x', 1) return 1", "0")).contains("Attempt to modify a readonly table");
        assertThat(h.error("EVAL", "setmetatable(_G, nil) return 1", "0")).contains("Attempt to modify a readonly table");
        assertThat(h.error("EVAL", "table.insert(redis, 1) return 1", "0")).contains("Attempt to modify a readonly table");
        // the 5.1 surface
        assertThat(h.integer("EVAL", "return select('#', unpack({1,2,3}))", "0")).isEqualTo(3);
        assertThat(h.integer("EVAL", "return table.getn({1,2})", "0")).isEqualTo(2);
        assertThat(h.bulk("EVAL", "return _VERSION", "0")).startsWith("Lua 5.");
    }

    @Test
    void runawayRecursionIsAnError() {
        assertThat(h.error("EVAL", "local function f(n) return f(n + 1) + 1 end return f(1)", "0")).startsWith("ERR ");
        assertThat(h.integer("EVAL", "return 1", "0")).isEqualTo(1);
    }

    @Test
    void lua51NumberFormattingAndPcall() {
        // values from redis-server 7.0.15
        assertThat(h.bulk("EVAL", "return tostring(1e15)", "0")).isEqualTo("1e+15");
        assertThat(h.bulk("EVAL", "return tostring(1/3)", "0")).isEqualTo("0.33333333333333");
        assertThat(h.bulk("EVAL", "return tostring(2^63)", "0")).isEqualTo("9.2233720368548e+18");
        assertThat(h.bulk("EVAL", "return string.format('%d %s %5.2f', 3, 'a', 1.5)", "0")).isEqualTo("3 a  1.50");
        assertThat(h.bulk("EVAL", "return string.format('%.17g', 0.1)", "0")).isEqualTo("0.10000000000000001");
        assertThat(h.bulk("EVAL", "return string.format('%.0f %.0f %.0f %.1f', 2.5, 3.5, 0.5, 0.25)", "0")).isEqualTo("2 4 0 0.2");
        assertThat(h.bulk("EVAL", "return string.format('%5d|%-5d|%05d|%+d|% d', 42, 42, 42, 42, 42)", "0")).isEqualTo("   42|42   |00042|+42| 42");
        assertThat(h.bulk("EVAL", "return string.format('%x %X %o %#x', 255, 255, 8, 255)", "0")).isEqualTo("ff FF 10 0xff");
        assertThat(h.bulk("EVAL", "return string.format('%e %.3E %.0e', 12345.678, 0.000123, 5)", "0")).isEqualTo("1.234568e+04 1.230E-04 5e+00");
        assertThat(h.bulk("EVAL", "return string.format('%g %g %g %g', 100000, 1000000, 1e-5, 0.0001)", "0")).isEqualTo("100000 1e+06 1e-05 0.0001");
        assertThat(h.error("EVAL", "return string.format('%d')", "0")).startsWith("ERR user_script:1: bad argument #2 to 'format' (no value) script: ");
        assertThat(h.error("EVAL", "return string.format('%s %s %s', 1, 1.5, true)", "0"))
                .startsWith("ERR user_script:1: bad argument #4 to 'format' (string expected, got boolean) script: ");
        // pcall gives an error table's err string, and no position when it calls error itself
        assertThat(h.raw("EVAL", "return {pcall(error, 'x')}", "0")).isEqualTo("*2\r\n$-1\r\n$1\r\nx\r\n");
        assertThat(h.bulk("EVAL", "local ok, e = pcall(function() error({err='E'}) end) return e", "0")).isEqualTo("E");
        assertThat(h.bulk("EVAL", "local ok, e = pcall(redis.call, 'incr', 'nokey', 'x') return e", "0"))
                .isEqualTo("ERR Wrong number of args calling Redis command from script");
        assertThat(h.bulk("EVAL", "local ok, e = pcall(function() error('boom') end) return e", "0")).isEqualTo("user_script:1: boom");
        String s = "local function f() error('deep', 2) end\nf()";
        assertThat(h.error("EVAL", s, "0")).isEqualTo("ERR user_script:2: deep script: " + sha(s) + ", on @user_script:1.");
    }

    @Test
    void aGiantAllocationIsAnErrorReply() {
        assertThat(h.error("EVAL", "return string.rep('x', 2147483647)", "0")).startsWith("ERR Error running script: not enough memory");
        assertThat(h.integer("EVAL", "return 1", "0")).isEqualTo(1);
    }

    @Test
    void mathRandomIsRedisRand48() {
        // first values of redis-server 7.0.15 after math.randomseed(42)
        assertThat(h.raw("EVAL", "math.randomseed(42) return {math.random(1000), math.random(5,10)}", "0")).isEqualTo("*2\r\n:745\r\n:7\r\n");
    }

    @Test
    void effectsAreJournaledAsOneGroup() {
        Journal j = h.engine.journal();
        long first = j.nextOffset();
        h.call("EVAL", "redis.call('set', KEYS[1], 'v') redis.call('incr', 'ctr') redis.call('get', KEYS[1]) "
                + "redis.call('del', 'nothing') return 1", "1", "k");
        List<String> frames = new ArrayList<>();
        for (byte[] f : ((Journal.Read.Frames) j.read(first, 100)).frames()) {
            List<String> parts = new ArrayList<>();
            for (byte[] a : Frames.decodeArgv(f)) parts.add(new String(a, StandardCharsets.UTF_8));
            frames.add(String.join(" ", parts));
        }
        assertThat(frames).containsExactly("SELECT 0", "MULTI", "set k v", "incr ctr", "EXEC");
        // a script that fails after a write keeps the write (as Redis) and journals it
        first = j.nextOffset();
        assertThat(h.error("EVAL", "redis.call('set', 'a', '1') error('boom')", "0")).contains("boom");
        assertThat(h.bulk("GET", "a")).isEqualTo("1");
        List<byte[]> f2 = ((Journal.Read.Frames) j.read(first, 100)).frames();
        assertThat(f2).hasSize(1);     // one effect: journaled alone
        // read-only script: nothing journaled
        first = j.nextOffset();
        h.call("EVAL", "return redis.call('get','a')", "0");
        assertThat(j.nextOffset()).isEqualTo(first);
    }

    @Test
    void selectInsideScriptDoesNotLeak() {
        h.call("EVAL", "redis.call('select', 3) redis.call('set', 'in3', 'x') return 1", "0");
        assertThat(h.call("GET", "in3")).isEqualTo(new RespValue.Bulk(null));
        h.call("SELECT", "3");
        assertThat(h.bulk("GET", "in3")).isEqualTo("x");
    }

    @Test
    void busyThresholdConfig() {
        assertThat(h.raw("CONFIG", "GET", "lua-time-limit")).contains("5000");
        assertThat(h.simple("CONFIG", "SET", "busy-reply-threshold", "100")).isEqualTo("OK");
        assertThat(h.raw("CONFIG", "GET", "busy-reply-threshold")).contains("100");
    }
}
