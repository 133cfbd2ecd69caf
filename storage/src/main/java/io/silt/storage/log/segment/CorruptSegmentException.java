package io.silt.storage.log.segment;

/**
 * Segment bytes do not parse: bad magic, a CRC32C mismatch, a truncated batch, a length or count out of bounds, a
 * decompression failure, records that do not add up. The message names the object (or the commit record an inline
 * batch came from), the byte position and what is wrong. Corrupt data is reported, never delivered.
 *
 * <p>Bytes written by a newer Silt (a format version, codec or flag this code does not know) raise this exception
 * too, with {@link #isNewerFormat()} true and a message that says to upgrade.
 */
public class CorruptSegmentException extends io.silt.storage.log.CorruptObjectException {
    private static final long serialVersionUID = 1L;

    private final String objectKey;
    private final long position;
    private final boolean newerFormat;

    CorruptSegmentException(String objectKey, long position, String problem, boolean newerFormat, Throwable cause) {
        super(message(objectKey, position, problem, newerFormat), cause);
        this.objectKey = objectKey;
        this.position = position;
        this.newerFormat = newerFormat;
    }

    static CorruptSegmentException corrupt(String objectKey, long position, String problem) {
        return new CorruptSegmentException(objectKey, position, problem, false, null);
    }

    static CorruptSegmentException corrupt(String objectKey, long position, String problem, Throwable cause) {
        return new CorruptSegmentException(objectKey, position, problem, false, cause);
    }

    static CorruptSegmentException newer(String objectKey, long position, String what) {
        return new CorruptSegmentException(objectKey, position, what, true, null);
    }

    private static String message(String key, long position, String problem, boolean newer) {
        if (newer) {
            return "segment object '" + key + "' at byte " + position + ": " + problem
                    + ": written by a newer Silt (this one reads segment format version " + SegmentFormat.VERSION
                    + "); upgrade Silt to read it (or, if no newer Silt wrote to this bucket, the object is corrupt)";
        }
        return "corrupt segment object '" + key + "' at byte " + position + ": " + problem;
    }

    /** The key of the object (or the name of the commit record holding inline batches) the bytes came from. */
    public String objectKey() {
        return objectKey;
    }

    /** The byte position in the object (or inline byte range) where the problem was found. */
    public long position() {
        return position;
    }

    /** Whether the bytes carry a format version, codec or flag this Silt does not know: upgrade to read them. */
    public boolean isNewerFormat() {
        return newerFormat;
    }
}
