package io.silt.functions;

import io.micrometer.core.instrument.MeterRegistry;
import io.silt.functions.observe.ConflictCountingStore;
import io.silt.storage.log.LogConfig;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
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

    /**
     * @param maxLostRaces commit races a committer may lose in a row before a batch fails retriably
     *     ({@code silt.commit.max-lost-races}: 1,000 for the long-lived service, 16 in Lambda where many short-lived
     *     instances may commit to one partition and an invocation must answer in time; DESIGN rule 3)
     * @param registry where lost create-only races are counted ({@code silt.store.create.conflicts}), or null
     */
    @Inject
    public SiltRuntime(@ConfigProperty(name = "silt.store") String target,
                       @ConfigProperty(name = "silt.commit.max-lost-races", defaultValue = "1000") int maxLostRaces,
                       MeterRegistry registry) {
        this.target = target;
        this.store = CountingObjectStore.wrap(RetryingObjectStore.wrap(ObjectStores.open(target)));
        ObjectStore committed = registry == null ? store : new ConflictCountingStore(store, registry);
        LogConfig config = LogConfig.DEFAULTS.withMaxLostRaces(maxLostRaces);
        this.client = new DirectClient(new DirectTransport(committed, config, Clock.systemUTC(), System::nanoTime,
                new SecureRandom().nextLong(), DirectTransport.Sleeper.REAL));
        LOG.infof("Silt on %s", target);
    }

    /** A runtime over {@code target} with the service's defaults and no conflict counting (tests). */
    public SiltRuntime(String target) {
        this(target, LogConfig.DEFAULTS.maxLostRaces(), null);
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
