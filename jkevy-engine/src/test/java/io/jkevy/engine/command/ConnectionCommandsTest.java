package io.jkevy.engine.command;

import io.jkevy.engine.Engine;
import io.jkevy.engine.EngineHarness;
import io.jkevy.engine.Session;
import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** PING, ECHO, QUIT, RESET, SELECT, HELLO, AUTH and the command table rows of the group. */
class ConnectionCommandsTest {
    private final EngineHarness h = new EngineHarness();

    private static String str(RespValue v) {
        if (v instanceof RespValue.Bulk b) return new String(b.value(), StandardCharsets.UTF_8);
        if (v instanceof RespValue.SimpleString s) return s.value();
        if (v instanceof RespValue.Verbatim t) return new String(t.text(), StandardCharsets.UTF_8);
        if (v instanceof RespValue.Integer i) return Long.toString(i.value());
        if (v instanceof RespValue.Array a && a.elements().isEmpty()) return "[]";
        throw new AssertionError("unexpected " + v);
    }

    private static List<String> flat(List<RespValue> items) {
        List<String> out = new ArrayList<>();
        for (RespValue v : items) out.add(str(v));
        return out;
    }

    private void requirePass(String pass) throws Exception {
        if (h.engine.config().entry("requirepass") == null) h.engine.config().stringEntry("requirepass", "", true, v -> { });
        h.engine.config().set("requirepass", pass);
    }

    @Test
    void pingAndEcho() {
        assertThat(h.simple("PING")).isEqualTo("PONG");
        assertThat(h.raw("ping")).isEqualTo("+PONG\r\n");
        assertThat(h.raw("PING", "hello world")).isEqualTo("$11\r\nhello world\r\n");
        assertThat(h.error("PING", "a", "b")).isEqualTo("ERR wrong number of arguments for 'ping' command");
        assertThat(h.raw("ECHO", "")).isEqualTo("$0\r\n\r\n");
        assertThat(h.bulk("echo", "x y")).isEqualTo("x y");
        assertThat(h.error("ECHO")).isEqualTo("ERR wrong number of arguments for 'echo' command");
        assertThat(h.error("ECHO", "a", "b")).isEqualTo("ERR wrong number of arguments for 'echo' command");
    }

    @Test
    void quitRepliesOkThenCloses() {
        assertThat(h.session.closing()).isFalse();
        assertThat(h.raw("QUIT")).isEqualTo("+OK\r\n");
        assertThat(h.session.closing()).isTrue();
    }

    @Test
    void select() {
        assertThat(h.simple("SELECT", "15")).isEqualTo("OK");
        assertThat(h.session.db()).isEqualTo(15);
        assertThat(h.simple("SET", "k", "v")).isEqualTo("OK");
        assertThat(h.engine.keyspace().db(15).get("k".getBytes())).isNotNull();
        assertThat(h.engine.keyspace().db(0).get("k".getBytes())).isNull();
        assertThat(h.error("SELECT", "16")).isEqualTo("ERR DB index is out of range");
        assertThat(h.error("SELECT", "-1")).isEqualTo("ERR DB index is out of range");
        assertThat(h.error("SELECT", "abc")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(h.error("SELECT", "01")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(h.error("SELECT", "1.0")).isEqualTo("ERR value is not an integer or out of range");
        // beyond a C int: Redis's getIntFromObject refuses it as not an integer
        assertThat(h.error("SELECT", "4294967296")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(h.error("SELECT", "99999999999999999999")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(h.error("SELECT")).isEqualTo("ERR wrong number of arguments for 'select' command");
        assertThat(h.session.db()).isEqualTo(15);
        assertThat(h.simple("select", "0")).isEqualTo("OK");
        assertThat(h.session.db()).isZero();
    }

    @Test
    void helloWithoutArgumentsReportsTheCurrentProtocol() {
        RespValue v = h.call("HELLO");
        assertThat(v).isInstanceOf(RespValue.Array.class);
        assertThat(flat(((RespValue.Array) v).elements())).containsExactly(
                "server", "redis", "version", Engine.REDIS_VERSION, "proto", "2", "id", Long.toString(h.session.id()),
                "mode", "standalone", "role", "master", "modules", "[]");
        assertThat(h.session.protocol()).isEqualTo(2);
    }

    @Test
    void hello3SwitchesTheEncodingOfItsOwnReplyAndLaterOnes() {
        String id = Long.toString(h.session.id());
        String expected = "%7\r\n"
                + "$6\r\nserver\r\n$5\r\nredis\r\n"
                + "$7\r\nversion\r\n$" + Engine.REDIS_VERSION.length() + "\r\n" + Engine.REDIS_VERSION + "\r\n"
                + "$5\r\nproto\r\n:3\r\n"
                + "$2\r\nid\r\n:" + id + "\r\n"
                + "$4\r\nmode\r\n$10\r\nstandalone\r\n"
                + "$4\r\nrole\r\n$6\r\nmaster\r\n"
                + "$7\r\nmodules\r\n*0\r\n";
        assertThat(h.raw("HELLO", "3")).isEqualTo(expected);
        assertThat(h.session.protocol()).isEqualTo(3);
        // RESP3 null for an unnamed client's name
        assertThat(h.raw("CLIENT", "GETNAME")).isEqualTo("_\r\n");
        assertThat(h.raw("GET", "missing")).isEqualTo("_\r\n");
        // and back: HELLO 2's own reply is a RESP2 array
        assertThat(h.raw("HELLO", "2")).startsWith("*14\r\n$6\r\nserver\r\n");
        assertThat(h.raw("CLIENT", "GETNAME")).isEqualTo("$-1\r\n");
        assertThat(h.session.protocol()).isEqualTo(2);
    }

    @Test
    void helloErrors() {
        assertThat(h.error("HELLO", "4")).isEqualTo("NOPROTO unsupported protocol version");
        assertThat(h.error("HELLO", "1")).isEqualTo("NOPROTO unsupported protocol version");
        assertThat(h.error("HELLO", "-3")).isEqualTo("NOPROTO unsupported protocol version");
        assertThat(h.error("HELLO", "three")).isEqualTo("ERR Protocol version is not an integer or out of range");
        assertThat(h.error("HELLO", "3.0")).isEqualTo("ERR Protocol version is not an integer or out of range");
        assertThat(h.error("HELLO", "3", "Foo")).isEqualTo("ERR Syntax error in HELLO option 'Foo'");
        assertThat(h.error("HELLO", "3", "auth", "default")).isEqualTo("ERR Syntax error in HELLO option 'auth'");
        assertThat(h.error("HELLO", "3", "SETNAME")).isEqualTo("ERR Syntax error in HELLO option 'SETNAME'");
        assertThat(h.error("HELLO", "3", "AUTH", "bob", "pw"))
                .isEqualTo("WRONGPASS invalid username-password pair or user is disabled.");
        assertThat(h.error("HELLO", "3", "SETNAME", "a b"))
                .isEqualTo("ERR Client names cannot contain spaces, newlines or special characters.");
        // nothing changed by the failed calls
        assertThat(h.session.protocol()).isEqualTo(2);
        assertThat(h.session.name()).isEmpty();
    }

    @Test
    void helloAuthAndSetname() throws Exception {
        RespValue v = h.call("HELLO", "3", "AUTH", "default", "anything", "SETNAME", "conn1");
        assertThat(v).isInstanceOf(RespValue.Map.class);
        assertThat(flat(((RespValue.Map) v).flattenedPairs())).contains("proto", "3");
        assertThat(h.session.name()).isEqualTo("conn1");
        assertThat(h.session.protocol()).isEqualTo(3);
        // SETNAME alone, no protocol change; an empty name clears it
        assertThat(h.error("HELLO", "SETNAME", "x")).isEqualTo("ERR Protocol version is not an integer or out of range");
        h.call("HELLO", "3", "SETNAME", "");
        assertThat(h.session.name()).isEmpty();

        requirePass("secret");
        assertThat(h.error("HELLO", "2", "AUTH", "default", "wrong"))
                .isEqualTo("WRONGPASS invalid username-password pair or user is disabled.");
        assertThat(h.session.protocol()).isEqualTo(3);
        assertThat(h.call("HELLO", "2", "AUTH", "default", "secret")).isInstanceOf(RespValue.Array.class);
        assertThat(h.session.protocol()).isEqualTo(2);
    }

    @Test
    void authWithoutRequirepass() {
        assertThat(h.error("AUTH", "pw")).isEqualTo("ERR AUTH <password> called without any password configured for "
                + "the default user. Are you sure your configuration is correct?");
        assertThat(h.simple("AUTH", "default", "whatever")).isEqualTo("OK");
        assertThat(h.error("AUTH", "Default", "whatever"))
                .isEqualTo("WRONGPASS invalid username-password pair or user is disabled.");
        assertThat(h.error("AUTH", "bob", "whatever"))
                .isEqualTo("WRONGPASS invalid username-password pair or user is disabled.");
        assertThat(h.error("AUTH", "a", "b", "c")).isEqualTo("ERR syntax error");
        assertThat(h.error("AUTH")).isEqualTo("ERR wrong number of arguments for 'auth' command");
    }

    @Test
    void authWithRequirepass() throws Exception {
        requirePass("secret");
        assertThat(h.simple("AUTH", "secret")).isEqualTo("OK");
        assertThat(h.simple("AUTH", "default", "secret")).isEqualTo("OK");
        assertThat(h.error("AUTH", "Secret")).isEqualTo("WRONGPASS invalid username-password pair or user is disabled.");
        assertThat(h.error("AUTH", "default", "x")).isEqualTo("WRONGPASS invalid username-password pair or user is disabled.");
        assertThat(h.error("AUTH", "bob", "secret")).isEqualTo("WRONGPASS invalid username-password pair or user is disabled.");
    }

    @Test
    void resetRestoresAFreshConnection() {
        h.simple("SELECT", "3");
        h.simple("CLIENT", "SETNAME", "n1");
        h.simple("CLIENT", "NO-EVICT", "on");
        h.simple("CLIENT", "SETINFO", "LIB-NAME", "jedis");
        h.call("HELLO", "3");
        assertThat(h.raw("RESET")).isEqualTo("+RESET\r\n");
        assertThat(h.session.db()).isZero();
        assertThat(h.session.protocol()).isEqualTo(2);
        assertThat(h.session.name()).isEmpty();
        assertThat(h.session.noEvict()).isFalse();
        assertThat(h.session.libName()).isEqualTo("jedis");
        assertThat(h.raw("CLIENT", "GETNAME")).isEqualTo("$-1\r\n");
        assertThat(h.error("RESET", "x")).isEqualTo("ERR wrong number of arguments for 'reset' command");
    }

    @Test
    void resetTurnsRepliesBackOn() {
        h.call("CLIENT", "REPLY", "SKIP");
        assertThat(h.call("RESET")).isNull();      // the skipped command
        assertThat(h.session.replyMode()).isEqualTo(Session.ReplyMode.ON);
        h.call("CLIENT", "REPLY", "OFF");
        h.call("RESET");
        assertThat(h.session.replyMode()).isEqualTo(Session.ReplyMode.ON);
        assertThat(h.simple("PING")).isEqualTo("PONG");
    }

    @Test
    void commandTableRows() {
        CommandTable t = h.engine.commands();
        for (String n : new String[] {"ping", "echo", "quit", "reset", "select", "hello", "auth", "client"}) {
            CommandSpec s = t.get(n);
            assertThat(s).as(n).isNotNull();
            assertThat(s.firstKey()).as(n).isZero();
            assertThat(s.group()).as(n).isEqualTo("connection");
        }
        assertThat(t.get("hello").has(CommandFlags.NO_AUTH)).isTrue();
        assertThat(t.get("auth").has(CommandFlags.NO_AUTH)).isTrue();
        assertThat(t.get("quit").has(CommandFlags.NO_AUTH)).isTrue();
        assertThat(t.get("select").has(CommandFlags.NO_AUTH)).isFalse();
        assertThat(t.get("ping").arity()).isEqualTo(-1);
        assertThat(t.get("hello").arity()).isEqualTo(-1);
        assertThat(t.get("auth").arity()).isEqualTo(-2);
        assertThat(t.get("reset").arity()).isEqualTo(1);
        assertThat(AclCategory.names(t.get("ping").aclCategories())).containsExactlyInAnyOrder("@fast", "@connection");
        CommandSpec kill = t.get("client").subcommands().get("kill");
        assertThat(kill.has(CommandFlags.ADMIN)).isTrue();
        assertThat(AclCategory.names(kill.aclCategories())).contains("@admin", "@dangerous", "@slow", "@connection");
        CommandSpec id = t.get("client").subcommands().get("id");
        assertThat(id.has(CommandFlags.ADMIN)).isFalse();
        assertThat(id.name()).isEqualTo("client|id");
    }
}
