package io.silt.client;

/** The credentials (or API key) are missing, wrong or lack a permission; nothing was written. */
public class AuthorizationException extends SiltException {
    private static final long serialVersionUID = 1L;

    public AuthorizationException(String message) {
        super(message);
    }

    public AuthorizationException(String message, Throwable cause) {
        super(message, cause);
    }
}
