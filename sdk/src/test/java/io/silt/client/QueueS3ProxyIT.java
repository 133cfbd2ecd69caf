package io.silt.client;

import io.silt.storage.ObjectStore;
import io.silt.storage.testing.S3ProxyServer;

/** The queue against a real S3-compatible server: create-only writes are S3Proxy's, not a fake's. */
class QueueS3ProxyIT extends QueueContract {
    @Override
    protected ObjectStore newStore() {
        S3ProxyServer server = S3ProxyServer.shared();
        return server.storeFor(server.newBucket(), "");
    }

    @Override
    protected int drainPerPartition() {
        return 1_000;
    }
}
