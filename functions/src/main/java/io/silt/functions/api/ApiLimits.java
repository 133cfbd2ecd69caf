package io.silt.functions.api;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The REST service's limits (RFC 0009, "Limits"), from configuration.
 *
 * @see ProduceAdmission for the in-flight accounting
 */
@ApplicationScoped
public class ApiLimits {
    private final long maxRequestBytes;
    private final int maxRecordBytes;
    private final long maxWaitMs;
    private final long maxInFlightBytes;
    private final int maxLongPolls;
    private final Duration idempotencyWindow;

    public ApiLimits(@ConfigProperty(name = "silt.max-request-bytes", defaultValue = "8388608") long maxRequestBytes,
                     @ConfigProperty(name = "silt.max-record-bytes", defaultValue = "1048576") int maxRecordBytes,
                     @ConfigProperty(name = "silt.max-wait-ms", defaultValue = "20000") long maxWaitMs,
                     @ConfigProperty(name = "silt.max-in-flight-bytes", defaultValue = "67108864")
                     long maxInFlightBytes,
                     @ConfigProperty(name = "silt.max-long-polls", defaultValue = "1000") int maxLongPolls,
                     @ConfigProperty(name = "silt.idempotency-window", defaultValue = "PT24H")
                     Duration idempotencyWindow) {
        this.maxRequestBytes = maxRequestBytes;
        this.maxRecordBytes = maxRecordBytes;
        this.maxWaitMs = maxWaitMs;
        this.maxInFlightBytes = maxInFlightBytes;
        this.maxLongPolls = maxLongPolls;
        this.idempotencyWindow = idempotencyWindow;
    }

    /** The largest request body accepted (413 above). */
    public long maxRequestBytes() {
        return maxRequestBytes;
    }

    /** The largest encoded record accepted (413 above). */
    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /** The longest a fetch waits for records (its {@code waitMs} is capped to this). */
    public long maxWaitMs() {
        return maxWaitMs;
    }

    /** Produce body bytes that may wait for their commit at once (429 above). */
    public long maxInFlightBytes() {
        return maxInFlightBytes;
    }

    /** Fetches that may wait for records at once; further ones answer at once, possibly with no records. */
    public int maxLongPolls() {
        return maxLongPolls;
    }

    /** How long an {@code Idempotency-Key} is remembered. */
    public Duration idempotencyWindow() {
        return idempotencyWindow;
    }
}
