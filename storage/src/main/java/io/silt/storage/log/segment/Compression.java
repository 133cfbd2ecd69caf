package io.silt.storage.log.segment;

/** How a batch's record bytes are stored. The codec id is bits 0-2 of the batch attributes. */
public enum Compression {
    /** Stored as they are. */
    NONE(0),
    /** One LZ4 block per batch (kept only where it makes the batch smaller). */
    LZ4(1);

    private final int id;

    Compression(int id) {
        this.id = id;
    }

    int id() {
        return id;
    }

    /** The codec with this id, or {@code null} if this Silt does not know it. */
    static Compression ofId(int id) {
        return switch (id) {
            case 0 -> NONE;
            case 1 -> LZ4;
            default -> null;
        };
    }
}
