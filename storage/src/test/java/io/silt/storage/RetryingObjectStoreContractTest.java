package io.silt.storage;

/** {@link RetryingObjectStore} over an in-memory store is held to the object-store contract. */
class RetryingObjectStoreContractTest extends ObjectStoreContract {
    @Override
    protected ObjectStore newStore() {
        return RetryingObjectStore.wrap(new InMemoryObjectStore());
    }
}
