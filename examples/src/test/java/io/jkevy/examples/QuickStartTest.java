package io.jkevy.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class QuickStartTest {
    @TempDir Path dir;

    @Test
    void theTourRunsAndItsDataSurvivesReopening() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        QuickStart.run(dir, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("greeting=hello visits=2 user=Ada next-job=job-1");
        assertThat(out).contains("over RESP: zscore=42.0 dbsize=7");
        assertThat(out).contains("after reopening: greeting=hello from-jedis=hi visits=2 keys=7");
    }
}
