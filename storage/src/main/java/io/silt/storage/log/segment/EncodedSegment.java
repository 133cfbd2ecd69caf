package io.silt.storage.log.segment;

import java.util.Objects;

/**
 * A finished segment: the object's bytes, to upload under a unique key (or inline in a commit record), and what it
 * holds. {@link #bytes()} returns the array itself, not a copy: it belongs to the caller, who must not change it.
 */
public final class EncodedSegment {
    private final byte[] bytes;
    private final SegmentInfo info;

    EncodedSegment(byte[] bytes, SegmentInfo info) {
        this.bytes = Objects.requireNonNull(bytes, "bytes");
        this.info = Objects.requireNonNull(info, "info");
    }

    public byte[] bytes() {
        return bytes;
    }

    public SegmentInfo info() {
        return info;
    }

    @Override
    public String toString() {
        return "EncodedSegment[" + bytes.length + " bytes, " + info.recordCount() + " records, "
                + info.batchCount() + " batches]";
    }
}
