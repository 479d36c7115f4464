package io.jkevy.engine.persist;

import io.jkevy.engine.EngineHarness;
import io.jkevy.engine.JournalReplayTestAccess;
import io.jkevy.journal.disk.FsyncPolicy;
import io.jkevy.journal.disk.JournalCorruptException;
import io.jkevy.journal.disk.SegmentReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurabilityTest {
    @TempDir Path dir;

    private static Durability.Options opts(FsyncPolicy p) { return new Durability.Options(p, true, false, 16 * 1024); }

    /** Random writes of every type through a journaled engine; returns it (still open). */
    private static void writeRandom(EngineHarness h, long seed, int n) {
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            if (r.nextInt(50) == 0) h.advance(r.nextInt(300));
            if (r.nextInt(200) == 0) h.engine.cron();
            h.call(JournalReplayTestAccess.randomCommand(r));
        }
    }

    @Test
    void aCleanRestartRebuildsTheSameDatasetVersionsAndGeneration() throws IOException {
        EngineHarness a = new EngineHarness(16, 4);
        Durability da = Durability.open(a.engine, dir, opts(FsyncPolicy.EVERYSEC));
        writeRandom(a, 42, 3000);
        a.call("SET", "plain", "value");
        long version = a.engine.keyspace().db(0).version("plain".getBytes());
        long gen = a.engine.journal().generation(), next = a.engine.journal().nextOffset();
        da.close();
        assertThat(SegmentReader.segments(dir).size()).isGreaterThan(1);      // rotated at 16 KiB

        EngineHarness b = new EngineHarness(16, 1);
        b.advance(a.now() - b.now());
        Durability db = Durability.open(b.engine, dir, opts(FsyncPolicy.EVERYSEC));
        assertThat(db.keptGeneration()).isTrue();
        assertThat(b.engine.journal().generation()).isEqualTo(gen);
        assertThat(b.engine.journal().nextOffset()).isEqualTo(next);
        assertThat(b.simple("DEBUG", "DIGEST")).isEqualTo(a.simple("DEBUG", "DIGEST")).isNotEqualTo("0".repeat(40));
        assertThat(b.call("DBSIZE")).isEqualTo(a.call("DBSIZE"));
        assertThat(b.engine.keyspace().db(0).version("plain".getBytes())).isEqualTo(version);
        // the restarted engine keeps journaling in the same history
        b.call("SET", "after", "restart");
        db.close();
        EngineHarness c = new EngineHarness(16, 1);
        c.advance(a.now() - c.now());
        Durability dc = Durability.open(c.engine, dir, opts(FsyncPolicy.EVERYSEC));
        assertThat(c.bulk("GET", "after")).isEqualTo("restart");
        assertThat(c.bulk("GET", "plain")).isEqualTo("value");
        dc.close();
    }

    @Test
    void anUncleanStopKeepsTheDataButStartsANewGeneration() throws IOException {
        EngineHarness a = new EngineHarness();
        Durability da = Durability.open(a.engine, dir, opts(FsyncPolicy.ALWAYS));
        for (int i = 0; i < 100; i++) a.call("SET", "k" + i, "v" + i);
        long gen = a.engine.journal().generation();
        da.close(false);
        EngineHarness b = new EngineHarness();
        Durability db = Durability.open(b.engine, dir, opts(FsyncPolicy.ALWAYS));
        assertThat(db.keptGeneration()).isFalse();
        assertThat(b.engine.journal().generation()).isNotEqualTo(gen);
        assertThat(b.integer("DBSIZE")).isEqualTo(100);
        b.call("SET", "k100", "v100");
        db.close();
        EngineHarness c = new EngineHarness();
        Durability dc = Durability.open(c.engine, dir, opts(FsyncPolicy.ALWAYS));
        assertThat(c.integer("DBSIZE")).isEqualTo(101);
        assertThat(dc.keptGeneration()).isTrue();
        dc.close();
    }

    @Test
    void flushallAndExpiryReplayWithoutAddingFrames() throws IOException {
        EngineHarness a = new EngineHarness();
        Durability da = Durability.open(a.engine, dir, opts(FsyncPolicy.EVERYSEC));
        a.call("SET", "gone", "x");
        a.call("FLUSHALL");
        a.call("SET", "short", "x", "PX", "100");
        a.call("SET", "kept", "y");
        da.close();
        EngineHarness b = new EngineHarness();
        b.advance(10_000);                          // the TTL passed while the server was down
        Durability db = Durability.open(b.engine, dir, opts(FsyncPolicy.EVERYSEC));
        assertThat(b.engine.journal().generation()).isEqualTo(a.engine.journal().generation());
        assertThat(b.engine.journal().nextOffset()).isEqualTo(a.engine.journal().nextOffset());
        assertThat(b.bulk("GET", "gone")).isNull();
        assertThat(b.bulk("GET", "short")).isNull();        // expires normally once loaded
        assertThat(b.bulk("GET", "kept")).isEqualTo("y");
        db.close();
    }

    @Test
    void theFeedReachesBackThroughTheSegmentsOnDisk() throws IOException {
        EngineHarness a = new EngineHarness();
        a.call("CONFIG", "SET", "repl-backlog-size", "16384");
        Durability da = Durability.open(a.engine, dir, opts(FsyncPolicy.ALWAYS));
        long gen = a.engine.journal().generation(), first = a.engine.journal().nextOffset();
        for (int i = 0; i < 3000; i++) a.call("SET", "k" + i, "v" + i);
        assertThat(a.engine.journal().backlogFirstOffset()).isGreaterThan(first + 100);
        io.jkevy.resp.RespValue.Array before = (io.jkevy.resp.RespValue.Array) a.call("FEED.TAIL", "DURABLE");
        assertThat(((io.jkevy.resp.RespValue.Integer) before.elements().get(1)).value()).isLessThanOrEqualTo(a.engine.journal().nextOffset());
        da.writer().sync();
        long cursor = first;
        int sets = 0;
        while (true) {
            io.jkevy.resp.RespValue.Array r = (io.jkevy.resp.RespValue.Array) a.call("FEED.READ", Long.toString(gen), Long.toString(cursor), "COUNT", "500", "DURABLE");
            List<io.jkevy.resp.RespValue> frames = ((io.jkevy.resp.RespValue.Array) r.elements().get(2)).elements();
            for (io.jkevy.resp.RespValue f : frames) {
                List<io.jkevy.resp.RespValue> e = ((io.jkevy.resp.RespValue.Array) f).elements();
                assertThat(((io.jkevy.resp.RespValue.Integer) e.get(0)).value()).isEqualTo(cursor + frames.indexOf(f));
                if (new String(((io.jkevy.resp.RespValue.Bulk) e.get(1)).value()).equals("SET")) sets++;
            }
            long next = ((io.jkevy.resp.RespValue.Integer) r.elements().get(1)).value();
            if (next == cursor) break;
            cursor = next;
        }
        assertThat(sets).isEqualTo(3000);
        assertThat(cursor).isEqualTo(a.engine.journal().nextOffset());
        io.jkevy.resp.RespValue.Array t = (io.jkevy.resp.RespValue.Array) a.call("FEED.TAIL", "DURABLE");
        assertThat(((io.jkevy.resp.RespValue.Integer) t.elements().get(1)).value()).isEqualTo(a.engine.journal().nextOffset());
        da.close();
    }

    @Test
    void corruptionInTheMiddleRefusesToLoad() throws IOException {
        EngineHarness a = new EngineHarness();
        Durability da = Durability.open(a.engine, dir, opts(FsyncPolicy.EVERYSEC));
        for (int i = 0; i < 200; i++) a.call("SET", "k" + i, "value-" + i);
        da.close();
        List<Path> segs = SegmentReader.segments(dir);
        byte[] b = Files.readAllBytes(segs.get(0));
        b[200] ^= 0x40;
        Files.write(segs.get(0), b);
        EngineHarness fresh = new EngineHarness();
        assertThatThrownBy(() -> Durability.open(fresh.engine, dir, opts(FsyncPolicy.EVERYSEC)))
                .isInstanceOf(JournalCorruptException.class).hasMessageContaining(segs.get(0).getFileName().toString());
    }
}
