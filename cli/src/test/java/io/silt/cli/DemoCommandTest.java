package io.silt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void demoDeliversEveryRecordAndReportsRatesLatencyRequestsAndCost() {
        Cli.Run run = Cli.run("demo", "--records", "3000", "--store", "file:" + dir);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).as("records only on stdout; the demo has none").isEmpty();
        assertThat(run.err())
                .contains("3,000/3,000 consumed")
                .contains("produced   3,000 records")
                .contains("consumed   3,000 records")
                .containsPattern("latency    end to end p50 [0-9.]+ ms, p99 [0-9.]+ ms")
                .containsPattern("requests   [0-9,]+ PUT, [0-9,]+ GET")
                .containsPattern("cost       \\$[0-9.]+ at S3 Standard list prices")
                .contains("every record arrived exactly once");
    }

    @Test
    void demoWithoutAStoreUsesAFreshTemporaryOne() {
        Cli.Run run = Cli.run("demo", "--records", "500", "--producers", "2", "--consumers", "2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("(temporary)").contains("every record arrived exactly once");
    }

    @Test
    void aSecondDemoOnTheSameStoreUsesAFreshTopic() {
        assertThat(Cli.run("demo", "--records", "200", "--store", "file:" + dir).exitCode()).isZero();

        Cli.Run again = Cli.run("demo", "--records", "200", "--store", "file:" + dir);

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.err()).containsPattern("summary \\(topic demo-[0-9a-f]+\\)");
    }

    @Test
    void demoCanPaceTheProducers() {
        Cli.Run run = Cli.run("demo", "--records", "400", "--rate", "400", "--store", "file:" + dir);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("at 400 records/s").contains("every record arrived exactly once");
    }
}
