package io.jkevy.engine.command;

import io.jkevy.engine.Connection;
import io.jkevy.engine.EngineHarness;
import io.jkevy.engine.Session;
import io.jkevy.resp.RespReplyParser;
import io.jkevy.resp.RespValue;
import io.jkevy.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLIENT container. */
class ConnectionCommandsClientTest {
    private final EngineHarness h = new EngineHarness();

    /** A connection with its own addresses that records being closed. */
    static final class FakeConnection implements Connection {
        final String remote, local;
        boolean closed;

        FakeConnection(String remote, String local) { this.remote = remote; this.local = local; }

        @Override public void close() { closed = true; }
        @Override public String remoteAddress() { return remote; }
        @Override public String localAddress() { return local; }
    }

    /** A client session on a fake connection, with its own writer. */
    final class Peer {
        final FakeConnection conn;
        final Session session;
        final RespWriter w = new RespWriter();

        Peer(String remote) {
            conn = new FakeConnection(remote, "127.0.0.1:6379");
            session = h.engine.openSession(conn);
        }

        RespValue call(String... args) {
            byte[][] argv = new byte[args.length][];
            for (int i = 0; i < args.length; i++) argv[i] = args[i].getBytes(StandardCharsets.UTF_8);
            ByteBuf buf = Unpooled.buffer();
            try {
                w.target(buf);
                h.engine.execute(session, argv, w);
                if (!buf.isReadable()) return null;
                return new RespReplyParser().parse(buf);
            } finally {
                buf.release();
            }
        }

        String text(String... args) {
            RespValue v = call(args);
            if (v instanceof RespValue.Bulk b) return new String(b.value(), StandardCharsets.UTF_8);
            if (v instanceof RespValue.SimpleString s) return s.value();
            if (v instanceof RespValue.Error e) return "-" + e.message();
            if (v instanceof RespValue.Integer i) return ":" + i.value();
            if (v instanceof RespValue.Verbatim t) return new String(t.text(), StandardCharsets.UTF_8);
            return String.valueOf(v);
        }
    }

    private static final String[] FIELDS = {
        "id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db", "sub", "psub", "ssub", "multi", "qbuf",
        "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp", "obl", "oll", "omem", "tot-mem", "events", "cmd", "user",
        "redir", "resp", "lib-name", "lib-ver",
    };

    private static String field(String line, String name) {
        for (String kv : line.split(" ")) if (kv.startsWith(name + "=")) return kv.substring(name.length() + 1);
        throw new AssertionError("no field " + name + " in " + line);
    }

    private static List<String> lines(String list) {
        assertThat(list).endsWith("\n");
        return Arrays.asList(list.substring(0, list.length() - 1).split("\n"));
    }

    @Test
    void idSetnameGetname() {
        assertThat(h.integer("CLIENT", "ID")).isEqualTo(h.session.id());
        assertThat(h.bulk("CLIENT", "GETNAME")).isNull();
        assertThat(h.raw("CLIENT", "GETNAME")).isEqualTo("$-1\r\n");
        assertThat(h.simple("CLIENT", "SETNAME", "my-conn_1")).isEqualTo("OK");
        assertThat(h.bulk("client", "getname")).isEqualTo("my-conn_1");
        String bad = "ERR Client names cannot contain spaces, newlines or special characters.";
        assertThat(h.error("CLIENT", "SETNAME", "a b")).isEqualTo(bad);
        assertThat(h.error("CLIENT", "SETNAME", "a\nb")).isEqualTo(bad);
        assertThat(h.error("CLIENT", "SETNAME", "caf\u00e9")).isEqualTo(bad);
        assertThat(h.bulk("CLIENT", "GETNAME")).isEqualTo("my-conn_1");
        assertThat(h.simple("CLIENT", "SETNAME", "")).isEqualTo("OK");
        assertThat(h.bulk("CLIENT", "GETNAME")).isNull();
        assertThat(h.error("CLIENT", "SETNAME")).isEqualTo("ERR wrong number of arguments for 'client|setname' command");
        assertThat(h.error("CLIENT", "ID", "x")).isEqualTo("ERR wrong number of arguments for 'client|id' command");
        assertThat(h.error("CLIENT", "GETNAME", "x")).isEqualTo("ERR wrong number of arguments for 'client|getname' command");
    }

    @Test
    void containerErrors() {
        assertThat(h.error("CLIENT")).isEqualTo("ERR wrong number of arguments for 'client' command");
        assertThat(h.error("CLIENT", "Nope")).isEqualTo("ERR unknown subcommand 'Nope'. Try CLIENT HELP.");
    }

    @Test
    void infoLineHasRedisFieldsInOrder() {
        Peer p = new Peer("10.0.0.7:53012");
        p.call("CLIENT", "SETNAME", "worker");
        p.call("SELECT", "2");
        h.advance(5_000);
        String info = p.text("CLIENT", "INFO");
        assertThat(info).endsWith("\n").doesNotContain("\r");
        String line = info.substring(0, info.length() - 1);
        StringBuilder re = new StringBuilder();
        for (String f : FIELDS) re.append(re.isEmpty() ? "" : " ").append(Pattern.quote(f)).append("=[^ ]*");
        assertThat(line).matches(re.toString());
        assertThat(field(line, "id")).isEqualTo(Long.toString(p.session.id()));
        assertThat(field(line, "addr")).isEqualTo("10.0.0.7:53012");
        assertThat(field(line, "laddr")).isEqualTo("127.0.0.1:6379");
        assertThat(field(line, "name")).isEqualTo("worker");
        assertThat(field(line, "age")).isEqualTo("5");
        assertThat(field(line, "idle")).isEqualTo("0");
        assertThat(field(line, "flags")).isEqualTo("N");
        assertThat(field(line, "db")).isEqualTo("2");
        assertThat(field(line, "multi")).isEqualTo("-1");
        // "*2\r\n$6\r\nCLIENT\r\n$4\r\nINFO\r\n" is 26 bytes, "CLIENT"+"INFO" 10
        assertThat(field(line, "qbuf")).isEqualTo("26");
        assertThat(field(line, "argv-mem")).isEqualTo("10");
        assertThat(field(line, "events")).isEqualTo("r");
        assertThat(field(line, "cmd")).isEqualTo("client|info");
        assertThat(field(line, "user")).isEqualTo("default");
        assertThat(field(line, "redir")).isEqualTo("-1");
        assertThat(field(line, "resp")).isEqualTo("2");
        assertThat(field(line, "lib-name")).isEmpty();
        // RESP3: a verbatim string of format txt
        assertThat(p.call("HELLO", "3")).isInstanceOf(RespValue.Map.class);
        RespValue v = p.call("CLIENT", "INFO");
        assertThat(v).isInstanceOf(RespValue.Verbatim.class);
        assertThat(((RespValue.Verbatim) v).format()).isEqualTo("txt");
        assertThat(field(new String(((RespValue.Verbatim) v).text(), StandardCharsets.UTF_8).trim(), "resp")).isEqualTo("3");
        assertThat(h.error("CLIENT", "INFO", "x")).isEqualTo("ERR wrong number of arguments for 'client|info' command");
    }

    @Test
    void listShowsEveryClientOldestFirstAndFilters() {
        Peer a = new Peer("10.0.0.1:1000");
        Peer b = new Peer("10.0.0.2:2000");
        a.call("PING");
        h.advance(3_000);
        List<String> all = lines(h.bulk("CLIENT", "LIST"));
        assertThat(all).hasSize(3);
        assertThat(all.stream().map(l -> field(l, "id")).toList()).containsExactly(
                Long.toString(h.session.id()), Long.toString(a.session.id()), Long.toString(b.session.id()));
        assertThat(field(all.get(0), "cmd")).isEqualTo("client|list");
        assertThat(field(all.get(1), "cmd")).isEqualTo("ping");
        assertThat(field(all.get(1), "idle")).isEqualTo("3");
        assertThat(field(all.get(2), "cmd")).isEqualTo("NULL");
        // only the caller has a command in its query buffer
        assertThat(field(all.get(1), "qbuf")).isEqualTo("0");
        assertThat(field(all.get(1), "argv-mem")).isEqualTo("0");

        assertThat(lines(h.bulk("CLIENT", "LIST", "TYPE", "normal"))).hasSize(3);
        assertThat(h.bulk("CLIENT", "LIST", "TYPE", "pubsub")).isEmpty();
        assertThat(h.bulk("CLIENT", "LIST", "type", "REPLICA")).isEmpty();
        assertThat(h.bulk("CLIENT", "LIST", "TYPE", "slave")).isEmpty();
        assertThat(h.bulk("CLIENT", "LIST", "TYPE", "master")).isEmpty();
        assertThat(h.error("CLIENT", "LIST", "TYPE", "bogus")).isEqualTo("ERR Unknown client type 'bogus'");

        List<String> byId = lines(h.bulk("CLIENT", "LIST", "ID", Long.toString(b.session.id()), "999",
                Long.toString(a.session.id())));
        assertThat(byId.stream().map(l -> field(l, "addr")).toList()).containsExactly("10.0.0.2:2000", "10.0.0.1:1000");
        assertThat(h.bulk("CLIENT", "LIST", "ID", "999")).isEmpty();
        assertThat(h.error("CLIENT", "LIST", "ID", "x")).isEqualTo("ERR Invalid client ID");
        assertThat(h.error("CLIENT", "LIST", "ID")).isEqualTo("ERR syntax error");
        assertThat(h.error("CLIENT", "LIST", "TYPE")).isEqualTo("ERR syntax error");
        assertThat(h.error("CLIENT", "LIST", "TYPE", "normal", "x")).isEqualTo("ERR syntax error");
        assertThat(h.error("CLIENT", "LIST", "foo")).isEqualTo("ERR syntax error");
    }

    @Test
    void flagsReflectNoEvictNoTouchAndClosing() {
        assertThat(h.simple("CLIENT", "NO-EVICT", "on")).isEqualTo("OK");
        assertThat(field(h.bulk("CLIENT", "INFO").trim(), "flags")).isEqualTo("e");
        assertThat(h.simple("CLIENT", "NO-TOUCH", "ON")).isEqualTo("OK");
        assertThat(field(h.bulk("CLIENT", "INFO").trim(), "flags")).isEqualTo("eT");
        assertThat(h.simple("CLIENT", "NO-EVICT", "off")).isEqualTo("OK");
        assertThat(h.simple("CLIENT", "NO-TOUCH", "off")).isEqualTo("OK");
        assertThat(field(h.bulk("CLIENT", "INFO").trim(), "flags")).isEqualTo("N");
        assertThat(h.error("CLIENT", "NO-EVICT", "maybe")).isEqualTo("ERR syntax error");
        assertThat(h.error("CLIENT", "NO-TOUCH", "yes")).isEqualTo("ERR syntax error");
        assertThat(h.error("CLIENT", "NO-EVICT")).isEqualTo("ERR wrong number of arguments for 'client|no-evict' command");
    }

    @Test
    void killById() {
        Peer a = new Peer("10.0.0.1:1000");
        Peer b = new Peer("10.0.0.2:2000");
        assertThat(h.integer("CLIENT", "KILL", "ID", Long.toString(a.session.id()))).isEqualTo(1);
        assertThat(a.conn.closed).isTrue();
        assertThat(b.conn.closed).isFalse();
        assertThat(lines(h.bulk("CLIENT", "LIST"))).hasSize(2);
        assertThat(h.integer("CLIENT", "KILL", "ID", Long.toString(a.session.id()))).isZero();
        assertThat(h.integer("CLIENT", "KILL", "ID", "12345")).isZero();
        // the caller is skipped by default, killed with SKIPME no (after its reply)
        assertThat(h.integer("CLIENT", "KILL", "ID", Long.toString(h.session.id()))).isZero();
        assertThat(h.session.closing()).isFalse();
        assertThat(h.raw("CLIENT", "KILL", "ID", Long.toString(h.session.id()), "SKIPME", "no")).isEqualTo(":1\r\n");
        assertThat(h.session.closing()).isTrue();
    }

    @Test
    void killFilters() {
        Peer a = new Peer("10.0.0.1:1000");
        Peer b = new Peer("10.0.0.2:2000");
        Peer c = new Peer("10.0.0.3:3000");
        assertThat(a.text("CLIENT", "KILL", "ADDR", "10.0.0.2:2000")).isEqualTo(":1");
        assertThat(b.conn.closed).isTrue();
        assertThat(a.text("CLIENT", "KILL", "ADDR", "10.0.0.2:2000")).isEqualTo(":0");
        assertThat(a.text("CLIENT", "KILL", "LADDR", "127.0.0.1:9999")).isEqualTo(":0");
        assertThat(a.text("CLIENT", "KILL", "USER", "bob")).isEqualTo("-ERR No such user 'bob'");
        assertThat(a.text("CLIENT", "KILL", "TYPE", "pubsub")).isEqualTo(":0");
        assertThat(a.text("CLIENT", "KILL", "TYPE", "foo")).isEqualTo("-ERR Unknown client type 'foo'");
        assertThat(a.text("CLIENT", "KILL", "ID", "0")).isEqualTo("-ERR client-id should be greater than 0");
        assertThat(a.text("CLIENT", "KILL", "ID", "-5")).isEqualTo("-ERR client-id should be greater than 0");
        assertThat(a.text("CLIENT", "KILL", "ID", "x")).isEqualTo("-ERR client-id should be greater than 0");
        assertThat(a.text("CLIENT", "KILL", "SKIPME", "maybe")).isEqualTo("-ERR syntax error");
        assertThat(a.text("CLIENT", "KILL", "ID", "5", "SKIPME")).isEqualTo("-ERR syntax error");
        assertThat(a.text("CLIENT", "KILL", "FOO", "bar")).isEqualTo("-ERR syntax error");
        assertThat(a.text("CLIENT", "KILL")).isEqualTo("-ERR wrong number of arguments for 'client|kill' command");
        assertThat(c.conn.closed).isFalse();
        // every filter must match: LADDR matches all, USER default matches all, so it kills
        // everyone but the caller (h.session on Connection.NONE has another laddr)
        assertThat(a.text("CLIENT", "KILL", "LADDR", "127.0.0.1:6379", "USER", "default", "TYPE", "normal")).isEqualTo(":1");
        assertThat(c.conn.closed).isTrue();
        assertThat(a.conn.closed).isFalse();
        assertThat(a.session.closing()).isFalse();
        assertThat(a.text("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "no")).isEqualTo(":2");
        assertThat(a.session.closing()).isTrue();
    }

    @Test
    void killOldForm() {
        Peer a = new Peer("10.0.0.1:1000");
        Peer b = new Peer("10.0.0.2:2000");
        assertThat(a.text("CLIENT", "KILL", "10.0.0.9:1")).isEqualTo("-ERR No such client");
        assertThat(a.text("CLIENT", "KILL", "10.0.0.2:2000")).isEqualTo("OK");
        assertThat(b.conn.closed).isTrue();
        // the old form can kill the caller itself
        assertThat(a.text("CLIENT", "KILL", "10.0.0.1:1000")).isEqualTo("OK");
        assertThat(a.session.closing()).isTrue();
        assertThat(a.conn.closed).isFalse();      // closed by the server after the reply
    }

    @Test
    void pauseAndUnpause() {
        byte[][] set = {"SET".getBytes(), "k".getBytes(), "v".getBytes()};
        byte[][] get = {"GET".getBytes(), "k".getBytes()};
        assertThat(h.simple("CLIENT", "PAUSE", "1000")).isEqualTo("OK");
        assertThat(h.engine.pausedFor(set)).isEqualTo(1000);
        assertThat(h.engine.pausedFor(get)).isEqualTo(1000);
        assertThat(h.simple("CLIENT", "UNPAUSE")).isEqualTo("OK");
        assertThat(h.engine.pausedFor(set)).isZero();

        assertThat(h.simple("CLIENT", "PAUSE", "500", "write")).isEqualTo("OK");
        assertThat(h.engine.pausedFor(set)).isEqualTo(500);
        assertThat(h.engine.pausedFor(get)).isZero();
        // a pause in force is only extended and made stricter
        assertThat(h.simple("CLIENT", "PAUSE", "100", "ALL")).isEqualTo("OK");
        assertThat(h.engine.pausedFor(set)).isEqualTo(500);
        assertThat(h.engine.pausedFor(get)).isEqualTo(500);
        assertThat(h.simple("CLIENT", "PAUSE", "2000", "WRITE")).isEqualTo("OK");
        assertThat(h.engine.pausedFor(set)).isEqualTo(2000);
        assertThat(h.engine.pausedFor(get)).isEqualTo(2000);
        assertThat(h.simple("CLIENT", "PAUSE", "0")).isEqualTo("OK");
        assertThat(h.engine.pausedFor(set)).isEqualTo(2000);
        h.advance(2000);
        assertThat(h.engine.pausedFor(set)).isZero();

        assertThat(h.error("CLIENT", "PAUSE", "10", "READ")).isEqualTo("ERR CLIENT PAUSE mode must be WRITE or ALL");
        assertThat(h.error("CLIENT", "PAUSE", "-1")).isEqualTo("ERR timeout is negative");
        assertThat(h.error("CLIENT", "PAUSE", "abc")).isEqualTo("ERR timeout is not an integer or out of range");
        assertThat(h.error("CLIENT", "PAUSE", "1.5")).isEqualTo("ERR timeout is not an integer or out of range");
        assertThat(h.error("CLIENT", "PAUSE", "9223372036854775807")).isEqualTo("ERR timeout is out of range");
        assertThat(h.error("CLIENT", "PAUSE", "10", "ALL", "x"))
                .isEqualTo("ERR unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP.");
        assertThat(h.error("CLIENT", "PAUSE")).isEqualTo("ERR wrong number of arguments for 'client|pause' command");
        assertThat(h.engine.pausedFor(set)).isZero();
    }

    @Test
    void replyOffSkipOn() {
        assertThat(h.call("CLIENT", "REPLY", "OFF")).isNull();
        assertThat(h.call("PING")).isNull();
        assertThat(h.call("SET", "k", "v")).isNull();
        assertThat(h.engine.keyspace().db(0).get("k".getBytes())).isNotNull();     // still executed
        h.call("CLIENT", "REPLY", "ON");
        assertThat(h.session.replyMode()).isEqualTo(Session.ReplyMode.ON);
        assertThat(h.simple("PING")).isEqualTo("PONG");

        // SKIP: no reply to itself nor to the next command, then replies again
        assertThat(h.call("CLIENT", "REPLY", "SKIP")).isNull();
        assertThat(h.call("PING")).isNull();
        assertThat(h.simple("PING")).isEqualTo("PONG");

        // SKIP while OFF is ignored: replies stay off
        h.call("CLIENT", "REPLY", "OFF");
        h.call("CLIENT", "REPLY", "SKIP");
        assertThat(h.session.replyMode()).isEqualTo(Session.ReplyMode.OFF);
        assertThat(h.call("PING")).isNull();
        assertThat(h.call("PING")).isNull();
        h.call("CLIENT", "REPLY", "ON");

        // ON replies OK when replies were on anyway
        assertThat(h.raw("CLIENT", "REPLY", "ON")).isEqualTo("+OK\r\n");
        assertThat(h.error("CLIENT", "REPLY", "MAYBE")).isEqualTo("ERR syntax error");
        assertThat(h.error("CLIENT", "REPLY")).isEqualTo("ERR wrong number of arguments for 'client|reply' command");
    }

    @Test
    void replyOnAnswersOkEvenWhenRepliesWereOff() {
        h.call("CLIENT", "REPLY", "OFF");
        assertThat(h.raw("CLIENT", "REPLY", "ON")).isEqualTo("+OK\r\n");
        h.call("CLIENT", "REPLY", "OFF");
        assertThat(h.raw("RESET")).isEqualTo("+RESET\r\n");
    }

    @Test
    void setinfo() {
        assertThat(h.simple("CLIENT", "SETINFO", "LIB-NAME", "redis-py")).isEqualTo("OK");
        assertThat(h.simple("CLIENT", "SETINFO", "lib-ver", "5.0.1")).isEqualTo("OK");
        String line = h.bulk("CLIENT", "INFO").trim();
        assertThat(field(line, "lib-name")).isEqualTo("redis-py");
        assertThat(line).endsWith(" lib-name=redis-py lib-ver=5.0.1");
        assertThat(h.error("CLIENT", "SETINFO", "lib-ver", "5 0"))
                .isEqualTo("ERR lib-ver cannot contain spaces, newlines or special characters.");
        assertThat(h.error("CLIENT", "SETINFO", "LIB-NAME", "a\nb"))
                .isEqualTo("ERR LIB-NAME cannot contain spaces, newlines or special characters.");
        assertThat(h.error("CLIENT", "SETINFO", "color", "red")).isEqualTo("ERR Unrecognized option 'color'");
        assertThat(h.error("CLIENT", "SETINFO", "lib-name")).isEqualTo("ERR wrong number of arguments for 'client|setinfo' command");
        assertThat(h.session.libVersion()).isEqualTo("5.0.1");
        assertThat(h.simple("CLIENT", "SETINFO", "lib-name", "")).isEqualTo("OK");
        assertThat(h.session.libName()).isEmpty();
    }

    @Test
    void trackingInfoAndGetredirReportTrackingOff() {
        assertThat(h.integer("CLIENT", "GETREDIR")).isEqualTo(-1);
        assertThat(h.raw("CLIENT", "TRACKINGINFO")).isEqualTo(
                "*6\r\n$5\r\nflags\r\n*1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n");
        h.protocol(3);
        assertThat(h.raw("CLIENT", "TRACKINGINFO")).isEqualTo(
                "%3\r\n$5\r\nflags\r\n~1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n");
    }

    @Test
    void help() {
        RespValue v = h.call("CLIENT", "HELP");
        assertThat(v).isInstanceOf(RespValue.Array.class);
        List<RespValue> items = ((RespValue.Array) v).elements();
        assertThat(items).hasSize(54).allMatch(x -> x instanceof RespValue.SimpleString);
        assertThat(((RespValue.SimpleString) items.get(0)).value())
                .isEqualTo("CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        assertThat(((RespValue.SimpleString) items.get(52)).value()).isEqualTo("HELP");
        assertThat(((RespValue.SimpleString) items.get(53)).value()).isEqualTo("    Print this help.");
        assertThat(h.error("CLIENT", "HELP", "x")).isEqualTo("ERR wrong number of arguments for 'client|help' command");
    }
}
