package io.silt.client;

/** A record (or request) is larger than the configured limit; the message names the limit and the setting that raises it. */
public class RecordTooLargeException extends SiltException {
    private static final long serialVersionUID = 1L;

    public RecordTooLargeException(String message) {
        super(message);
    }

    public RecordTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
