package io.silt.functions;

import io.silt.client.Silt;
import io.silt.client.internal.DirectClient;
import io.silt.client.internal.DirectTransport;
import io.silt.storage.CountingObjectStore;
import io.silt.storage.ObjectStore;
import io.silt.storage.ObjectStores;
import io.silt.storage.RetryingObjectStore;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The one connection of this process to the bucket: the store (counted, for metrics), the transport every resource
 * and handler goes through (one committer per partition: DESIGN rule 3), and the client built on it.
 */
@ApplicationScoped
public class SiltRuntime {
    private static final Logger LOG = Logger.getLogger(SiltRuntime.class);

    private final String target;
    private final CountingObjectStore store;
    private final DirectClient client;

    public SiltRuntime(@ConfigProperty(name = "silt.store") String target) {
        this.target = target;
        this.store = CountingObjectStore.wrap(RetryingObjectStore.wrap(ObjectStores.open(target)));
        this.client = (DirectClient) Silt.builder(target).store(store).build();
        LOG.infof("Silt on %s", target);
    }

    public String target() {
        return target;
    }

    public ObjectStore store() {
        return store;
    }

    public CountingObjectStore countingStore() {
        return store;
    }

    public DirectClient client() {
        return client;
    }

    public DirectTransport transport() {
        return client.transport();
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
