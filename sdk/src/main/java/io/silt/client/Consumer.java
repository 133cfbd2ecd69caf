package io.silt.client;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads topics Kafka-style: by partition and offset, alone ({@link #assign}) or in a consumer group
 * ({@link #subscribe}) whose members share the partitions and whose committed offsets live in the bucket. Not
 * thread-safe: use it from one thread (as Kafka's consumer).
 *
 * <p>A subscribed consumer keeps its group membership on a background daemon thread of its own (as Kafka's
 * heartbeat thread): heartbeats and liveness checks go on while the application processes records, so it may take
 * up to {@link ConsumerConfig#maxPollInterval()} (default 5 minutes) between two polls without causing a rebalance.
 * Rebalances are applied, and the {@link ConsumerRebalanceListener} called, only inside {@link #poll}, on the
 * application's thread. If the application does not poll within the max poll interval, the consumer leaves the
 * group in the background and its partitions go to the others; its commits are then rejected
 * ({@link CommitFailedException}) and the next poll revokes everything and rejoins.
 */
public interface Consumer extends AutoCloseable {

    /** Joins the consumer's group ({@link ConsumerConfig#groupId()}) and reads its share of the topics. */
    void subscribe(Collection<String> topics, ConsumerRebalanceListener listener);

    default void subscribe(Collection<String> topics) {
        subscribe(topics, ConsumerRebalanceListener.NONE);
    }

    /** Reads exactly these partitions, without group membership (offsets may still be committed to the group). */
    void assign(Collection<TopicPartition> partitions);

    /** The partitions this consumer reads now. */
    Set<TopicPartition> assignment();

    /**
     * Returns the records available, waiting up to {@code timeout} for some. When subscribed, also applies
     * rebalances (calling the listener), rejoins the group if it was left after the max poll interval, and resets
     * the max poll interval; commits offsets automatically when auto-commit is on. Heartbeats do not depend on it.
     */
    List<ConsumerRecord> poll(Duration timeout);

    /** Commits the positions of everything returned by {@link #poll} so far, and waits until it is durable. */
    void commitSync();

    /** Commits the given offsets (the next offset to read, as in Kafka). */
    void commitSync(Map<TopicPartition, Long> offsets);

    /** Commits in the background; errors go to the log and to {@link #lastCommitError()}. */
    void commitAsync();

    /** The error of the last asynchronous commit, if it failed. */
    Optional<SiltException> lastCommitError();

    /** The group's committed offset for a partition (the next offset to read), if any. */
    Optional<Long> committed(TopicPartition partition);

    /** The offset the next {@link #poll} reads from. */
    long position(TopicPartition partition);

    void seek(TopicPartition partition, long offset);

    void seekToBeginning(Collection<TopicPartition> partitions);

    void seekToEnd(Collection<TopicPartition> partitions);

    /** For each partition, the earliest offset whose record has a timestamp at or after the given one. */
    Map<TopicPartition, Optional<Long>> offsetsForTimes(Map<TopicPartition, Long> timestamps);

    /** The earliest retained and the next offset of each partition. */
    Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions);

    Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions);

    /** Leaves the group (committing first if auto-commit is on) and releases resources. */
    @Override
    void close();
}
