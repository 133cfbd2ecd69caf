package io.silt.storage.log.segment;

import io.silt.storage.ByteRange;
import java.util.List;
import java.util.Objects;

/**
 * What a segment holds and where its batches are: the record count, the object's size, the timestamp range and a
 * sparse index with one entry per batch. The segment's footer carries exactly this (see {@link SegmentTrailer}); a
 * commit record may carry it too ({@link #toBytes()}), which saves a consumer the footer reads.
 *
 * <p>The constructor checks that the index describes a valid version-1 layout: batches start right after the
 * 8-byte object header, follow each other without gaps, and their first records start at 0 and increase.
 *
 * @param recordCount records in the segment, {@code >= 1}
 * @param byteSize the size of the whole segment object
 * @param minTimestamp the smallest record timestamp
 * @param maxTimestamp the largest record timestamp
 * @param batches the batches in order, at least one
 */
public record SegmentInfo(int recordCount, long byteSize, long minTimestamp, long maxTimestamp,
                          List<BatchIndexEntry> batches) {

    public SegmentInfo {
        batches = List.copyOf(Objects.requireNonNull(batches, "batches"));
        check(recordCount, byteSize, minTimestamp, maxTimestamp, batches);
    }

    /** Decodes {@link #toBytes()} output (the index section of a segment's footer). */
    public static SegmentInfo fromBytes(String source, byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        try {
            return IndexCodec.decode(bytes, 0, bytes.length, 0);
        } catch (Malformed m) {
            throw m.toException(source);
        }
    }

    /** The index encoding (as in the segment footer): 42 bytes plus 24 per batch. */
    public byte[] toBytes() {
        return IndexCodec.encode(this);
    }

    public int batchCount() {
        return batches.size();
    }

    /** The number of records in batch number {@code batch} (0-based). */
    public int recordCountOf(int batch) {
        int next = batch + 1 < batches.size() ? batches.get(batch + 1).firstRecord() : recordCount;
        return next - batches.get(batch).firstRecord();
    }

    /** The number (0-based) of the batch holding the record at {@code relativeIndex}. */
    public int batchNumberOf(int relativeIndex) {
        if (relativeIndex < 0 || relativeIndex >= recordCount) {
            throw new IndexOutOfBoundsException("record " + relativeIndex + " is not in a segment of "
                    + recordCount + " records");
        }
        int lo = 0;
        int hi = batches.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (batches.get(mid).firstRecord() <= relativeIndex) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** The batch holding the record at {@code relativeIndex}. */
    public BatchIndexEntry batchContaining(int relativeIndex) {
        return batches.get(batchNumberOf(relativeIndex));
    }

    /** The position just after the last batch, where the footer starts. */
    public long batchesEnd() {
        return batches.get(batches.size() - 1).end();
    }

    /** The byte range from the batch holding {@code relativeIndex} to the end of the last batch. */
    public ByteRange rangeFrom(int relativeIndex) {
        long start = batchContaining(relativeIndex).position();
        return ByteRange.of(start, batchesEnd() - start);
    }

    /**
     * The byte range from the batch holding {@code relativeIndex} over as many whole batches as fit in
     * {@code maxBytes} (always at least that one batch).
     */
    public ByteRange rangeFrom(int relativeIndex, long maxBytes) {
        int first = batchNumberOf(relativeIndex);
        long start = batches.get(first).position();
        long end = batches.get(first).end();
        for (int i = first + 1; i < batches.size() && batches.get(i).end() - start <= maxBytes; i++) {
            end = batches.get(i).end();
        }
        return ByteRange.of(start, end - start);
    }

    private static void check(int recordCount, long byteSize, long minTs, long maxTs, List<BatchIndexEntry> batches) {
        if (recordCount < 1) {
            throw new IllegalArgumentException("a segment holds at least one record, not " + recordCount);
        }
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("a segment holds at least one batch");
        }
        if (minTs < 0 || maxTs < minTs) {
            throw new IllegalArgumentException("bad timestamp range [" + minTs + ", " + maxTs + "]");
        }
        long expectedPosition = SegmentFormat.OBJECT_HEADER_SIZE;
        long previousFirst = -1;
        long largestTs = -1;
        for (int i = 0; i < batches.size(); i++) {
            BatchIndexEntry e = batches.get(i);
            Objects.requireNonNull(e, "batch index entry");
            if (i == 0 ? e.firstRecord() != 0 : e.firstRecord() <= previousFirst) {
                throw new IllegalArgumentException("batch " + i + " starts at record " + e.firstRecord()
                        + " (previous batch: " + previousFirst + ")");
            }
            if (e.firstRecord() >= recordCount) {
                throw new IllegalArgumentException("batch " + i + " starts at record " + e.firstRecord()
                        + " of a segment of " + recordCount + " records");
            }
            if (e.position() != expectedPosition) {
                throw new IllegalArgumentException("batch " + i + " is at byte " + e.position() + ", expected "
                        + expectedPosition);
            }
            if (e.length() <= SegmentFormat.BATCH_HEADER_SIZE || e.length() > SegmentFormat.MAX_BATCH_LENGTH) {
                throw new IllegalArgumentException("batch " + i + " has length " + e.length());
            }
            if (e.maxTimestamp() < minTs || e.maxTimestamp() > maxTs) {
                throw new IllegalArgumentException("batch " + i + " has max timestamp " + e.maxTimestamp()
                        + " outside [" + minTs + ", " + maxTs + "]");
            }
            previousFirst = e.firstRecord();
            expectedPosition += e.length();
            largestTs = Math.max(largestTs, e.maxTimestamp());
        }
        if (largestTs != maxTs) {
            throw new IllegalArgumentException("max timestamp " + maxTs + " but the batches' largest is " + largestTs);
        }
        long minimalSize = expectedPosition + SegmentFormat.INDEX_HEADER_SIZE
                + (long) SegmentFormat.INDEX_ENTRY_SIZE * batches.size() + SegmentFormat.TRAILER_SIZE;
        if (byteSize < minimalSize) {
            throw new IllegalArgumentException("byte size " + byteSize + " is too small for " + batches.size()
                    + " batches ending at byte " + expectedPosition + " (at least " + minimalSize + ")");
        }
    }
}
