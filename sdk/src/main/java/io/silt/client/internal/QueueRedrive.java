package io.silt.client.internal;

import io.silt.client.QueueConfig;
import io.silt.client.QueueMessage;
import io.silt.storage.log.segment.Header;
import io.silt.storage.log.segment.Record;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redrive (RFC 0007): reads the dead-letter topic as a queue (the default queue name, so what any queue consumer of
 * the dead-letter topic already acked is not moved), appends each message to its original partition of the target
 * topic without the dead-letter headers, then acks it. Each append is an idempotent producer batch whose epoch is
 * the dead-letter claim's number, so a retried append is written once; a redrive that dies between its append and
 * its ack moves those messages again (at least once).
 */
final class QueueRedrive implements QueueAdmin {
    static final int BATCH = 500;
    static final Duration LEASE = Duration.ofMinutes(5);

    private final Transport transport;
    private final long seed;

    QueueRedrive(Transport transport, long seed) {
        this.transport = transport;
        this.seed = seed;
    }

    @Override
    public long redrive(String deadLetterTopic, String targetTopic) {
        int targetPartitions = transport.topic(targetTopic).partitions();
        QueueConfig config = QueueConfig.defaults().withMaxDeliveries(Integer.MAX_VALUE)
                .withLeaseRecords(BATCH).withVisibilityTimeout(LEASE);
        long moved = 0;
        try (QueueConsumerImpl dlq = new QueueConsumerImpl(transport, deadLetterTopic, config, seed)) {
            while (true) {
                List<QueueMessage> batch = dlq.receive(BATCH, LEASE, Duration.ZERO);
                if (batch.isEmpty()) {
                    return moved;
                }
                Map<List<Long>, List<QueueMessage>> groups = new LinkedHashMap<>();
                for (QueueMessage m : batch) {
                    QueueReceipt r = QueueReceipt.decode(m.receipt());
                    int target = targetPartition(m, targetTopic, targetPartitions);
                    groups.computeIfAbsent(List.of((long) r.partition(), r.lease(), (long) target),
                            k -> new ArrayList<>()).add(m);
                }
                for (Map.Entry<List<Long>, List<QueueMessage>> g : groups.entrySet()) {
                    int dlqPartition = g.getKey().get(0).intValue();
                    long lease = g.getKey().get(1);
                    int target = g.getKey().get(2).intValue();
                    List<Record> records = new ArrayList<>();
                    for (QueueMessage m : g.getValue()) {
                        records.add(original(m));
                    }
                    long producer = DeadLetters.producerId("redrive", deadLetterTopic, Integer.toString(dlqPartition),
                            targetTopic);
                    transport.append(targetTopic, target, producer, DeadLetters.epoch(lease), 0, records).join();
                    dlq.ack(g.getValue().stream().map(QueueMessage::receipt).toList());
                    moved += records.size();
                }
                dlq.flush();
            }
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        }
    }

    /** The partition the message came from, if the target has it and is where it came from; else by offset. */
    private static int targetPartition(QueueMessage m, String targetTopic, int partitions) {
        String topic = header(m, DeadLetters.TOPIC_HEADER);
        String partition = header(m, DeadLetters.PARTITION_HEADER);
        if (targetTopic.equals(topic) && partition != null) {
            try {
                int p = Integer.parseInt(partition);
                if (p >= 0 && p < partitions) {
                    return p;
                }
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        return (int) Math.floorMod(m.offset(), (long) partitions);
    }

    private static String header(QueueMessage m, String name) {
        for (io.silt.client.Header h : m.headers()) {
            if (h.name().equals(name) && h.value() != null) {
                return new String(h.value(), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static Record original(QueueMessage m) {
        List<Header> headers = new ArrayList<>();
        for (io.silt.client.Header h : m.headers()) {
            if (!h.name().startsWith("silt-dlq-")) {
                headers.add(new Header(h.name(), h.value()));
            }
        }
        return new Record(m.key(), m.value(), headers, m.timestamp());
    }
}
