package io.silt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code silt bench} runs the bench module's benchmarks (smallest sizes here: it checks they run and report). */
class BenchCommandTest {
    @Test
    void theLogBenchmarksRunAndReport() {
        Cli.Run run = Cli.run("bench", "log", "--smallest", "--only", "d,e");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Silt partition-log benchmarks").contains("| benchmark")
                .contains("d. open cost").contains("e. ");
    }

    @Test
    void theSdkBenchmarksRunAndReport() {
        Cli.Run run = Cli.run("bench", "sdk", "--smallest", "--only", "d");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Silt SDK benchmarks").contains("| benchmark").contains("idle");
    }

    @Test
    void theCompactionBenchmarkRunsAndReports() {
        Cli.Run run = Cli.run("bench", "compaction", "--commits", "600", "--compaction-interval-s", "20");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Silt compaction benchmark").contains("| benchmark")
                .contains("objects the log references").contains("open requests");
    }

    @Test
    void theSuiteRunsByDefaultAndSaysWhereItsResultsWent(@TempDir Path dir) {
        Path out = dir.resolve("charts");
        Cli.Run run = Cli.run("bench", "--smallest", "--only", "history", "--out", out.toString(), "--dir",
                dir.toString(), "--no-s3proxy");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Silt benchmark suite").contains("h. history").contains("requests per open")
                .contains("targets:").contains("charts and results written to " + out.toAbsolutePath());
        assertThat(out.resolve("history-requests.png")).isRegularFile();
        assertThat(out.resolve("results.md")).isRegularFile();
    }

    @Test
    void theSuiteListsItsOptions() {
        Cli.Run run = Cli.run("bench", "full", "--usage");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("usage: SuiteBench").contains("--quick").contains("--only");
    }

    @Test
    void badBenchmarkOptionsAreAUsageError() {
        Cli.Run run = Cli.run("bench", "log", "--only", "z");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown benchmark 'z'");
    }

    @Test
    void usageListsTheBenchmarksOwnOptions() {
        Cli.Run run = Cli.run("bench", "log", "--usage");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("usage: LogBench").contains("--only");
    }

    @Test
    void thePeerAndChaosRunsAreWiredAndListTheirOptions() {
        Cli.Run peers = Cli.run("bench", "peers", "--usage");
        assertThat(peers.exitCode()).as(peers.err()).isZero();
        assertThat(peers.out()).contains("usage: silt bench peers").contains("--systems");
        Cli.Run chaos = Cli.run("bench", "chaos", "--usage");
        assertThat(chaos.exitCode()).as(chaos.err()).isZero();
        assertThat(chaos.out()).contains("usage: silt bench chaos").contains("--quick");
    }

    @Test
    void anUnknownSuiteIsNamedInTheError() {
        Cli.Run run = Cli.run("bench", "nosuch");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("unknown benchmark suite 'nosuch'").contains("peers").contains("chaos");
    }
}
