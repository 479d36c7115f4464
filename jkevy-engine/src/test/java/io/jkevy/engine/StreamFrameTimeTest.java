package io.jkevy.engine;

import io.jkevy.journal.Frames;
import io.jkevy.journal.Journal;
import io.jkevy.resp.RespValue;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frames are applied at time 0 (Engine.applyFrame): the XCLAIM ... TIME effect of an
 * XREADGROUP must keep the primary's delivery time and the consumer's seen time on the
 * replica (and after a journal replay) instead of clamping them to the epoch.
 */
class StreamFrameTimeTest {
    @Test
    void appliedXreadgroupKeepsDeliveryAndSeenTimes() {
        EngineHarness a = new EngineHarness();
        a.engine.journal().backlogBudget(64L << 20);
        long first = a.engine.journal().nextOffset();
        a.call("XADD", "s", "1-1", "f", "v");
        a.call("XADD", "s", "2-1", "f", "w");
        a.call("XGROUP", "CREATE", "s", "g", "0");
        a.advance(1234);
        a.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", ">");
        a.advance(10);
        a.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0");      // redelivery: count 2

        EngineHarness b = new EngineHarness();
        assertThat(b.engine.journal().nextOffset()).isEqualTo(first);
        b.advance(a.now() - b.now());
        Session applier = b.engine.internalSession();
        List<byte[]> frames = ((Journal.Read.Frames) a.engine.journal().read(first, 1000)).frames();
        long off = first;
        for (byte[] f : frames) assertThat(b.engine.applyFrame(applier, off++, f, Frames.decodeArgv(f))).isNull();

        assertThat(b.call("DUMP", "s")).isEqualTo(a.call("DUMP", "s"));
        // idle times measured from the primary's delivery, not from 1970
        RespValue pending = b.call("XPENDING", "s", "g", "-", "+", "10");
        assertThat(pending).isEqualTo(a.call("XPENDING", "s", "g", "-", "+", "10"));
        assertThat(pending.toString()).contains("alice");
        assertThat(b.call("XINFO", "CONSUMERS", "s", "g")).isEqualTo(a.call("XINFO", "CONSUMERS", "s", "g"));
    }
}
