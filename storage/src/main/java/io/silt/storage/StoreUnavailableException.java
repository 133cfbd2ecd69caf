package io.silt.storage;

/**
 * A transient failure: throttling (503 SlowDown), a server error (5xx), a 409 ConditionalRequestConflict, an I/O
 * error or a timeout. Retriable.
 */
public class StoreUnavailableException extends ObjectStoreException {
    private static final long serialVersionUID = 1L;

    /** What kind of transient failure this was; {@link RetryingObjectStore} and the metrics use it. */
    public enum Reason { THROTTLED, SERVER_ERROR, CONFLICT, IO, TIMEOUT }

    private final Reason reason;

    public StoreUnavailableException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public StoreUnavailableException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
