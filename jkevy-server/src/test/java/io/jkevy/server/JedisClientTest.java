package io.jkevy.server;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.args.BitOP;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server-core commands through Jedis, a real Redis client, over loopback. */
class JedisClientTest extends JedisServerTestBase {
    @Test
    void stringsRoundTrip() {
        assertThat(jedis.set("a", "1")).isEqualTo("OK");
        assertThat(jedis.get("a")).isEqualTo("1");
        assertThat(jedis.incr("a")).isEqualTo(2);
        assertThat(jedis.incrBy("a", 10)).isEqualTo(12);
        assertThat(jedis.decrBy("a", 2)).isEqualTo(10);
        assertThat(jedis.incrByFloat("a", 0.5)).isEqualTo(10.5);
        assertThat(jedis.append("s", "hello")).isEqualTo(5);
        assertThat(jedis.append("s", " world")).isEqualTo(11);
        assertThat(jedis.getrange("s", 0, 4)).isEqualTo("hello");
        assertThat(jedis.setrange("s", 6, "WORLD")).isEqualTo(11);
        assertThat(jedis.get("s")).isEqualTo("hello WORLD");
        assertThat(jedis.strlen("s")).isEqualTo(11);
        assertThat(jedis.getSet("s", "new")).isEqualTo("hello WORLD");
        assertThat(jedis.getDel("s")).isEqualTo("new");
        assertThat(jedis.exists("s")).isFalse();
        assertThat(jedis.mset("m1", "x", "m2", "y")).isEqualTo("OK");
        assertThat(jedis.mget("m1", "m2", "nope")).containsExactly("x", "y", null);
        assertThat(jedis.msetnx("m1", "z", "m3", "w")).isEqualTo(0);
        assertThat(jedis.setnx("m1", "z")).isEqualTo(0);
        assertThat(jedis.lcs("m1", "m2", redis.clients.jedis.params.LCSParams.LCSParams()).getMatchString()).isEmpty();
    }

    @Test
    void setOptionsAndExpiry() {
        assertThat(jedis.set("k", "v", SetParams.setParams().nx().ex(100))).isEqualTo("OK");
        assertThat(jedis.set("k", "v2", SetParams.setParams().nx())).isNull();
        assertThat(jedis.ttl("k")).isBetween(99L, 100L);
        assertThat(jedis.set("k", "v3", SetParams.setParams().xx().keepTtl())).isEqualTo("OK");
        assertThat(jedis.pttl("k")).isBetween(98_000L, 100_000L);
        assertThat(jedis.getEx("k", GetExParams.getExParams().persist())).isEqualTo("v3");
        assertThat(jedis.ttl("k")).isEqualTo(-1);
        assertThat(jedis.expire("k", 50)).isEqualTo(1);
        assertThat(jedis.expireTime("k")).isGreaterThan(System.currentTimeMillis() / 1000);
        assertThat(jedis.persist("k")).isEqualTo(1);
        assertThat(jedis.ttl("missing")).isEqualTo(-2);
        jedis.psetex("short", 50, "v");
        assertThat(jedis.get("short")).isEqualTo("v");
    }

    @Test
    void keyExpiresForReal() throws InterruptedException {
        jedis.set("gone", "v", SetParams.setParams().px(100));
        assertThat(jedis.exists("gone")).isTrue();
        Thread.sleep(250);
        assertThat(jedis.get("gone")).isNull();
        assertThat(jedis.exists("gone")).isFalse();
    }

    @Test
    void errorsAreRedisTexts() {
        jedis.set("str", "abc");
        assertThatThrownBy(() -> jedis.incr("str")).isInstanceOf(JedisDataException.class)
                .hasMessage("ERR value is not an integer or out of range");
        jedis.set("max", Long.toString(Long.MAX_VALUE));
        assertThatThrownBy(() -> jedis.incr("max")).hasMessage("ERR increment or decrement would overflow");
        assertThatThrownBy(() -> jedis.sendCommand(() -> "GET".getBytes(StandardCharsets.US_ASCII)))
                .hasMessage("ERR wrong number of arguments for 'get' command");
    }

    @Test
    void bitCommands() {
        assertThat(jedis.setbit("b", 7, true)).isFalse();
        assertThat(jedis.getbit("b", 7)).isTrue();
        assertThat(jedis.bitcount("b")).isEqualTo(1);
        assertThat(jedis.bitpos("b", true)).isEqualTo(7);
        jedis.set("x", "abc");
        jedis.set("y", "bcd");
        assertThat(jedis.bitop(BitOP.XOR, "z", "x", "y")).isEqualTo(3);
        assertThat(jedis.bitfield("bf", "SET", "u8", "0", "200", "GET", "u8", "0")).containsExactly(0L, 200L);
    }

    @Test
    void keyspaceCommands() {
        for (int i = 0; i < 500; i++) jedis.set("key:" + i, "v" + i);
        assertThat(jedis.dbSize()).isEqualTo(500);
        assertThat(jedis.keys("key:1?")).hasSize(10);
        Set<String> seen = new HashSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> r = jedis.scan(cursor, new ScanParams().count(37).match("key:*"));
            seen.addAll(r.getResult());
            cursor = r.getCursor();
        } while (!cursor.equals("0"));
        assertThat(seen).hasSize(500);
        assertThat(jedis.del("key:1", "key:2", "nope")).isEqualTo(2);
        assertThat(jedis.rename("key:3", "renamed")).isEqualTo("OK");
        assertThat(jedis.type("renamed")).isEqualTo("string");
        assertThat(jedis.type("nope")).isEqualTo("none");
        assertThat(jedis.copy("renamed", "copied", false)).isTrue();
        assertThat(jedis.get("copied")).isEqualTo("v3");
        assertThat(jedis.randomKey()).startsWith("");
        assertThat(jedis.objectEncoding("renamed")).isEqualTo("embstr");
        jedis.set("n", "12345");
        assertThat(jedis.objectEncoding("n")).isEqualTo("int");
        assertThat(jedis.touch("n", "nope")).isEqualTo(1);
    }

    @Test
    void dumpRestoreRoundTrip() {
        jedis.set("src", "some value that is long enough to be compressed maybe aaaaaaaaaaaaaaaaaaaaa");
        byte[] payload = jedis.dump("src");
        assertThat(jedis.restore("dst", 0, payload)).isEqualTo("OK");
        assertThat(jedis.get("dst")).isEqualTo(jedis.get("src"));
        assertThatThrownBy(() -> jedis.restore("dst", 0, payload)).hasMessage("BUSYKEY Target key name already exists.");
    }

    @Test
    void databases() {
        jedis.set("here", "0");
        assertThat(jedis.move("here", 3)).isEqualTo(1);
        assertThat(jedis.exists("here")).isFalse();
        jedis.select(3);
        assertThat(jedis.get("here")).isEqualTo("0");
        assertThat(jedis.swapDB(3, 0)).isEqualTo("OK");
        assertThat(jedis.dbSize()).isZero();
        jedis.select(0);
        assertThat(jedis.get("here")).isEqualTo("0");
        assertThatThrownBy(() -> jedis.select(16)).hasMessage("ERR DB index is out of range");
        assertThat(jedis.flushDB()).isEqualTo("OK");
        assertThat(jedis.dbSize()).isZero();
    }

    @Test
    void connectionAndServerCommands() {
        assertThat(jedis.ping()).isEqualTo("PONG");
        assertThat(jedis.echo("hi")).isEqualTo("hi");
        assertThat(jedis.clientSetname("tester")).isEqualTo("OK");
        assertThat(jedis.clientGetname()).isEqualTo("tester");
        assertThat(jedis.clientList()).contains("name=tester");
        assertThat(jedis.clientId()).isPositive();
        assertThat(jedis.info("server")).contains("redis_version:7.").contains("jkevy_version:");
        assertThat(jedis.configGet("maxclients")).containsEntry("maxclients", "10000");
        assertThat(jedis.configSet("timeout", "0")).isEqualTo("OK");
        assertThat(jedis.time()).hasSize(2);
        assertThat(jedis.commandCount()).isGreaterThan(50);
        jedis.set("d", "1");
        String digest = new String((byte[]) jedis.sendCommand(() -> "DEBUG".getBytes(StandardCharsets.US_ASCII),
                "DIGEST".getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII);
        assertThat(digest).hasSize(40).isNotEqualTo("0".repeat(40));
    }

    @Test
    void pipelinedCommands() {
        Pipeline p = jedis.pipelined();
        List<Response<String>> sets = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) sets.add(p.set("p" + i, Integer.toString(i)));
        Response<String> last = p.get("p999");
        p.sync();
        assertThat(sets).allMatch(r -> r.get().equals("OK"));
        assertThat(last.get()).isEqualTo("999");
    }
}
