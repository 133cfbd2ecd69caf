package io.silt.storage.log;

/** A topic or group name that breaks the naming rules; the message says which. */
public class InvalidNameException extends LogException {
    private static final long serialVersionUID = 1L;

    public InvalidNameException(String message) {
        super(message);
    }
}
