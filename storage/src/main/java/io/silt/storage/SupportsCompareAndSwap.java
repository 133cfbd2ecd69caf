package io.silt.storage;

import java.util.Map;

/**
 * An optional capability: overwrite an object only if its ETag is still the expected one ({@code If-Match}).
 *
 * <p><b>Never rely on it for correctness.</b> {@code If-Match} is not atomic on S3Proxy or S3Mock: under a race
 * several writers "win". Silt uses it at most as an optimisation where a lost race is harmless; every ordering
 * decision is a {@link ObjectStore#putIfAbsent create-only write}. The {@link StoreConformanceCheck} reports
 * whether a store's {@code If-Match} holds under a race, as information.
 */
public interface SupportsCompareAndSwap {

    /** The outcome of {@link #putIfMatch}. */
    enum SwapResult {
        /** This write replaced the expected version. */
        SWAPPED,
        /** The object has another ETag now (HTTP 412); nothing was written. */
        STALE,
        /** There is no object under the key (HTTP 404). */
        MISSING
    }

    /** Replaces the object under {@code key} only if its current ETag is {@code expectedEtag}. */
    SwapResult putIfMatch(String key, byte[] data, String expectedEtag, Map<String, String> metadata);
}
