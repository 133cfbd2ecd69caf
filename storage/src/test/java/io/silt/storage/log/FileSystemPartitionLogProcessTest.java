package io.silt.storage.log;

import io.silt.storage.FileSystemObjectStore;
import io.silt.storage.ObjectStore;

/** Several JVMs appending to, and being killed while appending to, one partition in a local directory. */
class FileSystemPartitionLogProcessTest extends PartitionLogProcessContract {
    @Override
    protected String storeUri() {
        return "file:" + tmp.resolve("bucket").toAbsolutePath();
    }

    @Override
    protected ObjectStore openStore() {
        return new FileSystemObjectStore(tmp.resolve("bucket"));
    }
}
