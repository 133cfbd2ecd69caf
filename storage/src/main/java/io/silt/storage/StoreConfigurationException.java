package io.silt.storage;

/**
 * The store cannot be used as configured: a malformed store URI, a bucket that does not exist, a root directory
 * that cannot be created. Not retriable: fix the configuration.
 */
public class StoreConfigurationException extends ObjectStoreException {
    private static final long serialVersionUID = 1L;

    public StoreConfigurationException(String message) {
        super(message);
    }

    public StoreConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
