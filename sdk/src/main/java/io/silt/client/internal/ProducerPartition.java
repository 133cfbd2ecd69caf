package io.silt.client.internal;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * One producer's batches for one partition: the batch being filled, full batches waiting, and at most one batch in
 * flight (so batches reach the partition in order without reordering logic; other partitions proceed in parallel).
 * Also the producer's epoch and next sequence number for the partition. Guarded by the producer's lock.
 */
final class ProducerPartition {
    ProducerBatch open;
    final ArrayDeque<ProducerBatch> waiting = new ArrayDeque<>();
    ProducerBatch inFlight;
    int epoch = 1;
    int nextSequence;

    /** Moves the open batch to the waiting ones. */
    void seal() {
        if (open != null) {
            open.cancelLinger();
            waiting.add(open);
            open = null;
        }
    }

    /** Gives the batch its producer sequence (once: a retry keeps it), starting a new epoch before int overflow. */
    void assignSequence(ProducerBatch b) {
        if (b.firstSequence >= 0) {
            return;
        }
        if (nextSequence > Integer.MAX_VALUE - b.count()) {
            startNewEpoch();
        }
        b.epoch = epoch;
        b.firstSequence = nextSequence;
        nextSequence += b.count();
    }

    /**
     * After a batch failed for good its outcome may be unknown, and the partition's sequence can no longer be
     * continued: the next batch starts a new epoch at sequence 0, which the log accepts as a fresh start.
     */
    void startNewEpoch() {
        epoch++;
        nextSequence = 0;
    }

    /** Every batch not yet settled. */
    List<CompletableFuture<Void>> pending() {
        return Stream.concat(Stream.of(open, inFlight), waiting.stream())
                .filter(b -> b != null)
                .map(b -> b.done)
                .toList();
    }

    boolean isEmpty() {
        return open == null && inFlight == null && waiting.isEmpty();
    }
}
