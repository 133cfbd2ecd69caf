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

    /**
     * Acknowledges messages: they are done and never delivered again. Unknown receipts, and receipts of messages
     * already delivered to someone else after their visibility timeout, are ignored; a late ack of a message nobody
     * has taken since still counts. Acks are written in batches: see {@link #flush()}.
     */
    void ack(Collection<String> receipts);

    default void ack(String receipt) {
        ack(List.of(receipt));
    }

    /** Gives messages back at once (or after {@code delay}) for redelivery; counts as a delivery. */
    void nack(Collection<String> receipts, Duration delay);

    default void nack(String receipt) {
        nack(List.of(receipt), Duration.ZERO);
    }

    /**
     * Extends the visibility timeout of messages still being worked on, to {@code visibility} from now. Visibility is
     * leased per claim, so this extends every message received in the same claim as these.
     */
    void extend(Collection<String> receipts, Duration visibility);

    /**
     * Writes pending acks now. Acks are batched: one write per partition per flush, made after a short linger
     * (50 ms), before the next {@link #receive}, on {@link #close()}, or here. An ack not yet written when the process
     * dies is lost and its message delivered again (at-least-once).
     */
    void flush();

    @Override
    void close();
}
