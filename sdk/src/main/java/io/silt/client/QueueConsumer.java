package io.silt.client;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Reads a topic as a queue (RabbitMQ / SQS style): competing consumers receive messages without owning partitions,
 * acknowledge each one, and messages not acknowledged within their visibility timeout are delivered again. After
 * {@link QueueConfig#maxDeliveries()} deliveries a message goes to the dead-letter topic. Like an SQS standard
 * queue, there is no per-key order. Thread-safe.
 */
public interface QueueConsumer extends AutoCloseable {

    /** Receives up to {@code max} messages, waiting up to {@code wait} for some; each invisible for {@code visibility}. */
    List<QueueMessage> receive(int max, Duration visibility, Duration wait);

    default List<QueueMessage> receive(int max) {
        return receive(max, null, Duration.ZERO);
    }

    /** Acknowledges messages: they are done and never delivered again. Unknown or expired receipts are ignored. */
    void ack(Collection<String> receipts);

    default void ack(String receipt) {
        ack(List.of(receipt));
    }

    /** Gives messages back at once (or after {@code delay}) for redelivery; counts as a delivery. */
    void nack(Collection<String> receipts, Duration delay);

    default void nack(String receipt) {
        nack(List.of(receipt), Duration.ZERO);
    }

    /** Extends the visibility timeout of messages still being worked on. */
    void extend(Collection<String> receipts, Duration visibility);

    @Override
    void close();
}
