package io.silt.client;

/** A newer instance of this idempotent producer has written: this one is a zombie and is stopped for good. Create a new producer. */
public class ProducerFencedException extends SiltException {
    private static final long serialVersionUID = 1L;

    public ProducerFencedException(String message) {
        super(message);
    }

    public ProducerFencedException(String message, Throwable cause) {
        super(message, cause);
    }
}
