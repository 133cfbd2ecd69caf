package io.silt.client;

/** The bucket (or the Silt service) could not be reached or was throttled, after retries. */
public class StoreUnavailableException extends RetriableSiltException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message) {
        super(message);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
