package io.silt.client.internal;

import io.silt.client.QueueConfig;
import io.silt.storage.log.segment.Record;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Decides a claim from a queue partition's current state (RFC 0007): reclaim leases this observer judges expired,
 * dead-letter messages delivered {@code maxDeliveries} times, redeliver visible released messages, then lease fresh
 * offsets from {@code high}. Planned again after every lost race; the fresh records are read once per {@code high}.
 */
final class QueueClaimPlanner implements QueuePartition.Planner {
    /** Keeps claim records and dead-letter batches small; the rest go with the next claims. */
    static final int MAX_DEAD_LETTERS_PER_CLAIM = 1_000;

    private final QueueReads reads;
    private final QueueConfig config;
    private final long consumerId;
    private final LongSupplier tokens;
    private final LongSupplier nanoTime;
    private final int partition;
    private final int want;
    private final int visibilityMillis;
    private QueueReads.Fresh fresh;

    QueueClaimPlanner(QueueReads reads, QueueConfig config, long consumerId, LongSupplier tokens,
                      LongSupplier nanoTime, int partition, int want, int visibilityMillis) {
        this.reads = reads;
        this.config = config;
        this.consumerId = consumerId;
        this.tokens = tokens;
        this.nanoTime = nanoTime;
        this.partition = partition;
        this.want = want;
        this.visibilityMillis = visibilityMillis;
    }

    /** The fresh records of the last plan, by offset. */
    Map<Long, Record> freshRecords() {
        return fresh == null ? Map.of() : fresh.records();
    }

    @Override
    public QueueRecord plan(QueueState s) {
        long now = nanoTime.getAsLong();
        List<Long> reclaim = s.expiredLeases(now);
        TreeMap<Long, Integer> candidates = new TreeMap<>();
        for (var e : s.visible(now)) {
            candidates.put(e.getKey(), e.getValue().count());
        }
        for (long id : reclaim) {
            QueueState.Lease l = s.leases.get(id);
            for (int i = l.settled.nextClearBit(0); i < l.size(); i = l.settled.nextClearBit(i + 1)) {
                candidates.put(l.offset(i), l.deliveryCount(i));
            }
        }
        List<Long> dead = new ArrayList<>();
        List<Long> again = new ArrayList<>();
        candidates.forEach((offset, count) -> {
            if (count >= config.maxDeliveries()) {
                if (dead.size() < MAX_DEAD_LETTERS_PER_CLAIM) {
                    dead.add(offset);
                }
            } else if (again.size() < want) {
                again.add(offset);
            }
        });
        long from = s.high;
        long to = s.high;
        int need = want - again.size();
        if (need > 0) {
            if (fresh == null || fresh.from() < s.high || fresh.records().size() > need) {
                fresh = reads.fresh(partition, s.high, need);
            }
            from = fresh.from();
            to = fresh.to();
        }
        if (reclaim.isEmpty() && dead.isEmpty() && again.isEmpty() && to == s.high) {
            return null;
        }
        return new QueueRecord.Claim(tokens.getAsLong(), consumerId, visibilityMillis, toArray(reclaim),
                toArray(dead), toArray(again), from, to);
    }

    private static long[] toArray(List<Long> values) {
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
