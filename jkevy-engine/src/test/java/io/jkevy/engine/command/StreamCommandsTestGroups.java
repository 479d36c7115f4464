package io.jkevy.engine.command;

import io.jkevy.engine.EngineHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.jkevy.engine.command.StreamCommandsTest.show;
import static io.jkevy.engine.command.StringCommandsTestSupport.effects;
import static io.jkevy.engine.command.StringCommandsTestSupport.mark;
import static org.assertj.core.api.Assertions.assertThat;

class StreamCommandsTestGroups {
    EngineHarness h;

    @BeforeEach
    void setUp() {
        h = new EngineHarness();
        for (int i = 1; i <= 3; i++) h.call("XADD", "s", i + "-0", "f", "v" + i);
    }

    String s(String... a) { return show(h.call(a)); }

    @Test
    void xgroupLifecycle() {
        assertThat(h.simple("XGROUP", "CREATE", "s", "g", "0")).isEqualTo("OK");
        assertThat(h.error("XGROUP", "CREATE", "s", "g", "$")).isEqualTo("BUSYGROUP Consumer Group name already exists");
        assertThat(h.error("XGROUP", "CREATE", "nokey", "g", "$")).startsWith("ERR The XGROUP subcommand requires the key to exist.");
        assertThat(h.simple("XGROUP", "CREATE", "new", "g", "$", "MKSTREAM")).isEqualTo("OK");
        assertThat(h.integer("XLEN", "new")).isZero();
        assertThat(h.error("XGROUP", "CREATE", "s", "h", "0", "ENTRIESREAD", "-2")).isEqualTo("ERR value for ENTRIESREAD must be positive or -1");
        assertThat(h.integer("XGROUP", "CREATECONSUMER", "s", "g", "alice")).isEqualTo(1);
        assertThat(h.integer("XGROUP", "CREATECONSUMER", "s", "g", "alice")).isZero();
        assertThat(h.error("XGROUP", "CREATECONSUMER", "s", "nog", "alice")).isEqualTo("NOGROUP No such consumer group 'nog' for key name 's'");
        h.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">");
        assertThat(h.integer("XGROUP", "DELCONSUMER", "s", "g", "alice")).isEqualTo(3);
        assertThat(s("XPENDING", "s", "g")).isEqualTo("[0,nil,nil,nil]");
        assertThat(h.simple("XGROUP", "SETID", "s", "g", "1-0")).isEqualTo("OK");
        assertThat(s("XINFO", "GROUPS", "s")).isEqualTo("[[name,g,consumers,0,pending,0,last-delivered-id,1-0,entries-read,nil,lag,2]]");
        assertThat(h.integer("XGROUP", "DESTROY", "s", "g")).isEqualTo(1);
        assertThat(h.integer("XGROUP", "DESTROY", "s", "g")).isZero();
        assertThat(h.error("XGROUP", "FOO")).startsWith("ERR unknown subcommand 'FOO'");
    }

    @Test
    void xreadgroupDeliversTracksPelAndJournals() {
        h.call("XGROUP", "CREATE", "s", "g", "0");
        long m = mark(h);
        long t = h.now();
        assertThat(s("XREADGROUP", "GROUP", "g", "c1", "COUNT", "2", "STREAMS", "s", ">"))
                .isEqualTo("[[s,[[1-0,[f,v1]],[2-0,[f,v2]]]]]");
        assertThat(effects(h, m)).containsExactly("MULTI",
                "XGROUP CREATECONSUMER s g c1",
                "XCLAIM s g c1 0 1-0 TIME " + t + " RETRYCOUNT 1 FORCE JUSTID LASTID 2-0",
                "XCLAIM s g c1 0 2-0 TIME " + t + " RETRYCOUNT 1 FORCE JUSTID LASTID 2-0",
                "XGROUP SETID s g 2-0 ENTRIESREAD 2", "EXEC");
        h.advance(100);
        assertThat(s("XPENDING", "s", "g")).isEqualTo("[2,1-0,2-0,[[c1,2]]]");
        assertThat(s("XPENDING", "s", "g", "-", "+", "10")).isEqualTo("[[1-0,c1,100,1],[2-0,c1,100,1]]");
        assertThat(s("XPENDING", "s", "g", "IDLE", "200", "-", "+", "10")).isEqualTo("[]");
        assertThat(s("XPENDING", "s", "g", "-", "+", "10", "other")).isEqualTo("[]");
        // history read bumps the delivery count
        assertThat(s("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", "0")).isEqualTo("[[s,[[1-0,[f,v1]],[2-0,[f,v2]]]]]");
        assertThat(s("XPENDING", "s", "g", "-", "+", "1")).isEqualTo("[[1-0,c1,0,2]]");
        assertThat(s("XREADGROUP", "GROUP", "g", "c2", "NOACK", "STREAMS", "s", ">")).isEqualTo("[[s,[[3-0,[f,v3]]]]]");
        assertThat(s("XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", ">")).isEqualTo("nil");
        assertThat(s("XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", "0")).isEqualTo("[[s,[]]]");
        assertThat(s("XINFO", "GROUPS", "s")).isEqualTo("[[name,g,consumers,2,pending,2,last-delivered-id,3-0,entries-read,3,lag,0]]");
        h.call("XDEL", "s", "2-0");
        assertThat(s("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", "1-0")).isEqualTo("[[s,[[2-0,nil]]]]");
        assertThat(h.integer("XACK", "s", "g", "1-0", "2-0", "9-0")).isEqualTo(2);
        assertThat(h.integer("XACK", "s", "nog", "1-0")).isZero();
        assertThat(h.error("XREADGROUP", "GROUP", "nog", "c", "STREAMS", "s", ">"))
                .isEqualTo("NOGROUP No such key 's' or consumer group 'nog' in XREADGROUP with GROUP option");
        assertThat(h.error("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "$"))
                .isEqualTo("ERR The $ ID is meaningless in the context of XREADGROUP");
        assertThat(h.error("XREADGROUP", "COUNT", "1", "NOACK", "STREAMS", "s", ">")).isEqualTo("ERR Missing GROUP option for XREADGROUP");
        assertThat(h.error("XPENDING", "nokey", "g")).isEqualTo("NOGROUP No such key 'nokey' or consumer group 'g'");
    }

    @Test
    void xclaimAndXautoclaim() {
        h.call("XGROUP", "CREATE", "s", "g", "0");
        h.call("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">");
        h.advance(1000);
        long m = mark(h);
        assertThat(s("XCLAIM", "s", "g", "c2", "2000", "1-0")).isEqualTo("[]");
        assertThat(s("XCLAIM", "s", "g", "c2", "500", "1-0")).isEqualTo("[[1-0,[f,v1]]]");
        assertThat(s("XPENDING", "s", "g", "-", "+", "1")).isEqualTo("[[1-0,c2,0,2]]");
        assertThat(effects(h, m)).containsExactly("XGROUP CREATECONSUMER s g c2",
                "XCLAIM s g c2 0 1-0 TIME " + h.now() + " RETRYCOUNT 2 FORCE JUSTID LASTID 3-0");
        assertThat(s("XCLAIM", "s", "g", "c2", "0", "2-0", "JUSTID", "RETRYCOUNT", "7", "IDLE", "300")).isEqualTo("[2-0]");
        assertThat(s("XPENDING", "s", "g", "2-0", "2-0", "1")).isEqualTo("[[2-0,c2,300,7]]");
        assertThat(h.error("XCLAIM", "s", "g", "c2", "0", "1-0", "BOGUS")).isEqualTo("ERR Unrecognized XCLAIM option 'BOGUS'");
        assertThat(h.error("XCLAIM", "s", "g", "c2", "x", "1-0")).isEqualTo("ERR Invalid min-idle-time argument for XCLAIM");
        h.advance(1000);
        h.call("XDEL", "s", "3-0");
        assertThat(s("XAUTOCLAIM", "s", "g", "c3", "500", "0", "COUNT", "1")).isEqualTo("[2-0,[[1-0,[f,v1]]],[]]");
        assertThat(s("XAUTOCLAIM", "s", "g", "c3", "500", "(1-0", "JUSTID")).isEqualTo("[0-0,[2-0],[3-0]]");
        assertThat(s("XPENDING", "s", "g")).isEqualTo("[2,1-0,2-0,[[c3,2]]]");
        assertThat(h.error("XAUTOCLAIM", "s", "g", "c3", "0", "0", "COUNT", "0")).isEqualTo("ERR COUNT must be > 0");
        assertThat(s("XINFO", "CONSUMERS", "s", "g")).isEqualTo("[[name,c1,pending,0,idle,2000],[name,c2,pending,0,idle,1000],[name,c3,pending,2,idle,0]]");
    }

    @Test
    void xsetidAndXinfoStream() {
        assertThat(h.error("XSETID", "s", "2-0")).isEqualTo("ERR The ID specified in XSETID is smaller than the target stream top item");
        assertThat(h.simple("XSETID", "s", "5-0", "ENTRIESADDED", "10", "MAXDELETEDID", "4-0")).isEqualTo("OK");
        assertThat(h.error("XSETID", "nokey", "5-0")).isEqualTo("ERR no such key");
        assertThat(h.error("XSETID", "s", "5-0", "ENTRIESADDED", "1")).isEqualTo("ERR The entries_added specified in XSETID is smaller than the target stream length");
        assertThat(h.error("XADD", "s", "5-0", "f", "v")).startsWith("ERR The ID specified in XADD is equal or smaller");
        assertThat(s("XINFO", "STREAM", "s")).isEqualTo("[length,3,radix-tree-keys,1,radix-tree-nodes,2,last-generated-id,5-0,"
                + "max-deleted-entry-id,4-0,entries-added,10,recorded-first-entry-id,1-0,groups,0,first-entry,[1-0,[f,v1]],last-entry,[3-0,[f,v3]]]");
        h.call("XGROUP", "CREATE", "s", "g", "0");
        h.call("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">");
        assertThat(s("XINFO", "STREAM", "s", "FULL", "COUNT", "1")).isEqualTo("[length,3,radix-tree-keys,1,radix-tree-nodes,2,"
                + "last-generated-id,5-0,max-deleted-entry-id,4-0,entries-added,10,recorded-first-entry-id,1-0,entries,[[1-0,[f,v1]]],"
                + "groups,[[name,g,last-delivered-id,1-0,entries-read,nil,lag,nil,pel-count,1,pending,[[1-0,c," + h.now() + ",1]],"
                + "consumers,[[name,c,seen-time," + h.now() + ",pel-count,1,pending,[[1-0," + h.now() + ",1]]]]]]]");
        assertThat(h.error("XINFO", "STREAM", "nokey")).isEqualTo("ERR no such key");
        assertThat(h.call("DEBUG", "DIGEST-VALUE", "s")).isInstanceOf(io.jkevy.resp.RespValue.Array.class);
    }
}
