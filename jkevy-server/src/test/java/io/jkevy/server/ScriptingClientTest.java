package io.jkevy.server;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** EVAL / EVALSHA / FCALL through real clients, and SCRIPT KILL from a client on another event loop. */
class ScriptingClientTest extends JedisServerTestBase {

    @Test
    void evalAndEvalshaWithJedis() {
        assertThat(jedis.eval("return redis.call('set', KEYS[1], ARGV[1])", 1, "k", "v")).isEqualTo("OK");
        assertThat(jedis.get("k")).isEqualTo("v");
        String sha = jedis.scriptLoad("return {KEYS[1], tonumber(ARGV[1]) + 1}");
        assertThat(jedis.evalsha(sha, 1, "a", "41")).isEqualTo(List.of("a", 42L));
        assertThat(jedis.scriptExists(sha)).isTrue();
        assertThatThrownBy(() -> jedis.evalsha("ffffffffffffffffffffffffffffffffffffffff", 0))
                .isInstanceOf(JedisDataException.class).hasMessageStartingWith("NOSCRIPT");
        assertThatThrownBy(() -> jedis.eval("return redis.call('incr', KEYS[1])", 1, "k"))
                .hasMessageContaining("ERR value is not an integer or out of range script: ");
    }

    @Test
    void functionsWithJedis() {
        assertThat(jedis.functionLoad("#!lua name=mylib\nredis.register_function('echo2', function(keys, args) return args[1] .. args[1] end)"))
                .isEqualTo("mylib");
        assertThat(jedis.fcall("echo2", List.of(), List.of("ab"))).isEqualTo("abab");
        assertThat(jedis.functionDelete("mylib")).isEqualTo("OK");
    }

    @Test
    void evalWithLettuce() {
        RedisClient client = RedisClient.create("redis://" + server.host() + ":" + server.port());
        try (var conn = client.connect()) {
            RedisCommands<String, String> c = conn.sync();
            Long n = c.eval("return redis.call('incrby', KEYS[1], ARGV[1])", ScriptOutputType.INTEGER, new String[] {"ctr"}, "5");
            assertThat(n).isEqualTo(5L);
            String sha = c.scriptLoad("return redis.call('get', KEYS[1])");
            assertThat((String) c.evalsha(sha, ScriptOutputType.VALUE, "ctr")).isEqualTo("5");
            c.functionLoad("#!lua name=lt\nredis.register_function{function_name='ro', callback=function(k) return redis.call('get', k[1]) end, flags={'no-writes'}}");
            assertThat((String) c.fcallReadOnly("ro", ScriptOutputType.VALUE, "ctr")).isEqualTo("5");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void scriptKillFromAnotherConnection() throws Exception {
        jedis.configSet("busy-reply-threshold", "100");
        Jedis runner = new Jedis(server.host(), server.port(), 60_000);
        CompletableFuture<Object> f = CompletableFuture.supplyAsync(() -> {
            try {
                return runner.eval("local i = 0 while true do i = i + 1 end");
            } catch (JedisDataException e) {
                return e;
            }
        });
        // connections are spread over the event loops; one on a loop the script does not occupy answers -BUSY
        List<Jedis> others = new ArrayList<>();
        Jedis killer = null;
        try {
            long deadline = System.currentTimeMillis() + 30_000;
            while (!server.engine.scripting().busy() && System.currentTimeMillis() < deadline) Thread.sleep(10);
            while (killer == null && System.currentTimeMillis() < deadline) {
                Jedis j = null;
                try {
                    j = new Jedis(server.host(), server.port(), 1000);     // may already time out connecting
                    others.add(j);
                    j.ping();
                } catch (JedisDataException e) {
                    if (e.getMessage().startsWith("BUSY")) killer = j;
                } catch (Exception timeoutOnBusyLoop) {
                    // this connection shares the script's event loop (or came too early): try another
                }
            }
            assertThat(killer).as("a client got -BUSY").isNotNull();
            assertThat(killer.scriptKill()).isEqualTo("OK");
            Object r = f.get(10, TimeUnit.SECONDS);
            assertThat(r).isInstanceOf(JedisDataException.class);
            assertThat(((JedisDataException) r).getMessage()).startsWith("ERR Script killed by user with SCRIPT KILL...");
            assertThatThrownBy(killer::scriptKill).hasMessage("NOTBUSY No scripts in execution right now.");
            assertThat(jedis.ping()).isEqualTo("PONG");
        } finally {
            server.engine.scripting().abortRunning();     // never leave a looping script behind a failed assertion
            for (Jedis j : others) j.close();
            runner.close();
        }
    }
}
