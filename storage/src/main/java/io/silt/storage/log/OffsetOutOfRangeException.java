package io.silt.storage.log;

/**
 * The offset asked for is no longer retained (retention removed it) or was never written. Start again from the
 * earliest or the latest offset (Kafka's {@code auto.offset.reset}).
 */
public class OffsetOutOfRangeException extends LogException {
    private static final long serialVersionUID = 1L;
    private final long startOffset;
    private final long endOffset;

    public OffsetOutOfRangeException(String partition, long offset, long startOffset, long endOffset) {
        super("offset " + offset + " is out of range for " + partition + ": it holds offsets " + startOffset + " to "
                + (endOffset - 1) + (offset < startOffset ? " (older records were removed by retention)" : "")
                + "; seek to the beginning or the end");
        this.startOffset = startOffset;
        this.endOffset = endOffset;
    }

    public long startOffset() {
        return startOffset;
    }

    public long endOffset() {
        return endOffset;
    }
}
