package io.silt.storage.log;

/**
 * A producer with a newer epoch of the same id has written to the partition: this producer is a zombie (an older
 * instance of a restarted producer) and is stopped for good. Create a new producer to continue.
 */
public class ProducerFencedException extends LogException {
    private static final long serialVersionUID = 1L;

    public ProducerFencedException(String message) {
        super(message);
    }
}
