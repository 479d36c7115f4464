package io.jkevy.engine.persist;

import io.jkevy.engine.BlockingTest;
import io.jkevy.engine.EngineHarness;
import io.jkevy.engine.JournalReplayTestAccess;
import io.jkevy.engine.Session;
import io.jkevy.journal.disk.FsyncPolicy;
import io.jkevy.journal.disk.SegmentReader;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotTest {
    @TempDir Path dir;

    private static Durability.Options opts() { return new Durability.Options(FsyncPolicy.EVERYSEC, true, false, 64 * 1024); }

    /** Writers on their own sessions keep writing random commands of every type until stopped. */
    private static List<Thread> writers(EngineHarness h, int n, AtomicBoolean stop, long seed) {
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            long s = seed + t;
            ts.add(Thread.ofPlatform().start(() -> {
                Random r = new Random(s);
                Session session = h.engine.openSession(new BlockingTest.FakeConnection());
                while (!stop.get()) {
                    String[] cmd = JournalReplayTestAccess.randomCommand(r);
                    if (cmd[0].equals("LMPOP") || cmd[0].equals("ZMPOP")) continue;   // never block a writer thread
                    BlockingTest.run(h, session, cmd);
                }
            }));
        }
        return ts;
    }

    @RepeatedTest(3)
    void aSnapshotTakenWhileWritersRunPlusTheJournalAfterItIsTheLiveState() throws Exception {
        EngineHarness a = new EngineHarness(16, 8);
        Durability da = Durability.open(a.engine, dir, opts());
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> ws = writers(a, 4, stop, System.nanoTime());
        Thread.sleep(150);
        Path snap = da.snapshot(true);                    // compacting, while the writers go on
        Thread.sleep(100);
        stop.set(true);
        for (Thread t : ws) t.join();
        assertThat(snap).exists();
        String live = a.simple("DEBUG", "DIGEST");
        long liveKeys = 0;
        for (int i = 0; i < 16; i++) liveKeys += a.engine.keyspace().db(i).size();
        da.close();
        // compaction left only segments from the snapshot's offset on
        long snapOffset = Long.parseLong(snap.getFileName().toString().substring(9, 29));
        List<Long> offs = new ArrayList<>();
        SegmentReader.read(dir, 0, true, false, (g, o, f) -> offs.add(o));
        assertThat(offs).allMatch(o -> o >= snapOffset);
        EngineHarness b = new EngineHarness(16, 1);
        b.advance(a.now() - b.now());
        Durability db = Durability.open(b.engine, dir, opts());
        assertThat(b.simple("DEBUG", "DIGEST")).isEqualTo(live).isNotEqualTo("0".repeat(40));
        long keys = 0;
        for (int i = 0; i < 16; i++) keys += b.engine.keyspace().db(i).size();
        assertThat(keys).isEqualTo(liveKeys);
        assertThat(db.keptGeneration()).isTrue();
        db.close();
    }

    @Test
    void saveBgsaveLastsaveAndInfo() throws Exception {
        EngineHarness h = new EngineHarness();
        assertThat(h.error("SAVE")).contains("appendonly yes");
        Durability d = Durability.open(h.engine, dir, opts());
        for (int i = 0; i < 100; i++) h.call("SET", "k" + i, "v" + i);
        assertThat(h.raw("INFO", "persistence")).contains("rdb_changes_since_last_save:100");
        assertThat(h.simple("SAVE")).isEqualTo("OK");
        assertThat(h.raw("INFO", "persistence")).contains("rdb_changes_since_last_save:0").contains("rdb_last_bgsave_status:ok");
        assertThat(h.integer("LASTSAVE")).isGreaterThan(0);
        assertThat(h.simple("BGSAVE")).isEqualTo("Background saving started");
        long end = System.currentTimeMillis() + 10_000;
        while (d.saving() && System.currentTimeMillis() < end) Thread.sleep(10);
        assertThat(SnapshotFile.list(dir)).hasSize(1);                 // older snapshots are removed
        assertThat(h.simple("BGREWRITEAOF")).isEqualTo("Background append only file rewriting started");
        while (d.saving() && System.currentTimeMillis() < end) Thread.sleep(10);
        assertThat(h.error("BGSAVE", "NOW")).startsWith("ERR syntax");
        d.close();
    }

    @Test
    void debugReloadKeepsTheDataset() throws IOException {
        EngineHarness h = new EngineHarness();
        Durability d = Durability.open(h.engine, dir, opts());
        Random r = new Random(5);
        for (int i = 0; i < 2000; i++) h.call(JournalReplayTestAccess.randomCommand(r));
        String before = h.simple("DEBUG", "DIGEST");
        long version = h.engine.keyspace().db(0).version("k1".getBytes());
        assertThat(h.simple("DEBUG", "RELOAD")).isEqualTo("OK");
        assertThat(h.simple("DEBUG", "DIGEST")).isEqualTo(before);
        assertThat(h.engine.keyspace().db(0).version("k1".getBytes())).isEqualTo(version);
        d.close();
    }

    @Test
    void aDamagedSnapshotRefusesToLoadAndSaysWhere() throws IOException {
        EngineHarness h = new EngineHarness();
        Durability d = Durability.open(h.engine, dir, opts());
        for (int i = 0; i < 500; i++) h.call("HSET", "h" + (i % 20), "f" + i, "value-" + i);
        Path snap = d.snapshot(true);
        d.close();
        byte[] ok = Files.readAllBytes(snap);
        for (int at : new int[] {3, 20, 100, ok.length / 2, ok.length - 6, ok.length - 2}) {
            byte[] bad = ok.clone();
            bad[at] ^= 0x20;
            Files.write(snap, bad);
            EngineHarness fresh = new EngineHarness();
            assertThatThrownBy(() -> Durability.open(fresh.engine, dir, opts()))
                    .as("flip at %d", at).isInstanceOf(SnapshotFile.CorruptException.class)
                    .hasMessageContaining(snap.getFileName().toString()).hasMessageContaining("corrupt at byte");
            assertThat(fresh.integer("DBSIZE")).isZero();
        }
        Files.write(snap, java.util.Arrays.copyOf(ok, ok.length - 30));          // cut short
        EngineHarness fresh = new EngineHarness();
        assertThatThrownBy(() -> Durability.open(fresh.engine, dir, opts())).isInstanceOf(SnapshotFile.CorruptException.class);
        Files.write(snap, ok);
        EngineHarness good = new EngineHarness();
        Durability dg = Durability.open(good.engine, dir, opts());
        assertThat(good.integer("DBSIZE")).isEqualTo(20);
        dg.close();
    }
}
