package io.silt.functions.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.silt.storage.testing.S3ProxyServer;
import java.util.Map;

/** Starts S3Proxy for the service and points {@code silt.store} at a fresh bucket on it. */
public class S3ProxyStoreResource implements QuarkusTestResourceLifecycleManager {
    private S3ProxyServer server;

    @Override
    public Map<String, String> start() {
        server = S3ProxyServer.start();
        String bucket = server.newBucket();
        // The store reads credentials from the AWS default chain when SILT_S3_* are not set; system properties
        // are part of that chain, and the environment of this JVM cannot be changed.
        System.setProperty("aws.accessKeyId", server.accessKey());
        System.setProperty("aws.secretAccessKey", server.secretKey());
        return Map.of("silt.store", server.uri(bucket, ""));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
