package io.silt.storage.log;

import io.silt.storage.InMemoryObjectStore;
import io.silt.storage.ObjectStore;

class InMemoryPartitionLogTest extends PartitionLogContract {
    @Override
    protected ObjectStore newStore() {
        return new InMemoryObjectStore();
    }
}
