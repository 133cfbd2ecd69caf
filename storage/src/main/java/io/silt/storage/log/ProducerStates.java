package io.silt.storage.log;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a partition knows of its idempotent producers (DESIGN rule 5): per producer id the newest epoch, the last
 * sequence and the last {@value #REMEMBERED_BATCHES} batches with their offsets, so a retried batch is recognised
 * and acknowledged once with its original offsets. Bounded: idle producers expire. Not thread-safe; owned by one
 * committer or reader.
 */
public final class ProducerStates {
    public static final int REMEMBERED_BATCHES = 5;

    /** A committed batch of one producer. */
    public record Batch(int firstSequence, int count, long baseOffset) {}

    /** One producer's state. */
    public static final class State {
        int epoch;
        int lastSequence;
        long lastCommitMillis;
        final ArrayDeque<Batch> recent = new ArrayDeque<>();

        State copy() {
            State s = new State();
            s.epoch = epoch;
            s.lastSequence = lastSequence;
            s.lastCommitMillis = lastCommitMillis;
            s.recent.addAll(recent);
            return s;
        }

        public int epoch() {
            return epoch;
        }

        public int lastSequence() {
            return lastSequence;
        }

        public long lastCommitMillis() {
            return lastCommitMillis;
        }

        public Iterable<Batch> recent() {
            return recent;
        }
    }

    /** What to do with an incoming batch. */
    public sealed interface Verdict {
        /** Append it. */
        record Append() implements Verdict {}

        /** It is already in the log at {@code baseOffset}: acknowledge it with that offset, write nothing. */
        record Duplicate(long baseOffset) implements Verdict {}
    }

    private static final Verdict APPEND = new Verdict.Append();

    private final Map<Long, State> states = new HashMap<>();

    public ProducerStates copy() {
        ProducerStates c = new ProducerStates();
        states.forEach((id, s) -> c.states.put(id, s.copy()));
        return c;
    }

    public Optional<State> get(long producerId) {
        return Optional.ofNullable(states.get(producerId));
    }

    public Map<Long, State> all() {
        return java.util.Collections.unmodifiableMap(states);
    }

    /**
     * Judges a batch against the state.
     *
     * @throws ProducerFencedException if a newer epoch of this producer has written
     * @throws OutOfOrderSequenceException if the batch neither follows the last one nor repeats a remembered one
     */
    public Verdict check(ProducerId producer, int firstSequence, int count, String partition) {
        if (!producer.isIdempotent()) {
            return APPEND;
        }
        State s = states.get(producer.id());
        if (s == null || producer.epoch() > s.epoch) {
            return APPEND; // a new producer, or a new epoch of it: it starts afresh
        }
        if (producer.epoch() < s.epoch) {
            throw new ProducerFencedException("producer " + Long.toHexString(producer.id()) + " epoch "
                    + producer.epoch() + " is fenced on " + partition + ": epoch " + s.epoch
                    + " of the same producer has written since. This instance is a zombie; create a new producer");
        }
        for (Batch b : s.recent) {
            if (b.firstSequence() == firstSequence) {
                if (b.count() == count) {
                    return new Verdict.Duplicate(b.baseOffset());
                }
                break;
            }
        }
        if (firstSequence == s.lastSequence + 1) {
            return APPEND;
        }
        throw new OutOfOrderSequenceException("producer " + Long.toHexString(producer.id()) + " epoch "
                + producer.epoch() + " sent sequence " + firstSequence + " (" + count + " records) to " + partition
                + " but the last sequence committed is " + s.lastSequence
                + "; the producer is out of step with the log: close it and create a new one");
    }

    /** Records a committed batch. */
    public void apply(ProducerId producer, int firstSequence, int count, long baseOffset, long commitMillis) {
        if (!producer.isIdempotent()) {
            return;
        }
        State s = states.get(producer.id());
        if (s == null || producer.epoch() > s.epoch) {
            s = new State();
            s.epoch = producer.epoch();
            states.put(producer.id(), s);
        } else if (producer.epoch() < s.epoch) {
            return; // a fenced zombie's batch that won a race anyway is data, but does not move the state back
        }
        s.lastSequence = firstSequence + count - 1;
        s.lastCommitMillis = Math.max(s.lastCommitMillis, commitMillis);
        s.recent.addLast(new Batch(firstSequence, count, baseOffset));
        while (s.recent.size() > REMEMBERED_BATCHES) {
            s.recent.removeFirst();
        }
    }

    /** Applies every entry of a commit record. */
    public void apply(CommitRecord record) {
        long offset = record.baseOffset();
        for (CommitRecord.Entry e : record.entries()) {
            apply(e.producer(), e.firstSequence(), e.recordCount(), offset, record.commitTimeMillis());
            offset += e.recordCount();
        }
    }

    /** Forgets producers whose last commit is older than {@code cutoffMillis}. */
    public void expireBefore(long cutoffMillis) {
        for (Iterator<State> it = states.values().iterator(); it.hasNext(); ) {
            if (it.next().lastCommitMillis < cutoffMillis) {
                it.remove();
            }
        }
    }

    /** Restores a producer's state (from a checkpoint). */
    public void restore(long producerId, int epoch, int lastSequence, long lastCommitMillis, List<Batch> recent) {
        State s = new State();
        s.epoch = epoch;
        s.lastSequence = lastSequence;
        s.lastCommitMillis = lastCommitMillis;
        s.recent.addAll(recent);
        states.put(producerId, s);
    }

    public int size() {
        return states.size();
    }
}
