package io.silt.client.internal;

import io.silt.client.ProducerFencedException;
import io.silt.client.QueueConfig;
import io.silt.client.UnknownTopicException;
import io.silt.client.TopicExistsException;
import io.silt.storage.log.segment.Header;
import io.silt.storage.log.segment.Record;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Moves dead-lettered messages to the dead-letter topic (RFC 0007). A claim record first takes them out of the
 * queue (so they are never delivered again), then they are appended to the dead-letter topic as an idempotent
 * producer whose id is derived from (topic, queue, partition) and whose epoch is the claim record's number, then a
 * {@code DeadLettered} record says so. Appends happen in claim order, so "fenced" (a later epoch has written) means
 * this one was appended before it; a retry of the same epoch is recognised as a duplicate.
 */
final class DeadLetters {
    private static final System.Logger LOG = System.getLogger(DeadLetters.class.getName());
    static final String TOPIC_HEADER = "silt-dlq-topic";
    static final String PARTITION_HEADER = "silt-dlq-partition";
    static final String OFFSET_HEADER = "silt-dlq-offset";
    static final String QUEUE_HEADER = "silt-dlq-queue";

    /** Reads the records at sorted offsets of a partition of the queue's topic. */
    interface Fetcher {
        Map<Long, Record> fetch(int partition, long[] offsets);
    }

    private final Transport transport;
    private final String topic;
    private final QueueConfig config;
    private final LongSupplier nanoTime;
    private final LongSupplier tokens;
    private final Fetcher fetcher;
    private final Map<Integer, Map<Long, Long>> firstSeen = new HashMap<>();

    DeadLetters(Transport transport, String topic, QueueConfig config, LongSupplier nanoTime,
                LongSupplier tokens, Fetcher fetcher) {
        this.transport = transport;
        this.topic = topic;
        this.config = config;
        this.nanoTime = nanoTime;
        this.tokens = tokens;
        this.fetcher = fetcher;
    }

    /**
     * Appends pending dead letters of {@code qp} in claim order: all of them if {@code mine} (this consumer just
     * decided some), else only those another consumer decided and left pending for longer than the visibility
     * timeout (it died between its claim and its append). Call with {@code qp} locked.
     */
    void processOverdue(QueuePartition qp, boolean mine) {
        QueueState s = qp.state();
        if (s.pendingDeadLetters.isEmpty()) {
            return;
        }
        long now = nanoTime.getAsLong();
        Map<Long, Long> seen = firstSeen.computeIfAbsent(qp.partition, k -> new HashMap<>());
        seen.keySet().retainAll(s.pendingDeadLetters.keySet());
        List<Long> done = new ArrayList<>();
        for (Map.Entry<Long, long[]> e : s.pendingDeadLetters.entrySet()) {
            long since = seen.computeIfAbsent(e.getKey(), k -> now);
            if (!mine && now - since < config.visibilityTimeout().toNanos()) {
                break; // in claim order: a later one never goes before an earlier one
            }
            append(qp.partition, e.getKey(), e.getValue());
            done.add(e.getKey());
        }
        if (done.isEmpty()) {
            return;
        }
        long token = tokens.getAsLong();
        qp.append(st -> {
            long[] still = done.stream().filter(st.pendingDeadLetters::containsKey).mapToLong(Long::longValue)
                    .toArray();
            return still.length == 0 ? null : new QueueRecord.DeadLettered(token, still);
        });
    }

    private void append(int partition, long claim, long[] offsets) {
        String dlq = config.deadLetterTopicFor(topic);
        Transport.TopicMeta meta = ensureTopic(dlq);
        Map<Long, Record> found = fetcher.fetch(partition, offsets);
        List<Record> records = new ArrayList<>(offsets.length);
        for (long offset : offsets) {
            Record r = found.get(offset);
            if (r == null) {
                LOG.log(Level.WARNING, () -> "dead letter " + topic + "/" + partition + "@" + offset
                        + " is no longer retained; it cannot be moved to " + dlq);
                continue;
            }
            List<Header> headers = new ArrayList<>(r.headers());
            headers.add(header(TOPIC_HEADER, topic));
            headers.add(header(PARTITION_HEADER, Integer.toString(partition)));
            headers.add(header(OFFSET_HEADER, Long.toString(offset)));
            headers.add(header(QUEUE_HEADER, config.queueName()));
            records.add(new Record(r.key(), r.value(), headers, r.timestamp()));
        }
        if (records.isEmpty()) {
            return;
        }
        int dp = partition % meta.partitions();
        long producer = producerId("dlq", topic, config.queueName(), Integer.toString(partition));
        try {
            transport.append(dlq, dp, producer, epoch(claim), 0, records).join();
            LOG.log(Level.INFO, () -> records.size() + " message(s) of " + topic + "/" + partition + " reached "
                    + config.maxDeliveries() + " deliveries and went to " + dlq);
        } catch (RuntimeException e) {
            if (Errors.translate(e) instanceof ProducerFencedException) {
                return; // a later dead-letter batch of this partition was appended, so this one was before it
            }
            throw e;
        }
    }

    private Transport.TopicMeta ensureTopic(String dlq) {
        try {
            return transport.topic(dlq);
        } catch (UnknownTopicException e) {
            Transport.TopicMeta source = transport.topic(topic);
            try {
                return transport.createTopic(dlq, source.partitions(), Optional.of(Duration.ofDays(14)),
                        Optional.empty());
            } catch (TopicExistsException raced) {
                transport.forget(dlq);
                return transport.topic(dlq);
            }
        }
    }

    static Header header(String name, String value) {
        return new Header(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** An idempotent producer epoch from a queue-log number (numbers stay far below 2^31 in practice). */
    static int epoch(long seq) {
        return (int) Math.min(seq, Integer.MAX_VALUE);
    }

    /**
     * A stable, positive producer id for a tuple of names (FNV-1a, 64 bit, sign bit cleared: the REST API takes
     * positive ids only, and these producers append through it too).
     */
    static long producerId(String... parts) {
        long h = 0xcbf29ce484222325L;
        for (String part : parts) {
            for (byte b : (part + "\u0000").getBytes(StandardCharsets.UTF_8)) {
                h ^= b & 0xFF;
                h *= 0x100000001b3L;
            }
        }
        h &= Long.MAX_VALUE;
        return h == 0 ? 1 : h;
    }
}
