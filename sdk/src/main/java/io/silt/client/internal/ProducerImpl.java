package io.silt.client.internal;

import io.silt.client.BufferExhaustedException;
import io.silt.client.InvalidRequestException;
import io.silt.client.Producer;
import io.silt.client.ProducerConfig;
import io.silt.client.ProducerFencedException;
import io.silt.client.ProducerRecord;
import io.silt.client.RecordMetadata;
import io.silt.client.RecordTooLargeException;
import io.silt.client.RetriableSiltException;
import io.silt.client.SiltException;
import io.silt.client.TopicPartition;
import io.silt.storage.log.segment.Record;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The producer over a {@link Transport}.
 *
 * <p>Records are batched per partition: a batch is sent when it holds {@code batch.size} bytes, or {@code linger.ms}
 * after its first record, or at {@code flush()}/{@code close()}. Each partition has at most one batch in flight, so
 * batches reach a partition in the order they were sent; partitions proceed in parallel. A batch that fails with a
 * retriable error is sent again, with the same producer id, epoch and sequence (so the log appends it once), after a
 * backoff, until {@code delivery.timeout.ms} after its first record; then its futures fail. Records wait in memory
 * from {@code send} until acknowledged: past {@code buffer.memory} bytes, {@code send} blocks up to
 * {@code max.block.ms}. Timers exist only while a batch lingers or a retry waits: idle, it makes no requests.
 *
 * <p>{@code send} never throws for a bad record: its future fails (at once when the record is refused before it is
 * buffered). Callbacks on the futures run on Silt's I/O threads: keep them short.
 */
public final class ProducerImpl implements Producer {
    private static final System.Logger LOG = System.getLogger(ProducerImpl.class.getName());
    /** The first retry waits this long; each further one twice as long, up to {@link #MAX_BACKOFF}. */
    public static final Duration MIN_BACKOFF = Duration.ofMillis(100);
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

    private final Transport transport;
    private final ProducerConfig config;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final ProducerTimer timer;
    private final SplittableRandom random;
    private final long producerId;
    private final Transport.Encoding encoding;
    private final Duration minBackoff;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition spaceFreed = lock.newCondition();
    private final Map<TopicPartition, ProducerPartition> partitions = new HashMap<>();
    private final Map<String, Sticky> sticky = new HashMap<>();
    private long bufferedBytes;
    private boolean closed;
    private boolean aborted;
    private SiltException fenced;
    private volatile Runnable onClientClose = () -> {};

    /** The partition that unkeyed records of a topic go to, and the batch they fill there. */
    private static final class Sticky {
        int partition = -1;
        ProducerBatch batch;
    }

    /** What to do once the lock is released: complete futures and schedule retries, then send batches. */
    private final class Outbox {
        final List<Runnable> completions = new ArrayList<>();
        final List<ProducerBatch> toSend = new ArrayList<>();

        void fail(ProducerBatch b, RuntimeException e) {
            b.cancelLinger();
            bufferedBytes -= b.bytes;
            spaceFreed.signalAll();
            completions.add(() -> b.fail(e));
        }

        void run() {
            completions.forEach(Runnable::run);
            toSend.forEach(ProducerImpl.this::dispatch);
        }
    }

    /**
     * @param random the client's seeded randomness: picks the producer id and the partitions of unkeyed records
     * @param minBackoff the first retry's wait (tests pass zero)
     */
    public ProducerImpl(Transport transport, ProducerConfig config, Clock clock, LongSupplier nanoTime,
                        ProducerTimer timer, SplittableRandom random, Duration minBackoff) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.timer = timer;
        this.random = random;
        this.minBackoff = minBackoff;
        long id = 0;
        while (id == 0) {
            id = random.nextLong() & Long.MAX_VALUE; // positive: the REST API takes positive producer ids only
        }
        this.producerId = config.idempotent() ? id : 0;
        this.encoding = new Transport.Encoding(config.compression(), config.maxRecordBytes());
    }

    /** Runs {@code action} when this producer closes (to unregister it from its client). */
    public void onClose(Runnable action) {
        this.onClientClose = action;
    }

    /** The idempotent producer id (0 if not idempotent). */
    public long producerId() {
        return producerId;
    }

    @Override
    public CompletableFuture<RecordMetadata> send(ProducerRecord record) {
        Objects.requireNonNull(record, "record");
        try {
            long size = ProducerRecords.sizeOf(record);
            checkSize(size);
            long timestamp = record.timestamp() != null ? record.timestamp() : clock.millis();
            if (timestamp < 0) {
                throw new InvalidRequestException("record timestamp must be >= 0 (epoch millis), was " + timestamp);
            }
            Record stored = ProducerRecords.toRecord(record, timestamp);
            int count = transport.topic(record.topic()).partitions();
            if (record.partition() != null && (record.partition() < 0 || record.partition() >= count)) {
                throw new InvalidRequestException("topic '" + record.topic() + "' has partitions 0.." + (count - 1)
                        + "; there is no partition " + record.partition());
            }
            CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
            Outbox out = new Outbox();
            lock.lock();
            try {
                reserve(size);
                int p = record.partition() != null ? record.partition()
                        : record.key() != null ? Partitioners.forKey(record.key(), count)
                        : stickyPartition(record.topic(), count);
                ProducerBatch b = append(new TopicPartition(record.topic(), p), stored, future, size, out);
                if (record.partition() == null && record.key() == null) {
                    sticky.get(record.topic()).batch = b;
                }
            } finally {
                lock.unlock();
            }
            out.run();
            return future;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new SiltException("interrupted while waiting for buffer memory; "
                    + "the record was not sent", e));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(Errors.translate(e));
        }
    }

    private void checkSize(long size) {
        if (size > config.maxRecordBytes()) {
            throw new RecordTooLargeException("record of " + size + " bytes (key, value, headers and "
                    + ProducerRecords.OVERHEAD + " bytes of framing) exceeds max.request.size=" + config
                    .maxRecordBytes() + " bytes; raise it (ProducerConfig.withMaxRecordBytes, at most "
                    + ProducerConfig.MAX_RECORD_BYTES_LIMIT + ") or split the record");
        }
        if (size > config.bufferBytes()) {
            throw new RecordTooLargeException("record of " + size + " bytes is larger than the whole producer "
                    + "buffer, buffer.memory=" + config.bufferBytes() + " bytes; raise buffer.memory "
                    + "(ProducerConfig.withBufferBytes)");
        }
    }

    /** Waits (holding the lock's condition) until {@code size} bytes fit the buffer; takes them. */
    private void reserve(long size) throws InterruptedException {
        long left = config.maxBlock().toNanos();
        while (true) {
            checkOpen();
            if (bufferedBytes + size <= config.bufferBytes()) {
                bufferedBytes += size;
                return;
            }
            if (left <= 0) {
                throw new BufferExhaustedException("could not buffer a record of " + size + " bytes within "
                        + "max.block.ms=" + config.maxBlock().toMillis() + " ms: " + bufferedBytes + " of "
                        + "buffer.memory=" + config.bufferBytes() + " bytes hold records waiting to be "
                        + "acknowledged, because the store accepts them more slowly than they are sent. Send more "
                        + "slowly, or raise buffer.memory (ProducerConfig.withBufferBytes) or max.block.ms "
                        + "(withMaxBlock)");
            }
            left = spaceFreed.awaitNanos(left);
        }
    }

    private void checkOpen() {
        if (fenced != null) {
            throw fenced;
        }
        if (closed) {
            throw new SiltException("the producer is closed; records can no longer be sent: create a new producer");
        }
    }

    private int stickyPartition(String topic, int count) {
        Sticky s = sticky.computeIfAbsent(topic, t -> new Sticky());
        if (s.partition < 0 || s.partition >= count) {
            s.partition = random.nextInt(count);
        } else if (s.batch != null && partition(new TopicPartition(topic, s.partition)).open != s.batch) {
            // The batch unkeyed records were filling has been sent: move to another partition (uniform sticky).
            s.partition = count == 1 ? 0 : (s.partition + 1 + random.nextInt(count - 1)) % count;
        }
        return s.partition;
    }

    private ProducerPartition partition(TopicPartition tp) {
        return partitions.computeIfAbsent(tp, k -> new ProducerPartition());
    }

    /** Adds a record to its partition's open batch; returns that batch. */
    private ProducerBatch append(TopicPartition tp, Record record, CompletableFuture<RecordMetadata> future,
                                 long size, Outbox out) {
        ProducerPartition q = partition(tp);
        if (q.open != null && q.open.bytes + size > config.batchBytes()) {
            q.seal();
        }
        if (q.open == null) {
            ProducerBatch b = new ProducerBatch(tp, nanoTime.getAsLong() + config.deliveryTimeout().toNanos());
            if (config.linger().isZero()) {
                b.ready = true;
            } else {
                b.linger = timer.schedule(config.linger(), () -> lingerPassed(b));
            }
            q.open = b;
        }
        ProducerBatch b = q.open;
        b.add(record, future, size);
        if (b.bytes >= config.batchBytes()) {
            q.seal();
        }
        next(q, out);
        return b;
    }

    private void lingerPassed(ProducerBatch b) {
        Outbox out = new Outbox();
        lock.lock();
        try {
            b.ready = true;
            b.linger = null;
            next(partition(b.partition), out);
        } finally {
            lock.unlock();
        }
        out.run();
    }

    /** If nothing is in flight on the partition, picks the next batch to send (failing expired ones). */
    private void next(ProducerPartition q, Outbox out) {
        if (q.inFlight != null) {
            return;
        }
        ProducerBatch b;
        while ((b = q.waiting.poll()) != null || (q.open != null && q.open.ready && (b = takeOpen(q)) != null)) {
            if (nanoTime.getAsLong() - b.deadlineNanos > 0) {
                out.fail(b, new RetriableSiltException(b.count() + " records for " + b.partition + " waited longer "
                        + "than delivery.timeout.ms=" + config.deliveryTimeout().toMillis() + " ms to be sent; "
                        + "nothing was written. The store is slow or unreachable"));
                continue;
            }
            q.assignSequence(b);
            q.inFlight = b;
            out.toSend.add(b);
            return;
        }
    }

    private static ProducerBatch takeOpen(ProducerPartition q) {
        ProducerBatch b = q.open;
        b.cancelLinger();
        q.open = null;
        return b;
    }

    /** Sends a batch; call without holding the lock. */
    private void dispatch(ProducerBatch b) {
        b.attempts++;
        CompletableFuture<Transport.AppendAck> f;
        try {
            f = transport.append(b.partition.topic(), b.partition.partition(), producerId, b.epoch,
                    b.firstSequence, b.records, encoding);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        if (f.isDone()) {
            // Settle on the timer thread, so that batches failing at once do not recurse through each other.
            CompletableFuture<Transport.AppendAck> settled = f;
            timer.schedule(Duration.ZERO, () -> settled.whenComplete((ack, e) -> settle(b, ack, e)));
        } else {
            f.whenComplete((ack, e) -> settle(b, ack, e));
        }
    }

    private void settle(ProducerBatch b, Transport.AppendAck ack, Throwable error) {
        Outbox out = new Outbox();
        lock.lock();
        try {
            ProducerPartition q = partition(b.partition);
            if (error == null) {
                q.inFlight = null;
                bufferedBytes -= b.bytes;
                spaceFreed.signalAll();
                out.completions.add(() -> b.acknowledge(ack.baseOffset()));
            } else if (!retryLater(b, Errors.translate(error), q, out)) {
                return; // still in flight: the retry is scheduled once the lock is released
            }
            next(q, out);
        } finally {
            lock.unlock();
            out.run();
        }
    }

    /**
     * Handles a failed attempt: schedules a retry with the same sequence if the error is retriable and time is
     * left (returns false: the batch stays in flight), or fails the batch for good (returns true).
     */
    private boolean retryLater(ProducerBatch b, SiltException e, ProducerPartition q, Outbox out) {
        long backoff = backoffNanos(b.attempts);
        if (e instanceof ProducerFencedException) {
            fence(e, out);
        } else if (e.isRetriable() && !aborted && nanoTime.getAsLong() + backoff - b.deadlineNanos < 0) {
            LOG.log(Level.DEBUG, () -> "append of " + b.count() + " records to " + b.partition + " failed (attempt "
                    + b.attempts + "), retrying with the same sequence: " + e.getMessage());
            out.completions.add(() -> timer.schedule(Duration.ofNanos(backoff), () -> retry(b)));
            return false;
        }
        q.inFlight = null;
        q.startNewEpoch();
        out.fail(b, e.isRetriable() ? new RetriableSiltException(b.count() + " records for " + b.partition
                + " were not acknowledged within delivery.timeout.ms=" + config.deliveryTimeout().toMillis()
                + " ms (" + b.attempts + " attempts); they may or may not be in the log. Last error: "
                + e.getMessage(), e) : e);
        return true;
    }

    private long backoffNanos(int attempts) {
        long nanos = minBackoff.toNanos() << Math.min(attempts - 1, 20);
        return Math.min(Math.max(nanos, 0), MAX_BACKOFF.toNanos());
    }

    private void retry(ProducerBatch b) {
        Outbox out = new Outbox();
        boolean send;
        lock.lock();
        try {
            send = !aborted;
            if (!send) {
                ProducerPartition q = partition(b.partition);
                q.inFlight = null;
                q.startNewEpoch();
                out.fail(b, new RetriableSiltException("the producer was closed while " + b.count() + " records "
                        + "for " + b.partition + " waited to be retried; they may or may not be in the log"));
            }
        } finally {
            lock.unlock();
        }
        out.run();
        if (send) {
            dispatch(b);
        }
    }

    /** A newer epoch of this producer id wrote (DESIGN rule 6): stop for good and fail everything unsent. */
    private void fence(SiltException e, Outbox out) {
        fenced = e;
        for (ProducerPartition q : partitions.values()) {
            q.seal();
            for (ProducerBatch w; (w = q.waiting.poll()) != null; ) {
                out.fail(w, e);
            }
        }
        spaceFreed.signalAll();
    }

    @Override
    public void flush() {
        try {
            awaitPending(Long.MAX_VALUE);
        } catch (TimeoutException e) {
            throw new IllegalStateException(e); // cannot happen without a deadline
        }
    }

    /** Makes every batch ready to send and waits until all of them are settled. */
    private void awaitPending(long timeoutNanos) throws TimeoutException {
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        Outbox out = new Outbox();
        lock.lock();
        try {
            for (ProducerPartition q : partitions.values()) {
                if (q.open != null) {
                    q.open.ready = true;
                }
                waits.addAll(q.pending());
                next(q, out);
            }
        } finally {
            lock.unlock();
        }
        out.run();
        try {
            CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiltException("interrupted while waiting for records to be acknowledged", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // done futures never fail
        }
    }

    @Override
    public void close() {
        close(Duration.ofNanos(Long.MAX_VALUE));
    }

    @Override
    public void close(Duration timeout) {
        lock.lock();
        try {
            closed = true;
            spaceFreed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            awaitPending(timeout.toNanos());
        } catch (TimeoutException e) {
            abort();
        } finally {
            onClientClose.run();
        }
    }

    /** Fails every batch not yet sent; a batch in flight completes as the store answers (or at its retry). */
    private void abort() {
        Outbox out = new Outbox();
        lock.lock();
        try {
            aborted = true;
            SiltException e = new SiltException("the producer was closed before these records were sent; nothing "
                    + "of them was written");
            for (ProducerPartition q : partitions.values()) {
                q.seal();
                for (ProducerBatch w; (w = q.waiting.poll()) != null; ) {
                    out.fail(w, e);
                }
            }
        } finally {
            lock.unlock();
        }
        out.run();
    }
}
