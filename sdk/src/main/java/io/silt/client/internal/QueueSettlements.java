package io.silt.client.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Acks, nacks and extensions waiting to be written, per partition and lease (RFC 0007): taken as one settle record
 * per partition per flush, and put back if the write fails. Thread-safe.
 */
final class QueueSettlements {

    /** What waits for one lease. */
    private static final class Pending {
        final BitSet acks = new BitSet();
        final TreeMap<Integer, BitSet> nacks = new TreeMap<>();
        int extendMillis = -1;
    }

    private final Map<Integer, TreeMap<Long, Pending>> pending = new HashMap<>();

    synchronized void ack(int partition, long lease, int index) {
        pending(partition, lease).acks.set(index);
    }

    synchronized void nack(int partition, long lease, int index, int delayMillis) {
        pending(partition, lease).nacks.computeIfAbsent(delayMillis, k -> new BitSet()).set(index);
    }

    synchronized void extend(int partition, long lease, int visibilityMillis) {
        pending(partition, lease).extendMillis = visibilityMillis;
    }

    /** How many acks wait for {@code partition}. */
    synchronized int acks(int partition) {
        int n = 0;
        for (Pending p : pending.getOrDefault(partition, new TreeMap<>()).values()) {
            n += p.acks.cardinality();
        }
        return n;
    }

    /** A batch taken for writing: its settlements and the newest lease it names. */
    record Batch(int partition, List<QueueRecord.Settlement> settlements, long newestLease,
                 TreeMap<Long, Pending> taken) {}

    /** Takes everything pending for {@code partition}; null if nothing is. */
    synchronized Batch take(int partition) {
        TreeMap<Long, Pending> taken = pending.remove(partition);
        if (taken == null || taken.isEmpty()) {
            return null;
        }
        List<QueueRecord.Settlement> out = new ArrayList<>();
        taken.forEach((lease, p) -> {
            if (!p.acks.isEmpty()) {
                out.add(new QueueRecord.Settlement(lease, QueueRecord.Kind.ACK, 0, p.acks));
            }
            p.nacks.forEach((delay, bits) -> {
                BitSet b = (BitSet) bits.clone();
                b.andNot(p.acks);
                if (!b.isEmpty()) {
                    out.add(new QueueRecord.Settlement(lease, QueueRecord.Kind.NACK, delay, b));
                }
            });
            if (p.extendMillis > 0) {
                out.add(new QueueRecord.Settlement(lease, QueueRecord.Kind.EXTEND, p.extendMillis, new BitSet()));
            }
        });
        return new Batch(partition, out, taken.lastKey(), taken);
    }

    /** Puts back a batch whose write failed, merged with what arrived since. */
    synchronized void restore(Batch batch) {
        batch.taken().forEach((lease, p) -> {
            Pending into = pending(batch.partition(), lease);
            into.acks.or(p.acks);
            p.nacks.forEach((d, b) -> into.nacks.computeIfAbsent(d, k -> new BitSet()).or(b));
            into.extendMillis = Math.max(into.extendMillis, p.extendMillis);
        });
    }

    private Pending pending(int partition, long lease) {
        return pending.computeIfAbsent(partition, k -> new TreeMap<>()).computeIfAbsent(lease, k -> new Pending());
    }
}
