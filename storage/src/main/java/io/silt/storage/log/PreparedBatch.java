package io.silt.storage.log;

import java.util.List;
import java.util.Objects;

/**
 * A producer batch encoded as a segment object, ready to append: its bytes, what it holds, and who sent it.
 *
 * @param producer the idempotent producer, or {@link ProducerId#NONE}
 * @param firstSequence the producer's sequence number of the first record (ignored without a producer)
 * @param recordCount records in the segment
 * @param segment the segment object's bytes
 * @param index the segment's batch index
 */
public record PreparedBatch(ProducerId producer, int firstSequence, int recordCount, long minTimestamp,
                            long maxTimestamp, byte[] segment, List<CommitRecord.BatchIndexEntry> index) {
    public PreparedBatch {
        Objects.requireNonNull(producer, "producer");
        Objects.requireNonNull(segment, "segment");
        index = List.copyOf(index);
        if (recordCount <= 0) {
            throw new IllegalArgumentException("a batch holds at least one record");
        }
    }
}
