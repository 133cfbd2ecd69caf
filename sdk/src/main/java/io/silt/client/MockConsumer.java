package io.silt.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link Consumer} for tests of code that consumes, as Kafka's {@code MockConsumer}: records are added with
 * {@link #addRecord}, offsets with {@link #updateBeginningOffsets}/{@link #updateEndOffsets}, and a group rebalance
 * is simulated with {@link #rebalance}. Nothing touches a store. Not thread-safe.
 */
public final class MockConsumer implements Consumer {
    private final ConsumerConfig.OffsetReset reset;
    private final Map<TopicPartition, List<ConsumerRecord>> records = new HashMap<>();
    private final Map<TopicPartition, Long> beginning = new HashMap<>();
    private final Map<TopicPartition, Long> end = new HashMap<>();
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Set<TopicPartition> assignment = new LinkedHashSet<>();
    private final List<String> subscription = new ArrayList<>();
    private ConsumerRebalanceListener listener = ConsumerRebalanceListener.NONE;
    private SiltException pollException;
    private boolean closed;

    public MockConsumer(ConsumerConfig.OffsetReset reset) {
        this.reset = reset;
    }

    public MockConsumer() {
        this(ConsumerConfig.OffsetReset.EARLIEST);
    }

    /** Adds a record that a later poll returns if its partition is assigned. */
    public synchronized void addRecord(ConsumerRecord record) {
        TopicPartition tp = record.topicPartition();
        records.computeIfAbsent(tp, k -> new ArrayList<>()).add(record);
        end.merge(tp, record.offset() + 1, Math::max);
    }

    public synchronized void updateBeginningOffsets(Map<TopicPartition, Long> offsets) {
        beginning.putAll(offsets);
    }

    public synchronized void updateEndOffsets(Map<TopicPartition, Long> offsets) {
        end.putAll(offsets);
    }

    /** Simulates a rebalance of a subscribed consumer: revokes what it loses, then assigns what it gains. */
    public synchronized void rebalance(Collection<TopicPartition> newAssignment) {
        List<TopicPartition> revoked = assignment.stream().filter(tp -> !newAssignment.contains(tp)).toList();
        List<TopicPartition> added = newAssignment.stream().filter(tp -> !assignment.contains(tp)).toList();
        if (!revoked.isEmpty()) {
            listener.onPartitionsRevoked(revoked);
        }
        revoked.forEach(tp -> {
            assignment.remove(tp);
            positions.remove(tp);
        });
        assignment.addAll(added);
        if (!added.isEmpty()) {
            listener.onPartitionsAssigned(added);
        }
    }

    /** Makes the next poll throw {@code e}. */
    public synchronized void setPollException(SiltException e) {
        this.pollException = e;
    }

    /** The topics passed to {@link #subscribe}. */
    public synchronized List<String> subscription() {
        return List.copyOf(subscription);
    }

    public synchronized boolean closed() {
        return closed;
    }

    @Override
    public synchronized void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        subscription.clear();
        subscription.addAll(topics);
        this.listener = listener;
    }

    @Override
    public synchronized void assign(Collection<TopicPartition> partitions) {
        assignment.clear();
        assignment.addAll(partitions);
    }

    @Override
    public synchronized Set<TopicPartition> assignment() {
        return Set.copyOf(assignment);
    }

    @Override
    public synchronized List<ConsumerRecord> poll(Duration timeout) {
        ensureOpen();
        if (pollException != null) {
            SiltException e = pollException;
            pollException = null;
            throw e;
        }
        List<ConsumerRecord> out = new ArrayList<>();
        for (TopicPartition tp : assignment) {
            long pos = position(tp);
            for (ConsumerRecord r : records.getOrDefault(tp, List.of())) {
                if (r.offset() >= pos) {
                    out.add(r);
                    pos = r.offset() + 1;
                }
            }
            positions.put(tp, pos);
        }
        return out;
    }

    @Override
    public synchronized void commitSync() {
        ensureOpen();
        positions.forEach((tp, p) -> {
            if (assignment.contains(tp)) {
                committed.put(tp, p);
            }
        });
    }

    @Override
    public synchronized void commitSync(Map<TopicPartition, Long> offsets) {
        ensureOpen();
        committed.putAll(offsets);
    }

    @Override
    public void commitAsync() {
        commitSync();
    }

    @Override
    public Optional<SiltException> lastCommitError() {
        return Optional.empty();
    }

    @Override
    public synchronized Optional<Long> committed(TopicPartition partition) {
        return Optional.ofNullable(committed.get(partition));
    }

    @Override
    public synchronized long position(TopicPartition partition) {
        if (!assignment.contains(partition)) {
            throw new InvalidRequestException("partition " + partition + " is not assigned");
        }
        Long p = positions.get(partition);
        if (p != null) {
            return p;
        }
        Long c = committed.get(partition);
        long start = c != null ? c : reset == ConsumerConfig.OffsetReset.EARLIEST
                ? beginning.getOrDefault(partition, 0L) : end.getOrDefault(partition, 0L);
        positions.put(partition, start);
        return start;
    }

    @Override
    public synchronized void seek(TopicPartition partition, long offset) {
        position(partition);
        positions.put(partition, offset);
    }

    @Override
    public synchronized void seekToBeginning(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> seek(tp, beginning.getOrDefault(tp, 0L)));
    }

    @Override
    public synchronized void seekToEnd(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> seek(tp, end.getOrDefault(tp, 0L)));
    }

    @Override
    public synchronized Map<TopicPartition, Optional<Long>> offsetsForTimes(Map<TopicPartition, Long> timestamps) {
        Map<TopicPartition, Optional<Long>> out = new HashMap<>();
        timestamps.forEach((tp, ts) -> out.put(tp, records.getOrDefault(tp, List.of()).stream()
                .filter(r -> r.timestamp() >= ts).map(ConsumerRecord::offset).findFirst()));
        return out;
    }

    @Override
    public synchronized Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> out = new HashMap<>();
        partitions.forEach(tp -> out.put(tp, beginning.getOrDefault(tp, 0L)));
        return out;
    }

    @Override
    public synchronized Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> out = new HashMap<>();
        partitions.forEach(tp -> out.put(tp, end.getOrDefault(tp, 0L)));
        return out;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new InvalidRequestException("this consumer is closed");
        }
    }
}
