package io.silt.functions.lambda;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Runs the application with the {@code http} handler behind the mock event server. */
public class HttpHandlerProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.lambda.handler", "http");
    }
}
