package io.silt.client.internal;

import io.silt.client.RecordMetadata;
import io.silt.client.TopicPartition;
import io.silt.storage.log.segment.Record;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Records bound for one partition, sent as one append. Its producer sequence is assigned when it is first sent and
 * kept for every retry, so a retried batch is appended once. Guarded by its producer's lock, except the immutable
 * fields and {@link #done}.
 */
final class ProducerBatch {
    final TopicPartition partition;
    final long deadlineNanos;
    final List<Record> records = new ArrayList<>();
    final List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
    /** Completes (normally) once every record's future has completed, whether acknowledged or failed. */
    final CompletableFuture<Void> done = new CompletableFuture<>();
    long bytes;
    /** Whether it may be sent before it is full: its linger passed, or a flush or close asked for it. */
    boolean ready;
    ProducerTimer.Scheduled linger;
    int epoch;
    int firstSequence = -1;
    int attempts;

    ProducerBatch(TopicPartition partition, long deadlineNanos) {
        this.partition = partition;
        this.deadlineNanos = deadlineNanos;
    }

    void add(Record record, CompletableFuture<RecordMetadata> future, long size) {
        records.add(record);
        futures.add(future);
        bytes += size;
    }

    int count() {
        return records.size();
    }

    void cancelLinger() {
        if (linger != null) {
            linger.cancel();
            linger = null;
        }
    }

    /** Completes every record's future with its offset; call without holding the producer's lock. */
    void acknowledge(long baseOffset) {
        for (int i = 0; i < records.size(); i++) {
            futures.get(i).complete(new RecordMetadata(partition.topic(), partition.partition(), baseOffset + i,
                    records.get(i).timestamp()));
        }
        done.complete(null);
    }

    /** Fails every record's future; call without holding the producer's lock. */
    void fail(RuntimeException e) {
        for (CompletableFuture<RecordMetadata> f : futures) {
            f.completeExceptionally(e);
        }
        done.complete(null);
    }
}
