package io.silt.client;

/**
 * The base of every error the SDK throws. Messages say what happened and what to do. Errors that may succeed if
 * the same operation is tried again extend {@link RetriableSiltException}.
 */
public class SiltException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SiltException(String message) {
        super(message);
    }

    public SiltException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether trying the same operation again may succeed. */
    public boolean isRetriable() {
        return false;
    }
}
