package io.silt.functions.api;

import io.silt.client.Silt;
import io.silt.client.internal.DirectClient;
import io.silt.client.internal.DirectTransport;
import io.silt.functions.SiltRuntime;
import io.silt.storage.CountingObjectStore;
import io.silt.storage.CreateResult;
import io.silt.storage.ForwardingObjectStore;
import io.silt.storage.InMemoryObjectStore;
import io.silt.storage.ObjectStore;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service's runtime over an in-memory store whose commit-record writes ({@code .../log/...} create-only PUTs)
 * can be held at a gate, so tests can pile requests up behind a commit in progress. Enabled by {@link GatedProfile}.
 */
@Alternative
@ApplicationScoped
public class GatedRuntime extends SiltRuntime {
    private final Gate gate = new Gate(new InMemoryObjectStore());
    private final CountingObjectStore store = CountingObjectStore.wrap(gate);
    private final DirectClient client = (DirectClient) Silt.builder("mem:gated").store(store).build();

    public GatedRuntime() {
        super("mem:unused");
    }

    /** The store's gate. */
    public Gate gate() {
        return gate;
    }

    @PreDestroy
    void closeGated() {
        client.close();
    }

    @Override
    public ObjectStore store() {
        return store;
    }

    @Override
    public CountingObjectStore countingStore() {
        return store;
    }

    @Override
    public DirectClient client() {
        return client;
    }

    @Override
    public DirectTransport transport() {
        return client.transport();
    }

    /** Holds commit-record writes while closed; counts them. */
    public static final class Gate extends ForwardingObjectStore {
        private volatile CountDownLatch open = new CountDownLatch(0);
        private final AtomicInteger commits = new AtomicInteger();
        private final AtomicInteger held = new AtomicInteger();

        Gate(ObjectStore delegate) {
            super(delegate);
        }

        /** Makes the next commit-record writes wait until {@link #release()}. */
        public void hold() {
            open = new CountDownLatch(1);
        }

        /** Lets held and later commit-record writes through. */
        public void release() {
            open.countDown();
        }

        /** Commit-record writes waiting at the gate now. */
        public int held() {
            return held.get();
        }

        /** Commit records created so far. */
        public int commits() {
            return commits.get();
        }

        @Override
        public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
            if (key.contains("/log/")) {
                held.incrementAndGet();
                try {
                    if (!open.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never opened the gate");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                } finally {
                    held.decrementAndGet();
                }
                CreateResult r = super.putIfAbsent(key, data, metadata);
                if (r.created()) {
                    commits.incrementAndGet();
                }
                return r;
            }
            return super.putIfAbsent(key, data, metadata);
        }
    }
}
