package io.silt.storage;

/** An object key or metadata entry that no store accepts; the message says which rule it breaks. */
public class InvalidKeyException extends ObjectStoreException {
    private static final long serialVersionUID = 1L;

    public InvalidKeyException(String message) {
        super(message);
    }
}
