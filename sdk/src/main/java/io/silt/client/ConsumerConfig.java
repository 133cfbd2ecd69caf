package io.silt.client;

import java.time.Duration;

/**
 * Consumer settings; {@link #defaults()} and the {@code with…} methods.
 *
 * @param groupId the consumer group, or {@code null} for none (then offsets cannot be committed)
 * @param autoCommit commit positions automatically every {@code autoCommitInterval} and on close (default true)
 * @param autoCommitInterval default 5 s
 * @param autoOffsetReset where to start without a committed offset: {@code EARLIEST} or {@code LATEST} (default,
 *     as Kafka)
 * @param maxPollRecords the most records one poll returns (default 500)
 * @param fetchMaxBytes about how much one fetch from a partition reads (default 4 MiB)
 * @param heartbeatInterval how often a group member writes its heartbeat (default 3 s: one PUT per member every 3 s,
 *     about $4.32 per member per 30-day month at S3 Standard prices)
 * @param sessionTimeout a member whose heartbeat is older than this is considered gone (default 10 s)
 * @param maxIdleBackoff the longest wait between probes of an idle partition (default 1 s: at most 1 GET per second
 *     per partition when nothing is produced)
 */
public record ConsumerConfig(String groupId, boolean autoCommit, Duration autoCommitInterval,
                             OffsetReset autoOffsetReset, int maxPollRecords, long fetchMaxBytes,
                             Duration heartbeatInterval, Duration sessionTimeout, Duration maxIdleBackoff) {

    /** Where a consumer without a committed offset starts. */
    public enum OffsetReset { EARLIEST, LATEST }

    public static ConsumerConfig defaults() {
        return new ConsumerConfig(null, true, Duration.ofSeconds(5), OffsetReset.LATEST, 500, 4L << 20,
                Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofSeconds(1));
    }

    public ConsumerConfig {
        if (maxPollRecords < 1 || fetchMaxBytes < 1 || heartbeatInterval.isNegative() || heartbeatInterval.isZero()
                || sessionTimeout.compareTo(heartbeatInterval) <= 0) {
            throw new InvalidRequestException("invalid consumer config: " + this
                    + " (the session timeout must exceed the heartbeat interval)");
        }
    }

    public ConsumerConfig withGroupId(String g) {
        return new ConsumerConfig(g, autoCommit, autoCommitInterval, autoOffsetReset, maxPollRecords, fetchMaxBytes,
                heartbeatInterval, sessionTimeout, maxIdleBackoff);
    }

    public ConsumerConfig withAutoCommit(boolean on) {
        return new ConsumerConfig(groupId, on, autoCommitInterval, autoOffsetReset, maxPollRecords, fetchMaxBytes,
                heartbeatInterval, sessionTimeout, maxIdleBackoff);
    }

    public ConsumerConfig withAutoOffsetReset(OffsetReset r) {
        return new ConsumerConfig(groupId, autoCommit, autoCommitInterval, r, maxPollRecords, fetchMaxBytes,
                heartbeatInterval, sessionTimeout, maxIdleBackoff);
    }

    public ConsumerConfig withMaxPollRecords(int n) {
        return new ConsumerConfig(groupId, autoCommit, autoCommitInterval, autoOffsetReset, n, fetchMaxBytes,
                heartbeatInterval, sessionTimeout, maxIdleBackoff);
    }

    public ConsumerConfig withHeartbeat(Duration interval, Duration session) {
        return new ConsumerConfig(groupId, autoCommit, autoCommitInterval, autoOffsetReset, maxPollRecords,
                fetchMaxBytes, interval, session, maxIdleBackoff);
    }

    public ConsumerConfig withMaxIdleBackoff(Duration d) {
        return new ConsumerConfig(groupId, autoCommit, autoCommitInterval, autoOffsetReset, maxPollRecords,
                fetchMaxBytes, heartbeatInterval, sessionTimeout, d);
    }

    public ConsumerConfig withAutoCommitInterval(Duration d) {
        return new ConsumerConfig(groupId, autoCommit, d, autoOffsetReset, maxPollRecords, fetchMaxBytes,
                heartbeatInterval, sessionTimeout, maxIdleBackoff);
    }
}
