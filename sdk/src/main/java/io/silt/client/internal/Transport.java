package io.silt.client.internal;

import io.silt.storage.log.segment.Record;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The seam between the SDK's API and where the data is: {@link DirectTransport} works on the bucket itself; the
 * http transport (with the functions issue) calls the Silt REST service, which runs a DirectTransport. Everything
 * the producers, consumers, groups and queues need goes through here, so both transports pass the same tests.
 */
public interface Transport extends AutoCloseable {

    /** A topic's settings. */
    record TopicMeta(String name, int partitions, Optional<Duration> retentionTime, Optional<Long> retentionBytes) {}

    /** Where an appended batch landed. */
    record AppendAck(long baseOffset, int count, boolean duplicate) {}

    /** A record and its offset. */
    record Fetched(long offset, Record record) {}

    /** The answer to a fetch: records (possibly none) and the partition's retained range as now known. */
    record FetchResult(List<Fetched> records, long startOffset, long endOffset) {}

    String target();

    TopicMeta createTopic(String name, int partitions, Optional<Duration> retentionTime, Optional<Long> retentionBytes);

    /** @throws io.silt.client.UnknownTopicException if there is none */
    TopicMeta topic(String name);

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
