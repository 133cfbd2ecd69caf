package io.silt.storage.log;

import io.silt.storage.log.segment.BatchIndexEntry;
import io.silt.storage.log.segment.EncodedSegment;
import io.silt.storage.log.segment.SegmentInfo;
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
                            long maxTimestamp, byte[] segment, List<BatchIndexEntry> index) {
    public PreparedBatch {
        Objects.requireNonNull(producer, "producer");
        Objects.requireNonNull(segment, "segment");
        index = List.copyOf(index);
        if (recordCount <= 0) {
            throw new IllegalArgumentException("a batch holds at least one record");
        }
    }

    /** A batch holding an encoded segment. */
    public static PreparedBatch of(ProducerId producer, int firstSequence, EncodedSegment segment) {
        SegmentInfo info = segment.info();
        return new PreparedBatch(producer, firstSequence, info.recordCount(), info.minTimestamp(),
                info.maxTimestamp(), segment.bytes(), info.batches());
    }

    /** The segment's batches without its header, index and trailer: what a commit record carries inline. */
    byte[] batchesOnly() {
        if (index.isEmpty()) {
            return segment;
        }
        int start = (int) index.get(0).position();
        int end = (int) index.get(index.size() - 1).end();
        return java.util.Arrays.copyOfRange(segment, start, end);
    }
}
