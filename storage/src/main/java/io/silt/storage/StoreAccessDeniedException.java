package io.silt.storage;

/** The store refused the credentials (wrong key or secret) or they lack a permission (HTTP 403). */
public class StoreAccessDeniedException extends ObjectStoreException {
    private static final long serialVersionUID = 1L;

    public StoreAccessDeniedException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreAccessDeniedException(String message) {
        super(message);
    }
}
