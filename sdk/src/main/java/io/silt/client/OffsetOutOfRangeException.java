package io.silt.client;

/** The offset is no longer retained or was never written; seek to the beginning or the end. */
public class OffsetOutOfRangeException extends SiltException {
    private static final long serialVersionUID = 1L;

    public OffsetOutOfRangeException(String message) {
        super(message);
    }

    public OffsetOutOfRangeException(String message, Throwable cause) {
        super(message, cause);
    }
}
