package io.silt.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends records to topics. Records are batched per partition (by size and linger) and acknowledged once the commit
 * record naming them is durable. Idempotent by default: a retried batch is appended once. Thread-safe.
 *
 * <p>Futures fail with a {@link SiltException}: {@link RecordTooLargeException}, {@link UnknownTopicException},
 * {@link BufferExhaustedException} (back-pressure), {@link ProducerFencedException}, or a
 * {@link RetriableSiltException} (the store was unavailable or the outcome is unknown; the producer already retried
 * within its delivery timeout).
 *
 * <p>{@code send} does not throw for a bad record or a missing topic: the returned future fails, already completed
 * when the record is refused before it is buffered (too large, unknown topic or partition, buffer still full after
 * {@code max.block.ms}, producer closed). It may block up to {@code max.block.ms} while the buffer is full. Unkeyed
 * records stick to one partition per batch, then move to another (like Kafka's uniform sticky partitioner); keyed
 * ones go to {@code murmur2(key) % partitions}, the partition Kafka's default partitioner picks.
 */
public interface Producer extends AutoCloseable {

    CompletableFuture<RecordMetadata> send(ProducerRecord record);

    default CompletableFuture<RecordMetadata> send(String topic, byte[] key, byte[] value) {
        return send(ProducerRecord.of(topic, key, value));
    }

    default CompletableFuture<RecordMetadata> send(String topic, String key, String value) {
        return send(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    default CompletableFuture<RecordMetadata> send(String topic, byte[] key, byte[] value, List<Header> headers) {
        return send(new ProducerRecord(topic, null, key, value, headers, null));
    }

    /** Sends everything buffered now and waits until it is acknowledged (or failed). */
    void flush();

    /** Flushes, then releases resources. Never loses a record whose future completed successfully. */
    @Override
    void close();

    /** Closes, waiting at most {@code timeout} for buffered records; records not sent by then fail. */
    void close(Duration timeout);
}
