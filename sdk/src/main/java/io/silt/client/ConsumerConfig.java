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
 * @param heartbeatInterval how often a group member PUTs its heartbeat object (default 3 s). A third of it is the
 *     {@linkplain #livenessCheckInterval() liveness check interval} (default 1 s): that often a member reads the group
 *     log (one GET, a 404 when nothing is new) and looks at one other member's heartbeat, its successor in sorted id
 *     order (one conditional GET, a 304 while unchanged). No LIST in the steady state. Cost per member per 30-day
 *     month at S3 Standard prices with the defaults: 864,000 PUTs = $4.32, plus 2 x 2,592,000 GETs = $2.07, in all
 *     <b>$6.39</b> (RFC 0006; the idle probes of the member's partitions, at most 1 GET per second each, come on
 *     top). Heartbeats and checks run on a background thread of the consumer, so they do not depend on how often
 *     the application polls; how long it may spend between polls is {@code maxPollInterval}
 * @param sessionTimeout how long a member's heartbeat may stay unchanged, on its watcher's clock, before the watcher
 *     drops it from the group (default 8 s; at least twice the heartbeat interval). After a member dies the others
 *     own its partitions within {@link #failoverBound()} {@code = sessionTimeout + heartbeatInterval / 3} (default
 *     9 s); a live member is dropped only if no new heartbeat of it was visible for {@code sessionTimeout -
 *     heartbeatInterval / 3} (default 7 s), which with the background heartbeat means its whole process stalled
 *     (a long GC pause, a lost network) for that long
 * @param maxIdleBackoff the longest wait between probes of an idle partition (default 1 s: at most 1 GET per second
 *     per partition when nothing is produced)
 * @param maxPollInterval the longest time the application may take between two calls of {@code poll} (default
 *     5 minutes, as Kafka's {@code max.poll.interval.ms}). Slow processing within it never causes a rebalance: the
 *     background thread keeps heartbeating. If it runs out, the background thread leaves the group (deletes the
 *     heartbeat and writes a generation without this member), so the others take its partitions within one
 *     {@linkplain #livenessCheckInterval() check interval}; its commits stop counting, and the next {@code poll}
 *     revokes everything and rejoins. Partitions a live member is asked to hand over are released at its next
 *     poll, so a hand-over waits at most this long for a member that processes slowly
 */
public record ConsumerConfig(String groupId, boolean autoCommit, Duration autoCommitInterval,
                             OffsetReset autoOffsetReset, int maxPollRecords, long fetchMaxBytes,
                             Duration heartbeatInterval, Duration sessionTimeout, Duration maxIdleBackoff,
                             Duration maxPollInterval) {

    /** Where a consumer without a committed offset starts. */
    public enum OffsetReset { EARLIEST, LATEST }

    public static ConsumerConfig defaults() {
        return new ConsumerConfig(null, true, Duration.ofSeconds(5), OffsetReset.LATEST, 500, 4L << 20,
                Duration.ofSeconds(3), Duration.ofSeconds(8), Duration.ofSeconds(1), Duration.ofMinutes(5));
    }

    public ConsumerConfig {
        if (maxPollRecords < 1 || fetchMaxBytes < 1 || heartbeatInterval.isNegative() || heartbeatInterval.isZero()
                || sessionTimeout.compareTo(heartbeatInterval.multipliedBy(2)) < 0 || maxPollInterval.isNegative()
                || maxPollInterval.isZero()) {
            throw new InvalidRequestException("invalid consumer config: " + this
                    + " (the session timeout must be at least twice the heartbeat interval, and the max poll "
                    + "interval positive)");
        }
    }

    /**
     * How often a group member reads its group's log and looks at its successor's heartbeat: a third of the
     * heartbeat interval (1 s with the defaults). Two GETs each time.
     */
    public Duration livenessCheckInterval() {
        return heartbeatInterval.dividedBy(3);
    }

    /**
     * The longest time from a member's death to the survivors owning its partitions: {@code sessionTimeout +
     * livenessCheckInterval()} (9 s with the defaults). The survivors' background threads drop the dead member and
     * take its partitions in the group state within the bound; a survivor starts reading them at its next poll (a
     * poll that waits wakes up for it). It holds when the dead member's watcher (the member before it in sorted id
     * order) is alive and was already watching it; when neighbours in that order die together they are dropped one
     * after the other, each within one more bound. See RFC 0006, "Failover time".
     */
    public Duration failoverBound() {
        return sessionTimeout.plus(livenessCheckInterval());
    }

    /** The Kafka-style property names {@link #fromProperties} reads. */
    public static final java.util.List<String> PROPERTY_NAMES = java.util.List.of("group.id", "enable.auto.commit",
            "auto.commit.interval.ms", "auto.offset.reset", "max.poll.records", "fetch.max.bytes",
            "heartbeat.interval.ms", "session.timeout.ms", "max.poll.interval.ms", "silt.max.idle.backoff.ms");

    /**
     * The defaults, overridden by Kafka-style properties: {@code group.id}, {@code enable.auto.commit},
     * {@code auto.commit.interval.ms}, {@code auto.offset.reset} ({@code earliest} or {@code latest}),
     * {@code max.poll.records}, {@code fetch.max.bytes}, {@code heartbeat.interval.ms}, {@code session.timeout.ms},
     * {@code max.poll.interval.ms}, {@code silt.max.idle.backoff.ms}. Other properties are ignored.
     *
     * @throws InvalidRequestException naming the property whose value is not valid
     */
    public static ConsumerConfig fromProperties(java.util.Properties props) {
        ConsumerConfig d = defaults();
        String reset = props.getProperty("auto.offset.reset");
        OffsetReset offsetReset = d.autoOffsetReset;
        if (reset != null) {
            try {
                offsetReset = OffsetReset.valueOf(reset.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("invalid consumer config: auto.offset.reset must be earliest or "
                        + "latest, was '" + reset + "'");
            }
        }
        String enable = props.getProperty("enable.auto.commit");
        boolean autoCommit = d.autoCommit;
        if (enable != null) {
            if (!enable.trim().equalsIgnoreCase("true") && !enable.trim().equalsIgnoreCase("false")) {
                throw new InvalidRequestException("invalid consumer config: enable.auto.commit must be true or false, "
                        + "was '" + enable + "'");
            }
            autoCommit = Boolean.parseBoolean(enable.trim());
        }
        return new ConsumerConfig(props.getProperty("group.id", d.groupId), autoCommit,
                millis(props, "auto.commit.interval.ms", d.autoCommitInterval), offsetReset,
                (int) number(props, "max.poll.records", d.maxPollRecords),
                number(props, "fetch.max.bytes", d.fetchMaxBytes),
                millis(props, "heartbeat.interval.ms", d.heartbeatInterval),
                millis(props, "session.timeout.ms", d.sessionTimeout),
                millis(props, "silt.max.idle.backoff.ms", d.maxIdleBackoff),
                millis(props, "max.poll.interval.ms", d.maxPollInterval));
    }

    private static Duration millis(java.util.Properties props, String name, Duration fallback) {
        return props.getProperty(name) == null ? fallback : Duration.ofMillis(number(props, name, 0));
    }

    private static long number(java.util.Properties props, String name, long fallback) {
        String v = props.getProperty(name);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0 || (name.equals("max.poll.records") && n > Integer.MAX_VALUE)) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("invalid consumer config: " + name + " must be a non-negative whole "
                    + "number, was '" + v + "'");
        }
    }

    public ConsumerConfig withGroupId(String g) {
        return new ConsumerConfig(g, autoCommit, autoCommitInterval, autoOffsetReset, maxPollRecords, fetchMaxBytes,
                heartbeatInterval, sessionTimeout, maxIdleBackoff, maxPollInterval);
    }

    public ConsumerConfig withAutoCommit(boolean on) {
        return new ConsumerConfig(groupId, on, autoCommitInterval, autoOffsetReset, maxPollRecords, fetchMaxBytes,
                heartbeatInterval, sessionTimeout, maxIdleBackoff, maxPollInterval);
    }

    public ConsumerConfig withAutoOffsetReset(OffsetReset r) {
        return new ConsumerConfig(groupId, autoCommit, autoCommitInterval, r, maxPollRecords, fetchMaxBytes,
                heartbeatInterval, sessionTimeout, maxIdleBackoff, maxPollInterval);
    }

    public ConsumerConfig withMaxPollRecords(int n) {
        return new ConsumerConfig(groupId, autoCommit, autoCommitInterval, autoOffsetReset, n, fetchMaxBytes,
                heartbeatInterval, sessionTimeout, maxIdleBackoff, maxPollInterval);
    }

    public ConsumerConfig withHeartbeat(Duration interval, Duration session) {
        return new ConsumerConfig(groupId, autoCommit, autoCommitInterval, autoOffsetReset, maxPollRecords,
                fetchMaxBytes, interval, session, maxIdleBackoff, maxPollInterval);
    }

    public ConsumerConfig withMaxIdleBackoff(Duration d) {
        return new ConsumerConfig(groupId, autoCommit, autoCommitInterval, autoOffsetReset, maxPollRecords,
                fetchMaxBytes, heartbeatInterval, sessionTimeout, d, maxPollInterval);
    }

    /** Kafka's {@code max.poll.interval.ms}: see {@link #maxPollInterval()}. */
    public ConsumerConfig withMaxPollInterval(Duration d) {
        return new ConsumerConfig(groupId, autoCommit, autoCommitInterval, autoOffsetReset, maxPollRecords,
                fetchMaxBytes, heartbeatInterval, sessionTimeout, maxIdleBackoff, d);
    }

    public ConsumerConfig withAutoCommitInterval(Duration d) {
        return new ConsumerConfig(groupId, autoCommit, d, autoOffsetReset, maxPollRecords, fetchMaxBytes,
                heartbeatInterval, sessionTimeout, maxIdleBackoff, maxPollInterval);
    }
}
