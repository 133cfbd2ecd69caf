package io.silt.functions.reliability;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Small limits, so that oversize bodies are cheap to send and long polls end quickly. */
public class FuzzProfile implements QuarkusTestProfile {
    static final int MAX_REQUEST_BYTES = 65_536;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("silt.max-request-bytes", Integer.toString(MAX_REQUEST_BYTES), "silt.max-wait-ms", "200");
    }
}
