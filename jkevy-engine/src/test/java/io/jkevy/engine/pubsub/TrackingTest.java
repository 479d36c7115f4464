package io.jkevy.engine.pubsub;

import org.junit.jupiter.api.Test;

import static io.jkevy.engine.pubsub.PubSubKit.r;
import static org.assertj.core.api.Assertions.assertThat;

/** Client-side caching (CLIENT TRACKING); expected bytes as redis-server 7.0.15 sends them. */
class TrackingTest {
    final PubSubKit k = new PubSubKit();

    @Test
    void defaultModeInvalidatesKeysReadOnce() {
        var t = k.client().resp3();
        var w = k.client();
        assertThat(t.cmd("client", "tracking", "on")).isEqualTo(r("+OK|"));
        t.cmd("get", "k");
        t.cmd("mget", "k2", "k3");
        w.cmd("set", "k", "1");
        assertThat(t.take()).isEqualTo(r(">2|$10|invalidate|*1|$1|k|"));
        w.cmd("set", "k", "2");                     // not read again: no second invalidation
        assertThat(t.take()).isEmpty();
        w.cmd("mset", "k2", "a", "k3", "b");
        assertThat(t.take()).isEqualTo(r(">2|$10|invalidate|*1|$2|k2|>2|$10|invalidate|*1|$2|k3|"));
        // writes are not reads
        t.cmd("set", "own", "1");
        w.cmd("set", "own", "2");
        assertThat(t.take()).isEmpty();
    }

    @Test
    void ownWriteIsInvalidatedAfterTheReplyUnlessNoloop() {
        var t = k.client().resp3();
        t.cmd("client", "tracking", "on");
        t.cmd("get", "k");
        assertThat(t.cmd("set", "k", "1")).isEqualTo(r("+OK|>2|$10|invalidate|*1|$1|k|"));
        t.cmd("client", "tracking", "off");
        t.cmd("client", "tracking", "on", "noloop");
        t.cmd("get", "k");
        assertThat(t.cmd("set", "k", "2")).isEqualTo(r("+OK|"));
        var w = k.client();
        t.cmd("get", "k");
        w.cmd("set", "k", "3");
        assertThat(t.take()).isEqualTo(r(">2|$10|invalidate|*1|$1|k|"));
    }

    @Test
    void bcastInvalidatesEveryWriteUnderItsPrefixes() {
        var t = k.client().resp3();
        var w = k.client();
        assertThat(t.cmd("client", "tracking", "on", "bcast", "prefix", "a", "prefix", "b")).isEqualTo(r("+OK|"));
        w.cmd("set", "ax", "1");
        w.cmd("set", "ax", "2");
        w.cmd("set", "cx", "1");
        w.cmd("set", "bz", "1");
        assertThat(t.take()).isEqualTo(r(">2|$10|invalidate|*1|$2|ax|>2|$10|invalidate|*1|$2|ax|>2|$10|invalidate|*1|$2|bz|"));
        assertThat(t.cmd("client", "trackinginfo"))
                .isEqualTo(r("%3|$5|flags|~2|$2|on|$5|bcast|$8|redirect|:0|$8|prefixes|*2|$1|a|$1|b|"));
        assertThat(t.cmd("client", "list", "id", Long.toString(t.id()))).contains("flags=tB ").contains("redir=0 ");
    }

    @Test
    void optinTracksOnlyAfterCachingYesAndOptoutSkipsAfterCachingNo() {
        var t = k.client().resp3();
        var w = k.client();
        t.cmd("client", "tracking", "on", "optin");
        t.cmd("get", "a");
        assertThat(t.cmd("client", "caching", "yes")).isEqualTo(r("+OK|"));
        assertThat(t.cmd("client", "trackinginfo"))
                .isEqualTo(r("%3|$5|flags|~3|$2|on|$5|optin|$11|caching-yes|$8|redirect|:0|$8|prefixes|*0|"));
        t.cmd("get", "b");
        t.cmd("get", "c");                             // the hint covered only the previous command
        w.cmd("mset", "a", "1", "b", "1", "c", "1");
        assertThat(t.take()).isEqualTo(r(">2|$10|invalidate|*1|$1|b|"));

        t.cmd("client", "tracking", "off");
        t.cmd("client", "tracking", "on", "optout");
        t.cmd("client", "caching", "no");
        t.cmd("get", "a");
        t.cmd("get", "b");
        w.cmd("mset", "a", "2", "b", "2");
        assertThat(t.take()).isEqualTo(r(">2|$10|invalidate|*1|$1|b|"));
    }

    @Test
    void redirectToAResp2SubscriberSendsMessagesOnTheInvalidateChannel() {
        var sink = k.client();
        assertThat(sink.cmd("subscribe", "__redis__:invalidate")).isEqualTo(r("*3|$9|subscribe|$20|__redis__:invalidate|:1|"));
        var t = k.client();                          // RESP2 tracking client
        assertThat(t.cmd("client", "tracking", "on", "redirect", Long.toString(sink.id()))).isEqualTo(r("+OK|"));
        assertThat(t.cmd("client", "getredir")).isEqualTo(r(":" + sink.id() + "|"));
        t.cmd("get", "k");
        assertThat(t.cmd("set", "k", "1")).isEqualTo(r("+OK|"));
        assertThat(t.cmd("flushdb")).isEqualTo(r("+OK|"));
        assertThat(sink.take()).isEqualTo(r("*3|$7|message|$20|__redis__:invalidate|*1|$1|k|*3|$7|message|$20|__redis__:invalidate|$-1|"));
        assertThat(t.take()).isEmpty();
        assertThat(t.cmd("client", "list", "id", Long.toString(t.id()))).contains("flags=t ").contains("redir=" + sink.id() + " ");
    }

    @Test
    void brokenRedirectIsReportedToResp3Clients() {
        var gone = k.client();
        var t = k.client().resp3();
        t.cmd("client", "tracking", "on", "redirect", Long.toString(gone.id()));
        t.cmd("get", "q");
        gone.close();
        k.client().cmd("set", "q", "1");
        assertThat(t.take()).isEqualTo(r(">2|$21|tracking-redir-broken|:" + gone.id() + "|"));
        assertThat(t.cmd("client", "trackinginfo")).contains(r("$15|broken_redirect|"));
        assertThat(t.cmd("client", "list", "id", Long.toString(t.id()))).contains("flags=tR ");
    }

    @Test
    void flushSendsNullInvalidationToEveryTrackingClient() {
        var t1 = k.client().resp3();
        var t2 = k.client().resp3();
        t1.cmd("client", "tracking", "on");
        t2.cmd("client", "tracking", "on", "bcast");
        assertThat(t1.cmd("flushall")).isEqualTo(r("+OK|>2|$10|invalidate|_|"));
        assertThat(t2.take()).isEqualTo(r(">2|$10|invalidate|_|"));
    }

    @Test
    void expiryInvalidates() {
        var t = k.client().resp3();
        var w = k.client();
        w.cmd("set", "e", "v", "px", "50");
        t.cmd("client", "tracking", "on");
        t.cmd("get", "e");
        k.now += 100;
        w.cmd("get", "e");                        // lazy expiry
        assertThat(t.take()).isEqualTo(r(">2|$10|invalidate|*1|$1|e|"));
    }

    @Test
    void offStopsEverythingAndResetOrDisconnectTurnsItOff() {
        var t = k.client().resp3();
        var w = k.client();
        t.cmd("client", "tracking", "on");
        t.cmd("get", "a");
        t.cmd("client", "tracking", "off");
        w.cmd("set", "a", "1");
        assertThat(t.take()).isEmpty();
        assertThat(t.cmd("client", "trackinginfo")).isEqualTo(r("%3|$5|flags|~1|$3|off|$8|redirect|:-1|$8|prefixes|*0|"));
        assertThat(t.cmd("client", "getredir")).isEqualTo(r(":-1|"));
        t.cmd("client", "tracking", "on", "bcast");
        assertThat(k.engine.pubsub().tracking().clients()).isEqualTo(1);
        t.cmd("reset");
        assertThat(k.engine.pubsub().tracking().clients()).isZero();
        w.cmd("set", "a", "2");
        assertThat(t.take()).isEmpty();
    }

    @Test
    void errorsAreRedisWords() {
        var t = k.client();
        assertThat(t.cmd("client", "tracking", "on", "prefix", "a")).isEqualTo(r("-ERR PREFIX option requires BCAST mode to be enabled|"));
        assertThat(t.cmd("client", "tracking", "on", "bcast", "optin")).isEqualTo(r("-ERR OPTIN and OPTOUT are not compatible with BCAST|"));
        assertThat(t.cmd("client", "tracking", "on", "optin", "optout")).isEqualTo(r("-ERR You can't specify both OPTIN mode and OPTOUT mode|"));
        assertThat(t.cmd("client", "tracking", "on", "bcast", "prefix", "a", "prefix", "ab")).isEqualTo(
                r("-ERR Prefix 'a' overlaps with another provided prefix 'ab'. Prefixes for a single client must not overlap.|"));
        assertThat(t.cmd("client", "caching", "yes")).isEqualTo(
                r("-ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled|"));
        assertThat(t.cmd("client", "tracking", "on", "redirect", "999")).isEqualTo(r("-ERR The client ID you want redirect to does not exist|"));
        assertThat(t.cmd("client", "tracking", "on", "redirect", "abc")).isEqualTo(r("-ERR value is not an integer or out of range|"));
        assertThat(t.cmd("client", "tracking", "foo")).isEqualTo(r("-ERR syntax error|"));
        assertThat(t.cmd("client", "tracking", "on", "redirect")).isEqualTo(r("-ERR syntax error|"));
        assertThat(t.cmd("client", "trackinginfo")).isEqualTo(r("*6|$5|flags|*1|$3|off|$8|redirect|:-1|$8|prefixes|*0|"));

        t.cmd("client", "tracking", "on");
        assertThat(t.cmd("client", "tracking", "on", "bcast")).isEqualTo(r("-ERR You can't switch BCAST mode on/off before disabling "
                + "tracking for this client, and then re-enabling it with a different mode.|"));
        t.cmd("client", "tracking", "off");
        t.cmd("client", "tracking", "on", "optin");
        assertThat(t.cmd("client", "caching", "no")).isEqualTo(r("-ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.|"));
        assertThat(t.cmd("client", "tracking", "on", "optout")).isEqualTo(r("-ERR You can't switch OPTIN/OPTOUT mode before disabling "
                + "tracking for this client, and then re-enabling it with a different mode.|"));
        t.cmd("client", "tracking", "off");
        t.cmd("client", "tracking", "on", "optout");
        assertThat(t.cmd("client", "caching", "yes")).isEqualTo(r("-ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.|"));
        t.cmd("client", "tracking", "off");
        t.cmd("client", "tracking", "on", "bcast", "prefix", "x");
        assertThat(t.cmd("client", "tracking", "on", "bcast", "prefix", "x1")).isEqualTo(
                r("-ERR Prefix 'x1' overlaps with an existing prefix 'x'. Prefixes for a single client must not overlap.|"));
        assertThat(t.cmd("client", "tracking", "on", "bcast", "prefix", "y")).isEqualTo(r("+OK|"));
        assertThat(t.cmd("client", "trackinginfo")).isEqualTo(r("*6|$5|flags|*2|$2|on|$5|bcast|$8|redirect|:0|$8|prefixes|*2|$1|x|$1|y|"));
    }

    @Test
    void movableKeyReadsAreTracked() {
        var t = k.client().resp3();
        var w = k.client();
        t.cmd("client", "tracking", "on");
        t.cmd("zunion", "2", "za", "zb");
        t.cmd("xread", "count", "1", "streams", "st", "0");
        w.cmd("zadd", "zb", "1", "m");
        w.cmd("xadd", "st", "1-1", "f", "v");
        w.cmd("zadd", "za", "1", "m");
        assertThat(t.take()).isEqualTo(r(">2|$10|invalidate|*1|$2|zb|>2|$10|invalidate|*1|$2|st|>2|$10|invalidate|*1|$2|za|"));
    }

    @Test
    void tableLimitEvictsKeysWithAnInvalidation() {
        var t = k.client().resp3();
        assertThat(t.cmd("config", "set", "tracking-table-max-keys", "2")).isEqualTo(r("+OK|"));
        t.cmd("client", "tracking", "on");
        String reply = t.cmd("mget", "a", "b", "c");
        assertThat(reply).startsWith(r("*3|_|_|_|>2|$10|invalidate|*1|$1|"));
        assertThat(k.engine.pubsub().tracking().trackedKeys()).isEqualTo(2);
        String evicted = reply.substring(reply.length() - 3, reply.length() - 2);
        // the evicted key is no longer tracked; the others still are
        var w = k.client();
        w.cmd("mset", "a", "1", "b", "1", "c", "1");
        String rest = t.take();
        assertThat(rest).doesNotContain(r("$1|" + evicted + "|"));
        assertThat(rest.split(">2", -1)).hasSize(3);
    }

    @Test
    void cachingHintCoversAWholeTransaction() {
        var t = k.client().resp3();
        var w = k.client();
        t.cmd("client", "tracking", "on", "optin");
        t.cmd("client", "caching", "yes");
        t.cmd("multi");
        t.cmd("get", "a");
        t.cmd("get", "b");
        assertThat(t.cmd("exec")).isEqualTo(r("*2|_|_|"));
        t.cmd("get", "c");                   // after EXEC the hint is spent
        w.cmd("mset", "a", "1", "b", "1", "c", "1");
        assertThat(t.take()).isEqualTo(r(">2|$10|invalidate|*1|$1|a|>2|$10|invalidate|*1|$1|b|"));
    }
}
