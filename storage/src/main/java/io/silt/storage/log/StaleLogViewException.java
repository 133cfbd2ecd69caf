package io.silt.storage.log;

/** A reader's or writer's view of a log is older than what garbage collection kept. Reload and try again. */
public class StaleLogViewException extends LogException {
    private static final long serialVersionUID = 1L;

    public StaleLogViewException(String message) {
        super(message);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
