package io.jkevy.engine.pubsub;

import org.junit.jupiter.api.Test;

import static io.jkevy.engine.pubsub.PubSubKit.r;
import static org.assertj.core.api.Assertions.assertThat;

/** Pub/sub at engine level; expected bytes are what redis-server 7.0.15 sends. */
class PubSubTest {
    final PubSubKit k = new PubSubKit();

    @Test
    void subscribeAndUnsubscribeReplies() {
        var a = k.client();
        assertThat(a.cmd("unsubscribe")).isEqualTo(r("*3|$11|unsubscribe|$-1|:0|"));
        assertThat(a.cmd("punsubscribe")).isEqualTo(r("*3|$12|punsubscribe|$-1|:0|"));
        assertThat(a.cmd("sunsubscribe")).isEqualTo(r("*3|$12|sunsubscribe|$-1|:0|"));
        assertThat(a.cmd("subscribe", "a", "b")).isEqualTo(r("*3|$9|subscribe|$1|a|:1|*3|$9|subscribe|$1|b|:2|"));
        assertThat(a.cmd("subscribe", "a")).isEqualTo(r("*3|$9|subscribe|$1|a|:2|"));
        assertThat(a.cmd("psubscribe", "h*llo")).isEqualTo(r("*3|$10|psubscribe|$5|h*llo|:3|"));
        // shard channels are counted on their own
        assertThat(a.cmd("ssubscribe", "s1")).isEqualTo(r("*3|$10|ssubscribe|$2|s1|:1|"));
        assertThat(a.cmd("unsubscribe", "nope")).isEqualTo(r("*3|$11|unsubscribe|$4|nope|:3|"));
        assertThat(a.cmd("unsubscribe")).isEqualTo(r("*3|$11|unsubscribe|$1|a|:2|*3|$11|unsubscribe|$1|b|:1|"));
        assertThat(a.cmd("punsubscribe")).isEqualTo(r("*3|$12|punsubscribe|$5|h*llo|:0|"));
        assertThat(a.cmd("sunsubscribe")).isEqualTo(r("*3|$12|sunsubscribe|$2|s1|:0|"));
        assertThat(a.session.pubsubMode()).isFalse();
        assertThat(a.cmd("subscribe")).isEqualTo(r("-ERR wrong number of arguments for 'subscribe' command|"));
    }

    @Test
    void publishReachesOtherSessionsThroughTheirConnection() {
        var sub = k.client();
        var pub = k.client();
        sub.cmd("subscribe", "news");
        assertThat(pub.cmd("publish", "news", "hi")).isEqualTo(r(":1|"));
        assertThat(pub.cmd("publish", "other", "x")).isEqualTo(r(":0|"));
        assertThat(sub.take()).isEqualTo(r("*3|$7|message|$4|news|$2|hi|"));
        assertThat(pub.take()).isEmpty();
    }

    @Test
    void resp3SubscriberGetsPushesAndMayRunAnyCommand() {
        var a = k.client().resp3();
        assertThat(a.cmd("subscribe", "a")).isEqualTo(r(">3|$9|subscribe|$1|a|:1|"));
        assertThat(a.cmd("get", "x")).isEqualTo(r("_|"));
        assertThat(a.cmd("ping")).isEqualTo(r("+PONG|"));
        // publishing to itself: the push comes first, in its own reply stream
        assertThat(a.cmd("publish", "a", "m")).isEqualTo(r(">3|$7|message|$1|a|$1|m|:1|"));
        assertThat(a.cmd("psubscribe", "*")).isEqualTo(r(">3|$10|psubscribe|$1|*|:2|"));
        assertThat(a.cmd("publish", "a", "m2"))
                .isEqualTo(r(">3|$7|message|$1|a|$2|m2|>4|$8|pmessage|$1|*|$1|a|$2|m2|:2|"));
        assertThat(a.cmd("unsubscribe")).isEqualTo(r(">3|$11|unsubscribe|$1|a|:1|"));
        assertThat(a.take()).isEmpty();
        var b = k.client();
        b.cmd("publish", "zz", "v");
        assertThat(a.take()).isEqualTo(r(">4|$8|pmessage|$1|*|$2|zz|$1|v|"));
    }

    @Test
    void resp2SubscribedModeAllowsOnlyTheSubscribeFamilyPingQuitReset() {
        var a = k.client();
        a.cmd("subscribe", "a");
        String tail = "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context|";
        assertThat(a.cmd("get", "a")).isEqualTo(r("-ERR Can't execute 'get" + tail).replace("(P\r\nS)", "(P|S)"));
        assertThat(a.cmd("client", "list")).isEqualTo(r("-ERR Can't execute 'client|list" + tail).replace("(P\r\nS)", "(P|S)")
                .replace("client\r\nlist", "client|list"));
        assertThat(a.cmd("publish", "a", "x")).startsWith("-ERR Can't execute 'publish'");
        assertThat(a.cmd("foo")).startsWith("-ERR unknown command 'foo'");
        assertThat(a.cmd("ping")).isEqualTo(r("*2|$4|pong|$0||"));
        assertThat(a.cmd("ping", "x")).isEqualTo(r("*2|$4|pong|$1|x|"));
        assertThat(a.cmd("psubscribe", "p*")).isEqualTo(r("*3|$10|psubscribe|$2|p*|:2|"));
        assertThat(a.cmd("reset")).isEqualTo(r("+RESET|"));
        assertThat(a.cmd("ping")).isEqualTo(r("+PONG|"));
        assertThat(a.cmd("get", "a")).isEqualTo(r("$-1|"));
        var b = k.client();
        assertThat(b.cmd("publish", "a", "x")).isEqualTo(r(":0|"));
        assertThat(b.cmd("pubsub", "numpat")).isEqualTo(r(":0|"));
    }

    @Test
    void shardChannelsAreSeparateFromChannels() {
        var a = k.client();
        var b = k.client();
        var p = k.client();
        a.cmd("ssubscribe", "s");
        b.cmd("subscribe", "s");
        b.cmd("psubscribe", "*");
        assertThat(p.cmd("spublish", "s", "1")).isEqualTo(r(":1|"));
        assertThat(a.take()).isEqualTo(r("*3|$8|smessage|$1|s|$1|1|"));
        assertThat(b.take()).isEmpty();
        assertThat(p.cmd("publish", "s", "2")).isEqualTo(r(":2|"));
        assertThat(a.take()).isEmpty();
        assertThat(p.cmd("pubsub", "shardchannels")).isEqualTo(r("*1|$1|s|"));
        assertThat(p.cmd("pubsub", "shardnumsub", "s", "t")).isEqualTo(r("*4|$1|s|:1|$1|t|:0|"));
    }

    @Test
    void patternsMatchAsRedisGlobs() {
        var sub = k.client();
        var pub = k.client();
        sub.cmd("psubscribe", "h?llo", "h[ae]llo", "h[^e]llo", "h[a-b]llo", "news.*", "lit\\*");
        record Case(String channel, int receivers) { }
        Case[] cases = {
            new Case("hello", 2),      // h?llo, h[ae]llo
            new Case("hallo", 4),      // h?llo, h[ae]llo, h[^e]llo, h[a-b]llo
            new Case("hxllo", 2),      // h?llo, h[^e]llo
            new Case("hllo", 0),
            new Case("news.", 1),
            new Case("news.sport.x", 1),
            new Case("news", 0),
            new Case("lit*", 1),
            new Case("litx", 0),
            new Case("HELLO", 0),      // case-sensitive
        };
        for (Case c : cases) {
            assertThat(pub.cmd("publish", c.channel, "m")).as(c.channel).isEqualTo(r(":" + c.receivers + "|"));
        }
        assertThat(sub.take()).contains(r("$8|pmessage|$8|h[^e]llo|$5|hallo|$1|m|"))
                .doesNotContain("$4|hllo").doesNotContain("HELLO");
        assertThat(pub.cmd("pubsub", "numpat")).isEqualTo(r(":6|"));
    }

    @Test
    void pubsubIntrospection() {
        var a = k.client();
        var b = k.client();
        var q = k.client();
        a.cmd("subscribe", "news.1", "news.2", "other");
        b.cmd("subscribe", "news.1");
        b.cmd("psubscribe", "x*", "y*");
        a.cmd("psubscribe", "x*");
        assertThat(q.cmd("pubsub", "channels", "news.*")).contains("news.1").contains("news.2").doesNotContain("other");
        assertThat(q.cmd("pubsub", "channels")).startsWith("*3\r\n");
        assertThat(q.cmd("pubsub", "numsub", "news.1", "other", "none"))
                .isEqualTo(r("*6|$6|news.1|:2|$5|other|:1|$4|none|:0|"));
        assertThat(q.cmd("pubsub", "numsub")).isEqualTo(r("*0|"));
        assertThat(q.cmd("pubsub", "numpat")).isEqualTo(r(":2|"));
        assertThat(q.cmd("pubsub", "channels", "a", "b"))
                .isEqualTo(r("-ERR unknown subcommand or wrong number of arguments for 'channels'. Try PUBSUB HELP.|"));
        assertThat(q.cmd("pubsub", "foo")).isEqualTo(r("-ERR unknown subcommand 'foo'. Try PUBSUB HELP.|"));
        assertThat(q.cmd("pubsub", "numpat", "x")).isEqualTo(r("-ERR wrong number of arguments for 'pubsub|numpat' command|")
                .replace("pubsub\r\nnumpat", "pubsub|numpat"));
        // a disconnect drops every subscription
        b.close();
        assertThat(q.cmd("pubsub", "numsub", "news.1")).isEqualTo(r("*2|$6|news.1|:1|"));
        assertThat(q.cmd("pubsub", "numpat")).isEqualTo(r(":1|"));
        assertThat(q.cmd("publish", "news.1", "m")).isEqualTo(r(":1|"));
    }

    @Test
    void clientListShowsSubscriptions() {
        var a = k.client();
        var b = k.client().resp3();
        a.cmd("subscribe", "c1", "c2");
        a.cmd("psubscribe", "p*");
        b.cmd("ssubscribe", "s");
        var q = k.client();
        String list = q.cmd("client", "list");
        assertThat(list).contains("id=" + a.id() + " ").contains("flags=P db=0 sub=2 psub=1 ssub=0 multi=-1");
        assertThat(list).contains("flags=P db=0 sub=0 psub=0 ssub=1 multi=-1");
        // type pubsub: any client with subscriptions, RESP3 too (Redis 7.0.15)
        String pubsubType = q.cmd("client", "list", "type", "pubsub");
        assertThat(pubsubType).contains("id=" + a.id() + " ").contains("id=" + b.id() + " ")
                .doesNotContain("id=" + q.id() + " ");
        assertThat(q.cmd("client", "list", "type", "normal")).contains("id=" + q.id() + " ").doesNotContain("id=" + a.id() + " ");
        assertThat(q.cmd("client", "kill", "type", "pubsub")).isEqualTo(r(":2|"));
        assertThat(a.conn.closed).isTrue();
        assertThat(q.cmd("pubsub", "numpat")).isEqualTo(r(":0|"));
    }

    @Test
    void fanOutKeepsOrderPerSubscriber() throws Exception {
        int subs = 50, msgs = 200;
        PubSubKit.Client[] s = new PubSubKit.Client[subs];
        for (int i = 0; i < subs; i++) {
            s[i] = k.client();
            s[i].cmd("subscribe", "fan");
        }
        // two publisher threads on different channels' sessions, each in its own order
        var p1 = k.client();
        var p2 = k.client();
        Thread t1 = new Thread(() -> { for (int i = 0; i < msgs; i++) p1.cmd("publish", "fan", "a" + i); });
        Thread t2 = new Thread(() -> { for (int i = 0; i < msgs; i++) p2.cmd("publish", "fan", "b" + i); });
        t1.start();
        t2.start();
        t1.join();
        t2.join();
        String first = null;
        for (var c : s) {
            String got = c.take();
            java.util.List<String> a = new java.util.ArrayList<>(), b = new java.util.ArrayList<>();
            for (String m : got.split("\\*3\r\n\\$7\r\nmessage\r\n\\$3\r\nfan\r\n")) {
                if (m.isEmpty()) continue;
                String body = m.substring(m.indexOf("\r\n") + 2, m.length() - 2);
                (body.startsWith("a") ? a : b).add(body);
            }
            assertThat(a).hasSize(msgs);
            assertThat(b).hasSize(msgs);
            for (int i = 0; i < msgs; i++) {
                assertThat(a.get(i)).isEqualTo("a" + i);
                assertThat(b.get(i)).isEqualTo("b" + i);
            }
            // every subscriber sees the same interleaving of the two publishers
            if (first == null) first = got; else assertThat(got).isEqualTo(first);
        }
    }

    @Test
    void infoCountsChannelsPatternsAndTracking() {
        var a = k.client();
        var t = k.client().resp3();
        a.cmd("subscribe", "x", "y");
        a.cmd("psubscribe", "p*");
        a.cmd("ssubscribe", "s");
        t.cmd("client", "tracking", "on");
        t.cmd("mget", "k1", "k2");
        var q = k.client();
        String stats = q.cmd("info", "stats");
        assertThat(stats).contains("pubsub_channels:2\r\n", "pubsub_patterns:1\r\n", "pubsubshard_channels:1\r\n",
                "tracking_total_keys:2\r\n", "tracking_total_items:2\r\n", "tracking_total_prefixes:0\r\n");
        assertThat(q.cmd("info", "clients")).contains("tracking_clients:1\r\n");
    }

    @Test
    void aPushNeverLandsInANestedCommandsCapturedReply() {
        // a stand-in for a script: runs PUBLISH nested and returns what it captured
        k.engine.commands().add(io.jkevy.engine.command.CommandTable.spec("tnested", 1, "global", 0, 0, 0, "@slow",
                "generic", "7.0.0", "test", c -> {
                    io.netty.buffer.ByteBuf cap = io.netty.buffer.Unpooled.buffer();
                    io.jkevy.resp.RespWriter w = new io.jkevy.resp.RespWriter();
                    w.target(cap);
                    w.protocol(c.session().protocol());
                    c.engine().executeNested(c.session(), new byte[][] {"publish".getBytes(), "ch".getBytes(), "m".getBytes()}, w);
                    c.out().bulk(cap.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
                    cap.release();
                }));
        var a = k.client().resp3();
        a.cmd("subscribe", "ch");
        assertThat(a.cmd("tnested")).isEqualTo(r("$4|:1||"));
        assertThat(a.take()).isEqualTo(r(">3|$7|message|$2|ch|$1|m|"));
    }

    @Test
    void shardChannelsAreNotKeysForIntrospection() {
        var q = k.client();
        assertThat(q.cmd("command", "getkeys", "spublish", "ch", "m")).isEqualTo(r("-ERR The command has no key arguments|"));
        assertThat(q.cmd("command", "info", "ssubscribe")).contains(r("+not_key|")).doesNotContain("access");
        assertThat(q.cmd("command", "info", "publish")).contains(r("+pubsub|")).contains(r("+fast|"));
    }

    @Test
    void transactionsAndPubSub() {
        // RESP3: a push for the client itself lands inside the EXEC array, as Redis 7.0
        var a = k.client().resp3();
        a.cmd("subscribe", "ch");
        a.cmd("multi");
        assertThat(a.cmd("publish", "ch", "x")).isEqualTo(r("+QUEUED|"));
        assertThat(a.cmd("exec")).isEqualTo(r("*1|>3|$7|message|$2|ch|$1|x|:1|"));
        // RESP2: SUBSCRIBE queued in MULTI enters subscribed mode at EXEC; MULTI is refused there
        var b = k.client();
        b.cmd("multi");
        b.cmd("subscribe", "q");
        assertThat(b.cmd("exec")).isEqualTo(r("*1|*3|$9|subscribe|$1|q|:1|"));
        assertThat(b.cmd("multi")).startsWith("-ERR Can't execute 'multi': only (P|S)SUBSCRIBE");
        // keyspace events of the queued commands, in order
        var w = k.client();
        var sub = k.client();
        w.cmd("config", "set", "notify-keyspace-events", "El");
        sub.cmd("psubscribe", "__keyevent@0__:*");
        w.cmd("multi");
        w.cmd("rpush", "l", "a");
        w.cmd("rpop", "l");
        w.cmd("exec");
        assertThat(sub.take()).isEqualTo(r("*4|$8|pmessage|$16|__keyevent@0__:*|$20|__keyevent@0__:rpush|$1|l|"
                + "*4|$8|pmessage|$16|__keyevent@0__:*|$19|__keyevent@0__:rpop|$1|l|"));
    }
}
