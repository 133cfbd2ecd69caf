package io.silt.storage.log;

/**
 * This compactor's lease is gone: another compactor claimed a newer epoch (or this one could not learn whether its
 * renewal was written). A fenced compactor stops at once and does not write or delete anything more; it may try to
 * acquire the lease again in a later run (DESIGN rule 6, RFC 0008).
 */
public class CompactorFencedException extends LogException {
    private static final long serialVersionUID = 1L;

    public CompactorFencedException(String message) {
        super(message);
    }

    public CompactorFencedException(String message, Throwable cause) {
        super(message, cause);
    }
}
