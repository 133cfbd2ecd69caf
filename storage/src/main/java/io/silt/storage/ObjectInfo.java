package io.silt.storage;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a store knows of an object, without its bytes.
 *
 * @param key the object's key
 * @param size the whole object's size in bytes
 * @param etag an opaque version tag, passed back unchanged to {@link ObjectStore#getIfChanged}
 * @param lastModified when the store wrote the object (the store's clock; seconds precision on S3)
 * @param metadata user metadata (lower-case keys); empty in listings, which do not carry it
 */
public record ObjectInfo(String key, long size, String etag, Instant lastModified, Map<String, String> metadata) {
    public ObjectInfo {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(lastModified, "lastModified");
        metadata = Map.copyOf(metadata);
    }
}
