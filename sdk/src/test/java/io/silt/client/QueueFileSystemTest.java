package io.silt.client;

import io.silt.storage.FileSystemObjectStore;
import io.silt.storage.ObjectStore;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

class QueueFileSystemTest extends QueueContract {
    @TempDir
    Path dir;
    private final AtomicInteger stores = new AtomicInteger();

    @Override
    protected ObjectStore newStore() {
        return new FileSystemObjectStore(dir.resolve("store-" + stores.incrementAndGet()));
    }

    @Override
    protected int drainPerPartition() {
        return 5_000;
    }
}
