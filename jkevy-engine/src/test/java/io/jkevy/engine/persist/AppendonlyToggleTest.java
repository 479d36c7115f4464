package io.jkevy.engine.persist;

import io.jkevy.engine.BlockingTest;
import io.jkevy.engine.EngineHarness;
import io.jkevy.engine.Engine;
import io.jkevy.engine.Session;
import io.jkevy.store.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AppendonlyToggleTest {
    @TempDir Path dir;

    @Test
    void configSetAppendonlyStartsAndStopsTheJournalAtRunTime() throws Exception {
        Engine e = Engine.create(Map.of("dir", dir.toString(), "appendonly", "no"), Clock.SYSTEM);
        e.started(true);
        Session s = e.openSession(new BlockingTest.FakeConnection());
        for (int i = 0; i < 50; i++) run(e, s, "SET", "before" + i, "v");
        assertThat(e.durability()).isNull();
        assertThat(run(e, s, "CONFIG", "SET", "appendonly", "yes")).isEqualTo("+OK\r\n");
        Durability d = e.durability();
        assertThat(d).isNotNull();
        long end = System.currentTimeMillis() + 10_000;
        while ((d.saving() || SnapshotFile.list(dir.resolve("appendonlydir")).isEmpty()) && System.currentTimeMillis() < end) Thread.sleep(10);
        run(e, s, "SET", "after", "x");
        assertThat(run(e, s, "CONFIG", "SET", "appendonly", "no")).isEqualTo("+OK\r\n");
        assertThat(e.durability()).isNull();
        // a fresh engine on the directory has the data from before and after turning it on
        EngineHarness b = new EngineHarness();
        Durability db = Durability.open(b.engine, dir.resolve("appendonlydir"), Durability.Options.defaults());
        assertThat(b.integer("DBSIZE")).isEqualTo(51);
        assertThat(b.bulk("GET", "after")).isEqualTo("x");
        db.close();
    }

    private static String run(Engine e, Session s, String... args) {
        io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.buffer();
        try {
            io.jkevy.resp.RespWriter w = new io.jkevy.resp.RespWriter();
            w.target(buf);
            byte[][] argv = new byte[args.length][];
            for (int i = 0; i < args.length; i++) argv[i] = args[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            e.execute(s, argv, w);
            return buf.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        } finally {
            buf.release();
        }
    }
}
