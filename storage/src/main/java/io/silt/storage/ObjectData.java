package io.silt.storage;

import java.util.Objects;

/**
 * An object's bytes, or a range of them, with what the store knows of the whole object.
 *
 * @param info the whole object's description ({@link ObjectInfo#size()} is the whole size, not the range's)
 * @param offset where {@code bytes} starts within the object (0 for a whole read)
 * @param bytes the bytes read; not copied, do not modify
 */
public record ObjectData(ObjectInfo info, long offset, byte[] bytes) {
    public ObjectData {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(bytes, "bytes");
    }

    public String key() {
        return info.key();
    }

    public String etag() {
        return info.etag();
    }
}
