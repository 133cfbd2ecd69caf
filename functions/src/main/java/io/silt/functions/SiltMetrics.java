package io.silt.functions;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The service's own figures, exported at {@code /q/metrics}: records and bytes produced and consumed per topic
 * (rates come from the counters), produce acknowledgement latency, end-to-end latency seen at fetch time (now minus
 * the record's timestamp). Resources and handlers call these; the bucket-derived figures (lag, request counts) are
 * registered elsewhere.
 */
@ApplicationScoped
public class SiltMetrics {
    private final MeterRegistry registry;

    public SiltMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** A produce request was acknowledged: {@code records} records, {@code bytes} bytes, after {@code nanos}. */
    public void produced(String topic, int records, long bytes, long nanos) {
        Counter.builder("silt.produced.records").tag("topic", topic).register(registry).increment(records);
        Counter.builder("silt.produced.bytes").tag("topic", topic).register(registry).increment(bytes);
        Timer.builder("silt.produce.ack.latency").tag("topic", topic).publishPercentileHistogram()
                .register(registry).record(Duration.ofNanos(nanos));
    }

    /** A fetch returned {@code records} records and {@code bytes} bytes; {@code ageMillis} are now - timestamp. */
    public void fetched(String topic, int records, long bytes, long[] ageMillis) {
        Counter.builder("silt.consumed.records").tag("topic", topic).register(registry).increment(records);
        Counter.builder("silt.consumed.bytes").tag("topic", topic).register(registry).increment(bytes);
        DistributionSummary e2e = DistributionSummary.builder("silt.end.to.end.latency").baseUnit("milliseconds")
                .tag("topic", topic).publishPercentileHistogram().register(registry);
        for (long age : ageMillis) {
            e2e.record(Math.max(0, age));
        }
    }

    /** A produce request was refused for back-pressure, a conflict, or a failure, by kind. */
    public void refused(String route, String kind) {
        Counter.builder("silt.requests.refused").tag("route", route).tag("kind", kind).register(registry).increment();
    }
}
