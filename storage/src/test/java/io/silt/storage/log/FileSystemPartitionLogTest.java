package io.silt.storage.log;

import io.silt.storage.FileSystemObjectStore;
import io.silt.storage.ObjectStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The partition log contract on a local directory. */
class FileSystemPartitionLogTest extends PartitionLogContract {
    @TempDir
    Path root;

    @Override
    protected ObjectStore newStore() {
        return new FileSystemObjectStore(root.resolve("bucket"));
    }
}
