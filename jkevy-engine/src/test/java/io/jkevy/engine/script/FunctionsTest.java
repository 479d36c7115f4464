package io.jkevy.engine.script;

import io.jkevy.engine.EngineHarness;
import io.jkevy.journal.Frames;
import io.jkevy.journal.Journal;
import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** FUNCTION / FCALL; expected replies from redis-server 7.0.15. */
class FunctionsTest {
    final EngineHarness h = new EngineHarness();

    static final String LIB1 = "#!lua name=lib1\nlocal function f(keys, args) return keys[1] end\nredis.register_function('f1', f)\n"
            + "redis.register_function{function_name='f2', callback=function(k,a) return redis.call('set', k[1], a[1]) end, "
            + "flags={'no-writes'}, description='desc'}";

    @Test
    void loadCallListDelete() {
        assertThat(h.bulk("FUNCTION", "LOAD", LIB1)).isEqualTo("lib1");
        assertThat(h.error("FUNCTION", "LOAD", "#!lua name=lib1\nredis.register_function('f1', function() return 1 end)"))
                .isEqualTo("ERR Library 'lib1' already exists");
        assertThat(h.error("FUNCTION", "LOAD", "#!lua name=lib2\nredis.register_function('f1', function() return 1 end)"))
                .isEqualTo("ERR Function f1 already exists");
        assertThat(h.bulk("FCALL", "f1", "1", "kk")).isEqualTo("kk");
        assertThat(h.error("FCALL", "f2", "1", "kk", "v")).isEqualTo("ERR Write commands are not allowed from read-only scripts. script: f2, on @user_function:4.");
        assertThat(h.error("FCALL_RO", "f1", "0")).isEqualTo("ERR Can not execute a script with write flag using *_ro command.");
        assertThat(h.error("FCALL", "nosuch", "0")).isEqualTo("ERR Function not found");
        assertThat(h.error("FCALL", "f1", "x")).isEqualTo("ERR Bad number of keys provided");
        assertThat(h.error("FCALL", "f1", "-1")).isEqualTo("ERR Number of keys can't be negative");
        assertThat(h.error("FCALL", "f1", "5", "a")).isEqualTo("ERR Number of keys can't be greater than number of args");
        assertThat(h.raw("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "l*1")).isEqualTo("*1\r\n*8\r\n$12\r\nlibrary_name\r\n$4\r\nlib1\r\n"
                + "$6\r\nengine\r\n$3\r\nLUA\r\n$9\r\nfunctions\r\n*2\r\n*6\r\n$4\r\nname\r\n$2\r\nf1\r\n$11\r\ndescription\r\n$-1\r\n"
                + "$5\r\nflags\r\n*0\r\n*6\r\n$4\r\nname\r\n$2\r\nf2\r\n$11\r\ndescription\r\n$4\r\ndesc\r\n$5\r\nflags\r\n*1\r\n+no-writes\r\n"
                + "$12\r\nlibrary_code\r\n$" + LIB1.length() + "\r\n" + LIB1 + "\r\n");
        assertThat(h.raw("FUNCTION", "LIST", "LIBRARYNAME", "zzz")).isEqualTo("*0\r\n");
        assertThat(h.raw("FUNCTION", "STATS")).isEqualTo("*4\r\n$14\r\nrunning_script\r\n$-1\r\n$7\r\nengines\r\n*2\r\n$3\r\nLUA\r\n"
                + "*4\r\n$15\r\nlibraries_count\r\n:1\r\n$15\r\nfunctions_count\r\n:2\r\n");
        assertThat(h.bulk("FUNCTION", "LOAD", "REPLACE", "#!lua name=lib1\nredis.register_function('g', function() return 'new' end)")).isEqualTo("lib1");
        assertThat(h.error("FCALL", "f1", "0")).isEqualTo("ERR Function not found");
        assertThat(h.bulk("FCALL", "g", "0")).isEqualTo("new");
        assertThat(h.error("FUNCTION", "DELETE", "nolib")).isEqualTo("ERR Library not found");
        assertThat(h.simple("FUNCTION", "DELETE", "lib1")).isEqualTo("OK");
        assertThat(h.error("FCALL", "g", "0")).isEqualTo("ERR Function not found");
        assertThat(h.error("FUNCTION", "KILL")).isEqualTo("NOTBUSY No scripts in execution right now.");
    }

    @Test
    void loadErrors() {
        assertThat(h.error("FUNCTION", "LOAD", "#!lua name=lib2\nx = 1"))
                .isEqualTo("ERR Error registering functions: ERR user_function:2: Attempt to modify a readonly table");
        assertThat(h.error("FUNCTION", "LOAD", "#!lua name=lib2\nredis.call('ping')"))
                .isEqualTo("ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'call'");
        assertThat(h.error("FUNCTION", "LOAD", "#!lua name=lib2")).isEqualTo("ERR Invalid library metadata");
        assertThat(h.error("FUNCTION", "LOAD", "#!lua name=lib2 foo=bar\nredis.register_function('g1', function() return 1 end)"))
                .isEqualTo("ERR Invalid metadata value given: foo=bar");
        assertThat(h.error("FUNCTION", "LOAD", "#!lua\nredis.register_function('g1', function() return 1 end)")).isEqualTo("ERR Library name was not given");
        assertThat(h.error("FUNCTION", "LOAD", "#!js name=x\n")).isEqualTo("ERR Engine 'js' not found");
        assertThat(h.error("FUNCTION", "LOAD", "return 1")).isEqualTo("ERR Missing library metadata");
        assertThat(h.error("FUNCTION", "LOAD", "#!lua name=lib5\nredis.register_function{function_name='h3', callback=function() return 1 end, flags={'bad-flag'}}"))
                .isEqualTo("ERR Error registering functions: ERR unknown flag given");
        assertThat(h.error("FUNCTION", "LOAD", "#!lua name=lib5\nredis.register_function{function_name='h3', callback=function() return 1 end, foo=1}"))
                .isEqualTo("ERR Error registering functions: ERR unknown argument given to redis.register_function");
        assertThat(h.error("FUNCTION", "LOAD", "#!lua name=lib5\nredis.register_function('1bad-name', function() return 1 end)"))
                .isEqualTo("ERR Error registering functions: ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
        assertThat(h.error("FUNCTION", "LOAD", "#!lua name=lib5\nredis.register_function('h5')"))
                .isEqualTo("ERR Error registering functions: ERR calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).");
        assertThat(h.error("FUNCTION", "LOAD", "#!lua name=bad-name!\nredis.register_function('h5', function() end)"))
                .isEqualTo("ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
        assertThat(h.raw("FUNCTION", "LIST")).isEqualTo("*0\r\n");
        h.call("FUNCTION", "LOAD", "#!lua name=lib3\nredis.register_function('h1', function() return y end)");
        assertThat(h.error("FCALL", "h1", "0")).isEqualTo("ERR user_function:2: Script attempted to access nonexistent global variable 'y' script: h1, on @user_function:2.");
    }

    @Test
    void dumpRestoreAndJournal() {
        Journal j = h.engine.journal();
        long first = j.nextOffset();
        h.call("FUNCTION", "LOAD", LIB1);
        RespValue dump = h.call("FUNCTION", "DUMP");
        byte[] payload = ((RespValue.Bulk) dump).value();
        assertThat(h.simple("FUNCTION", "FLUSH")).isEqualTo("OK");
        assertThat(h.error("FCALL", "f1", "1", "a")).isEqualTo("ERR Function not found");
        assertThat(h.call("FUNCTION".getBytes(), "RESTORE".getBytes(), payload)).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(h.bulk("FCALL", "f1", "1", "a")).isEqualTo("a");
        // APPEND (default) refuses an existing library; REPLACE and FLUSH accept
        assertThat(h.call("FUNCTION".getBytes(), "RESTORE".getBytes(), payload)).isInstanceOf(RespValue.Error.class);
        assertThat(h.call("FUNCTION".getBytes(), "RESTORE".getBytes(), payload, "REPLACE".getBytes())).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(h.call("FUNCTION".getBytes(), "RESTORE".getBytes(), payload, "FLUSH".getBytes())).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(h.error("FUNCTION", "RESTORE", "x", "BAD")).isEqualTo("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
        byte[] corrupt = payload.clone();
        corrupt[10] ^= 1;
        assertThat(h.call("FUNCTION".getBytes(), "RESTORE".getBytes(), corrupt, "FLUSH".getBytes()))
                .isEqualTo(new RespValue.Error("ERR DUMP payload version or checksum are wrong"));
        assertThat(h.bulk("FCALL", "f1", "1", "a")).isEqualTo("a");     // the failed restore changed nothing

        // replaying the journal on a fresh engine recreates the functions
        EngineHarness b = new EngineHarness();
        for (byte[] f : ((Journal.Read.Frames) j.read(first, 1000)).frames()) {
            byte[][] argv = Frames.decodeArgv(f);
            String cmd = new String(argv[0]);
            if (cmd.equals("MULTI") || cmd.equals("EXEC")) continue;
            assertThat(b.call(argv)).isNotInstanceOf(RespValue.Error.class);
        }
        assertThat(b.bulk("FCALL", "f1", "1", "z")).isEqualTo("z");
    }
}
