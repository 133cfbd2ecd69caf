package io.silt.client;

/** Data in the bucket failed its integrity checks; the message names the object and position. Never delivered. */
public class CorruptDataException extends SiltException {
    private static final long serialVersionUID = 1L;

    public CorruptDataException(String message) {
        super(message);
    }

    public CorruptDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
