package io.silt.storage.log;

/** No live topic has this name. Create it first ({@code silt topics create NAME}). */
public class UnknownTopicException extends LogException {
    private static final long serialVersionUID = 1L;

    public UnknownTopicException(String topic) {
        super("topic '" + topic + "' does not exist; create it first (silt topics create " + topic + ")");
    }
}
