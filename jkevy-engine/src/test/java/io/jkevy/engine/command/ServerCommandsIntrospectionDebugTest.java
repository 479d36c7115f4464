package io.jkevy.engine.command;

import io.jkevy.engine.EngineHarness;
import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.jkevy.engine.command.ServerCommandsTest.arr;
import static io.jkevy.engine.command.ServerCommandsTest.b;
import static io.jkevy.engine.command.ServerCommandsTest.frames;
import static io.jkevy.engine.command.ServerCommandsTest.map;
import static io.jkevy.engine.command.ServerCommandsTest.str;
import static org.assertj.core.api.Assertions.assertThat;

/** COMMAND and DEBUG. */
class ServerCommandsIntrospectionDebugTest {
    static final String ZEROS = "0000000000000000000000000000000000000000";

    @Test
    void commandCountIsTableSize() {
        EngineHarness h = new EngineHarness();
        assertThat(h.integer("COMMAND", "COUNT")).isEqualTo(h.engine.commands().size());
        assertThat(h.error("COMMAND", "COUNT", "x")).isEqualTo("ERR wrong number of arguments for 'command|count' command");
    }

    @Test
    void commandInfoShape() {
        EngineHarness h = new EngineHarness();
        List<RespValue> infos = arr(h.call("COMMAND", "INFO", "get", "nosuchcmd", "CONFIG|GET"));
        assertThat(infos).hasSize(3);
        List<RespValue> get = arr(infos.get(0));
        assertThat(get).hasSize(10);
        assertThat(str(get.get(0))).isEqualTo("get");
        assertThat(get.get(1)).isEqualTo(new RespValue.Integer(2));
        assertThat(arr(get.get(2))).extracting(ServerCommandsTest::str).containsExactly("readonly", "fast");
        assertThat(get.subList(3, 6)).containsExactly(new RespValue.Integer(1), new RespValue.Integer(1), new RespValue.Integer(1));
        assertThat(arr(get.get(6))).extracting(ServerCommandsTest::str).containsExactly("@read", "@string", "@fast");
        assertThat(arr(get.get(7))).isEmpty();
        List<RespValue> specs = arr(get.get(8));
        assertThat(specs).hasSize(1);
        Map<String, RespValue> spec = map(specs.get(0));
        assertThat(arr(spec.get("flags"))).extracting(ServerCommandsTest::str).containsExactly("RO", "access");
        Map<String, RespValue> begin = map(spec.get("begin_search"));
        assertThat(str(begin.get("type"))).isEqualTo("index");
        assertThat(map(begin.get("spec")).get("index")).isEqualTo(new RespValue.Integer(1));
        Map<String, RespValue> find = map(spec.get("find_keys"));
        assertThat(str(find.get("type"))).isEqualTo("range");
        assertThat(map(find.get("spec"))).containsEntry("lastkey", new RespValue.Integer(0))
                .containsEntry("keystep", new RespValue.Integer(1)).containsEntry("limit", new RespValue.Integer(0));
        assertThat(arr(get.get(9))).isEmpty();

        assertThat(infos.get(1)).isIn(new RespValue.Array(null), new RespValue.Null());
        assertThat(str(arr(infos.get(2)).get(0))).isEqualTo("config|get");

        // a container lists its subcommands in the same shape
        List<RespValue> config = arr(arr(h.call("COMMAND", "INFO", "config")).get(0));
        List<RespValue> subs = arr(config.get(9));
        assertThat(subs).extracting(s -> str(arr(s).get(0))).contains("config|get", "config|set", "config|resetstat");
        assertThat(arr(subs.get(0))).hasSize(10);

        // no names: every command
        assertThat(arr(h.call("COMMAND", "INFO"))).hasSize(h.engine.commands().size());
        h.protocol(3);
        assertThat(arr(arr(h.call("COMMAND", "INFO", "get")).get(0)).get(2)).isInstanceOf(RespValue.Set.class);
    }

    @Test
    void commandDocsShape() {
        EngineHarness h = new EngineHarness();
        Map<String, RespValue> docs = map(h.call("COMMAND", "DOCS", "get", "nosuch", "config"));
        assertThat(docs).containsOnlyKeys("get", "config");
        Map<String, RespValue> get = map(docs.get("get"));
        assertThat(str(get.get("summary"))).isNotEmpty();
        assertThat(str(get.get("since"))).isEqualTo("1.0.0");
        assertThat(str(get.get("group"))).isEqualTo("string");
        Map<String, RespValue> configSubs = map(map(docs.get("config")).get("subcommands"));
        assertThat(configSubs).containsKey("config|get");
        assertThat(str(map(configSubs.get("config|get")).get("group"))).isEqualTo("server");
        // all commands, well-formed in RESP3 too (redis-cli reads this at startup)
        h.protocol(3);
        RespValue all = h.call("COMMAND", "DOCS");
        assertThat(all).isInstanceOf(RespValue.Map.class);
        assertThat(map(all)).hasSize(h.engine.commands().size());
    }

    @Test
    void commandListFiltersGetkeysHelp() {
        EngineHarness h = new EngineHarness();
        List<String> names = arr(h.call("COMMAND", "LIST")).stream().map(ServerCommandsTest::str).toList();
        assertThat(names).contains("get", "set", "config", "config|get", "info");
        assertThat(arr(h.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "CONFIG*")).stream().map(ServerCommandsTest::str))
                .contains("config", "config|set").allMatch(n -> n.startsWith("config"));
        assertThat(arr(h.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "string")).stream().map(ServerCommandsTest::str))
                .contains("get", "set").doesNotContain("info");
        assertThat(arr(h.call("COMMAND", "LIST", "FILTERBY", "MODULE", "x"))).isEmpty();
        assertThat(arr(h.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuchcat"))).isEmpty();
        assertThat(h.error("COMMAND", "LIST", "FILTERBY", "NAME", "x")).isEqualTo("ERR syntax error");
        assertThat(h.error("COMMAND", "LIST", "bogus")).isEqualTo("ERR syntax error");

        assertThat(arr(h.call("COMMAND", "GETKEYS", "SET", "k1", "v"))).extracting(ServerCommandsTest::str).containsExactly("k1");
        List<RespValue> kf = arr(h.call("COMMAND", "GETKEYSANDFLAGS", "GET", "k"));
        assertThat(str(arr(kf.get(0)).get(0))).isEqualTo("k");
        assertThat(h.error("COMMAND", "GETKEYS", "nosuch", "a")).isEqualTo("ERR Invalid command specified");
        assertThat(h.error("COMMAND", "GETKEYS", "GET", "a", "b")).isEqualTo("ERR Invalid number of arguments specified for command");
        assertThat(h.error("COMMAND", "GETKEYS", "PING", "x")).isEqualTo("ERR The command has no key arguments");
        assertThat(arr(h.call("COMMAND", "HELP"))).isNotEmpty();
        assertThat(h.error("COMMAND", "NOPE")).isEqualTo("ERR unknown subcommand 'NOPE'. Try COMMAND HELP.");
    }

    @Test
    void bareCommandListsEveryCommand() {
        // needs the dispatcher to hand a container with its own handler the no-subcommand case
        EngineHarness h = new EngineHarness();
        List<RespValue> all = arr(h.call("COMMAND"));
        assertThat(all).hasSize(h.engine.commands().size());
    }

    /** Fills an engine with the same data in a given order (strings, TTLs, several dbs). */
    static void fill(EngineHarness h, boolean reverse) {
        int n = 200;
        for (int k = 0; k < n; k++) {
            int i = reverse ? n - 1 - k : k;
            int db = i % 3;
            long ttl = i % 5 == 0 ? h.now() + 100_000 + i : 0;
            h.engine.keyspace().db(db).put(b("key:" + i), b("value:" + i), ttl);
        }
    }

    @Test
    void digestIndependentOfOrderAndStripesAndSensitiveToChanges() {
        EngineHarness one = new EngineHarness(16, 1);
        EngineHarness many = new EngineHarness(16, 64);
        assertThat(one.simple("DEBUG", "DIGEST")).isEqualTo(ZEROS);
        fill(one, false);
        fill(many, true);
        String d = one.simple("DEBUG", "DIGEST");
        assertThat(d).hasSize(40).matches("[0-9a-f]{40}").isNotEqualTo(ZEROS);
        assertThat(many.simple("DEBUG", "DIGEST")).isEqualTo(d);

        // a value, a TTL, a database or a key name changes the digest
        many.engine.keyspace().db(0).put(b("key:0"), b("value:x"), many.now() + 100_000);
        assertThat(many.simple("DEBUG", "DIGEST")).isNotEqualTo(d);
        many.engine.keyspace().db(0).put(b("key:0"), b("value:0"), many.now() + 100_000);
        assertThat(many.simple("DEBUG", "DIGEST")).isEqualTo(d);
        many.engine.keyspace().db(0).setExpire(b("key:0"), many.now() + 1);
        assertThat(many.simple("DEBUG", "DIGEST")).isNotEqualTo(d);
        many.engine.keyspace().db(0).setExpire(b("key:0"), many.now() + 100_000);
        many.engine.keyspace().db(1).put(b("key:0"), b("value:0"), many.now() + 100_000);
        many.engine.keyspace().db(0).remove(b("key:0"));
        assertThat(many.simple("DEBUG", "DIGEST")).isNotEqualTo(d);

        // expired but not yet collected keys do not count
        EngineHarness e = new EngineHarness();
        e.engine.keyspace().db(0).put(b("gone"), b("v"), e.now() + 10);
        e.advance(20);
        assertThat(e.simple("DEBUG", "DIGEST")).isEqualTo(ZEROS);
    }

    @Test
    void digestValue() {
        EngineHarness h = new EngineHarness();
        h.simple("SET", "a", "same");
        h.simple("SET", "b", "same");
        List<RespValue> d = arr(h.call("DEBUG", "DIGEST-VALUE", "a", "b", "missing"));
        assertThat(str(d.get(0))).isEqualTo(str(d.get(1))).hasSize(40).isNotEqualTo(ZEROS);
        assertThat(str(d.get(2))).isEqualTo(ZEROS);
    }

    @Test
    void debugObjectPopulateAndSmallSubcommands() {
        EngineHarness h = new EngineHarness();
        h.simple("SET", "n", "12345");
        h.simple("SET", "s", "hello");
        h.simple("SET", "big", "x".repeat(100));
        assertThat(h.simple("DEBUG", "OBJECT", "n")).matches(
                "Value at:0x[0-9a-f]+ refcount:1 encoding:int serializedlength:3 lru:\\d+ lru_seconds_idle:\\d+");
        assertThat(h.simple("DEBUG", "OBJECT", "s")).contains("encoding:embstr serializedlength:6 ");
        assertThat(h.simple("DEBUG", "OBJECT", "big")).contains("encoding:raw serializedlength:102 ");
        assertThat(h.error("DEBUG", "OBJECT", "missing")).isEqualTo("ERR no such key");

        h.simple("SET", "key:1", "mine");
        long from = h.engine.journal().nextOffset();
        assertThat(h.simple("DEBUG", "POPULATE", "3")).isEqualTo("OK");
        assertThat(h.bulk("GET", "key:0")).isEqualTo("value:0");
        assertThat(h.bulk("GET", "key:1")).isEqualTo("mine");
        assertThat(h.bulk("GET", "key:2")).isEqualTo("value:2");
        assertThat(frames(h, from)).containsExactly("MULTI", "SET key:0 value:0", "SET key:2 value:2", "EXEC");
        assertThat(h.simple("DEBUG", "POPULATE", "2", "p", "10")).isEqualTo("OK");
        assertThat(h.bulk("GET", "p:1")).isEqualTo("value:1\0\0\0");
        assertThat(h.simple("DEBUG", "POPULATE", "1", "q", "3")).isEqualTo("OK");
        assertThat(h.bulk("GET", "q:0")).isEqualTo("val");
        assertThat(h.error("DEBUG", "POPULATE", "-1")).isEqualTo("ERR value is out of range, must be positive");
        assertThat(h.error("DEBUG", "POPULATE", "x")).isEqualTo("ERR value is not an integer or out of range");

        assertThat(h.simple("DEBUG", "SET-ACTIVE-EXPIRE", "0")).isEqualTo("OK");
        assertThat(h.engine.activeExpire()).isFalse();
        assertThat(h.simple("DEBUG", "set-active-expire", "1")).isEqualTo("OK");
        assertThat(h.engine.activeExpire()).isTrue();
        assertThat(h.simple("DEBUG", "SLEEP", "0")).isEqualTo("OK");
        assertThat(h.simple("DEBUG", "SLEEP", "0.01")).isEqualTo("OK");
        assertThat(h.error("DEBUG", "RELOAD")).contains("appendonly yes");
        assertThat(h.error("DEBUG", "nope")).isEqualTo("ERR unknown subcommand or wrong number of arguments for 'nope'. Try DEBUG HELP.");
        assertThat(h.error("DEBUG", "OBJECT")).isEqualTo("ERR unknown subcommand or wrong number of arguments for 'OBJECT'. Try DEBUG HELP.");
        assertThat(h.error("DEBUG")).isEqualTo("ERR wrong number of arguments for 'debug' command");
        assertThat(arr(h.call("DEBUG", "HELP"))).isNotEmpty();
    }

    @Test
    void debugProtocol() {
        EngineHarness h = new EngineHarness();
        assertThat(h.raw("DEBUG", "PROTOCOL", "string")).isEqualTo("$11\r\nHello World\r\n");
        assertThat(h.raw("DEBUG", "PROTOCOL", "integer")).isEqualTo(":12345\r\n");
        assertThat(h.raw("DEBUG", "PROTOCOL", "null")).isEqualTo("$-1\r\n");
        assertThat(h.raw("DEBUG", "PROTOCOL", "map")).isEqualTo("*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n");
        assertThat(h.raw("DEBUG", "PROTOCOL", "attrib")).isEqualTo("$39\r\nSome real reply following the attribute\r\n");
        assertThat(h.raw("DEBUG", "PROTOCOL", "push")).isEqualTo("-ERR RESP2 is not supported by this command\r\n");
        assertThat(h.error("DEBUG", "PROTOCOL", "nope")).startsWith("ERR Wrong protocol type name.");
        h.protocol(3);
        assertThat(h.raw("DEBUG", "PROTOCOL", "double")).isEqualTo(",3.141\r\n");
        assertThat(h.raw("DEBUG", "PROTOCOL", "true")).isEqualTo("#t\r\n");
        assertThat(h.raw("DEBUG", "PROTOCOL", "set")).isEqualTo("~3\r\n:0\r\n:1\r\n:2\r\n");
        assertThat(h.raw("DEBUG", "PROTOCOL", "bignum")).isEqualTo("(1234567999999999999999999999999999999\r\n");
        assertThat(h.raw("DEBUG", "PROTOCOL", "verbatim")).isEqualTo("=29\r\ntxt:This is a verbatim\nstring\r\n");
        assertThat(h.raw("DEBUG", "PROTOCOL", "push"))
                .isEqualTo(">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push reply\r\n");
        assertThat(h.raw("DEBUG", "PROTOCOL", "attrib")).startsWith("|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\n");
    }
}
