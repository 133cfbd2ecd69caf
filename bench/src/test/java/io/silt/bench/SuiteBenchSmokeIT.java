package io.silt.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.bench.SuiteBench.Options;
import io.silt.bench.SuiteBench.Section;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the suite of {@code silt bench --quick} in its smallest form, S3Proxy included, and checks that every section
 * reports every figure and that every chart and results file is written (not how fast anything is).
 */
class SuiteBenchSmokeIT {
    @TempDir
    Path work;

    @TempDir
    Path out;

    @Test
    void everySectionReportsEveryFigureAndEveryChart() throws Exception {
        Options options = Options.smallest().withDirs(work, out);
        assertThat(options.sections()).isEqualTo(EnumSet.allOf(Section.class));
        ByteArrayOutputStream live = new ByteArrayOutputStream();

        Result result = SuiteBench.run(options, new PrintStream(live, true, StandardCharsets.UTF_8));

        for (Section s : Section.values()) {
            assertThat(result.rows()).as(s.title()).anyMatch(r -> r.benchmark().equals(s.title()));
        }
        assertThat(result.rows()).allSatisfy(r -> assertThat(r.value()).as(r.toString()).isFinite().isNotNegative());
        // Every workload reports every metric.
        Set<String> metrics = Set.of("records/s", "MB/s", "ack p50 ms", "ack p90 ms", "ack p99 ms", "ack p99.9 ms",
                "ack max ms", "PUT", "GET", "HEAD", "LIST", "DELETE", "$/GB S3 Standard",
                "$/GB S3 Express One Zone (requests)");
        for (Section s : List.of(Section.COST, Section.LATENCY, Section.PRODUCERS, Section.PARTITIONS)) {
            Set<String> configurations = result.rows().stream().filter(r -> r.benchmark().equals(s.title()))
                    .map(Result.Row::configuration).collect(Collectors.toSet());
            assertThat(configurations).as(s.title()).isNotEmpty();
            for (String c : configurations) {
                Set<String> got = result.rows().stream().filter(r -> r.benchmark().equals(s.title())
                        && r.configuration().equals(c)).map(Result.Row::metric).collect(Collectors.toSet());
                assertThat(got).as(s.title() + " / " + c).containsAll(metrics);
            }
        }
        // Data moved (how much depends on the machine: the cost workload's first 8 MiB batch may miss a 3 s window).
        assertThat(result.find(Section.LATENCY.title(), "records/s"))
                .allSatisfy(r -> assertThat(r.value()).as(r.configuration()).isPositive());
        // The consumers' figures where there are consumers: end-to-end latency and their requests.
        assertThat(result.find(Section.LATENCY.title(), "e2e p99 ms")).hasSize(options.latencyStores().size())
                .allSatisfy(r -> assertThat(r.value()).isPositive());
        assertThat(result.find(Section.LATENCY.title(), "consumer requests"))
                .allSatisfy(r -> assertThat(r.value()).isPositive());
        assertThat(result.rows()).anyMatch(r -> r.configuration().startsWith("s3proxy"));
        // The targets of the issue each have a row.
        assertThat(result.find(Section.COST.title(), "$/GB S3 Standard")).singleElement()
                .satisfies(r -> assertThat(r.target()).isPresent());
        assertThat(result.find(Section.LATENCY.title(), "ack p99 ms")).anyMatch(r -> r.target().isPresent());
        assertThat(result.find(Section.IDLE.title(), "requests (all kinds)")).singleElement()
                .satisfies(r -> assertThat(r.value()).isZero());
        assertThat(result.find(Section.PRODUCERS.title(), "MB/s relative to 1 producer"))
                .hasSize(options.producerCounts().size());
        assertThat(result.find(HistoryBench.NAME, HistoryBench.OPEN_REQUESTS))
                .hasSize(options.historyLengths().size()).allSatisfy(r -> assertThat(r.value()).isPositive());
        assertThat(result.find(HistoryBench.NAME, HistoryBench.COMMIT_REQUESTS))
                .hasSize(options.historyLengths().size()).allSatisfy(r -> assertThat(r.value()).isPositive());

        for (String png : List.of("latency-ack.png", "latency-e2e.png", "producers-throughput.png",
                "producers-latency.png", "partitions-throughput.png", "partitions-latency.png",
                "history-requests.png", "history-time.png", "cost-per-gb.png")) {
            Path file = out.resolve(png);
            assertThat(file).as(png).isRegularFile();
            byte[] head = Files.readAllBytes(file);
            assertThat(head.length).as(png).isGreaterThan(1000);
            assertThat(new String(head, 1, 3, StandardCharsets.US_ASCII)).as(png).isEqualTo("PNG");
        }
        assertThat(Files.readString(out.resolve("results.md"))).contains("Targets:").contains("| benchmark")
                .contains("Workloads:");
        assertThat(Files.readAllLines(out.resolve("results.csv"))).hasSize(result.rows().size() + 1);
        assertThat(live.toString(StandardCharsets.UTF_8)).contains("workload ").contains("ack p99.9 ms");

        // The stores' data went to a temporary directory, and it is gone.
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left).isEmpty();
        }
    }
}
