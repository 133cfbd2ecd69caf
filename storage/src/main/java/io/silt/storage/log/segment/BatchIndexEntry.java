package io.silt.storage.log.segment;

/**
 * Where one batch sits in a segment object: an entry of the sparse index in {@link SegmentInfo}.
 *
 * @param firstRecord the relative index (0-based position in the segment) of the batch's first record
 * @param position the byte position of the batch in the segment object
 * @param length the batch's length in bytes, header included
 * @param maxTimestamp the largest record timestamp in the batch
 */
public record BatchIndexEntry(int firstRecord, long position, int length, long maxTimestamp) {

    /** The position just after the batch. */
    public long end() {
        return position + length;
    }
}
