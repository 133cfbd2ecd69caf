package io.silt.client;

/** An invalid name, configuration or argument; the message names the rule. */
public class InvalidRequestException extends SiltException {
    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message);
    }

    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
