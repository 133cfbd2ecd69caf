package io.silt.functions.sdk;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.silt.client.QueueContract;
import io.silt.client.TestTransports;
import io.silt.storage.InMemoryObjectStore;
import io.silt.storage.ObjectStore;
import java.net.URL;

/**
 * The SDK's own queue suite ({@link QueueContract}: competing consumers, visibility timeouts, nack, dead letters and
 * redrive, snapshots) through this running service. Skipped here: the fault-injection test (it injects faults into
 * the test's own store, which the service does not use) and the request counting of the drain test.
 */
@QuarkusTest
class QueueOverHttpTest extends QueueContract {
    @TestHTTPResource("/")
    URL base;

    @Override
    protected TestTransports transports() {
        return TestTransports.http(base.toString());
    }

    /** Unused through the service (it has its own store); the contract asks for one. */
    @Override
    protected ObjectStore newStore() {
        return new InMemoryObjectStore();
    }

    /** Fewer than in memory: every claim and settle is an http request to the service. */
    @Override
    protected int drainPerPartition() {
        return 2_000;
    }
}
