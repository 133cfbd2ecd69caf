package io.silt.client;

/** Trying the same operation again may succeed: the store was unavailable or throttled, a commit lost too many races, or its outcome is unknown (an idempotent producer's retry settles it). */
public class RetriableSiltException extends SiltException {
    private static final long serialVersionUID = 1L;

    public RetriableSiltException(String message) {
        super(message);
    }

    public RetriableSiltException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
