package io.silt.functions.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;

/** The service on S3Proxy: a real S3 API with atomic {@code If-None-Match: *}. */
@QuarkusTest
@TestProfile(S3ProxyRoundTripIT.OnS3Proxy.class)
class S3ProxyRoundTripIT extends StoreRoundTripContract {
    public static class OnS3Proxy implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(S3ProxyStoreResource.class));
        }
    }
}
