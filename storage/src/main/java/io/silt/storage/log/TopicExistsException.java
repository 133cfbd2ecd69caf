package io.silt.storage.log;

/** A topic already exists with other settings than the ones asked for. */
public class TopicExistsException extends LogException {
    private static final long serialVersionUID = 1L;

    public TopicExistsException(String message) {
        super(message);
    }
}
