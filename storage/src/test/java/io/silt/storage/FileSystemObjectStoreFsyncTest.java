package io.silt.storage;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The whole contract, including the create-only race, with fsync on, as the store runs by default. */
class FileSystemObjectStoreFsyncTest extends ObjectStoreContract {
    @TempDir
    Path tmp;

    @Override
    protected ObjectStore newStore() {
        return new FileSystemObjectStore(tmp.resolve("store"));
    }
}
