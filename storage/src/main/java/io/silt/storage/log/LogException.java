package io.silt.storage.log;

/** The base of the errors the partition log raises. {@link #isRetriable()} says whether trying again may help. */
public class LogException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LogException(String message) {
        super(message);
    }

    public LogException(String message, Throwable cause) {
        super(message, cause);
    }

    public boolean isRetriable() {
        return false;
    }
}
