package io.silt.storage.log;

/**
 * An idempotent producer's batch does not follow its previous one (a gap, or an overlap that is not an exact retry).
 * The producer's state is inconsistent with the log; it should be closed and recreated.
 */
public class OutOfOrderSequenceException extends LogException {
    private static final long serialVersionUID = 1L;

    public OutOfOrderSequenceException(String message) {
        super(message);
    }
}
