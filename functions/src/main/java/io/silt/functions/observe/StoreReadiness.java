package io.silt.functions.observe;

import io.silt.functions.SiltRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the store answers: a HEAD of a key that does not exist ({@code health/probe}), which needs the same
 * permissions as the log's probing reads (on AWS, {@code s3:ListBucket} turns the 404 from a 403; without it this
 * check fails, as the service would). The outcome is kept for {@code silt.health.cache-ms} (default 5 s) so health
 * polling costs at most one request per that period.
 */
@Readiness
@ApplicationScoped
public class StoreReadiness implements HealthCheck {
    static final String PROBE_KEY = "health/probe";

    private final SiltRuntime silt;
    private final long cacheNanos;
    private final LongSupplier nanoTime;
    private HealthCheckResponse last;
    private long lastNanos;

    @Inject
    public StoreReadiness(SiltRuntime silt, @ConfigProperty(name = "silt.health.cache-ms", defaultValue = "5000")
            long cacheMillis) {
        this(silt, Duration.ofMillis(cacheMillis), System::nanoTime);
    }

    StoreReadiness(SiltRuntime silt, Duration cache, LongSupplier nanoTime) {
        this.silt = silt;
        this.cacheNanos = cache.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public synchronized HealthCheckResponse call() {
        long now = nanoTime.getAsLong();
        if (last == null || now - lastNanos >= cacheNanos) {
            last = probe();
            lastNanos = now;
        }
        return last;
    }

    private HealthCheckResponse probe() {
        long start = System.nanoTime();
        try {
            silt.store().head(PROBE_KEY);
            return HealthCheckResponse.named("silt-store").up().withData("store", silt.target())
                    .withData("latencyMs", (System.nanoTime() - start) / 1_000_000).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("silt-store").down().withData("store", silt.target())
                    .withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
