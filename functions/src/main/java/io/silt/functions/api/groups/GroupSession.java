package io.silt.functions.api.groups;

import io.silt.client.Admin;
import io.silt.client.CommitFailedException;
import io.silt.client.Consumer;
import io.silt.client.ConsumerRebalanceListener;
import io.silt.client.ConsumerRecord;
import io.silt.client.TopicPartition;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * One group member held by this service for a REST client (as a consumer instance of Confluent's REST Proxy): an
 * SDK {@link Consumer} subscribed with the group id, which keeps the membership in the bucket on its own background
 * thread, while the REST client drives it with heartbeats, fetches and commits.
 *
 * <p>The SDK consumer is not thread-safe, so every call on it holds this session's lock. A heartbeat does not wait
 * for a fetch in progress (it answers with the assignment as last seen); fetches and commits wait their turn.
 *
 * <p>Assignment changes reach the consumer only inside {@code poll}, so heartbeats and fetches always poll (a fetch
 * waits only while nothing is buffered). Records a poll returns beyond what the caller asked for (or during a
 * heartbeat) wait in a bounded buffer for the next fetch; the session's position in a partition is the first
 * buffered offset there, else the consumer's position, and that is what a commit without offsets commits. Buffered
 * records of revoked partitions are dropped: their new owner reads them from the committed offset.
 */
final class GroupSession {
    private static final Logger LOG = Logger.getLogger(GroupSession.class);
    private static final Comparator<TopicPartition> ORDER = Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition);

    /** The most records a session keeps between fetches. */
    static final int MAX_BUFFERED = 500;

    /** What a join or heartbeat answers: the member's generation and the partitions it reads now. */
    record State(String memberId, long generation, List<TopicPartition> assignment) {}

    private final String group;
    private final String memberId;
    private final Consumer consumer;
    private final Admin admin;
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<ConsumerRecord> buffer = new ArrayDeque<>();
    /** Calls in progress: a session serving a call is never expired. */
    private final AtomicInteger busy = new AtomicInteger();
    private volatile long lastSeenNanos;
    private volatile State state;
    private boolean rebalanced;
    private boolean closed;

    GroupSession(String group, String memberId, Consumer consumer, Admin admin, long nowNanos) {
        this.group = group;
        this.memberId = memberId;
        this.consumer = consumer;
        this.admin = admin;
        this.lastSeenNanos = nowNanos;
        this.state = new State(memberId, 0, List.of());
    }

    String group() {
        return group;
    }

    String memberId() {
        return memberId;
    }

    /** The listener the consumer is subscribed with: drops buffered records of revoked partitions. */
    ConsumerRebalanceListener listener() {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                buffer.removeIf(r -> partitions.contains(r.topicPartition()));
                rebalanced = true;
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                rebalanced = true;
            }
        };
    }

    /** Marks the start of a call from the REST client: the session is alive and busy until {@link #end}. */
    void begin(long nowNanos) {
        busy.incrementAndGet();
        lastSeenNanos = nowNanos;
    }

    /** Marks the end of a call; the session timeout counts from here. */
    void end(long nowNanos) {
        lastSeenNanos = nowNanos;
        busy.decrementAndGet();
    }

    /** Whether no call is in progress and none started or ended within {@code timeoutNanos} before now. */
    boolean expired(long nowNanos, long timeoutNanos) {
        return busy.get() == 0 && nowNanos - lastSeenNanos > timeoutNanos;
    }

    /** The first poll after subscribing: joins the group; the generation is read whatever the assignment. */
    State join() {
        lock.lock();
        try {
            rebalanced = true;
            poll(Duration.ZERO);
            return state;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies a rebalance if one is due (a poll that keeps what it returns for the next fetch); if a fetch is in
     * progress, answers with the state as last seen instead of waiting for it.
     */
    State heartbeat() {
        if (lock.tryLock()) {
            try {
                ensureOpen();
                poll(Duration.ZERO);
            } finally {
                lock.unlock();
            }
        }
        return state;
    }

    /** Up to {@code max} records from the assigned partitions, waiting up to {@code wait} for some. */
    List<ConsumerRecord> fetch(int max, Duration wait) {
        lock.lock();
        try {
            ensureOpen();
            poll(buffer.isEmpty() ? wait : Duration.ZERO);
            List<ConsumerRecord> out = new ArrayList<>(Math.min(max, buffer.size()));
            while (out.size() < max && !buffer.isEmpty()) {
                out.add(buffer.removeFirst());
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Commits {@code offsets}, or with {@code null} the session's positions in its assigned partitions.
     *
     * @param generation the generation the caller read its records in, or {@code null} not to check it
     * @throws CommitFailedException if {@code generation} is not the member's current one, or the group no longer
     *     counts this member's commit for these partitions (they were handed over, or the member was dropped)
     */
    void commit(Long generation, Map<TopicPartition, Long> offsets) {
        lock.lock();
        try {
            ensureOpen();
            long current = state.generation();
            if (generation != null && generation != current) {
                throw new CommitFailedException("offset commit of member '" + memberId + "' in group '" + group
                        + "' names generation " + generation + " but the member is at generation " + current
                        + " (the group rebalanced); heartbeat to learn the new assignment and fetch again");
            }
            consumer.commitSync(offsets != null ? offsets : positions());
        } finally {
            lock.unlock();
        }
    }

    /** Where this member's next fetch reads in each assigned partition. */
    private Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        for (ConsumerRecord r : buffer) {
            out.putIfAbsent(r.topicPartition(), r.offset());
        }
        for (TopicPartition tp : consumer.assignment()) {
            if (!out.containsKey(tp)) {
                out.put(tp, consumer.position(tp));
            }
        }
        return out;
    }

    /** Leaves the group (its partitions move to the others at once); pending records are dropped. */
    void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            buffer.clear();
            consumer.close();
        } catch (RuntimeException e) {
            LOG.warnf("group '%s': member '%s' did not leave cleanly (%s); the others take its partitions after the "
                    + "SDK session timeout", group, memberId, e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Polls into the buffer, which keeps at most {@link #MAX_BUFFERED} records: the consumer is moved back to the
     * first record dropped from each partition, so it reads them again later. After a rebalance, reads the group's
     * generation (one describe, only then).
     */
    private void poll(Duration wait) {
        buffer.addAll(consumer.poll(wait));
        Map<TopicPartition, Long> rewind = new LinkedHashMap<>();
        while (buffer.size() > MAX_BUFFERED) {
            ConsumerRecord r = buffer.removeLast(); // a partition's records are in offset order: drop its newest
            rewind.put(r.topicPartition(), r.offset());
        }
        rewind.forEach(consumer::seek);
        if (rebalanced) {
            rebalanced = false;
            long generation = admin.describeGroup(group).generation();
            List<TopicPartition> assignment = new ArrayList<>(consumer.assignment());
            assignment.sort(ORDER);
            state = new State(memberId, generation, List.copyOf(assignment));
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new SessionClosedException();
        }
    }

    /** Thrown when a call reaches a session that was closed meanwhile (left, expired or shut down). */
    static final class SessionClosedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SessionClosedException() {
            super(null, null, false, false);
        }
    }
}
