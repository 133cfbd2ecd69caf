package io.silt.client;

import java.time.Duration;

/**
 * Producer settings; {@link #defaults()} and the {@code with…} methods.
 *
 * @param linger how long a batch waits for more records before it is sent (default 10 ms); never a timer when idle
 * @param batchBytes a batch is sent once it holds this much (default 1 MiB)
 * @param bufferBytes records waiting to be acknowledged may use this much memory (default 64 MiB)
 * @param maxBlock how long {@code send} blocks when the buffer is full before it fails with
 *     {@link BufferExhaustedException} (default 60 s)
 * @param deliveryTimeout how long the producer retries a batch before its futures fail (default 120 s)
 * @param maxRecordBytes the largest record accepted (default 1 MiB, as Kafka's {@code max.request.size})
 * @param idempotent whether retried batches are recognised and appended once (default true)
 * @param compression whether batches are LZ4-compressed (default true)
 */
public record ProducerConfig(Duration linger, int batchBytes, long bufferBytes, Duration maxBlock,
                             Duration deliveryTimeout, int maxRecordBytes, boolean idempotent, boolean compression) {

    public static ProducerConfig defaults() {
        return new ProducerConfig(Duration.ofMillis(10), 1 << 20, 64L << 20, Duration.ofSeconds(60),
                Duration.ofSeconds(120), 1 << 20, true, true);
    }

    public ProducerConfig {
        if (linger.isNegative() || batchBytes < 1 || bufferBytes < batchBytes || maxBlock.isNegative()
                || deliveryTimeout.isNegative() || maxRecordBytes < 1) {
            throw new InvalidRequestException("invalid producer config: " + this);
        }
    }

    public ProducerConfig withLinger(Duration d) {
        return new ProducerConfig(d, batchBytes, bufferBytes, maxBlock, deliveryTimeout, maxRecordBytes, idempotent,
                compression);
    }

    public ProducerConfig withBatchBytes(int b) {
        return new ProducerConfig(linger, b, bufferBytes, maxBlock, deliveryTimeout, maxRecordBytes, idempotent,
                compression);
    }

    public ProducerConfig withBufferBytes(long b) {
        return new ProducerConfig(linger, batchBytes, b, maxBlock, deliveryTimeout, maxRecordBytes, idempotent,
                compression);
    }

    public ProducerConfig withMaxBlock(Duration d) {
        return new ProducerConfig(linger, batchBytes, bufferBytes, d, deliveryTimeout, maxRecordBytes, idempotent,
                compression);
    }

    public ProducerConfig withDeliveryTimeout(Duration d) {
        return new ProducerConfig(linger, batchBytes, bufferBytes, maxBlock, d, maxRecordBytes, idempotent,
                compression);
    }

    public ProducerConfig withMaxRecordBytes(int b) {
        return new ProducerConfig(linger, batchBytes, bufferBytes, maxBlock, deliveryTimeout, b, idempotent,
                compression);
    }

    public ProducerConfig withIdempotent(boolean on) {
        return new ProducerConfig(linger, batchBytes, bufferBytes, maxBlock, deliveryTimeout, maxRecordBytes, on,
                compression);
    }

    public ProducerConfig withCompression(boolean on) {
        return new ProducerConfig(linger, batchBytes, bufferBytes, maxBlock, deliveryTimeout, maxRecordBytes,
                idempotent, on);
    }
}
