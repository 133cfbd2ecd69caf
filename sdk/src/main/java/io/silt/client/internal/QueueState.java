package io.silt.client.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state of one queue partition (RFC 0007): a pure function of the queue log's records, so every consumer that
 * has read the same records holds the same state. The only exception is when this observer first saw a lease or a
 * released message ({@code seenNanos}, its own monotonic clock): expiry is judged on it, never on another machine's
 * wall clock. Not thread-safe; owned by one {@link QueuePartition}.
 */
final class QueueState {

    /** Offsets leased to one consumer by a claim record; id = the record's number. */
    static final class Lease {
        final long id;
        final long consumer;
        int visibilityMillis;
        final long[] redelivered;
        final int[] counts;
        final long from;
        final long to;
        final BitSet settled;
        int remaining;
        long seenNanos;

        Lease(long id, long consumer, int visibilityMillis, long[] redelivered, int[] counts, long from, long to,
              long seenNanos) {
            this.id = id;
            this.consumer = consumer;
            this.visibilityMillis = visibilityMillis;
            this.redelivered = redelivered;
            this.counts = counts;
            this.from = from;
            this.to = to;
            this.settled = new BitSet(size());
            this.remaining = size();
            this.seenNanos = seenNanos;
        }

        int size() {
            return redelivered.length + (int) (to - from);
        }

        long offset(int index) {
            return index < redelivered.length ? redelivered[index] : from + (index - redelivered.length);
        }

        int deliveryCount(int index) {
            return index < redelivered.length ? counts[index] : 1;
        }

        boolean expiredAt(long nowNanos) {
            return nowNanos - seenNanos >= visibilityMillis * 1_000_000L;
        }
    }

    /** A message waiting to be delivered again: delivered {@code count} times, visible from {@code visibleAtNanos}. */
    record Available(int count, int delayMillis, long visibleAtNanos) {}

    long seq;
    long high;
    final TreeMap<Long, Lease> leases = new TreeMap<>();
    final TreeMap<Long, Available> available = new TreeMap<>();
    final TreeMap<Long, long[]> pendingDeadLetters = new TreeMap<>();

    /** Applies record number {@code number}, seen now at {@code nowNanos}. */
    void apply(long number, QueueRecord record, long nowNanos) {
        if (number != seq + 1) {
            throw new IllegalStateException("queue record " + number + " applied after " + seq);
        }
        seq = number;
        if (record instanceof QueueRecord.Claim c) {
            applyClaim(number, c, nowNanos);
        } else if (record instanceof QueueRecord.Settle s) {
            for (QueueRecord.Settlement e : s.entries()) {
                applySettlement(e, nowNanos);
            }
        } else if (record instanceof QueueRecord.DeadLettered d) {
            for (long n : d.claims()) {
                pendingDeadLetters.remove(n);
            }
        }
    }

    private void applyClaim(long number, QueueRecord.Claim c, long nowNanos) {
        for (long id : c.reclaim()) {
            Lease l = leases.remove(id);
            if (l != null) {
                releaseUnsettled(l, 0, nowNanos);
            }
        }
        if (c.deadLetter().length > 0) {
            for (long o : c.deadLetter()) {
                available.remove(o);
            }
            pendingDeadLetters.put(number, c.deadLetter());
        }
        int[] counts = new int[c.redelivered().length];
        for (int i = 0; i < counts.length; i++) {
            Available a = available.remove(c.redelivered()[i]);
            counts[i] = (a == null ? 0 : a.count()) + 1;
        }
        high = Math.max(high, c.to());
        Lease l = new Lease(number, c.consumer(), c.visibilityMillis(), c.redelivered(), counts, c.from(), c.to(),
                nowNanos);
        if (l.size() > 0) {
            leases.put(number, l);
        }
    }

    private void applySettlement(QueueRecord.Settlement e, long nowNanos) {
        Lease l = leases.get(e.lease());
        if (l == null) {
            return; // reclaimed or finished: a late ack after redelivery does not count
        }
        if (e.kind() == QueueRecord.Kind.EXTEND) {
            l.visibilityMillis = e.millis();
            l.seenNanos = nowNanos;
            return;
        }
        BitSet bits = e.indexes();
        for (int i = bits.nextSetBit(0); i >= 0 && i < l.size(); i = bits.nextSetBit(i + 1)) {
            if (l.settled.get(i)) {
                continue;
            }
            l.settled.set(i);
            l.remaining--;
            if (e.kind() == QueueRecord.Kind.NACK) {
                available.put(l.offset(i), new Available(l.deliveryCount(i), e.millis(),
                        nowNanos + e.millis() * 1_000_000L));
            }
        }
        if (l.remaining == 0) {
            leases.remove(l.id);
        }
    }

    private void releaseUnsettled(Lease l, int delayMillis, long nowNanos) {
        for (int i = l.settled.nextClearBit(0); i < l.size(); i = l.settled.nextClearBit(i + 1)) {
            available.put(l.offset(i), new Available(l.deliveryCount(i), delayMillis, nowNanos));
        }
    }

    /** Leases this observer judges expired at {@code nowNanos}. */
    List<Long> expiredLeases(long nowNanos) {
        List<Long> out = new ArrayList<>();
        for (Lease l : leases.values()) {
            if (l.expiredAt(nowNanos)) {
                out.add(l.id);
            }
        }
        return out;
    }

    /** Visible messages waiting for redelivery, in offset order. */
    List<Map.Entry<Long, Available>> visible(long nowNanos) {
        List<Map.Entry<Long, Available>> out = new ArrayList<>();
        for (Map.Entry<Long, Available> e : available.entrySet()) {
            if (e.getValue().visibleAtNanos() <= nowNanos) {
                out.add(e);
            }
        }
        return out;
    }
}
