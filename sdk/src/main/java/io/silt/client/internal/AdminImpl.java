package io.silt.client.internal;

import io.silt.client.Admin;
import io.silt.client.GroupInfo;
import io.silt.client.SiltException;
import io.silt.client.TopicInfo;
import io.silt.client.TopicPartition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Admin over a {@link Transport}: topics, describing and purging go through the transport (directly on the bucket,
 * or the service's topic routes). What consumer groups and
 * queues contribute (group listing, offsets reset, consumption figures, redrive) comes from the {@link Groups} and
 * {@link QueueAdmin} given to the constructor, which the group and queue machinery implement.
 */
public final class AdminImpl implements Admin {
    /** The window over which {@link TopicInfo.Stats} rates are measured. */
    public static final Duration STATS_WINDOW = Duration.ofMinutes(1);

    /**
     * A topic's consumption figures over a window (the brief's C, M and D).
     *
     * @param recordsPerSecond records committed by consumer groups per second
     * @param lagRecords records not yet consumed, summed over partitions of the group furthest behind
     * @param lagBytes the same in bytes (estimated)
     * @param endToEndLatencyMillis age of the newest committed record when its group committed it, or -1
     */
    public record Consumption(double recordsPerSecond, long lagRecords, long lagBytes, long endToEndLatencyMillis) {
        /** What a topic nobody consumes reports. */
        public static final Consumption NONE = new Consumption(0, 0, 0, -1);
    }

    /** What consumer groups contribute to admin; implemented by the consumer-group machinery. */
    public interface Groups {
        List<String> listGroups();

        GroupInfo describeGroup(String group);

        Map<TopicPartition, Long> resetOffsets(String group, String topic, OffsetSpec to);

        /**
         * The consumption figures of a topic over {@code window}.
         *
         * @param partitions the topic's partitions as just described (start, end and bytes, for lag)
         */
        Consumption consumption(String topic, List<TopicInfo.PartitionInfo> partitions, Duration window);

        /** Until groups are plugged in: there are none, nothing consumes. */
        Groups NONE = new Groups() {
            @Override
            public List<String> listGroups() {
                return List.of();
            }

            @Override
            public GroupInfo describeGroup(String group) {
                throw new SiltException("consumer groups are not available in this client yet");
            }

            @Override
            public Map<TopicPartition, Long> resetOffsets(String group, String topic, OffsetSpec to) {
                throw new SiltException("consumer groups are not available in this client yet");
            }

            @Override
            public Consumption consumption(String topic, List<TopicInfo.PartitionInfo> partitions,
                                           Duration window) {
                return Consumption.NONE;
            }
        };
    }

    private final Transport transport;
    private final Groups groups;
    private final QueueAdmin queues;

    public AdminImpl(Transport transport, Groups groups, QueueAdmin queues) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.groups = Objects.requireNonNull(groups, "groups");
        this.queues = Objects.requireNonNull(queues, "queues");
    }

    @Override
    public TopicInfo createTopic(String name, int partitions, Optional<Duration> retentionTime,
                                 Optional<Long> retentionBytes) {
        transport.createTopic(name, partitions, retentionTime, retentionBytes);
        return describeTopic(name);
    }

    @Override
    public TopicInfo describeTopic(String name) {
        return translated(() -> {
            Transport.TopicFigures t = transport.describe(name, STATS_WINDOW);
            Consumption c = groups.consumption(name, t.partitions(), STATS_WINDOW);
            TopicInfo.Stats stats = new TopicInfo.Stats(t.producedPerSecond(), c.recordsPerSecond(),
                    c.lagRecords(), c.lagBytes(), c.endToEndLatencyMillis());
            Transport.TopicMeta m = t.meta();
            return new TopicInfo(name, m.partitions(), m.retentionTime(), m.retentionBytes(), t.partitions(), stats);
        });
    }

    @Override
    public List<String> listTopics() {
        return transport.listTopics();
    }

    @Override
    public boolean deleteTopic(String name) {
        return transport.deleteTopic(name);
    }

    @Override
    public TopicInfo alterRetention(String name, Optional<Duration> retentionTime, Optional<Long> retentionBytes) {
        transport.alterRetention(name, retentionTime, retentionBytes);
        return describeTopic(name);
    }

    @Override
    public void purgeTopic(String name) {
        translated(() -> {
            transport.purge(name);
            return null;
        });
    }

    @Override
    public List<String> listGroups() {
        return translated(groups::listGroups);
    }

    @Override
    public GroupInfo describeGroup(String group) {
        return translated(() -> groups.describeGroup(group));
    }

    @Override
    public Map<TopicPartition, Long> resetOffsets(String group, String topic, OffsetSpec to) {
        return translated(() -> groups.resetOffsets(group, topic, to));
    }

    @Override
    public long redrive(String deadLetterTopic, String targetTopic) {
        return translated(() -> queues.redrive(deadLetterTopic, targetTopic));
    }

    private static <T> T translated(Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        }
    }
}
