package io.silt.storage.log;

/**
 * The store never said whether a commit record was written, and reading it back did not settle it within the retry
 * budget. The records may or may not be in the log: an idempotent producer that retries with the same producer id,
 * epoch and sequence will learn which, and never appends them twice. Nothing was cleaned up.
 */
public class CommitUnknownException extends LogException {
    private static final long serialVersionUID = 1L;

    public CommitUnknownException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Retrying with the same idempotent producer state is safe and resolves the outcome. */
    @Override
    public boolean isRetriable() {
        return true;
    }
}
