package io.silt.storage;

/** The answer to {@link ObjectStore#getIfChanged(String, String)}. */
public sealed interface ConditionalGet {

    /** The object has another ETag now; here it is. */
    record Modified(ObjectData data) implements ConditionalGet {}

    /** The object still has the ETag the caller gave (HTTP 304). */
    record NotModified() implements ConditionalGet {}

    /** There is no object under the key. */
    record NotFound() implements ConditionalGet {}

    ConditionalGet NOT_MODIFIED = new NotModified();
    ConditionalGet NOT_FOUND = new NotFound();
}
