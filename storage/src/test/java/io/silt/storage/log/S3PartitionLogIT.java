package io.silt.storage.log;

import io.silt.storage.ObjectStore;
import io.silt.storage.RetryingObjectStore;
import io.silt.storage.testing.S3ProxyServer;
import org.junit.jupiter.api.BeforeAll;

/** The partition log contract against a real S3Proxy, one fresh bucket per test, behind retries as in production. */
class S3PartitionLogIT extends PartitionLogContract {
    static S3ProxyServer server;

    @BeforeAll
    static void startServer() {
        server = S3ProxyServer.shared();
    }

    @Override
    protected ObjectStore newStore() {
        return RetryingObjectStore.wrap(server.storeFor(server.newBucket(), ""));
    }
}
