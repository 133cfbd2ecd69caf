package io.silt.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.bench.SdkBench.Bench;
import io.silt.bench.SdkBench.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the smallest configuration of every SDK benchmark and checks that each reports numbers (not how fast). */
class SdkBenchSmokeTest {

    @TempDir
    Path dir;

    @Test
    void smallestConfigurationReportsEveryBenchmark() throws Exception {
        Options options = Options.smallest().withWorkDir(dir);
        assertThat(options.benchmarks()).isEqualTo(EnumSet.allOf(Bench.class));

        Result result = SdkBench.run(options, null);

        for (Bench b : Bench.values()) {
            assertThat(result.rows()).as(b.title()).anyMatch(r -> r.benchmark().equals(b.title()));
        }
        assertThat(result.rows()).allSatisfy(r -> assertThat(r.value()).isFinite().isNotNegative());
        assertThat(result.find(Bench.PRODUCE.title(), SdkThroughputBench.MBPS)).singleElement()
                .satisfies(r -> assertThat(r.value()).isPositive());
        assertThat(result.find(Bench.CONSUME.title(), SdkThroughputBench.MBPS)).singleElement()
                .satisfies(r -> assertThat(r.value()).isPositive());
        assertThat(result.find(Bench.LATENCY.title(), "records measured")).singleElement()
                .satisfies(r -> assertThat(r.value()).isPositive());
        assertThat(result.find(Bench.LATENCY.title(), "p50 ms")).singleElement()
                .satisfies(r -> assertThat(r.target()).isPresent());
        assertThat(result.find(Bench.IDLE.title(), "requests (all kinds)")).singleElement()
                .satisfies(r -> assertThat(r.target()).isPresent());
        assertThat(result.find(Bench.IDLE.title(), "data GETs / s / partition")).hasSize(2);
        assertThat(result.find(Bench.IDLE.title(), "LIST (all areas)")).hasSize(2);

        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        result.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("| benchmark").contains("p50 ms");
    }

    @Test
    void parsesTheCommandLine() {
        Options o = SdkBench.parse(new String[] {"--quick", "--only", "a,c", "--partitions", "2,8",
                "--latency-linger-ms", "5,25", "--repeat", "2"});
        assertThat(o.benchmarks()).containsExactlyInAnyOrder(Bench.PRODUCE, Bench.LATENCY);
        assertThat(o.partitions()).containsExactly(2, 8);
        assertThat(o.latencyLingers()).containsExactly(Duration.ofMillis(5), Duration.ofMillis(25));
        assertThat(o.repeats()).isEqualTo(2);
        assertThat(o.measure()).isEqualTo(Options.quick().measure());
        assertThat(SdkBench.parse(new String[] {"--help"})).isNull();
    }
}
