package io.silt.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A bucket of immutable-by-convention objects: the only thing Silt needs from S3 or its stand-ins.
 *
 * <p>Keys are validated by {@link ObjectKeys#validate(String)} (non-empty, at most 1024 UTF-8 bytes, no control
 * characters, no empty, {@code .} or {@code ..} segments, no leading {@code /}). ETags are opaque strings: pass
 * back exactly what a store returned. User metadata keys are lower-case ASCII ({@code [a-z0-9-]}); see
 * {@link ObjectKeys#validateMetadata(Map)}.
 *
 * <p>Errors are unchecked and coarse ({@link ObjectStoreException} and its subclasses):
 * <ul>
 *   <li>{@link StoreUnavailableException}: throttling, 5xx, 409 ConditionalRequestConflict, I/O errors, timeouts;
 *       {@linkplain ObjectStoreException#isRetriable() retriable}.</li>
 *   <li>{@link StoreAccessDeniedException}: the credentials are wrong or lack a permission.</li>
 *   <li>{@link StoreConfigurationException}: the bucket or root directory does not exist or cannot be used.</li>
 *   <li>{@link InvalidKeyException}, {@link InvalidRangeException}: the caller's mistake.</li>
 * </ul>
 * "Not found", "already exists" and "not modified" are answers, not errors: they come back as values and are never
 * retried.
 *
 * <p>Implementations are thread-safe.
 */
public interface ObjectStore extends AutoCloseable {

    /** Reads a whole object; empty if there is no object under {@code key}. */
    Optional<ObjectData> get(String key);

    /**
     * Reads part of an object. A range that runs past the end is cut at the end, as S3 does.
     *
     * @return empty if there is no object under {@code key}
     * @throws InvalidRangeException if the range starts at or beyond the end of a non-empty object (HTTP 416)
     */
    Optional<ObjectData> get(String key, ByteRange range);

    /**
     * Reads an object unless its ETag is still {@code etag} ({@code If-None-Match: etag}).
     *
     * @return {@link ConditionalGet.Modified} with the object, {@link ConditionalGet.NotModified} (HTTP 304) or
     *     {@link ConditionalGet.NotFound}
     */
    ConditionalGet getIfChanged(String key, String etag);

    /** The object's size, ETag, timestamp and metadata, without its bytes; empty if it does not exist. */
    Optional<ObjectInfo> head(String key);

    /** Writes (or overwrites) an object. Never use it to decide order: see {@link #putIfAbsent}. */
    ObjectInfo put(String key, byte[] data, Map<String, String> metadata);

    default ObjectInfo put(String key, byte[] data) {
        return put(key, data, Map.of());
    }

    /**
     * Creates an object only if no object exists under {@code key} ({@code If-None-Match: *}). Under a race exactly
     * one writer gets {@link CreateResult.Created}; the others get {@link CreateResult.AlreadyExists}.
     *
     * <p>When the store cannot tell whether the write happened (the response was lost, the connection broke, a
     * 5xx after the request was sent), the result is {@link CreateResult.Unknown}: the object may exist now or
     * appear later. Resolve it by reading the key back and comparing the bytes (callers put a unique write token
     * in the body), never by writing elsewhere. {@link io.silt.storage.RetryingObjectStore} does that.
     *
     * @throws StoreUnavailableException only when the request certainly did not write (throttled, 409 conflict)
     */
    CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata);

    default CreateResult putIfAbsent(String key, byte[] data) {
        return putIfAbsent(key, data, Map.of());
    }

    /**
     * Lists objects whose keys start with {@code prefix}, in ascending order of their UTF-8 bytes, starting after
     * {@code startAfter} (exclusive; {@code null} for the beginning), at most {@code maxKeys} (1 to 1000) per page.
     * To read the next page pass {@link ListPage#nextStartAfter()}.
     */
    ListPage list(String prefix, String startAfter, int maxKeys);

    /** Lists every object under {@code prefix}, page by page. Costs one LIST per 1000 keys: never on a hot path. */
    default List<ObjectInfo> listAll(String prefix) {
        List<ObjectInfo> all = new ArrayList<>();
        String after = null;
        while (true) {
            ListPage page = list(prefix, after, ListPage.MAX_KEYS);
            all.addAll(page.objects());
            if (!page.truncated()) {
                return all;
            }
            after = page.nextStartAfter();
        }
    }

    /** Deletes an object; deleting a missing object is not an error. */
    void delete(String key);

    /**
     * Deletes several objects (S3 DeleteObjects, up to 1000 keys per request). Missing keys are not an error.
     *
     * @throws ObjectStoreException naming the keys that could not be deleted
     */
    default void deleteAll(Collection<String> keys) {
        for (String key : keys) {
            delete(key);
        }
    }

    /** A short description for logs and reports, e.g. {@code s3://bucket/prefix} or {@code file:/data}. */
    String describe();

    /** Releases connections and threads. Idempotent. */
    @Override
    default void close() {}
}
