package io.silt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
}
