package io.silt.functions.compaction;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.Set;

/**
 * The service with compaction on a {@link ManualCompactionClock}, the Lambda mock event server serving the
 * {@code compaction} handler, and the Lambda budget cap (10m), so a cold function has room to wait for a lease.
 */
public class CompactionProfile implements QuarkusTestProfile {
    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(ManualCompactionClock.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.lambda.handler", "compaction", "silt.compaction.budget", "10m");
    }
}
