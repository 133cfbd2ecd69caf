package io.silt.functions.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.Set;

/** Runs the service on {@link GatedRuntime} with a small in-flight limit. */
public class GatedProfile implements QuarkusTestProfile {
    /** The in-flight limit of this profile, in bytes. */
    static final int MAX_IN_FLIGHT_BYTES = 1000;

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(GatedRuntime.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("silt.max-in-flight-bytes", Integer.toString(MAX_IN_FLIGHT_BYTES));
    }
}
