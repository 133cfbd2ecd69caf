package io.silt.storage;

/**
 * The base of every error an {@link ObjectStore} throws. Messages name the store, the key and what to do.
 * {@link #isRetriable()} says whether trying the same request again may succeed.
 */
public class ObjectStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ObjectStoreException(String message) {
        super(message);
    }

    public ObjectStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the same request may succeed if tried again later. */
    public boolean isRetriable() {
        return false;
    }
}
