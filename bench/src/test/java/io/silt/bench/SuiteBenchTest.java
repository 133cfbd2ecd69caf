package io.silt.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.silt.bench.SuiteBench.Options;
import io.silt.bench.SuiteBench.Section;
import io.silt.bench.workload.StoreKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suite's command line, profiles and the published figures it compares with. */
class SuiteBenchTest {
    @Test
    void theDefaultIsTheFullRunIntoDocsBenchmarks() {
        Options o = SuiteBench.parse(new String[0]);
        assertThat(o.name()).isEqualTo("full");
        assertThat(o.sections()).isEqualTo(EnumSet.allOf(Section.class));
        assertThat(o.outDir()).isEqualTo(Path.of("docs", "benchmarks"));
        assertThat(o.producerCounts()).containsExactly(1, 2, 4, 8, 16, 32);
        assertThat(o.partitionCounts()).containsExactly(1, 2, 4, 8, 16, 32, 64);
        assertThat(o.historyLengths()).containsExactly(1_000L, 10_000L, 100_000L, 1_000_000L);
        assertThat(o.latencyStores()).containsExactly(StoreKind.FILE, StoreKind.S3_EXPRESS, StoreKind.S3_STANDARD,
                StoreKind.S3PROXY);
    }

    @Test
    void parsesQuickOnlyOutAndNoS3Proxy() {
        Options o = SuiteBench.parse(new String[] {"--quick", "--only", "latency,history", "--out", "x",
                "--no-s3proxy"});
        assertThat(o.name()).isEqualTo("quick");
        assertThat(o.sections()).containsExactlyInAnyOrder(Section.LATENCY, Section.HISTORY);
        assertThat(o.outDir()).isEqualTo(Path.of("x"));
        assertThat(o.s3proxy()).isFalse();
        assertThat(o.latencyStores()).doesNotContain(StoreKind.S3PROXY).contains(StoreKind.S3_STANDARD);
        assertThat(SuiteBench.parse(new String[] {"--help"})).isNull();
        assertThatThrownBy(() -> SuiteBench.parse(new String[] {"--only", "nope"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown section 'nope'");
        assertThatThrownBy(() -> SuiteBench.parse(new String[] {"--out"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing value");
    }

    @Test
    void chartsThePeersResultsWhenThereAreAny(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("peers.csv");
        Files.writeString(csv, String.join("\n", "system,metric,unit,value", "kafka,skipped,reason,no broker",
                "rabbitmq,produce,MB/s,3.5", "rabbitmq,consume,MB/s,6.2", "rabbitmq,ack p99,ms,30.1",
                "rabbitmq,e2e p50,ms,3.3", "silt-file,produce,MB/s,40.5", "silt-file,consume,MB/s,90",
                "silt-file,ack p99,ms,80", "silt-file,e2e p50,ms,45", "s3proxy-raw,put,MB/s,50"));
        Path out = dir.resolve("out");
        Options o = Options.smallest().withSections(Set.of()).withDirs(dir, out).withPeersCsv(csv);

        Result r = SuiteBench.run(o, null);

        assertThat(out.resolve("peers-throughput.png")).isRegularFile();
        assertThat(out.resolve("peers-latency.png")).isRegularFile();
        assertThat(r.notes()).anyMatch(n -> n.startsWith("peers charts drawn from"));
        assertThat(out.resolve("results.md")).isRegularFile();

        Result none = SuiteBench.run(o.withPeersCsv(dir.resolve("missing.csv")), null);
        assertThat(none.notes()).anyMatch(n -> n.startsWith("no peer results at"));
    }

    @Test
    void thePublishedFiguresAreConvertedToDollarsPerGb() {
        Map<String, Double> m = SuiteBench.publishedDollarsPerGb();
        // SQS: 3 requests (send, receive, delete batches of 10) per 10 KiB at $0.40 per million.
        assertThat(m.get("Amazon SQS (batches of 10)")).isCloseTo(0.1172, within(0.0001));
        // Kinesis: $0.015 per shard-hour over 3.6 GB, plus one $0.014-per-million payload unit per 1 KiB record.
        assertThat(m.get("Kinesis Data Streams (full shards)")).isCloseTo(0.0178, within(0.0001));
        // WarpStream: a 1 MiB PUT every 250 ms at 4 MiB/s, and a GET per 4 MiB.
        assertThat(m.get("WarpStream (S3 requests, 4 MiB/s)")).isCloseTo(0.00486, within(0.00001));
    }
}
