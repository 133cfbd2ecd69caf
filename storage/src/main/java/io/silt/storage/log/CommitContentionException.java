package io.silt.storage.log;

/** A committer lost too many commit races in a row and gave up; nothing was committed. Retriable. */
public class CommitContentionException extends LogException {
    private static final long serialVersionUID = 1L;

    public CommitContentionException(String message) {
        super(message);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
