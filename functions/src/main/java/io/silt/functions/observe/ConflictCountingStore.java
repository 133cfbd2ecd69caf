package io.silt.functions.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.silt.storage.CreateResult;
import io.silt.storage.ForwardingObjectStore;
import io.silt.storage.ObjectStore;
import java.util.Map;

/**
 * Counts lost create-only races: every {@code putIfAbsent} answered "already exists" (HTTP 412), as
 * {@code silt.store.create.conflicts} tagged with the key's first path segment ({@code area}: the partition logs'
 * area, {@code groups}, {@code queues}, ...). A lost race is how a commit conflict shows on the wire (DESIGN
 * rules 1 and 2): the loser re-reads and tries the next number. The log itself keeps no such count.
 */
public final class ConflictCountingStore extends ForwardingObjectStore {
    private final MeterRegistry registry;

    public ConflictCountingStore(ObjectStore delegate, MeterRegistry registry) {
        super(delegate);
        this.registry = registry;
    }

    @Override
    public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
        CreateResult r = delegate.putIfAbsent(key, data, metadata);
        if (r instanceof CreateResult.AlreadyExists) {
            int slash = key.indexOf('/');
            Counter.builder("silt.store.create.conflicts")
                    .description("create-only writes that lost their race (412): commit conflicts")
                    .tag("area", slash < 0 ? key : key.substring(0, slash))
                    .register(registry).increment();
        }
        return r;
    }
}
