package io.silt.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.bench.LogBench.Bench;
import io.silt.bench.LogBench.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the smallest configuration of every benchmark and checks that each reports numbers (not how fast). */
class LogBenchSmokeTest {

    @TempDir
    Path dir;

    @Test
    void smallestConfigurationReportsEveryBenchmark() throws Exception {
        Options options = Options.smallest().withWorkDir(dir);
        assertThat(options.benchmarks()).isEqualTo(EnumSet.allOf(Bench.class));

        Result result = LogBench.run(options, null);

        for (Bench b : Bench.values()) {
            assertThat(result.rows()).as(b.title).anyMatch(r -> r.benchmark().equals(b.title));
        }
        assertThat(result.rows()).allSatisfy(r -> assertThat(r.value()).isFinite().isNotNegative());
        assertThat(result.find(Bench.PRODUCE.title, ThroughputBench.MBPS)).singleElement()
                .satisfies(r -> assertThat(r.value()).isPositive());
        assertThat(result.find(Bench.MULTI.title, ThroughputBench.MBPS)).singleElement()
                .satisfies(r -> assertThat(r.value()).isPositive());
        assertThat(result.find(Bench.COMMITS.title, "commits/s")).hasSize(options.commitWriters().size())
                .allSatisfy(r -> assertThat(r.value()).isPositive());
        assertThat(result.find(Bench.COMMITS.title, "ack p99 ms")).allSatisfy(r -> assertThat(r.value()).isPositive());
        List<Result.Row> open = result.find(Bench.OPEN.title, "requests");
        assertThat(open).hasSize(2);
        assertThat(open.get(0).value()).isGreaterThan(options.openCommits()); // without a checkpoint: every record
        assertThat(open.get(1).target()).isPresent();
        assertThat(result.find(Bench.COST.title, "produce PUTs / GiB")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.value()).isPositive());

        // The data went to a temporary directory, and it is gone.
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        result.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("| benchmark").contains("commits/s");
    }

    @Test
    void parsesTheCommandLine() {
        Options o = LogBench.parse(new String[] {"--quick", "--only", "a,c", "--commit-writers", "1,8",
                "--latency", "express", "--repeat", "2", "--payload", "text"});
        assertThat(o.benchmarks()).containsExactlyInAnyOrder(Bench.PRODUCE, Bench.COMMITS);
        assertThat(o.commitWriters()).containsExactly(1, 8);
        assertThat(o.repeats()).isEqualTo(2);
        assertThat(o.payload()).isEqualTo(LogBench.Payload.TEXT);
        assertThat(o.openCommits()).isEqualTo(Options.quick().openCommits());
        assertThat(LogBench.parse(new String[] {"--help"})).isNull();
    }
}
