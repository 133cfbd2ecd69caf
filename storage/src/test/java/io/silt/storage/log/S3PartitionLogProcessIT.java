package io.silt.storage.log;

import io.silt.storage.ObjectStore;
import io.silt.storage.ObjectStores;
import io.silt.storage.RetryingObjectStore;
import io.silt.storage.testing.S3ProxyServer;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Several JVMs appending to, and being killed while appending to, one partition in an S3Proxy bucket (a fresh one
 * per test). The workers open the bucket from its store URI with credentials from the environment.
 */
class S3PartitionLogProcessIT extends PartitionLogProcessContract {
    static S3ProxyServer server;
    private String bucket;

    @BeforeAll
    static void startServer() {
        server = S3ProxyServer.shared();
    }

    @BeforeEach
    void newBucket() {
        bucket = server.newBucket();
    }

    @Override
    protected String storeUri() {
        return server.uri(bucket, "");
    }

    @Override
    protected ObjectStore openStore() {
        return RetryingObjectStore.wrap(server.storeFor(bucket, ""));
    }

    @Override
    protected Map<String, String> workerEnv() {
        return Map.of(ObjectStores.ACCESS_KEY_ENV, server.accessKey(), ObjectStores.SECRET_KEY_ENV,
                server.secretKey());
    }

    @Override
    protected int processes() {
        return 3;
    }
}
