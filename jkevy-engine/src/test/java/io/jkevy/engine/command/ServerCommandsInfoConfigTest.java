package io.jkevy.engine.command;

import io.jkevy.engine.Engine;
import io.jkevy.engine.EngineHarness;
import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.jkevy.engine.command.ServerCommandsTest.b;
import static io.jkevy.engine.command.ServerCommandsTest.map;
import static io.jkevy.engine.command.ServerCommandsTest.str;
import static org.assertj.core.api.Assertions.assertThat;

/** INFO and CONFIG. */
class ServerCommandsInfoConfigTest {

    @Test
    void infoDefaultHasRedisSectionsAndFields() {
        EngineHarness h = new EngineHarness();
        String info = h.bulk("INFO");
        assertThat(info).startsWith("# Server\r\n");
        for (String section : new String[] {"# Clients", "# Memory", "# Persistence", "# Stats",
                "# Replication", "# CPU", "# Modules", "# Errorstats", "# Cluster", "# Keyspace"}) {
            assertThat(info).contains("\r\n\r\n" + section + "\r\n");
        }
        assertThat(info).doesNotContain("# Commandstats");
        assertThat(info).contains("redis_version:" + Engine.REDIS_VERSION + "\r\n", "jkevy_version:" + Engine.VERSION + "\r\n",
                "redis_mode:standalone\r\n", "run_id:" + h.engine.runId() + "\r\n", "multiplexing_api:java-netty\r\n",
                "arch_bits:64\r\n", "connected_clients:1\r\n", "maxclients:10000\r\n", "role:master\r\n",
                "master_replid:" + h.engine.runId() + "\r\n", "aof_enabled:0\r\n", "loading:0\r\n",
                "maxmemory_policy:noeviction\r\n", "used_memory:", "used_cpu_sys:", "hz:10\r\n");
        // every line is name:value or a header; every line ends with CRLF
        for (String line : info.split("\r\n", -1)) {
            if (line.isEmpty()) continue;
            assertThat(line.startsWith("# ") || line.indexOf(':') > 0).as(line).isTrue();
        }
        assertThat(info).endsWith("\r\n").doesNotContain("\n\n").doesNotContain("\r\n\r\n\r\n");
    }

    @Test
    void infoKeyspaceCountsKeysAndExpires() {
        EngineHarness h = new EngineHarness();
        assertThat(h.bulk("INFO", "keyspace")).isEqualTo("# Keyspace\r\n");
        h.simple("SET", "a", "1");
        h.simple("SET", "b", "2");
        h.engine.keyspace().db(0).put(b("c"), b("3"), h.now() + 10_000);
        h.engine.keyspace().db(3).put(b("x"), b("y"));
        assertThat(h.bulk("INFO", "KEYSPACE")).isEqualTo("# Keyspace\r\ndb0:keys=3,expires=1,avg_ttl=0\r\ndb3:keys=1,expires=0,avg_ttl=0\r\n");
    }

    @Test
    void infoSectionsSelectionAndOrder() {
        EngineHarness h = new EngineHarness();
        assertThat(h.bulk("INFO", "nosuchsection")).isEmpty();
        String two = h.bulk("INFO", "cluster", "server");
        assertThat(two).startsWith("# Server\r\n").endsWith("\r\n\r\n# Cluster\r\ncluster_enabled:0\r\n");
        h.simple("SET", "k", "v");
        h.bulk("GET", "k");
        h.error("GET");
        String all = h.bulk("INFO", "all");
        assertThat(all).contains("# Commandstats\r\n", "cmdstat_set:calls=1,usec=", "rejected_calls=1,failed_calls=0\r\n");
        assertThat(all.indexOf("# Commandstats")).isLessThan(all.indexOf("# Keyspace"));
        String everything = h.bulk("INFO", "everything");
        assertThat(everything).contains("cmdstat_get:calls=1,");
        assertThat(h.bulk("INFO", "stats")).contains("total_commands_processed:", "keyspace_hits:1\r\n",
                "total_error_replies:1\r\n", "instantaneous_ops_per_sec:");
        assertThat(h.bulk("INFO", "persistence")).contains("rdb_changes_since_last_save:1\r\n");
    }

    @Test
    void infoIsVerbatimInResp3() {
        EngineHarness h = new EngineHarness();
        h.protocol(3);
        RespValue v = h.call("INFO", "server");
        assertThat(v).isInstanceOf(RespValue.Verbatim.class);
        assertThat(((RespValue.Verbatim) v).format()).isEqualTo("txt");
        assertThat(str(v)).startsWith("# Server\r\nredis_version:");
    }

    @Test
    void infoReplicationReflectsJournal() {
        EngineHarness h = new EngineHarness();
        h.simple("SET", "k", "v");
        long next = h.engine.journal().nextOffset();
        String repl = h.bulk("INFO", "replication");
        assertThat(repl).contains("master_repl_offset:" + (next - 1) + "\r\n",
                "master_generation:" + h.engine.journal().generation() + "\r\n", "repl_backlog_size:1048576\r\n");
    }

    @Test
    void configGetExactGlobAliasAndResp3() {
        EngineHarness h = new EngineHarness();
        Map<String, RespValue> m = map(h.call("CONFIG", "GET", "maxmemory"));
        assertThat(m).containsOnlyKeys("maxmemory");
        assertThat(str(m.get("maxmemory"))).isEqualTo("0");

        m = map(h.call("CONFIG", "GET", "maxmemory*"));
        assertThat(m.keySet()).contains("maxmemory", "maxmemory-policy", "maxmemory-samples").allMatch(k -> k.startsWith("maxmemory"));
        assertThat(str(m.get("maxmemory-policy"))).isEqualTo("noeviction");

        // several patterns, each key once; case-insensitive glob
        m = map(h.call("CONFIG", "GET", "HZ", "h?", "save", "appendonly", "nosuch"));
        assertThat(m.keySet()).containsExactly("HZ", "save", "appendonly");
        assertThat(str(m.get("appendonly"))).isEqualTo("yes");
        assertThat(str(m.get("save"))).isEqualTo("3600 1 300 100 60 10000");

        // the old ziplist names are aliases of the listpack keys
        m = map(h.call("CONFIG", "GET", "hash-max-ziplist-entries"));
        assertThat(str(m.get("hash-max-ziplist-entries"))).isEqualTo("128");
        assertThat(map(h.call("CONFIG", "GET", "port")).get("port")).isNotNull();

        h.protocol(3);
        assertThat(h.call("CONFIG", "GET", "timeout")).isInstanceOf(RespValue.Map.class);
        assertThat(h.error("CONFIG", "GET")).isEqualTo("ERR wrong number of arguments for 'config|get' command");
        assertThat(h.error("CONFIG")).isEqualTo("ERR wrong number of arguments for 'config' command");
        assertThat(h.error("CONFIG", "NOPE")).isEqualTo("ERR unknown subcommand 'NOPE'. Try CONFIG HELP.");
    }

    @Test
    void configSetRoundTripsAndAppliesHooks() {
        EngineHarness h = new EngineHarness();
        assertThat(h.simple("CONFIG", "SET", "maxmemory", "1mb", "maxmemory-policy", "ALLKEYS-LRU")).isEqualTo("OK");
        Map<String, RespValue> m = map(h.call("CONFIG", "GET", "maxmemory", "maxmemory-policy"));
        assertThat(str(m.get("maxmemory"))).isEqualTo("1048576");
        assertThat(str(m.get("maxmemory-policy"))).isEqualTo("allkeys-lru");
        assertThat(h.bulk("INFO", "memory")).contains("maxmemory:1048576\r\n", "maxmemory_policy:allkeys-lru\r\n");

        assertThat(h.simple("CONFIG", "SET", "hz", "50")).isEqualTo("OK");
        assertThat(h.engine.hz()).isEqualTo(50);
        assertThat(h.simple("CONFIG", "SET", "hash-max-ziplist-entries", "7")).isEqualTo("OK");
        assertThat(h.engine.config().get("hash-max-listpack-entries")).isEqualTo("7");
        assertThat(h.simple("CONFIG", "SET", "notify-keyspace-events", "KEA")).isEqualTo("OK");
        assertThat(h.engine.config().get("notify-keyspace-events")).isEqualTo("AKE");   // canonical spelling, as Redis
    }

    @Test
    void configSetErrorsChangeNothing() {
        EngineHarness h = new EngineHarness();
        assertThat(h.error("CONFIG", "SET", "nosuch", "1"))
                .isEqualTo("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'");
        assertThat(h.error("CONFIG", "SET", "databases", "4"))
                .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config");
        assertThat(h.error("CONFIG", "SET", "port", "7000"))
                .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'port') - can't set immutable config");
        assertThat(h.error("CONFIG", "SET", "maxmemory", "lots"))
                .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument couldn't be parsed into an integer");
        assertThat(h.error("CONFIG", "SET", "hz", "0"))
                .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'hz') - argument must be between 1 and 500 inclusive");
        assertThat(h.error("CONFIG", "SET", "maxmemory", "1", "MAXMEMORY", "2"))
                .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'MAXMEMORY') - duplicate parameter");
        assertThat(h.error("CONFIG", "SET", "maxmemory", "1", "hz"))
                .isEqualTo("ERR wrong number of arguments for 'config|set' command");
        assertThat(h.error("CONFIG", "SET", "maxmemory-policy", "lru"))
                .startsWith("ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following: volatile-lru,");
        // all or nothing: a later bad value rolls back the earlier good one
        assertThat(h.error("CONFIG", "SET", "maxmemory", "100", "maxmemory-policy", "bogus")).startsWith("ERR CONFIG SET failed");
        assertThat(h.engine.config().get("maxmemory")).isEqualTo("0");
        assertThat(h.error("CONFIG", "SET", "notify-keyspace-events", "KQ")).contains("Invalid event class character");
    }

    @Test
    void configResetstatRewriteHelp() {
        EngineHarness h = new EngineHarness();
        h.simple("SET", "k", "v");
        h.bulk("GET", "k");
        h.bulk("GET", "nope");
        assertThat(h.simple("CONFIG", "RESETSTAT")).isEqualTo("OK");
        assertThat(h.engine.stats().keyspaceHits.sum()).isZero();
        assertThat(h.engine.stats().keyspaceMisses.sum()).isZero();
        assertThat(h.engine.commands().get("set").calls.sum()).isZero();
        assertThat(h.bulk("INFO", "commandstats")).doesNotContain("cmdstat_set").contains("cmdstat_config|resetstat:calls=1,");
        assertThat(h.error("CONFIG", "REWRITE")).isEqualTo("ERR The server is running without a config file");
        assertThat(ServerCommandsTest.arr(h.call("CONFIG", "HELP"))).isNotEmpty();
    }
}
