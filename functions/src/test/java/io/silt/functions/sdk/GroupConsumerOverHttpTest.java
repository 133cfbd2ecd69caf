package io.silt.functions.sdk;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.silt.client.internal.GroupConsumerTest;
import io.silt.client.TestTransports;
import java.net.URL;

/**
 * The SDK's own {@link GroupConsumerTest} (the consumer-group suite: sharing, failover, slow members, zombies) through this running service: the client is
 * {@code Silt.connect("http://...")}'s transport. What the base class runs only directly on a store (it counts
 * the store's requests or needs the store's clock to be the test's) is skipped here, each with its reason.
 */
@QuarkusTest
class GroupConsumerOverHttpTest extends GroupConsumerTest {
    @TestHTTPResource("/")
    URL base;

    @Override
    protected TestTransports transports() {
        return TestTransports.http(base.toString());
    }
}
