package io.silt.storage.log.segment;

import java.util.List;

/**
 * One batch of a segment as a {@link SegmentReader} meets it: the header has been checked (bounds, version, CRC32C
 * over the whole batch), the records are decompressed and decoded on the first call to {@link #records()}.
 * Not thread-safe (it shares its reader's buffers).
 */
public final class RecordBatch {
    private final SegmentReader reader;
    private final BatchHeader header;
    private List<Record> records;

    RecordBatch(SegmentReader reader, BatchHeader header) {
        this.reader = reader;
        this.header = header;
    }

    /** The relative index of the batch's first record in its segment (0 for a standalone batch's first). */
    public int firstRecord() {
        return header.firstRecord();
    }

    public int recordCount() {
        return header.recordCount();
    }

    public long firstTimestamp() {
        return header.firstTimestamp();
    }

    public long maxTimestamp() {
        return header.maxTimestamp();
    }

    /** The byte position of the batch in the segment object (or in the inline bytes). */
    public long position() {
        return header.position();
    }

    /** The batch's length in bytes, header included. */
    public int length() {
        return header.length();
    }

    public Compression compression() {
        return header.codec();
    }

    /**
     * The batch's records, decoded once; the record at list index {@code i} has relative index
     * {@code firstRecord() + i}.
     *
     * @throws CorruptSegmentException if they do not decode
     */
    public List<Record> records() {
        if (records == null) {
            records = reader.decode(header);
        }
        return records;
    }

    @Override
    public String toString() {
        return "RecordBatch[records " + firstRecord() + ".." + (firstRecord() + recordCount() - 1) + " at byte "
                + position() + ", " + length() + " bytes, " + compression() + "]";
    }
}
