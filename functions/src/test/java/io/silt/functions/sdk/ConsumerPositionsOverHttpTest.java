package io.silt.functions.sdk;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.silt.client.internal.ConsumerPositionsTest;
import io.silt.client.TestTransports;
import java.net.URL;

/**
 * The SDK's own {@link ConsumerPositionsTest} (the consumer suite without and with groups: positions, commits, offset resets, group admin) through this running service: the client is
 * {@code Silt.connect("http://...")}'s transport. What the base class runs only directly on a store (it counts
 * the store's requests or needs the store's clock to be the test's) is skipped here, each with its reason.
 */
@QuarkusTest
class ConsumerPositionsOverHttpTest extends ConsumerPositionsTest {
    @TestHTTPResource("/")
    URL base;

    @Override
    protected TestTransports transports() {
        return TestTransports.http(base.toString());
    }
}
