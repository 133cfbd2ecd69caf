package io.silt.client;

/** The producer's buffer stayed full for longer than its maximum block time: records are produced faster than the store accepts them (back-pressure). */
public class BufferExhaustedException extends RetriableSiltException {
    private static final long serialVersionUID = 1L;

    public BufferExhaustedException(String message) {
        super(message);
    }

    public BufferExhaustedException(String message, Throwable cause) {
        super(message, cause);
    }
}
