package io.silt.storage.log;

/**
 * An idempotent producer's identity: a random 64-bit id and an epoch. A newer epoch of the same id fences older ones
 * for good. {@link #NONE} marks batches from producers that are not idempotent.
 */
public record ProducerId(long id, int epoch) {
    public static final ProducerId NONE = new ProducerId(0, 0);

    public boolean isIdempotent() {
        return id != 0;
    }
}
