package io.silt.client;

/** An offset commit was rejected because the group has rebalanced since this consumer's generation (a zombie member); rejoin by polling again. */
public class CommitFailedException extends SiltException {
    private static final long serialVersionUID = 1L;

    public CommitFailedException(String message) {
        super(message);
    }

    public CommitFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
