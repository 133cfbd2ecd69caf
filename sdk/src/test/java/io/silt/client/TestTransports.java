package io.silt.client;

import io.silt.client.internal.DirectTransport;
import io.silt.client.internal.Transport;
import io.silt.client.internal.http.HttpTransport;
import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectStore;
import io.silt.storage.log.LogConfig;
import java.time.Clock;
import java.util.function.LongSupplier;

/**
 * Where the SDK's tests run their clients: directly on the test's store (the default), or through a running Silt
 * service ({@link #http}; the functions module runs the producer, consumer, group, queue and admin suites that way).
 * The client's clock, time source, seed and sleeper are the test's in both cases; over http the store is the
 * service's, so the test's own store is not used, and the service's clock is real.
 */
public interface TestTransports {

    /**
     * A transport for one test (over http: the service emptied of topics and coordination state first).
     *
     * @param store the test's store; used only by the direct transport
     */
    Transport open(ObjectStore store, Clock clock, LongSupplier nanoTime, long seed, DirectTransport.Sleeper sleeper);

    /**
     * Whether the client works on the test's store itself. Tests that count or inspect the store's requests, or
     * that need the store's clock to be the test's manual clock, run only then.
     */
    boolean direct();

    /** On the test's store. */
    TestTransports DIRECT = new TestTransports() {
        @Override
        public Transport open(ObjectStore store, Clock clock, LongSupplier nanoTime, long seed,
                              DirectTransport.Sleeper sleeper) {
            return new DirectTransport(store, LogConfig.DEFAULTS, clock, nanoTime, seed, sleeper);
        }

        @Override
        public boolean direct() {
            return true;
        }
    };

    /** Through the Silt service at {@code url}; each test starts on an empty service. */
    static TestTransports http(String url) {
        return new TestTransports() {
            @Override
            public Transport open(ObjectStore store, Clock clock, LongSupplier nanoTime, long seed,
                                  DirectTransport.Sleeper sleeper) {
                HttpTransport t = new HttpTransport(url, null, LogConfig.DEFAULTS, clock, nanoTime, seed, sleeper);
                for (String topic : t.listTopics()) {
                    t.deleteTopic(topic);
                }
                ObjectStore state = t.stateStore();
                for (String prefix : new String[] {"groups/", "queues/"}) {
                    state.deleteAll(state.listAll(prefix).stream().map(ObjectInfo::key).toList());
                }
                return t;
            }

            @Override
            public boolean direct() {
                return false;
            }
        };
    }
}
