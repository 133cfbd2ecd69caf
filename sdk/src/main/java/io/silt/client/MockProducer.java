package io.silt.client;

import io.silt.client.internal.Partitioners;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Producer} for application unit tests, like Kafka's {@code MockProducer}: it keeps what was sent in memory
 * and touches no storage. With auto-completion (the default) every send is acknowledged at once; without it, sends
 * wait until the test calls {@link #completeNext()} or {@link #errorNext(RuntimeException)} (oldest first), or
 * {@link #flush()}. Offsets count from 0 per partition. A record without an explicit partition goes to
 * {@code murmur2(key) % partitions} (as the real producer does) or, without a key, to partition 0. Thread-safe.
 *
 * <pre>{@code
 * MockProducer producer = new MockProducer();
 * new OrderService(producer).placeOrder("o-1");
 * assertThat(producer.history()).extracting(ProducerRecord::topic).containsExactly("orders");
 * }</pre>
 */
public class MockProducer implements Producer {
    private final boolean autoComplete;
    private final int partitions;
    private final Clock clock;
    private final List<ProducerRecord> history = new ArrayList<>();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
    private SiltException sendError;
    private boolean closed;
    private int flushes;

    private record Pending(ProducerRecord record, int partition, long timestamp,
                           CompletableFuture<RecordMetadata> future) {}

    /** Auto-completing, one partition per topic, the system clock for timestamps. */
    public MockProducer() {
        this(true, 1, Clock.systemUTC());
    }

    /**
     * @param autoComplete whether sends are acknowledged at once
     * @param partitions how many partitions every topic is assumed to have (for key hashing)
     * @param clock stamps records that carry no timestamp
     */
    public MockProducer(boolean autoComplete, int partitions, Clock clock) {
        if (partitions < 1) {
            throw new InvalidRequestException("partitions must be >= 1, was " + partitions);
        }
        this.autoComplete = autoComplete;
        this.partitions = partitions;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized CompletableFuture<RecordMetadata> send(ProducerRecord record) {
        Objects.requireNonNull(record, "record");
        if (closed) {
            return CompletableFuture.failedFuture(new SiltException("the producer is closed; records can no longer "
                    + "be sent: create a new producer"));
        }
        if (sendError != null) {
            return CompletableFuture.failedFuture(sendError);
        }
        history.add(record);
        int partition = record.partition() != null ? record.partition()
                : record.key() != null ? Partitioners.forKey(record.key(), partitions) : 0;
        long timestamp = record.timestamp() != null ? record.timestamp() : clock.millis();
        Pending p = new Pending(record, partition, timestamp, new CompletableFuture<>());
        pending.add(p);
        if (autoComplete) {
            completeNext();
        }
        return p.future();
    }

    /** Acknowledges the oldest unacknowledged send; returns false if there is none. */
    public synchronized boolean completeNext() {
        Pending p = pending.poll();
        if (p == null) {
            return false;
        }
        TopicPartition tp = new TopicPartition(p.record().topic(), p.partition());
        long offset = nextOffsets.merge(tp, 1L, Long::sum) - 1;
        p.future().complete(new RecordMetadata(tp.topic(), tp.partition(), offset, p.timestamp()));
        return true;
    }

    /** Fails the oldest unacknowledged send with {@code error}; returns false if there is none. */
    public synchronized boolean errorNext(RuntimeException error) {
        Objects.requireNonNull(error, "error");
        Pending p = pending.poll();
        if (p == null) {
            return false;
        }
        p.future().completeExceptionally(error);
        return true;
    }

    /** Makes every following {@code send} fail at once with {@code error} ({@code null}: stop doing so). */
    public synchronized void sendError(SiltException error) {
        this.sendError = error;
    }

    /** Every record sent, in order, including those not acknowledged (yet, or ever). */
    public synchronized List<ProducerRecord> history() {
        return List.copyOf(history);
    }

    /** Forgets the history (offsets keep counting). */
    public synchronized void clear() {
        history.clear();
    }

    /** How many sends wait to be completed or failed. */
    public synchronized int pendingCount() {
        return pending.size();
    }

    /** How many times {@link #flush()} was called. */
    public synchronized int flushCount() {
        return flushes;
    }

    public synchronized boolean closed() {
        return closed;
    }

    /** Acknowledges every waiting send. */
    @Override
    public synchronized void flush() {
        flushes++;
        while (completeNext()) {
            // acknowledges in order
        }
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /** Flushes, then refuses further sends. */
    @Override
    public synchronized void close(Duration timeout) {
        flush();
        closed = true;
    }
}
