package io.silt.storage.log;

import java.time.Duration;
import java.util.Optional;

/**
 * A topic's settings.
 *
 * @param partitions number of partitions, 1 to {@value #MAX_PARTITIONS}
 * @param retentionTime how long records are kept; empty = forever
 * @param retentionBytes how many bytes each partition keeps at most; empty = no limit
 */
public record TopicConfig(int partitions, Optional<Duration> retentionTime, Optional<Long> retentionBytes) {
    public static final int MAX_PARTITIONS = 10_000;
    /** Seven days, Kafka's default. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    public TopicConfig {
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException("partitions must be 1 to " + MAX_PARTITIONS + ", was " + partitions);
        }
        retentionTime.ifPresent(d -> {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("retention time must be positive, was " + d);
            }
        });
        retentionBytes.ifPresent(b -> {
            if (b <= 0) {
                throw new IllegalArgumentException("retention bytes must be positive, was " + b);
            }
        });
    }

    /** {@code partitions} partitions, kept for {@link #DEFAULT_RETENTION}. */
    public static TopicConfig of(int partitions) {
        return new TopicConfig(partitions, Optional.of(DEFAULT_RETENTION), Optional.empty());
    }

    public TopicConfig withRetention(Optional<Duration> time, Optional<Long> bytes) {
        return new TopicConfig(partitions, time, bytes);
    }
}
