package io.silt.storage;

/** A byte range that starts at or past the end of the object (HTTP 416). */
public class InvalidRangeException extends ObjectStoreException {
    private static final long serialVersionUID = 1L;

    public InvalidRangeException(String key, ByteRange range, long size) {
        super("range " + range + " is not satisfiable for object '" + key + "' of " + size + " bytes");
    }

    public InvalidRangeException(String message) {
        super(message);
    }
}
