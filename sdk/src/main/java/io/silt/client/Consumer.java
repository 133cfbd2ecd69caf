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
     * Returns the records available, waiting up to {@code timeout} for some. Also heartbeats and takes part in
     * rebalances when subscribed, and commits offsets automatically when auto-commit is on.
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
