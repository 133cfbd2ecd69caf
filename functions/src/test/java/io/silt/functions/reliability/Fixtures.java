package io.silt.functions.reliability;

import io.silt.functions.reliability.HttpProbe.Request;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What the routes' sample values ({@link RestRoutes#SAMPLE_VALUES}) name: a topic with a record, a state object. */
final class Fixtures {
    private Fixtures() {}

    /** Creates them if missing, through the API (with {@code headers}, e.g. an admin key). */
    static void create(HttpProbe probe, Map<String, String> headers) {
        send(probe, "POST", "/v1/topics", headers, "{\"name\":\"orders\",\"partitions\":2}");
        send(probe, "POST", "/v1/topics/orders/records", headers, "{\"records\":[{\"value\":\"fixture\"}]}");
        send(probe, "PUT", "/v1/state/groups/billing/state-1", headers, "{}");
    }

    static void create(HttpProbe probe) {
        create(probe, Map.of());
    }

    private static void send(HttpProbe probe, String method, String path, Map<String, String> headers, String body) {
        java.util.Map<String, String> h = new java.util.HashMap<>(headers);
        h.put("Content-Type", "application/json");
        HttpProbe.Answer a = probe.send(new Request(method, path, h, body.getBytes(StandardCharsets.UTF_8)));
        if (a.status() >= 300 && a.status() != 409) {
            throw new AssertionError(method + " " + path + " for the fixtures answered " + a);
        }
    }
}
