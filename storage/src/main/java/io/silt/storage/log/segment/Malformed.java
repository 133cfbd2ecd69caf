package io.silt.storage.log.segment;

/**
 * Internal signal that decoded bytes break the format, carrying the position within the buffer being decoded. It is
 * always turned into a {@link CorruptSegmentException} (which names the object and the absolute position) before it
 * leaves the package. No stack trace: it is cheap and never escapes.
 */
final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long position;
    private final boolean newer;

    Malformed(long position, String problem) {
        this(position, problem, false);
    }

    Malformed(long position, String problem, boolean newer) {
        super(problem, null, false, false);
        this.position = position;
        this.newer = newer;
    }

    long position() {
        return position;
    }

    CorruptSegmentException toException(String objectKey) {
        return newer
                ? CorruptSegmentException.newer(objectKey, position, getMessage())
                : CorruptSegmentException.corrupt(objectKey, position, getMessage());
    }
}
