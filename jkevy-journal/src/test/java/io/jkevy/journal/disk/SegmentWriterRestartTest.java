package io.jkevy.journal.disk;

import io.jkevy.journal.Journal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replica that replaces its history with an upstream snapshot at a lower offset restarts the
 * writer's positions lower; a {@link SegmentWriter#sync()} that read its target from the old
 * positions just before must still return at once (it used to wait out its 30 s deadline,
 * stalling the replica's resync).
 */
class SegmentWriterRestartTest {
    @TempDir Path dir;

    private static byte[][] set(String k, String v) {
        return new byte[][] {"SET".getBytes(StandardCharsets.US_ASCII), k.getBytes(StandardCharsets.US_ASCII), v.getBytes(StandardCharsets.US_ASCII)};
    }

    @Test
    void syncReturnsPromptlyWhenPositionsRestartLower() throws Exception {
        for (int round = 0; round < 40; round++) {
            Path d = Files.createDirectories(dir.resolve("r" + round));
            Journal j = new Journal(7, 1, 1 << 20);
            try (SegmentWriter w = new SegmentWriter(d, 7, 1, FsyncPolicy.EVERYSEC, 1 << 20)) {
                j.addSink(w);
                for (int i = 0; i < 30; i++) j.append(0, set("k" + i, "v"));
                w.sync();
                for (int i = 0; i < 3; i++) j.append(0, set("fork" + i, "v"));
                j.newGeneration(9, 20);             // the snapshot's history starts lower: offsets 20, 21, ...
                w.rotate(9, 20);
                if (round % 4 != 0) Thread.sleep(round % 4 - 1, 200_000 * (round % 5));
                long t0 = System.nanoTime();
                w.sync();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(ms).as("round %d: sync after the restart took %d ms", round, ms).isLessThan(5_000);
                j.append(0, set("after", "v"));    // SELECT 0 at 20, SET at 21
                w.sync();
                assertThat(w.durableOffset()).isEqualTo(21);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }
}
