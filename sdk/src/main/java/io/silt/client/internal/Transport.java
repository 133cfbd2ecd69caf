package io.silt.client.internal;

import io.silt.client.TopicInfo;
import io.silt.storage.ObjectStore;
import io.silt.storage.log.LogConfig;
import io.silt.storage.log.segment.Record;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The seam between the SDK's API and where the data is: {@link DirectTransport} works on the bucket itself;
 * {@link io.silt.client.internal.http.HttpTransport} calls the Silt REST service (RFC 0009), which runs a
 * DirectTransport. Everything the producers, consumers, groups, queues and admin need goes through here, so both
 * transports pass the same tests. Consumer groups and queues run their protocols on {@link #stateStore()}: the
 * bucket itself, or the service's coordination-state routes, which pass create-only writes through to the bucket.
 */
public interface Transport extends AutoCloseable {

    /**
     * A topic's settings.
     *
     * @param incarnation the id of this life of the topic (a topic deleted and created again gets a new one); queue
     *     state lives under it
     */
    record TopicMeta(String name, int partitions, Optional<Duration> retentionTime, Optional<Long> retentionBytes,
                     String incarnation) {}

    /**
     * A topic as stored now, for admin: its settings, each partition's retained range and bytes, and the records
     * committed per second over a recent window (the production rate P).
     */
    record TopicFigures(TopicMeta meta, List<TopicInfo.PartitionInfo> partitions, double producedPerSecond) {}

    /** Where an appended batch landed. */
    record AppendAck(long baseOffset, int count, boolean duplicate) {}

    /** A record and its offset. */
    record Fetched(long offset, Record record) {}

    /** The answer to a fetch: records (possibly none) and the partition's retained range as now known. */
    record FetchResult(List<Fetched> records, long startOffset, long endOffset) {}

    String target();

    /** The client's wall clock (record timestamps, commit times). */
    Clock clock();

    /** The client's monotonic time source (linger, liveness, visibility timeouts). */
    LongSupplier nanoTime();

    /** How the client waits; consumers use it too, so tests of polling need not sleep. */
    DirectTransport.Sleeper sleeper();

    /** A new random source split from the client's seeded one (deterministic for a given seed and call order). */
    SplittableRandom newRandom();

    /** The log settings the client assumes (retry bounds of unknown outcomes, GC grace). */
    LogConfig logConfig();

    /**
     * Where consumer groups and queues keep their state (keys under {@code groups/} and {@code queues/}): the
     * bucket for the direct transport, the service's {@code /v1/state} routes for http.
     */
    ObjectStore stateStore();

    /**
     * Runs {@code hook} when this transport closes, before its threads and connections go (producers flush there).
     * Returns an action that removes the hook again (for a producer closed before its client).
     */
    Runnable onClose(Runnable hook);

    TopicMeta createTopic(String name, int partitions, Optional<Duration> retentionTime, Optional<Long> retentionBytes);

    /** @throws io.silt.client.UnknownTopicException if there is none */
    TopicMeta topic(String name);

    /** Forgets what is cached of a topic (after it was deleted or altered elsewhere). */
    void forget(String name);

    /**
     * Checks that a partition exists.
     *
     * @throws io.silt.client.UnknownTopicException if the topic does not
     * @throws io.silt.client.InvalidRequestException if the partition is out of range
     */
    void checkPartition(String topic, int partition);

    /** The topic as stored now (never cached), with its figures over {@code window}; an admin read. */
    TopicFigures describe(String name, Duration window);

    /**
     * Removes every record before each partition's current end; records appended meanwhile stay. See
     * {@link io.silt.client.Admin#purgeTopic(String)}.
     */
    void purge(String name);

    List<String> listTopics();

    boolean deleteTopic(String name);

    TopicMeta alterRetention(String name, Optional<Duration> retentionTime, Optional<Long> retentionBytes);

    /**
     * Appends records to a partition as one batch. {@code producerId} 0 means not idempotent; otherwise
     * ({@code producerId}, {@code epoch}, {@code firstSequence}) identify the batch so a retry is appended once.
     */
    CompletableFuture<AppendAck> append(String topic, int partition, long producerId, int epoch, int firstSequence,
                                        List<Record> records);

    /**
     * How a producer wants its batches encoded.
     *
     * @param compress whether batches are LZ4-compressed
     * @param maxRecordBytes the largest encoded record accepted
     */
    record Encoding(boolean compress, int maxRecordBytes) {}

    /** {@link #append(String, int, long, int, int, List)} with the producer's own encoding settings. */
    default CompletableFuture<AppendAck> append(String topic, int partition, long producerId, int epoch,
                                                int firstSequence, List<Record> records, Encoding encoding) {
        return append(topic, partition, producerId, epoch, firstSequence, records);
    }

    /**
     * Reads records from {@code offset}; if there are none yet, waits up to {@code wait} for some (long poll).
     *
     * @throws io.silt.client.OffsetOutOfRangeException if {@code offset} is not retained
     */
    FetchResult fetch(String topic, int partition, long offset, int maxRecords, long maxBytes, Duration wait);

    /** The retained range {@code [start, end)} of a partition, fresh from the store. */
    long[] offsets(String topic, int partition);

    /** The first offset whose record has a timestamp at or after {@code timestamp}, or the end offset. */
    long offsetForTimestamp(String topic, int partition, long timestamp);

    @Override
    void close();
}
