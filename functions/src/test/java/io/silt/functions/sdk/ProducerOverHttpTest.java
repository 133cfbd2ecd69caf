package io.silt.functions.sdk;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.silt.client.ProducerTest;
import io.silt.client.TestTransports;
import java.net.URL;

/**
 * The SDK's own {@link ProducerTest} (the producer suite: partitioning, linger, flush, close, idempotent appends) through this running service: the client is
 * {@code Silt.connect("http://...")}'s transport. What the base class runs only directly on a store (it counts
 * the store's requests or needs the store's clock to be the test's) is skipped here, each with its reason.
 */
@QuarkusTest
class ProducerOverHttpTest extends ProducerTest {
    @TestHTTPResource("/")
    URL base;

    @Override
    protected TestTransports transports() {
        return TestTransports.http(base.toString());
    }
}
