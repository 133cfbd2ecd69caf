package io.silt.storage.log.segment;

/**
 * A record is larger than the configured limit ({@value SegmentConfig#MAX_RECORD_BYTES_SETTING}, default
 * {@value SegmentConfig#DEFAULT_MAX_RECORD_BYTES} bytes). The size counted is the record's encoded size: key, value,
 * headers and a few bytes of lengths.
 */
public class RecordTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long recordBytes;
    private final int limitBytes;

    RecordTooLargeException(long recordBytes, int limitBytes) {
        super("record of " + recordBytes + " bytes (encoded: key, value, headers and lengths) exceeds the limit of "
                + limitBytes + " bytes; raise the '" + SegmentConfig.MAX_RECORD_BYTES_SETTING + "' setting "
                + "(SegmentConfig.withMaxRecordBytes, at most " + SegmentConfig.MAX_BATCH_SIZE_BYTES
                + " bytes) or split the record");
        this.recordBytes = recordBytes;
        this.limitBytes = limitBytes;
    }

    /** The record's encoded size in bytes. */
    public long recordBytes() {
        return recordBytes;
    }

    /** The limit that was exceeded. */
    public int limitBytes() {
        return limitBytes;
    }
}
