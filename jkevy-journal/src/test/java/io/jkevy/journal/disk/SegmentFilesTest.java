package io.jkevy.journal.disk;

import io.jkevy.journal.Frames;
import io.jkevy.journal.Journal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SegmentFilesTest {
    @TempDir Path dir;

    private static byte[][] set(String k, String v) {
        return new byte[][] {"SET".getBytes(), k.getBytes(StandardCharsets.UTF_8), v.getBytes(StandardCharsets.UTF_8)};
    }

    private record Got(long gen, long off, byte[] frame) { }

    private List<Got> readAll(boolean tornOk, boolean corruptOk) throws IOException {
        List<Got> got = new ArrayList<>();
        SegmentReader.read(dir, 0, tornOk, corruptOk, (g, o, f) -> got.add(new Got(g, o, f)));
        return got;
    }

    /** Writes n SET frames through a journal with the writer attached; returns the frames in order. */
    private List<byte[]> writeFrames(int n, FsyncPolicy p, long segmentBytes) throws IOException {
        Journal j = new Journal(7, 1, 1 << 20);
        List<byte[]> frames = new ArrayList<>();
        j.addSink((off, f) -> frames.add(f));
        try (SegmentWriter w = new SegmentWriter(dir, 7, 1, p, segmentBytes)) {
            j.addSink(w);
            for (int i = 0; i < n; i++) j.append(0, set("k" + i, "v".repeat(i % 50)));
        }
        return frames;
    }

    @Test
    void framesComeBackInOrderAcrossRotationsAndGenerations() throws IOException {
        Journal j = new Journal(5, 1, 1 << 20);
        List<Got> expected = new ArrayList<>();
        long[] gen = {5};
        j.addSink((off, f) -> expected.add(new Got(gen[0], off, f)));
        try (SegmentWriter w = new SegmentWriter(dir, 5, 1, FsyncPolicy.EVERYSEC, 4096)) {
            j.addSink(w);
            for (int i = 0; i < 500; i++) j.append(i % 3, set("key" + i, "value" + i));
            gen[0] = 99;
            j.newGeneration(99);
            for (int i = 0; i < 100; i++) j.append(0, set("after" + i, "x"));
        }
        assertThat(SegmentReader.segments(dir).size()).isGreaterThan(3);
        List<Got> got = readAll(false, false);
        assertThat(got).hasSize(expected.size());
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i).gen).isEqualTo(expected.get(i).gen);
            assertThat(got.get(i).off).isEqualTo(expected.get(i).off);
            assertThat(got.get(i).frame).isEqualTo(expected.get(i).frame);
        }
        SegmentReader.Result r = SegmentReader.read(dir, 0, false, false, (g, o, f) -> { });
        assertThat(r.generation()).isEqualTo(99);
        assertThat(r.nextOffset()).isEqualTo(j.nextOffset());
        assertThat(r.truncated()).isNull();
    }

    @Test
    void alwaysRunsCallbacksOnlyAfterTheFsyncAndSharesFsyncsAmongWriters() throws Exception {
        Journal j = new Journal(3, 1, 1 << 20);
        try (SegmentWriter w = new SegmentWriter(dir, 3, 1, FsyncPolicy.ALWAYS, 1 << 26)) {
            j.addSink(w);
            int threads = 8, each = 200;
            AtomicInteger acked = new AtomicInteger();
            AtomicInteger early = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(threads * each);
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                ts.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < each; i++) {
                        long off = j.append(0, set("t" + id + ":" + i, "v"));
                        w.whenDurable(off, () -> {
                            if (w.durableOffset() < off) early.incrementAndGet();
                            acked.incrementAndGet();
                            done.countDown();
                        });
                    }
                }));
            }
            for (Thread t : ts) t.join();
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(acked.get()).isEqualTo(threads * each);
            assertThat(early.get()).isZero();
            assertThat(w.fsyncCount()).isLessThanOrEqualTo(threads * each);
            assertThat(w.durableOffset()).isEqualTo(j.nextOffset() - 1);
        }
        assertThat(readAll(false, false)).hasSize(8 * 200 + 1);    // + the SELECT 0 frame
    }

    @Test
    void everysecAndNoAcknowledgeAtOnce() throws IOException {
        for (FsyncPolicy p : new FsyncPolicy[] {FsyncPolicy.EVERYSEC, FsyncPolicy.NO}) {
            Path d = dir.resolve(p.configName());
            Journal j = new Journal(3, 1, 1 << 20);
            try (SegmentWriter w = new SegmentWriter(d, 3, 1, p, 1 << 20)) {
                j.addSink(w);
                long off = j.append(0, set("a", "b"));
                boolean[] ran = {false};
                w.whenDurable(off, () -> ran[0] = true);
                assertThat(ran[0]).isTrue();
            }
        }
    }

    @Test
    void aTornTailAtEveryByteIsCutBackToTheLastWholeFrame() throws IOException {
        List<byte[]> frames = writeFrames(20, FsyncPolicy.NO, 1 << 20);
        Path seg = SegmentReader.segments(dir).get(0);
        byte[] full = Files.readAllBytes(seg);
        // byte position where each record ends
        List<Integer> ends = new ArrayList<>();
        int pos = SegmentFormat.HEADER_BYTES;
        for (byte[] f : frames) { pos += 8 + f.length; ends.add(pos); }
        assertThat(pos).isEqualTo(full.length);
        int lastTwoStart = ends.get(ends.size() - 3);
        for (int cut = lastTwoStart + 1; cut < full.length; cut++) {
            Files.write(seg, java.util.Arrays.copyOf(full, cut));
            int c = cut;
            if (!ends.contains(cut)) {
                assertThatThrownBy(() -> readAll(false, false)).isInstanceOf(JournalCorruptException.class)
                        .hasMessageContaining(seg.getFileName().toString());
            }
            List<Got> got = readAll(true, false);
            int whole = (int) ends.stream().filter(e -> e <= c).count();
            assertThat(got).as("cut at %d", cut).hasSize(whole);
            assertThat(Files.size(seg)).isEqualTo((long) ends.get(whole - 1));
            for (int i = 0; i < whole; i++) assertThat(got.get(i).frame).isEqualTo(frames.get(i));
        }
    }

    @Test
    void aFlippedByteBeforeTheTailRefusesToLoadNamingFileAndOffset() throws IOException {
        List<byte[]> frames = writeFrames(30, FsyncPolicy.NO, 1 << 20);
        Path seg = SegmentReader.segments(dir).get(0);
        byte[] full = Files.readAllBytes(seg);
        int lastStart = full.length - 8 - frames.get(frames.size() - 1).length;
        for (int at = 0; at < lastStart; at++) {
            byte[] bad = full.clone();
            bad[at] ^= 0x5a;
            Files.write(seg, bad);
            List<Got> got = new ArrayList<>();
            try {
                SegmentReader.read(dir, 0, true, false, (g, o, f) -> got.add(new Got(g, o, f)));
                // only acceptable when nothing read differs from what was written (never silently wrong)
                throw new AssertionError("flip at " + at + " was not detected; read " + got.size() + " frames");
            } catch (JournalCorruptException e) {
                assertThat(e.file()).isEqualTo(seg);
                assertThat(e.position()).isLessThanOrEqualTo(at);
                assertThat(e.getMessage()).contains("byte " + e.position());
            }
            for (int i = 0; i < got.size(); i++) assertThat(got.get(i).frame).isEqualTo(frames.get(i));
        }
    }

    @Test
    void theOperatorCanChooseToCutAtCorruption() throws IOException {
        List<byte[]> frames = writeFrames(30, FsyncPolicy.NO, 1 << 20);
        Path seg = SegmentReader.segments(dir).get(0);
        byte[] full = Files.readAllBytes(seg);
        int tenth = SegmentFormat.HEADER_BYTES;
        for (int i = 0; i < 10; i++) tenth += 8 + frames.get(i).length;
        full[tenth + 12] ^= 1;                          // inside record 10's payload
        Files.write(seg, full);
        assertThatThrownBy(() -> readAll(true, false)).isInstanceOf(JournalCorruptException.class)
                .hasMessageContaining("byte " + tenth);
        List<Got> got = readAll(true, true);
        assertThat(got).hasSize(10);
        assertThat(Files.size(seg)).isEqualTo(tenth);
        assertThat(readAll(false, false)).hasSize(10);
    }

    @Test
    void laterSegmentsAfterACorruptOneAreSetAsideWhenCutting() throws IOException {
        writeFrames(400, FsyncPolicy.NO, 4096);
        List<Path> segs = SegmentReader.segments(dir);
        assertThat(segs.size()).isGreaterThan(2);
        byte[] first = Files.readAllBytes(segs.get(0));
        first[SegmentFormat.HEADER_BYTES + 3] ^= 1;     // length of its first record
        Files.write(segs.get(0), first);
        assertThatThrownBy(() -> readAll(true, false)).isInstanceOf(JournalCorruptException.class);
        assertThat(readAll(true, true)).isEmpty();
        assertThat(SegmentReader.segments(dir)).hasSize(1);
        assertThat(Files.exists(segs.get(1).resolveSibling(segs.get(1).getFileName() + ".corrupt"))).isTrue();
    }

    @Test
    void frameOffsetsMustBeDense() throws IOException {
        writeFrames(5, FsyncPolicy.NO, 1 << 20);
        Path seg = SegmentReader.segments(dir).get(0);
        byte[] full = Files.readAllBytes(seg);
        // rewrite record 2 as a well-formed frame with a wrong offset and a matching checksum
        int p = SegmentFormat.HEADER_BYTES;
        int len0 = java.nio.ByteBuffer.wrap(full, p, 4).getInt();
        p += 8 + len0;
        int len1 = java.nio.ByteBuffer.wrap(full, p, 4).getInt();
        byte[] frame = java.util.Arrays.copyOfRange(full, p + 8, p + 8 + len1);
        assertThat(Frames.offsetOf(frame)).isEqualTo(2);
        byte[] forged = Frames.encode(7, Frames.decodeArgv(frame));
        assertThat(forged.length).isEqualTo(frame.length);
        System.arraycopy(forged, 0, full, p + 8, forged.length);
        java.nio.ByteBuffer.wrap(full, p + 4, 4).putInt(SegmentFormat.crc(forged, 0, forged.length));
        Files.write(seg, full);
        assertThatThrownBy(() -> readAll(true, false)).isInstanceOf(JournalCorruptException.class)
                .hasMessageContaining("frame offset 7 where 2 was expected");
    }

    @Test
    void aRestartedWriterStartsANewSegmentAfterTheOldOnes() throws IOException {
        writeFrames(10, FsyncPolicy.EVERYSEC, 1 << 20);
        SegmentReader.Result r = SegmentReader.read(dir, 0, true, false, (g, o, f) -> { });
        Journal j = new Journal(r.generation(), r.nextOffset(), 1 << 20);
        try (SegmentWriter w = new SegmentWriter(dir, r.generation(), r.nextOffset(), FsyncPolicy.EVERYSEC, 1 << 20)) {
            j.addSink(w);
            j.append(0, set("more", "1"));
        }
        assertThat(SegmentReader.segments(dir)).hasSize(2);
        List<Got> got = readAll(false, false);
        assertThat(got).hasSize(11 + 2);                 // SELECT + 10 frames, then SELECT + SET
        assertThat(got.get(got.size() - 1).off).isEqualTo(r.nextOffset() + 1);
    }
}
