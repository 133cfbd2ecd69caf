package io.silt.client;

/** The topic does not exist; create it first (`silt topics create NAME`). */
public class UnknownTopicException extends SiltException {
    private static final long serialVersionUID = 1L;

    public UnknownTopicException(String message) {
        super(message);
    }

    public UnknownTopicException(String message, Throwable cause) {
        super(message, cause);
    }
}
