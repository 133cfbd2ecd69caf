package io.silt.client.internal;

import io.silt.client.Header;
import io.silt.client.InvalidRequestException;
import io.silt.client.OffsetOutOfRangeException;
import io.silt.client.QueueConfig;
import io.silt.client.QueueConsumer;
import io.silt.client.QueueMessage;
import io.silt.client.SiltException;
import io.silt.storage.log.InvalidNameException;
import io.silt.storage.log.TopicNames;
import io.silt.storage.log.segment.Record;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Queue-style consumption over a topic (RFC 0007): claims lease ranges of offsets through each partition's queue
 * log ({@link QueuePartition}, planned by {@link QueueClaimPlanner}), acks and nacks are batched into one settle
 * record per partition per flush ({@link QueueSettlements}), and dead letters go to the dead-letter topic through
 * {@link DeadLetters}. Thread-safe: one lock per partition's log.
 */
public final class QueueConsumerImpl implements QueueConsumer {
    private static final System.Logger LOG = System.getLogger(QueueConsumerImpl.class.getName());
    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    /** Acks wait at most this long in memory before a background flush writes them. */
    static final Duration ACK_LINGER = Duration.ofMillis(50);
    /** Acks are flushed at once when this many are pending for a partition. */
    static final int FLUSH_AT = 2_000;
    private static final Duration POLL_SLICE = Duration.ofMillis(100);
    private static final Duration MAX_VISIBILITY = Duration.ofHours(12);

    private final Transport transport;
    private final String topic;
    private final QueueConfig config;
    private final long consumerId;
    private final int queueTag;
    private final SplittableRandom random;
    private final LongSupplier nanoTime;
    private final QueuePartition[] partitions;
    private final QueueReads reads;
    private final DeadLetters deadLetters;
    private final QueueSettlements pending = new QueueSettlements();
    private final ScheduledExecutorService linger;
    private final Runnable unregister;
    private boolean lingerScheduled;
    private int homePartition;
    private volatile boolean closed;

    public QueueConsumerImpl(Transport transport, String topic, QueueConfig config, long seed) {
        if (!QUEUE_NAME.matcher(config.queueName()).matches() || config.queueName().matches("\\.{1,2}")) {
            throw new InvalidRequestException("queue name '" + config.queueName() + "' is not valid: use 1 to 100 "
                    + "letters, digits, '.', '_' or '-', not '.' or '..'");
        }
        if (config.deadLetterTopic() != null) {
            try {
                TopicNames.validate("dead-letter topic", config.deadLetterTopic()); // now, not at the first dead letter
            } catch (InvalidNameException e) {
                throw Errors.translate(e);
            }
        }
        this.transport = transport;
        this.topic = topic;
        this.config = config;
        this.random = new SplittableRandom(seed);
        this.consumerId = random.nextLong();
        this.nanoTime = transport.nanoTime();
        Transport.TopicMeta d = transport.topic(topic);
        this.queueTag = (int) DeadLetters.producerId("queue", topic, d.incarnation(), config.queueName());
        this.partitions = new QueuePartition[d.partitions()];
        for (int p = 0; p < partitions.length; p++) {
            partitions[p] = new QueuePartition(transport.stateStore(), QueuePartition.base(topic, d.incarnation(),
                    config.queueName(), p), p, transport.logConfig().unknownRetries(), nanoTime);
        }
        this.homePartition = (int) Math.floorMod(consumerId, (long) partitions.length);
        this.reads = new QueueReads(transport, topic);
        this.deadLetters = new DeadLetters(transport, topic, config, nanoTime, this::token, reads::at);
        this.linger = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "silt-queue-acks-" + topic);
            t.setDaemon(true);
            return t;
        });
        this.unregister = transport.onClose(this::close); // the client's close flushes this consumer's acks
    }

    @Override
    public List<QueueMessage> receive(int max, Duration visibility, Duration wait) {
        ensureOpen();
        if (max < 1) {
            throw new InvalidRequestException("receive at least 1 message, not " + max);
        }
        Duration vis = visibility == null ? config.visibilityTimeout() : visibility;
        checkVisibility(vis);
        long deadline = nanoTime.getAsLong() + (wait == null ? 0 : wait.toNanos());
        flush();
        try {
            while (true) {
                List<QueueMessage> out = new ArrayList<>();
                int start = home();
                for (int i = 0; i < partitions.length && out.size() < max; i++) {
                    boolean stay = claimInto((start + i) % partitions.length, max, (int) vis.toMillis(), out);
                    if (i == 0 && !stay) {
                        moveHome(start);
                    }
                }
                long left = deadline - nanoTime.getAsLong();
                if (!out.isEmpty() || left <= 0) {
                    return out;
                }
                awaitData(start, Duration.ofNanos(Math.min(left, POLL_SLICE.toNanos())));
            }
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        }
    }

    /**
     * The partition a receive starts at. Consumers stay on their home partition while it has messages and nobody
     * else claims there, and move on when it runs dry or another consumer wins a race on it: competing consumers
     * spread over the partitions instead of paying for lost races (a PUT and a GET each).
     */
    private synchronized int home() {
        return homePartition;
    }

    private synchronized void moveHome(int from) {
        if (homePartition == from) {
            homePartition = (from + 1) % partitions.length;
        }
    }

    /** A long poll on one partition's data: returns when records arrive past the claimed range, or after a while. */
    private void awaitData(int p, Duration slice) {
        long high;
        synchronized (partitions[p]) {
            high = partitions[p].state().high;
        }
        try {
            transport.fetch(topic, p, high, 1, 1, slice);
        } catch (OffsetOutOfRangeException e) {
            // retention moved the start past the claimed range: the next claim skips ahead
        }
    }

    /**
     * Claims leases on partition {@code p} until {@code out} holds {@code max} messages or nothing is left.
     *
     * @return whether the partition had messages and no lost race: a good place to come back to
     */
    private boolean claimInto(int p, int max, int visibilityMillis, List<QueueMessage> out) {
        QueuePartition qp = partitions[p];
        synchronized (qp) {
            long lostBefore = qp.lostRaces();
            deadLetters.processOverdue(qp, false);
            while (out.size() < max) {
                int want = Math.min(max - out.size(), config.leaseRecords());
                QueueClaimPlanner planner = new QueueClaimPlanner(reads, config, consumerId, this::token, nanoTime,
                        p, want, visibilityMillis);
                var won = qp.append(planner);
                if (won.isEmpty()) {
                    return false;
                }
                QueueRecord.Claim claim = (QueueRecord.Claim) won.get().record();
                deliver(qp, won.get().seq(), claim, planner.freshRecords(), out);
                if (claim.deadLetter().length > 0) {
                    moveDeadLetters(qp);
                }
            }
            return qp.lostRaces() == lostBefore;
        }
    }

    /**
     * Appends the dead letters this consumer just decided. A failure does not fail the receive: the batch stays
     * pending in the queue log and is appended later, by this consumer or another (RFC 0007).
     */
    private void moveDeadLetters(QueuePartition qp) {
        try {
            deadLetters.processOverdue(qp, true);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> "could not move dead letters of " + topic + "/" + qp.partition + " to '"
                    + config.deadLetterTopicFor(topic) + "'; they stay pending and are retried: " + e.getMessage());
        }
    }

    /** Turns a won claim into messages. */
    private void deliver(QueuePartition qp, long leaseId, QueueRecord.Claim claim, Map<Long, Record> fresh,
                         List<QueueMessage> out) {
        QueueState.Lease lease = qp.state().leases.get(leaseId);
        if (lease == null) {
            return; // the claim only reclaimed, dead-lettered or skipped
        }
        Map<Long, Record> redelivered = reads.at(qp.partition, claim.redelivered());
        for (int i = 0; i < lease.size(); i++) {
            long offset = lease.offset(i);
            Record r = i < claim.redelivered().length ? redelivered.get(offset) : fresh.get(offset);
            if (r == null) {
                pending.ack(qp.partition, leaseId, i); // gone to retention, or a gap: nothing to deliver
                continue;
            }
            int count = lease.deliveryCount(i);
            String receipt = new QueueReceipt(queueTag, qp.partition, leaseId, i, offset, count).encode();
            out.add(new QueueMessage(topic, qp.partition, offset, r.timestamp(), r.key(), r.value(),
                    headers(r), receipt, count));
        }
    }

    private static List<Header> headers(Record r) {
        List<Header> out = new ArrayList<>(r.headers().size());
        for (io.silt.storage.log.segment.Header h : r.headers()) {
            out.add(new Header(h.name(), h.value()));
        }
        return out;
    }

    private long token() {
        synchronized (random) {
            return random.nextLong();
        }
    }

    @Override
    public void ack(Collection<String> receipts) {
        ensureOpen();
        BitSet touched = new BitSet();
        for (QueueReceipt r : decode(receipts)) {
            pending.ack(r.partition(), r.lease(), r.index());
            touched.set(r.partition());
        }
        for (int p = touched.nextSetBit(0); p >= 0; p = touched.nextSetBit(p + 1)) {
            if (pending.acks(p) >= FLUSH_AT) {
                flush(p);
            }
        }
        scheduleLinger();
    }

    @Override
    public void nack(Collection<String> receipts, Duration delay) {
        ensureOpen();
        long millis = delay == null ? 0 : delay.toMillis();
        if (millis < 0 || millis > MAX_VISIBILITY.toMillis()) {
            throw new InvalidRequestException("nack delay must be between 0 and 12 h, not " + delay);
        }
        for (QueueReceipt r : decode(receipts)) {
            pending.nack(r.partition(), r.lease(), r.index(), (int) millis);
        }
        flush(); // a released message should be visible to others promptly
    }

    @Override
    public void extend(Collection<String> receipts, Duration visibility) {
        ensureOpen();
        checkVisibility(visibility);
        for (QueueReceipt r : decode(receipts)) {
            pending.extend(r.partition(), r.lease(), (int) visibility.toMillis());
        }
        flush(); // must land before the old deadline
    }

    private static void checkVisibility(Duration visibility) {
        if (visibility == null || visibility.isNegative() || visibility.isZero()
                || visibility.compareTo(MAX_VISIBILITY) > 0) {
            throw new InvalidRequestException("visibility timeout must be between 1 ms and 12 h, not " + visibility);
        }
    }

    /** Decodes every receipt first, so an invalid one settles nothing. */
    private List<QueueReceipt> decode(Collection<String> receipts) {
        List<QueueReceipt> out = new ArrayList<>(receipts.size());
        for (String receipt : receipts) {
            QueueReceipt r = QueueReceipt.decode(receipt);
            if (r.queue() != queueTag || r.partition() < 0 || r.partition() >= partitions.length) {
                throw new InvalidRequestException("this receipt belongs to another queue than '" + config.queueName()
                        + "' of topic '" + topic + "'; ack, nack or extend it with the consumer of that queue");
            }
            out.add(r);
        }
        return out;
    }

    private void scheduleLinger() {
        synchronized (pending) {
            if (lingerScheduled || closed) {
                return;
            }
            lingerScheduled = true;
        }
        linger.schedule(this::lingerFlush, ACK_LINGER.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void lingerFlush() {
        synchronized (pending) {
            lingerScheduled = false;
        }
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> "could not flush queue acks for '" + topic + "'; retrying at the next "
                    + "receive: " + e.getMessage());
        }
    }

    /** Writes every pending ack, nack and extension: one settle record per partition that has any. */
    @Override
    public void flush() {
        for (int p = 0; p < partitions.length; p++) {
            flush(p);
        }
    }

    /**
     * Writes the pending settlements of partition {@code p}. The batch is taken under the partition's lock, so a
     * flush that finds nothing pending because a concurrent one (the background linger) took the batch returns only
     * after that one's record is written or its batch restored and retried here: {@code flush()} returning means the
     * acks are in the queue log.
     */
    private void flush(int p) {
        QueuePartition qp = partitions[p];
        synchronized (qp) {
            QueueSettlements.Batch batch = pending.take(p);
            if (batch == null) {
                return;
            }
            long token = token();
            try {
                if (batch.newestLease() > qp.state().seq) {
                    qp.catchUp(); // a receipt from another consumer, for a claim this one has not seen yet
                }
                qp.append(s -> {
                    List<QueueRecord.Settlement> live = new ArrayList<>();
                    for (QueueRecord.Settlement e : batch.settlements()) {
                        if (s.leases.containsKey(e.lease())) {
                            live.add(e);
                        }
                    }
                    return live.isEmpty() ? null : new QueueRecord.Settle(token, live);
                });
            } catch (RuntimeException e) {
                pending.restore(batch);
                throw Errors.translate(e);
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new SiltException("this queue consumer is closed; create a new one");
        }
    }

    /** Flushes pending acks; messages received and not acked are delivered again after their visibility timeout. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
            linger.shutdown();
            unregister.run();
        }
    }
}
