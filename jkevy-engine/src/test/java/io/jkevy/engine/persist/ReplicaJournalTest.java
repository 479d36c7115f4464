package io.jkevy.engine.persist;

import io.jkevy.engine.EngineHarness;
import io.jkevy.engine.Session;
import io.jkevy.journal.Frames;
import io.jkevy.journal.disk.FsyncPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replica's journal holds its upstream's frames at the upstream's offsets, with SELECT frames
 * only where the upstream put them. A snapshot the replica takes in between must remember the
 * database, or a restart would replay the frames after it into database 0.
 */
class ReplicaJournalTest {
    @TempDir Path dir;

    private static byte[][] argv(String... a) {
        byte[][] out = new byte[a.length][];
        for (int i = 0; i < a.length; i++) out[i] = a[i].getBytes(StandardCharsets.UTF_8);
        return out;
    }

    @Test
    void aSnapshotBetweenUpstreamFramesKeepsTheirDatabaseAcrossARestart() throws IOException {
        EngineHarness a = new EngineHarness(16, 4);
        Durability da = Durability.open(a.engine, dir, new Durability.Options(FsyncPolicy.EVERYSEC, true, false, 1 << 20));
        long next = a.engine.journal().nextOffset();
        Session applier = a.engine.internalSession();
        a.engine.keyspace().pauseExpiry(true);
        assertThat(a.engine.applyFrame(applier, next, Frames.encode(next, argv("SELECT", "3")))).isNull();
        assertThat(a.engine.applyFrame(applier, next + 1, Frames.encode(next + 1, argv("SET", "a", "1")))).isNull();
        da.snapshot(false);                              // the cut: the journal is in database 3
        assertThat(a.engine.applyFrame(applier, next + 2, Frames.encode(next + 2, argv("SET", "b", "2")))).isNull();
        a.engine.keyspace().pauseExpiry(false);
        da.close();

        EngineHarness b = new EngineHarness(16, 4);
        Durability db = Durability.open(b.engine, dir, new Durability.Options(FsyncPolicy.EVERYSEC, true, false, 1 << 20));
        b.call("SELECT", "3");
        assertThat(b.bulk("GET", "b")).isEqualTo("2");
        assertThat(b.bulk("GET", "a")).isEqualTo("1");
        b.call("SELECT", "0");
        assertThat(b.integer("DBSIZE")).isZero();
        assertThat(b.engine.journal().currentDb()).isEqualTo(3);
        db.close();
    }
}
