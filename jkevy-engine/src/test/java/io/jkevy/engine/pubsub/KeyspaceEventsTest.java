package io.jkevy.engine.pubsub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.jkevy.engine.pubsub.PubSubKit.r;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Keyspace notifications against sequences recorded from redis-server 7.0.15: each resource
 * line is {@code command => event@db key, ...} (the __keyevent@ channel), with
 * {@code !KS=[...]} when the __keyspace@ messages are not the mirror image of those.
 */
class KeyspaceEventsTest {
    final PubSubKit k = new PubSubKit();

    @ParameterizedTest
    @CsvSource({"keyspace-script.txt, keyspace-expected-KEA.txt, KEA",
                "keyspace-script-small.txt, keyspace-expected-small-En.txt, En",
                "keyspace-script-small.txt, keyspace-expected-small-Kl.txt, Kl",
                "keyspace-script-small.txt, keyspace-expected-small-KEA.txt, KEA",
                "keyspace-script-edges.txt, keyspace-expected-edges-KEAn.txt, KEAn",
                "keyspace-script-keymiss.txt, keyspace-expected-keymiss-KEm.txt, KEm"})
    void eventSequencesMatchRedis(String script, String expected, String flags) throws IOException {
        List<String> commands = lines(script);
        List<String> want = lines(expected);
        var cli = k.client();
        var sub = k.client();
        assertThat(cli.cmd("config", "set", "notify-keyspace-events", flags)).isEqualTo(r("+OK|"));
        sub.cmd("psubscribe", "__key*__:*");
        List<String> got = new ArrayList<>();
        for (String line : commands) {
            cli.cmd(line.split(" "));
            got.add(line + " => " + describe(sub.take()));
        }
        assertThat(got).containsExactlyElementsOf(want);
    }

    /** The recorder's text for the messages of one command. */
    private static String describe(String raw) {
        List<String[]> msgs = parse(raw);
        List<String> ev = new ArrayList<>();
        List<String[]> ks = new ArrayList<>();
        for (String[] m : msgs) {
            String channel = m[0];
            if (channel.startsWith("__keyspace")) {
                ks.add(m);
            } else {
                String db = channel.substring(channel.indexOf('@') + 1, channel.indexOf("__:"));
                ev.add(channel.substring(channel.indexOf(':') + 1) + "@" + db + " " + m[1]);
            }
        }
        String s = String.join(", ", ev);
        if (ks.size() != ev.size()) {
            List<String> t = new ArrayList<>();
            for (String[] m : ks) t.add("('" + m[0] + "', '" + m[1] + "')");
            s += "  !KS=[" + String.join(", ", t) + "]";
        }
        return s;
    }

    /** (channel, message) of each RESP2 pmessage frame. */
    private static List<String[]> parse(String raw) {
        List<String[]> out = new ArrayList<>();
        int[] pos = {0};
        while (pos[0] < raw.length()) {
            String head = line(raw, pos);
            assertThat(head).isEqualTo("*4");
            String[] f = new String[4];
            for (int i = 0; i < 4; i++) {
                int n = Integer.parseInt(line(raw, pos).substring(1));
                f[i] = raw.substring(pos[0], pos[0] + n);
                pos[0] += n + 2;
            }
            assertThat(f[0]).isEqualTo("pmessage");
            out.add(new String[] {f[2], f[3]});
        }
        return out;
    }

    private static String line(String s, int[] pos) {
        int e = s.indexOf("\r\n", pos[0]);
        String l = s.substring(pos[0], e);
        pos[0] = e + 2;
        return l;
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = KeyspaceEventsTest.class.getResourceAsStream("/pubsub/" + resource)) {
            List<String> out = new ArrayList<>();
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!l.isBlank() && !l.startsWith("#")) out.add(l);
            }
            return out;
        }
    }

    @Test
    void nothingIsPublishedByDefault() {
        var cli = k.client();
        var sub = k.client();
        sub.cmd("psubscribe", "*");
        assertThat(cli.cmd("config", "get", "notify-keyspace-events")).isEqualTo(r("*2|$22|notify-keyspace-events|$0||"));
        cli.cmd("set", "a", "1");
        cli.cmd("del", "a");
        assertThat(sub.take()).isEmpty();
        // K or E alone, or a class alone, publishes nothing either
        cli.cmd("config", "set", "notify-keyspace-events", "K");
        cli.cmd("set", "a", "1");
        cli.cmd("config", "set", "notify-keyspace-events", "g$");
        cli.cmd("set", "a", "1");
        assertThat(sub.take()).isEmpty();
    }

    @Test
    void configTextIsCanonical() {
        var cli = k.client();
        String[][] cases = {{"KEA", "AKE"}, {"El", "lE"}, {"nKx", "xnK"}, {"AKEmn", "AKEm"}, {"g$lshzxetdKE", "AKE"},
                {"tAd", "A"}, {"K", "K"}, {"", ""}};
        for (String[] c : cases) {
            cli.cmd("config", "set", "notify-keyspace-events", c[0]);
            assertThat(cli.cmd("config", "get", "notify-keyspace-events"))
                    .as(c[0]).isEqualTo(r("*2|$22|notify-keyspace-events|$" + c[1].length() + "|" + c[1] + "|"));
        }
        assertThat(cli.cmd("config", "set", "notify-keyspace-events", "Kq"))
                .contains("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
        assertThat(cli.cmd("config", "get", "notify-keyspace-events")).endsWith(r("$0||"));
    }

    @Test
    void expiredAndEvictedEvents() {
        var cli = k.client();
        var sub = k.client();
        cli.cmd("config", "set", "notify-keyspace-events", "Exe");
        sub.cmd("psubscribe", "__keyevent@*");
        cli.cmd("set", "k", "v", "px", "100");
        k.now += 200;
        assertThat(cli.cmd("get", "k")).isEqualTo(r("$-1|"));
        assertThat(sub.take()).isEqualTo(r("*4|$8|pmessage|$12|__keyevent@*|$22|__keyevent@0__:expired|$1|k|"));
        k.engine.pubsub().evicted(3, "victim".getBytes(StandardCharsets.US_ASCII));
        assertThat(sub.take()).isEqualTo(r("*4|$8|pmessage|$12|__keyevent@*|$22|__keyevent@3__:evicted|$6|victim|"));
    }

    @Test
    void keyspaceChannelCarriesTheEvent() {
        var cli = k.client();
        var sub = k.client();
        cli.cmd("config", "set", "notify-keyspace-events", "K$");
        sub.cmd("subscribe", "__keyspace@0__:foo");
        cli.cmd("select", "0");
        cli.cmd("set", "foo", "bar");
        cli.cmd("select", "1");
        cli.cmd("set", "foo", "bar");   // another database: another channel
        assertThat(sub.take()).isEqualTo(r("*3|$7|message|$18|__keyspace@0__:foo|$3|set|"));
        assertThatThrownBy(() -> KeyspaceEvents.parse("Z")).hasMessageContaining("Invalid event class");
    }
}
