package io.silt.client;

/** A topic of that name exists with other settings. */
public class TopicExistsException extends SiltException {
    private static final long serialVersionUID = 1L;

    public TopicExistsException(String message) {
        super(message);
    }

    public TopicExistsException(String message, Throwable cause) {
        super(message, cause);
    }
}
