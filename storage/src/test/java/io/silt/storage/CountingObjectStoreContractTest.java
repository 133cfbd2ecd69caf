package io.silt.storage;

/** {@link CountingObjectStore} over an in-memory store is held to the object-store contract. */
class CountingObjectStoreContractTest extends ObjectStoreContract {
    @Override
    protected ObjectStore newStore() {
        return CountingObjectStore.wrap(new InMemoryObjectStore());
    }
}
