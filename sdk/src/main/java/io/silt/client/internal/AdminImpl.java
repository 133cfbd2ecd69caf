package io.silt.client.internal;

import io.silt.client.Admin;
import io.silt.client.GroupInfo;
import io.silt.client.RetriableSiltException;
import io.silt.client.SiltException;
import io.silt.client.TopicInfo;
import io.silt.client.TopicPartition;
import io.silt.client.UnknownTopicException;
import io.silt.storage.log.CompactionPolicy;
import io.silt.storage.log.CompactionReport;
import io.silt.storage.log.PartitionCompactor;
import io.silt.storage.log.PartitionView;
import io.silt.storage.log.TopicDescription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Admin directly on the bucket. Topics go through {@link io.silt.storage.log.Topics}; describing reads each
 * partition's view (a few requests per partition: an admin operation, not a hot path). What consumer groups and
 * queues contribute (group listing, offsets reset, consumption figures, redrive) comes from the {@link Groups} and
 * {@link QueueAdmin} given to the constructor, which the group and queue machinery implement.
 */
public final class AdminImpl implements Admin {
    /** The window over which {@link TopicInfo.Stats} rates are measured. */
    public static final Duration STATS_WINDOW = Duration.ofMinutes(1);
    private static final int PURGE_ATTEMPTS = 5;

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

    private final DirectTransport transport;
    private final Groups groups;
    private final QueueAdmin queues;

    public AdminImpl(DirectTransport transport, Groups groups, QueueAdmin queues) {
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
            TopicDescription d = fresh(name);
            long now = transport.clock().millis();
            long since = now - STATS_WINDOW.toMillis();
            List<TopicInfo.PartitionInfo> infos = new ArrayList<>();
            long produced = 0;
            for (int p = 0; p < d.config().partitions(); p++) {
                PartitionView v = PartitionView.open(transport.store(), d.partitionPrefix(p), transport.logConfig(),
                        transport.nanoTime());
                long bytes = 0;
                for (PartitionView.Located l : v.entries().values()) {
                    bytes += l.entry().dataBytes();
                    // Checkpointed entries carry the checkpoint's time, not their commit's: only commit records count.
                    if (l.commitSeq() >= 0 && l.commitTimeMillis() >= since) {
                        produced += l.entry().recordCount();
                    }
                }
                infos.add(new TopicInfo.PartitionInfo(p, v.startOffset(), v.endOffset(), bytes));
            }
            Consumption c = groups.consumption(name, List.copyOf(infos), STATS_WINDOW);
            TopicInfo.Stats stats = new TopicInfo.Stats(produced / (double) STATS_WINDOW.toSeconds(),
                    c.recordsPerSecond(), c.lagRecords(), c.lagBytes(), c.endToEndLatencyMillis());
            return new TopicInfo(name, d.config().partitions(), d.config().retentionTime(),
                    d.config().retentionBytes(), List.copyOf(infos), stats);
        });
    }

    /** The topic as stored now (not the transport's cache, which may predate a delete or an alteration). */
    private TopicDescription fresh(String name) {
        transport.forget(name);
        return transport.topics().describe(name).orElseThrow(() -> new UnknownTopicException("topic '" + name
                + "' does not exist; create it first (silt topics create " + name + ")"));
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

    /**
     * Runs one compaction of each partition whose policy also expires every entry up to the end offset seen when the
     * run starts ({@link CompactionPolicy#withPurgeBefore}). The new checkpoint moves the start offset to that end;
     * records appended meanwhile stay. Data objects are deleted later by garbage collection, after the grace period,
     * so readers that are mid-way finish safely. The run is not a leased compactor (epoch 0): a scheduled compactor
     * that writes the same checkpoint number first makes this run lose the race, and it tries again.
     */
    @Override
    public void purgeTopic(String name) {
        translated(() -> {
            TopicDescription d = fresh(name);
            for (int p = 0; p < d.config().partitions(); p++) {
                purgePartition(d, p);
            }
            return null;
        });
    }

    private void purgePartition(TopicDescription d, int partition) {
        String prefix = d.partitionPrefix(partition);
        for (int attempt = 1; attempt <= PURGE_ATTEMPTS; attempt++) {
            long end = PartitionView.openForWriting(transport.store(), prefix, transport.logConfig(),
                    transport.nanoTime()).endOffset();
            if (end == 0) {
                return;
            }
            PartitionCompactor compactor = new PartitionCompactor(transport.store(), transport.logConfig(),
                    CompactionPolicy.DEFAULTS.withPurgeBefore(end), transport.clock(), transport.nanoTime(),
                    transport.newRandom(), 0);
            CompactionReport report = compactor.compact(prefix, d.config());
            switch (report.outcome()) {
                case CHECKPOINTED, UP_TO_DATE -> {
                    return;
                }
                case UNKNOWN -> throw new RetriableSiltException("purge of " + d.name() + "-" + partition + ": "
                        + "whether its checkpoint was written is unknown; run the purge again");
                case LOST_RACE -> {
                    // a compactor checkpointed first: plan again on top of its checkpoint
                }
            }
        }
        throw new RetriableSiltException("purge of " + d.name() + "-" + partition + " lost " + PURGE_ATTEMPTS
                + " checkpoint races to other compactors in a row; run it again");
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
