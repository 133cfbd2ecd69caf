package io.silt.storage;

import java.util.Objects;

/** The three outcomes of a create-only write ({@link ObjectStore#putIfAbsent}). */
public sealed interface CreateResult {

    /** This writer created the object. */
    record Created(ObjectInfo info) implements CreateResult {}

    /** Another object was already there (HTTP 412); nothing was written. */
    record AlreadyExists() implements CreateResult {}

    /**
     * The store did not say. The write may have happened, or may still happen later. Read the key back and compare
     * the bytes; never clean up or move the data elsewhere while the outcome is unknown.
     */
    record Unknown(ObjectStoreException cause) implements CreateResult {
        public Unknown {
            Objects.requireNonNull(cause, "cause");
        }
    }

    CreateResult ALREADY_EXISTS = new AlreadyExists();

    default boolean created() {
        return this instanceof Created;
    }
}
