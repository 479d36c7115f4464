package io.jkevy.engine.acl;

import io.jkevy.engine.Connection;
import io.jkevy.engine.Engine;
import io.jkevy.engine.EngineHarness;
import io.jkevy.engine.Session;
import io.jkevy.engine.command.CommandFlags;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.command.CommandTable;
import io.jkevy.engine.config.ConfigException;
import io.jkevy.resp.RespValue;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.Clock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ACL rules: parsing and printing (expected strings taken from redis-server 7.0.15 given
 * the same rules), authentication, NOAUTH for every command, key and channel permissions,
 * the ACL log, DRYRUN, the ACL file.
 */
class AclTest {
    private final EngineHarness h = new EngineHarness();

    private static String str(RespValue v) {
        if (v instanceof RespValue.Bulk b) return b.value() == null ? "(nil)" : new String(b.value(), StandardCharsets.UTF_8);
        if (v instanceof RespValue.SimpleString s) return s.value();
        if (v instanceof RespValue.Integer i) return Long.toString(i.value());
        if (v instanceof RespValue.Null) return "(nil)";
        if (v instanceof RespValue.Error e) return "-" + e.message();
        if (v instanceof RespValue.Array a) return flat(a.elements()).toString();
        if (v instanceof RespValue.Map m) return flat(m.flattenedPairs()).toString();
        if (v instanceof RespValue.Set s) return flat(s.elements()).toString();
        if (v instanceof RespValue.Double d) return Double.toString(d.value());
        throw new AssertionError("unexpected " + v);
    }

    private static List<String> flat(List<RespValue> items) {
        List<String> out = new ArrayList<>();
        for (RespValue v : items) out.add(str(v));
        return out;
    }

    private List<String> aclList() { return flat(((RespValue.Array) h.call("ACL", "LIST")).elements()); }

    private String line(String user) {
        for (String l : aclList()) if (l.startsWith("user " + user + " ")) return l;
        return null;
    }

    private String setuser(String... args) {
        String[] a = new String[args.length + 2];
        a[0] = "ACL";
        a[1] = "SETUSER";
        System.arraycopy(args, 0, a, 2, args.length);
        return str(h.call(a));
    }

    // ---- parsing and printing ----------------------------------------------------------

    @Test
    void listFormatsAsRedis() {
        assertThat(aclList()).containsExactly("user default on nopass ~* &* +@all");
        assertThat(setuser("bob")).isEqualTo("OK");
        assertThat(line("bob")).isEqualTo("user bob off resetchannels -@all");
        setuser("dave", "on", ">p", "+@all", "-@dangerous", "~*", "resetchannels", "&x");
        assertThat(line("dave")).isEqualTo("user dave on #148de9c5a7a44d19e56cd9ae1a554bf67847afb0c58f6e12fa29ac7ddfca9940"
                + " ~* resetchannels &x +@all -@dangerous");
        setuser("z", "reset");
        assertThat(line("z")).isEqualTo("user z off sanitize-payload resetchannels -@all");
        setuser("z2", "on", "nopass", "%RW~a", "%WR~b", "~c", "%R~c", "%W~c", "skip-sanitize-payload", "~c");
        assertThat(line("z2")).isEqualTo("user z2 on nopass skip-sanitize-payload ~a ~b ~c resetchannels -@all");
        setuser("t6", "+@all", "-@all", "+get", "+GET");
        assertThat(line("t6")).isEqualTo("user t6 off resetchannels -@all +get");
        setuser("t7", "allcommands", "-debug", "nocommands", "+Ping");
        assertThat(line("t7")).isEqualTo("user t7 off resetchannels -@all +ping");
        setuser("t8", "+select|0");
        assertThat(line("t8")).isEqualTo("user t8 off resetchannels -@all +select|0");
        setuser("t9", "-@all", "+@hash", "-hset", "%R~r*", "~k*", "&c*");
        assertThat(line("t9")).isEqualTo("user t9 off ~r* ~k* resetchannels &c* -@all +@hash -hset".replace("~r*", "%R~r*"));
        setuser("eve", "(+get ~x*)", "(+set", "%W~y*)");
        assertThat(line("eve")).isEqualTo("user eve off resetchannels -@all (~x* resetchannels -@all +get) (%W~y* resetchannels -@all +set)");
        // users come back in name order
        assertThat(flat(((RespValue.Array) h.call("ACL", "USERS")).elements()))
                .containsExactly("bob", "dave", "default", "eve", "t6", "t7", "t8", "t9", "z", "z2");
    }

    @Test
    void aclPubsubDefault() throws Exception {
        h.engine.config().set("acl-pubsub-default", "allchannels");
        setuser("ps1");
        setuser("ps2", "reset", "(+get)");
        assertThat(line("ps1")).isEqualTo("user ps1 off &* -@all");
        assertThat(line("ps2")).isEqualTo("user ps2 off sanitize-payload &* -@all (&* -@all +get)");
        assertThat(h.error("CONFIG", "SET", "acl-pubsub-default", "x")).startsWith("ERR");
        h.engine.config().set("acl-pubsub-default", "resetchannels");
        setuser("ps3");
        assertThat(line("ps3")).isEqualTo("user ps3 off resetchannels -@all");
    }

    @Test
    void describedRulesRebuildTheSamePermissions() {
        setuser("a", "on", "nopass", "+@all", "-@dangerous", "+flushall", "-get", "+@string", "~*");
        setuser("b", "on", "nopass", "+@dangerous", "-flushall", "+@hash", "+get", "~*");
        setuser("c", "on", "nopass", "+@read", "-@hash", "+hget", "+@hash", "+client", "-client|kill", "~*");
        Acl acl = h.engine.acl();
        for (String name : new String[] {"a", "b", "c"}) {
            String described = acl.describe(acl.user(name));
            List<String> ops = new ArrayList<>(List.of(described.split(" ")));
            acl.setUser(name + "-copy", ops);
            for (CommandSpec s : h.engine.commands().allWithSubcommands()) {
                byte[][] argv = argvFor(s);
                int[] p = new int[1];
                assertThat(Acl.checkRules(acl.user(name + "-copy").rules(), s, argv, p))
                        .as(name + " " + s.name() + " from '" + described + "'")
                        .isEqualTo(Acl.checkRules(acl.user(name).rules(), s, argv, p));
            }
        }
        assertThat(acl.describe(acl.user("a"))).startsWith("on nopass ~* resetchannels +@all -@admin");
        assertThat(acl.describe(acl.user("c"))).contains("+@read").contains("-client|kill").doesNotContain("-@hash");
    }

    @Test
    void getuserFields() {
        setuser("alice", "on", ">secret", "~foo*", "%R~bar*", "&chan*", "+get", "(+set ~s*)");
        assertThat(str(h.call("ACL", "GETUSER", "alice"))).isEqualTo("[flags, [on], passwords, "
                + "[2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b], commands, -@all +get, keys, "
                + "~foo* %R~bar*, channels, &chan*, selectors, [[commands, -@all +set, keys, ~s*, channels, ]]]");
        assertThat(str(h.call("ACL", "GETUSER", "default"))).isEqualTo("[flags, [on, nopass], passwords, [], commands, "
                + "+@all, keys, ~*, channels, &*, selectors, []]");
        assertThat(str(h.call("ACL", "GETUSER", "nobody"))).isEqualTo("(nil)");
    }

    @Test
    void setuserErrorsChangeNothing() {
        setuser("u", "on", "~a");
        String before = line("u");
        assertThat(setuser("u", "+get", "+nosuch")).isEqualTo("-ERR Error in ACL SETUSER modifier '+nosuch': Unknown command or category name in ACL");
        assertThat(setuser("u", "+@nosuch")).isEqualTo("-ERR Error in ACL SETUSER modifier '+@nosuch': Unknown command or category name in ACL");
        assertThat(setuser("u", "foo")).isEqualTo("-ERR Error in ACL SETUSER modifier 'foo': Syntax error");
        assertThat(setuser("u", "%X~a")).isEqualTo("-ERR Error in ACL SETUSER modifier '%X~a': Syntax error");
        assertThat(setuser("u", "%~a")).isEqualTo("-ERR Error in ACL SETUSER modifier '%~a': Syntax error");
        assertThat(setuser("u", "<nope")).isEqualTo("-ERR Error in ACL SETUSER modifier '<nope': The password you are trying to remove from the user does not exist");
        assertThat(setuser("u", "#abc")).isEqualTo("-ERR Error in ACL SETUSER modifier '#abc': The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters");
        assertThat(setuser("u", "allkeys", "~b")).isEqualTo("-ERR Error in ACL SETUSER modifier '~b': Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns");
        assertThat(setuser("u", "&*", "&a")).isEqualTo("-ERR Error in ACL SETUSER modifier '&a': Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels");
        assertThat(setuser("u", "+config|get|x")).isEqualTo("-ERR Error in ACL SETUSER modifier '+config|get|x': Allowing first-arg of a subcommand is not supported");
        assertThat(setuser("u", "(+get", "~x")).isEqualTo("-ERR Unmatched parenthesis in acl selector starting at '(+get'.");
        assertThat(str(h.call("ACL", "SETUSER", "a b"))).isEqualTo("-ERR Usernames can't contain spaces or null characters");
        assertThat(line("u")).isEqualTo(before);
        assertThat(h.error("ACL", "DELUSER", "u", "default")).isEqualTo("ERR The 'default' user cannot be removed");
        assertThat(line("u")).isEqualTo(before);
        assertThat(h.integer("ACL", "DELUSER", "u", "nosuch")).isEqualTo(1);
        assertThat(line("u")).isNull();
    }

    @Test
    void catGenpassHelpErrors() {
        assertThat(flat(((RespValue.Array) h.call("ACL", "CAT")).elements())).hasSize(21).startsWith("keyspace", "read", "write");
        assertThat(flat(((RespValue.Array) h.call("ACL", "CAT", "hash")).elements())).contains("hset", "hget").doesNotContain("get");
        assertThat(h.error("ACL", "CAT", "nosuch")).isEqualTo("ERR Unknown category 'nosuch'");
        assertThat(h.bulk("ACL", "GENPASS")).hasSize(64).matches("[0-9a-f]+");
        assertThat(h.bulk("ACL", "GENPASS", "5")).hasSize(2);
        assertThat(h.bulk("ACL", "GENPASS", "5")).isNotEqualTo(h.bulk("ACL", "GENPASS", "128"));
        assertThat(h.error("ACL", "GENPASS", "0")).isEqualTo("ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096");
        assertThat(h.error("ACL", "FOO")).isEqualTo("ERR unknown subcommand 'FOO'. Try ACL HELP.");
        assertThat(h.error("ACL", "SETUSER")).isEqualTo("ERR wrong number of arguments for 'acl|setuser' command");
        assertThat(h.error("ACL", "SAVE")).startsWith("ERR This Redis instance is not configured to use an ACL file.");
        assertThat(h.error("ACL", "LOG", "x")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(str(h.call("ACL", "HELP"))).startsWith("[ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:, CAT [<category>]");
        assertThat(h.bulk("ACL", "WHOAMI")).isEqualTo("default");
    }

    // ---- authentication ----------------------------------------------------------------

    @Test
    void unauthenticatedClientGetsNoauthForEveryCommandAndNothingChanges() throws Exception {
        h.engine.config().set("requirepass", "s3cret");
        h.call("SET", "k", "v");                    // the harness session connected before the password
        EngineHarness.Client c = h.client();
        long dbsize = h.integer("DBSIZE");
        String config = str(h.call("CONFIG", "GET", "*"));
        int tried = 0;
        for (CommandSpec s : h.engine.commands().allWithSubcommands()) {
            if (!s.subcommands().isEmpty() && s.handler() == null) continue;     // containers: their subcommands are tried
            if (s.has(CommandFlags.NO_AUTH) || (s.parent() != null && s.parent().has(CommandFlags.NO_AUTH))) continue;
            byte[][] argv = argvFor(s);
            RespValue r = callOn(c.session, argv);
            assertThat(r).as(s.name()).isInstanceOf(RespValue.Error.class);
            assertThat(((RespValue.Error) r).message()).as(s.name()).isEqualTo("NOAUTH Authentication required.");
            tried++;
        }
        assertThat(tried).isGreaterThan(150);
        assertThat(h.integer("DBSIZE")).isEqualTo(dbsize);
        assertThat(str(h.call("CONFIG", "GET", "*"))).isEqualTo(config);
        assertThat(c.session.closing()).isFalse();
        assertThat(h.engine.acl().user("x")).isNull();
        // then AUTH opens the door
        assertThat(str(c.call("AUTH", "s3cret"))).isEqualTo("OK");
        assertThat(str(c.call("GET", "k"))).isEqualTo("v");
    }

    /** The command name (and subcommand) padded with arguments to its minimum arity. */
    private static byte[][] argvFor(CommandSpec s) {
        List<String> a = new ArrayList<>();
        if (s.parent() != null) {
            a.add(s.parent().name());
            a.add(s.shortName());
        } else {
            a.add(s.name());
        }
        int n = Math.abs(s.arity());
        while (a.size() < n) a.add("1");
        byte[][] argv = new byte[a.size()][];
        for (int i = 0; i < argv.length; i++) argv[i] = a.get(i).getBytes(StandardCharsets.UTF_8);
        return argv;
    }

    private RespValue callOn(Session s, byte[][] argv) {
        ByteBuf buf = Unpooled.buffer();
        try {
            RespWriter w = new RespWriter();
            w.target(buf);
            h.engine.execute(s, argv, w);
            if (!buf.isReadable()) return null;
            return new io.jkevy.resp.RespReplyParser().parse(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void authHelloResetAndWhoami() throws Exception {
        h.engine.config().set("requirepass", "pw");
        EngineHarness.Client c = h.client();
        assertThat(str(c.call("PING"))).isEqualTo("-NOAUTH Authentication required.");
        assertThat(str(c.call("HELLO", "3"))).startsWith("-NOAUTH HELLO must be called with the client already authenticated");
        assertThat(str(c.call("HELLO"))).startsWith("-NOAUTH HELLO must be called");
        assertThat(str(c.call("AUTH", "bad"))).isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.");
        assertThat(str(c.call("HELLO", "2", "AUTH", "default", "bad"))).isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.");
        assertThat(str(c.call("HELLO", "2", "AUTH", "default", "pw"))).startsWith("[server, redis");
        assertThat(str(c.call("PING"))).isEqualTo("PONG");
        assertThat(str(c.call("RESET"))).isEqualTo("RESET");
        assertThat(str(c.call("PING"))).isEqualTo("-NOAUTH Authentication required.");
        setuser("bob", "on", ">bobpw", "+@all", "~*");
        assertThat(str(c.call("AUTH", "bob", "bobpw"))).isEqualTo("OK");
        assertThat(str(c.call("ACL", "WHOAMI"))).isEqualTo("bob");
        assertThat(str(c.call("CLIENT", "INFO"))).contains(" user=bob ");
        // a disabled user cannot log in, nor can a wrong password
        setuser("bob", "off");
        assertThat(str(c.call("AUTH", "bob", "bobpw"))).startsWith("-WRONGPASS");
        // the password is only stored hashed
        assertThat(h.engine.acl().describe(h.engine.acl().user("bob"))).doesNotContain("bobpw");
        // requirepass "" makes the default user nopass again
        h.engine.config().set("requirepass", "");
        assertThat(line("default")).isEqualTo("user default on nopass ~* &* +@all");
        assertThat(str(h.client().call("PING"))).isEqualTo("PONG");
        assertThat(str(c.call("AUTH", "x"))).startsWith("-ERR AUTH <password> called without any password configured");
    }

    @Test
    void authFailuresAreLogged() {
        h.call("AUTH", "nosuchuser", "x");
        RespValue v = h.call("ACL", "LOG", "1");
        String s = str(v);
        assertThat(s).startsWith("[[count, 1, reason, auth, context, toplevel, object, AUTH, username, nosuchuser, age-seconds,");
        assertThat(s).contains("client-info, id=");
        h.call("AUTH", "nosuchuser", "x");
        assertThat(str(h.call("ACL", "LOG"))).startsWith("[[count, 2, reason, auth");
        assertThat(str(h.call("ACL", "LOG", "RESET"))).isEqualTo("OK");
        assertThat(str(h.call("ACL", "LOG"))).isEqualTo("[]");
    }

    // ---- permissions -------------------------------------------------------------------

    @Test
    void commandKeyAndChannelPermissions() {
        setuser("u1", "on", ">pw", "~k*", "%R~r*", "&ch*", "+get", "+set", "+lmove", "+publish", "+psubscribe", "+punsubscribe", "+client|list");
        EngineHarness.Client c = h.client();
        assertThat(str(c.call("AUTH", "u1", "pw"))).isEqualTo("OK");
        assertThat(str(c.call("SET", "k1", "v"))).isEqualTo("OK");
        assertThat(str(c.call("GET", "k1"))).isEqualTo("v");
        assertThat(str(c.call("GET", "other"))).isEqualTo("-NOPERM this user has no permissions to access one of the keys used as arguments");
        assertThat(str(c.call("SET", "r1", "x"))).isEqualTo("-NOPERM this user has no permissions to access one of the keys used as arguments");
        assertThat(h.integer("EXISTS", "r1")).isZero();
        assertThat(str(c.call("GET", "r1"))).isEqualTo("(nil)");
        assertThat(str(c.call("LMOVE", "k1", "r1", "LEFT", "LEFT"))).startsWith("-NOPERM this user has no permissions to access one of the keys");
        assertThat(str(c.call("DEL", "k1"))).isEqualTo("-NOPERM this user has no permissions to run the 'del' command");
        assertThat(h.integer("EXISTS", "k1")).isEqualTo(1);
        assertThat(str(c.call("CLIENT", "LIST"))).contains("user=u1");
        assertThat(str(c.call("CLIENT", "ID"))).isEqualTo("-NOPERM this user has no permissions to run the 'client|id' command");
        assertThat(str(c.call("PUBLISH", "chx", "m"))).isEqualTo("0");
        assertThat(str(c.call("PUBLISH", "other", "m"))).isEqualTo("-NOPERM this user has no permissions to access one of the channels used as arguments");
        assertThat(str(c.call("PSUBSCRIBE", "ch*"))).isEqualTo("[psubscribe, ch*, 1]");
        assertThat(str(c.call("PSUBSCRIBE", "ch1"))).startsWith("-NOPERM");       // patterns match literally
        assertThat(str(c.call("PUNSUBSCRIBE"))).isEqualTo("[punsubscribe, ch*, 0]");   // leave RESP2 subscribed mode
        // the log holds the denials, newest first
        String log = str(h.call("ACL", "LOG", "3"));
        assertThat(log).startsWith("[[count, 1, reason, channel, context, toplevel, object, ch1, username, u1");
        assertThat(log).contains("reason, channel, context, toplevel, object, other, username, u1");
        assertThat(log).contains("reason, command, context, toplevel, object, client|id, username, u1");
        // DRYRUN
        assertThat(h.bulk("ACL", "DRYRUN", "u1", "get", "foo")).isEqualTo("This user has no permissions to access the 'foo' key");
        assertThat(h.simple("ACL", "DRYRUN", "u1", "set", "k1", "v")).isEqualTo("OK");
        assertThat(h.bulk("ACL", "DRYRUN", "u1", "del", "x")).isEqualTo("This user has no permissions to run the 'del' command");
        assertThat(h.bulk("ACL", "DRYRUN", "u1", "publish", "zz", "x")).isEqualTo("This user has no permissions to access the 'zz' channel");
        assertThat(h.error("ACL", "DRYRUN", "nosuch", "get", "x")).isEqualTo("ERR User 'nosuch' not found");
        assertThat(h.error("ACL", "DRYRUN", "u1", "nosuch", "x")).isEqualTo("ERR Command 'nosuch' not found");
        assertThat(h.error("ACL", "DRYRUN", "u1", "get")).isEqualTo("ERR wrong number of arguments for 'get' command");
        // selectors: any one allowing the command wins
        setuser("u1", "(+del ~k*)");
        assertThat(str(c.call("DEL", "k1"))).isEqualTo("1");
        // write-only patterns
        setuser("w", "on", "nopass", "%W~w*", "+get", "+set");
        assertThat(h.simple("ACL", "DRYRUN", "w", "set", "w1", "x")).isEqualTo("OK");
        assertThat(h.bulk("ACL", "DRYRUN", "w", "get", "w1")).isEqualTo("This user has no permissions to access the 'w1' key");
        // first-arg allowance
        setuser("s", "on", "nopass", "+select|0");
        assertThat(h.simple("ACL", "DRYRUN", "s", "select", "0")).isEqualTo("OK");
        assertThat(h.bulk("ACL", "DRYRUN", "s", "select", "1")).isEqualTo("This user has no permissions to run the 'select' command");
    }

    /** Which write commands also need read access: redis-server 7.0.15's ACL DRYRUN answers for a %W~* user. */
    @Test
    void writeOnlyKeyPatternsMatchRedisKeySpecs() {
        setuser("wo", "on", "nopass", "%W~*", "+@all");
        String[] needRead = {"incr k", "getdel k", "lpop k", "set k v get", "hincrby k f 1", "spop k", "zincrby k 1 m",
            "getset k v", "incrbyfloat k 1", "rename k j", "getex k", "hincrbyfloat k f 1", "zpopmin k", "smove k j m",
            "sinterstore d k", "rpoplpush k j", "setbit k 1 1", "bitfield k get u8 0", "copy k j", "decr k",
            "lmpop 1 k left", "pfcount k"};
        String[] writeOnly = {"append k v", "lpush k v", "set k v", "del k", "expire k 1", "hset k f v", "sadd k m",
            "zadd k 1 m", "setrange k 0 v", "rpush k v", "linsert k before a b", "lset k 0 v", "ltrim k 0 1",
            "lrem k 0 v", "srem k m", "hdel k f", "zrem k m", "persist k", "setnx k v", "mset k v", "msetnx k v",
            "psetex k 100 v", "pfadd k a", "xadd k * a b", "xdel k 1-1", "xtrim k maxlen 1", "hsetnx k f v",
            "touch k", "unlink k", "geoadd k 1 1 m", "zremrangebyrank k 0 1", "hmset k f v", "pexpire k 1",
            "xautoclaim k g c 0 0", "xack k g 1-1",
            // metadata-only reads need a matching pattern of either kind
            "exists k", "type k", "strlen k", "object encoding k", "hexists k f", "hlen k", "llen k", "scard k",
            "zcard k", "sismember k m", "hstrlen k f", "xlen k", "object freq k", "memory usage k", "exists k j"};
        int checked = 0;
        for (String[] group : new String[][] {needRead, writeOnly}) {
            for (String cmd : group) {
                String[] parts = cmd.split(" ");
                if (h.engine.commands().get(parts[0]) == null) continue;
                String[] a = new String[parts.length + 3];
                a[0] = "ACL";
                a[1] = "DRYRUN";
                a[2] = "wo";
                System.arraycopy(parts, 0, a, 3, parts.length);
                String r = str(h.call(a));
                if (group == needRead) assertThat(r).as(cmd).startsWith("This user has no permissions to access");
                else assertThat(r).as(cmd).isEqualTo("OK");
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(60);
        // ... but a matching one: with no pattern for the key, EXISTS is refused
        setuser("none", "on", "nopass", "+@all", "~other");
        assertThat(h.bulk("ACL", "DRYRUN", "none", "exists", "k")).isEqualTo("This user has no permissions to access the 'k' key");
    }

    @Test
    void nestedCommandsAreCheckedToo() {
        setuser("n", "on", "nopass", "+get", "~*");
        EngineHarness.Client c = h.client();
        c.call("AUTH", "n", "x");
        ByteBuf buf = Unpooled.buffer();
        try {
            RespWriter w = new RespWriter();
            w.target(buf);
            CommandSpec ran = h.engine.executeNested(c.session, new byte[][] {"SET".getBytes(), "a".getBytes(), "b".getBytes()}, w);
            assertThat(ran).isNull();
            assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("-NOPERM this user has no permissions to run the 'set' command\r\n");
        } finally {
            buf.release();
        }
        assertThat(h.integer("EXISTS", "a")).isZero();
        assertThat(str(h.call("ACL", "LOG", "1"))).contains("context, lua, object, set");
    }

    @Test
    void deluserDisconnectsItsClients() {
        AtomicBoolean closed = new AtomicBoolean();
        Session other = h.engine.openSession(new Connection() {
            @Override public void close() { closed.set(true); }
            @Override public String remoteAddress() { return "127.0.0.1:1"; }
            @Override public String localAddress() { return "127.0.0.1:2"; }
        });
        setuser("gone", "on", "nopass", "+@all", "~*");
        callOn(other, new byte[][] {"AUTH".getBytes(), "gone".getBytes(), "x".getBytes()});
        assertThat(other.user().name()).isEqualTo("gone");
        assertThat(h.error("CLIENT", "KILL", "USER", "nobody")).isEqualTo("ERR No such user 'nobody'");
        assertThat(h.integer("CLIENT", "KILL", "USER", "default")).isZero();     // skips the caller; the other is "gone"
        assertThat(closed).isFalse();
        assertThat(h.integer("ACL", "DELUSER", "gone")).isEqualTo(1);
        assertThat(closed).isTrue();
        assertThat(other.user().name()).isEqualTo("default");
    }

    @Test
    void clientKillUser() {
        AtomicBoolean closed = new AtomicBoolean();
        Session other = h.engine.openSession(new Connection() {
            @Override public void close() { closed.set(true); }
            @Override public String remoteAddress() { return "127.0.0.1:1"; }
            @Override public String localAddress() { return "127.0.0.1:2"; }
        });
        setuser("k", "on", "nopass", "+@all", "~*");
        callOn(other, new byte[][] {"AUTH".getBytes(), "k".getBytes(), "x".getBytes()});
        assertThat(h.integer("CLIENT", "KILL", "USER", "k")).isEqualTo(1);
        assertThat(closed).isTrue();
    }

    // ---- the ACL file ------------------------------------------------------------------

    @Test
    void saveAndLoadRoundTrip(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users.acl");
        Files.writeString(file, "");
        Engine e = Engine.create(Map.of("aclfile", file.toString()), Clock.SYSTEM);
        EngineHarnessLike x = new EngineHarnessLike(e);
        x.call("ACL", "SETUSER", "alice", "on", ">pw", "~a*", "&c", "+get", "(+set ~s*)");
        x.call("ACL", "SETUSER", "default", ">dpw");
        List<String> before = e.acl().list();
        assertThat(x.call("ACL", "SAVE")).isEqualTo("OK");
        assertThat(Files.readAllLines(file)).containsExactlyElementsOf(before);
        x.call("ACL", "SETUSER", "bob", "on");
        x.call("ACL", "DELUSER", "alice");
        assertThat(x.call("ACL", "LOAD")).isEqualTo("OK");
        assertThat(e.acl().list()).isEqualTo(before);
        // loaded at startup
        Engine e2 = Engine.create(Map.of("aclfile", file.toString()), Clock.SYSTEM);
        assertThat(e2.acl().list()).isEqualTo(before);
        assertThat(e2.acl().defaultNeedsAuth()).isTrue();
    }

    @Test
    void loadErrorsAreReportedAndChangeNothing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users.acl");
        Files.writeString(file, "user alice on nopass ~*\n");
        Engine e = Engine.create(Map.of("aclfile", file.toString()), Clock.SYSTEM);
        EngineHarnessLike x = new EngineHarnessLike(e);
        List<String> before = e.acl().list();
        assertThat(before).contains("user alice on nopass ~* resetchannels -@all");
        Files.writeString(file, "user a on +nosuch\nfoo bar\nuser a on\nuser b on ~x (+get\n");
        String f = file.toString();
        assertThat(x.call("ACL", "LOAD")).isEqualTo("-ERR " + f + ":1: Unknown command or category name in ACL. "
                + f + ":2 should start with user keyword followed by the username. "
                + "WARNING: Duplicate user 'a' found on line 3. "
                + f + ":4: Unmatched parenthesis in selector definition."
                + "WARNING: ACL errors detected, no change to the previously active ACL rules was performed");
        assertThat(e.acl().list()).isEqualTo(before);
    }

    @Test
    void missingAclFileAbortsStartup(@TempDir Path dir) {
        assertThatThrownBy(() -> Engine.create(Map.of("aclfile", dir.resolve("nope.acl").toString()), Clock.SYSTEM))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Error loading ACLs, opening file '" + dir.resolve("nope.acl") + "': No such file or directory");
    }

    /** A minimal caller for an engine made by {@link Engine#create}. */
    private static final class EngineHarnessLike {
        private final Engine e;
        private final Session s;

        EngineHarnessLike(Engine e) {
            this.e = e;
            this.s = e.openSession(Connection.NONE);
        }

        String call(String... args) {
            byte[][] argv = new byte[args.length][];
            for (int i = 0; i < args.length; i++) argv[i] = args[i].getBytes(StandardCharsets.UTF_8);
            ByteBuf buf = Unpooled.buffer();
            try {
                RespWriter w = new RespWriter();
                w.target(buf);
                e.execute(s, argv, w);
                return str(new io.jkevy.resp.RespReplyParser().parse(buf));
            } finally {
                buf.release();
            }
        }
    }
}
