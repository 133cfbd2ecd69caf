package io.silt.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The workload's settings, the child JVMs' argument and result lines, and the prices per GB. */
class WorkloadSpecTest {
    @Test
    void aShareTravelsToAChildJvmAndBack() {
        WorkloadSpec spec = WorkloadSpec.defaults("w", StoreKind.S3_EXPRESS).withShape(16, 4, 0, 2)
                .withLoad(512, 2 << 20, Duration.ofMillis(25), 3 << 20)
                .withTimes(Duration.ofSeconds(2), Duration.ofSeconds(7), 1_000);
        ProducerLoad.Share share = new ProducerLoad.Share(spec, "/tmp/x", "t", 4, 4);

        ProducerLoad.Share back = ProducerLoad.Share.fromArgs(share.toArgs().toArray(String[]::new));

        assertThat(back.location()).isEqualTo("/tmp/x");
        assertThat(back.first()).isEqualTo(4);
        assertThat(back.count()).isEqualTo(4);
        WorkloadSpec s = back.spec();
        assertThat(List.of(s.store(), s.producers(), s.partitions(), s.recordBytes(), s.batchBytes()))
                .containsExactly(StoreKind.S3_EXPRESS, 16, 2, 512, 2 << 20);
        assertThat(s.linger()).isEqualTo(Duration.ofMillis(25));
        assertThat(s.bytesPerSecondPerPartition()).isEqualTo(3 << 20);
        assertThat(s.warmup()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.measure()).isEqualTo(Duration.ofSeconds(7));
        assertThat(s.records()).isEqualTo(1_000);
        assertThat(s.recordsPerSecond()).isEqualTo(2.0 * (3 << 20) / 512);
    }

    @Test
    void anOutcomeTravelsBackAsOneLine() {
        Histogram h = new Histogram(ProducerLoad.MAX_ACK_MICROS, 3);
        h.recordValue(1_500);
        h.recordValue(250_000);
        ProducerLoad.Outcome o = new ProducerLoad.Outcome(10, 8, 8_192, 1, 5_000_000_000L,
                new io.silt.storage.RequestCounts(3, 4, 1, 0, 2, 0, 1, 0, 100, 200), h);

        String line = o.encode();
        ProducerLoad.Outcome back = ProducerLoad.Outcome.decode(line);

        assertThat(line).startsWith(ProducerLoad.CHILD_LINE).doesNotContain("\n");
        assertThat(back.sent()).isEqualTo(10);
        assertThat(back.acked()).isEqualTo(8);
        assertThat(back.ackedBytes()).isEqualTo(8_192);
        assertThat(back.failed()).isEqualTo(1);
        assertThat(back.requests()).isEqualTo(o.requests());
        assertThat(back.acks().getTotalCount()).isEqualTo(2);
        assertThat(back.acks().getMaxValue()).isEqualTo(h.getMaxValue());
        ProducerLoad.Outcome sum = back.plus(o);
        assertThat(sum.acked()).isEqualTo(16);
        assertThat(sum.acks().getTotalCount()).isEqualTo(4);
        assertThat(sum.windowNanos()).isEqualTo(5_000_000_000L);
    }

    @Test
    void pricesPerGbCountProducersAndConsumers() {
        WorkloadSpec spec = WorkloadSpec.defaults("w", StoreKind.FILE);
        // 1 GB produced; 1,000 PUTs and 10,000 GETs in all.
        WorkloadResult r = new WorkloadResult(spec, 1_000_000, 1_000_000_000L, 10, 0, 1_000_000, 1_000_000,
                new io.silt.storage.RequestCounts(600, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                new io.silt.storage.RequestCounts(400, 10_000, 0, 0, 0, 0, 0, 0, 0, 0),
                new Histogram(3), new Histogram(3));

        assertThat(r.dollarsPerGb(io.silt.storage.CostModel.S3_STANDARD)).isCloseTo(0.005 + 0.004,
                org.assertj.core.api.Assertions.within(1e-12));
        assertThat(r.dollarsPerGb(WorkloadResult.S3_EXPRESS_ONE_ZONE)).isCloseTo(0.00113 + 0.0003,
                org.assertj.core.api.Assertions.within(1e-12));
        assertThat(r.megabytesPerSecond()).isEqualTo(100);
        assertThat(r.metrics()).containsKeys("e2e p99.9 ms", "consumer requests", "PUTs per GB");
        assertThat(r.metrics().get("PUTs per GB")).isEqualTo(1_000);
    }

    @Test
    void rejectsNonsense() {
        WorkloadSpec ok = WorkloadSpec.defaults("w", StoreKind.FILE);
        assertThatThrownBy(() -> ok.withShape(0, 0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withLoad(2048, 1024, Duration.ZERO, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ok.withShape(2, 8, 0, 1).processes()).isEqualTo(2);
        assertThat(StoreKind.named("s3-express")).isEqualTo(StoreKind.S3_EXPRESS);
        assertThatThrownBy(() -> StoreKind.named("gcs")).hasMessageContaining("unknown store");
    }
}
