package io.silt.storage.log.segment;

import java.util.Objects;

/**
 * How a {@link SegmentWriter} cuts and encodes batches.
 *
 * @param batchSizeBytes a batch closes once its uncompressed records would exceed this many bytes (1 to
 *     {@link #MAX_BATCH_SIZE_BYTES}; a single record larger than this gets a batch of its own)
 * @param maxRecordBytes the largest record accepted, encoded size (1 to {@link #MAX_BATCH_SIZE_BYTES}); larger ones
 *     are refused with {@link RecordTooLargeException}
 * @param compression the codec tried for each batch; a batch that would not shrink is stored uncompressed
 */
public record SegmentConfig(int batchSizeBytes, int maxRecordBytes, Compression compression) {
    /** The name under which higher layers expose {@link #maxRecordBytes()}. */
    public static final String MAX_RECORD_BYTES_SETTING = "max.record.bytes";
    public static final int DEFAULT_BATCH_SIZE_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;
    /** The hard cap of a batch's uncompressed record bytes, and so of both settings. */
    public static final int MAX_BATCH_SIZE_BYTES = SegmentFormat.HARD_MAX_BATCH_BYTES;
    /** LZ4 is on by default: see RFC 0001 for the measurements. */
    public static final Compression DEFAULT_COMPRESSION = Compression.LZ4;

    public SegmentConfig {
        Objects.requireNonNull(compression, "compression");
        if (batchSizeBytes < 1 || batchSizeBytes > MAX_BATCH_SIZE_BYTES) {
            throw new IllegalArgumentException("batchSizeBytes must be between 1 and " + MAX_BATCH_SIZE_BYTES
                    + ", was " + batchSizeBytes);
        }
        if (maxRecordBytes < 1 || maxRecordBytes > MAX_BATCH_SIZE_BYTES) {
            throw new IllegalArgumentException(MAX_RECORD_BYTES_SETTING + " must be between 1 and "
                    + MAX_BATCH_SIZE_BYTES + ", was " + maxRecordBytes);
        }
    }

    /** 1 MiB batches, 1 MiB records, LZ4. */
    public static SegmentConfig defaults() {
        return new SegmentConfig(DEFAULT_BATCH_SIZE_BYTES, DEFAULT_MAX_RECORD_BYTES, DEFAULT_COMPRESSION);
    }

    public SegmentConfig withBatchSizeBytes(int bytes) {
        return new SegmentConfig(bytes, maxRecordBytes, compression);
    }

    public SegmentConfig withMaxRecordBytes(int bytes) {
        return new SegmentConfig(batchSizeBytes, bytes, compression);
    }

    public SegmentConfig withCompression(Compression codec) {
        return new SegmentConfig(batchSizeBytes, maxRecordBytes, codec);
    }
}
