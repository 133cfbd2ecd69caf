package io.silt.functions.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.silt.functions.SiltRuntime;
import io.silt.functions.reliability.HttpProbe.Request;
import io.silt.functions.reliability.RestRoutes.Route;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input against every route of the REST API ({@link RestRoutes}): malformed and mistyped JSON, empty and
 * missing bodies, wrong Content-Types, garbage binary batches, bodies over {@code silt.max-request-bytes} (declared,
 * sent, and streamed without a length), negative, huge and non-numeric query parameters, partitions and producer
 * headers. Every answer must come within {@link HttpProbe#DEADLINE} and never be a 5xx; every refusal is a 4xx
 * problem ({@code application/problem+json}, a {@code urn:silt:problem:} type) and writes nothing. Inputs that no
 * route may accept must be refused.
 */
@QuarkusTest
@TestProfile(FuzzProfile.class)
class HttpFuzzTest {
    private static final System.Logger LOG = System.getLogger(HttpFuzzTest.class.getName());
    private static final String JSON = "application/json";

    @TestHTTPResource("/")
    URL base;

    @Inject
    SiltRuntime silt;

    private HttpProbe probe;

    /** One kind of bad input: which routes it applies to, whether they must refuse it, and the request. */
    private record Case(String name, Predicate<Route> applies, Predicate<Route> mustRefuse,
                        Function<Route, Request> request) {}

    @BeforeEach
    void fixtures() {
        probe = new HttpProbe(base, silt.store());
        Fixtures.create(probe);
    }

    private static Request body(Route r, String contentType, byte[] body) {
        Map<String, String> h = new LinkedHashMap<>();
        if (contentType != null) {
            h.put("Content-Type", contentType);
        }
        return new Request(r.method(), r.path(), h, body);
    }

    private static Request json(Route r, String text) {
        return body(r, JSON, text.getBytes(StandardCharsets.UTF_8));
    }

    private static Request query(Route r, String value) {
        StringBuilder q = new StringBuilder();
        for (String p : r.queryParams()) {
            q.append(q.length() == 0 ? "?" : "&").append(p).append('=').append(Route.segment(value));
        }
        return new Request(r.method(), r.path() + q, Map.of(), null);
    }

    private static Request headers(Route r, String value) {
        Map<String, String> h = new LinkedHashMap<>();
        r.headerParams().stream().filter(n -> !n.equalsIgnoreCase("If-None-Match")).forEach(n -> h.put(n, value));
        h.put("Content-Type", JSON);
        return new Request(r.method(), r.path(), h, "{\"records\":[{\"value\":\"x\"}]}".getBytes(StandardCharsets.UTF_8));
    }

    private static boolean strictBody(Route r) {
        return r.takesBody() && !r.anyContentType();
    }

    private static List<Case> cases() {
        Random random = new Random(Long.getLong("silt.fuzz.seed", 20261124L));
        byte[] garbage = new byte[700];
        random.nextBytes(garbage);
        Predicate<Route> all = r -> true;
        Predicate<Route> none = r -> false;
        int max = FuzzProfile.MAX_REQUEST_BYTES;
        List<Case> cases = new ArrayList<>(List.of(
                new Case("malformed JSON", all, HttpFuzzTest::strictBody, r -> json(r, "{\"name\": \"orders\", \"reco")),
                new Case("JSON of wrong types", all, HttpFuzzTest::strictBody, r -> json(r, "{\"name\":5,\"partitions\":"
                        + "\"many\",\"records\":{\"a\":1},\"encoding\":7,\"offsets\":\"x\",\"receipts\":5,\"topics\":7,"
                        + "\"max\":\"x\",\"maxMessages\":[],\"visibilityTimeoutMs\":\"x\",\"to\":{},\"retention\":[]}")),
                new Case("a JSON array", all, HttpFuzzTest::strictBody, r -> json(r, "[1,2,3]")),
                new Case("JSON null", all, none, r -> json(r, "null")),
                new Case("JSON nested 100k deep", all, HttpFuzzTest::strictBody, r -> json(r, "[".repeat(100_000))),
                new Case("a 400-digit number", all, none, r -> json(r, "{\"partitions\":1" + "0".repeat(400)
                        + ",\"records\":[{\"value\":\"x\",\"partition\":9" + "9".repeat(400) + "}]}")),
                new Case("no fields", all, none, r -> json(r, "{}")),
                new Case("empty body", all, none, r -> json(r, "")),
                new Case("text/plain body", all, HttpFuzzTest::strictBody,
                        r -> body(r, "text/plain", "hello".getBytes(StandardCharsets.UTF_8))),
                new Case("XML body", all, HttpFuzzTest::strictBody,
                        r -> body(r, "application/xml", "<a/>".getBytes(StandardCharsets.UTF_8))),
                new Case("no Content-Type", all, none, r -> body(r, null, "{}".getBytes(StandardCharsets.UTF_8))),
                new Case("garbage batch", all, HttpFuzzTest::strictBody,
                        r -> body(r, "application/vnd.silt.batch", garbage)),
                new Case("body over the limit", all, r -> true, r -> json(r, "[" + " ".repeat(max) + "]")),
                new Case("declared length over the limit", all, r -> true,
                        r -> new Request(r.method(), r.path(), Map.of("Content-Type", JSON), new byte[] {'{'},
                                1_000_000_000_000L)),
                new Case("streamed body over the limit", r -> r.takesBody(), r -> r.takesBody(),
                        r -> new Request(r.method(), r.path(), Map.of("Content-Type", JSON, "Transfer-Encoding",
                                "chunked"), chunked(max + 1), -1L)),
                new Case("negative query values", r -> !r.queryParams().isEmpty(), none, r -> query(r, "-1")),
                new Case("huge query values", r -> !r.queryParams().isEmpty(), none,
                        r -> query(r, "99999999999999999999999")),
                new Case("non-numeric query values", r -> !r.queryParams().isEmpty(), none, r -> query(r, "abc")),
                new Case("hostile query values", r -> !r.queryParams().isEmpty(), none, r -> query(r, "../../x\u0000")),
                new Case("non-numeric headers", r -> !r.headerParams().isEmpty(), none, r -> headers(r, "abc")),
                new Case("negative headers", r -> !r.headerParams().isEmpty(), none, r -> headers(r, "-7")),
                new Case("huge headers", r -> !r.headerParams().isEmpty(), none, r -> headers(r, "9".repeat(40))),
                // (headers over 8 KiB in all are refused by the HTTP layer before any route: a bare 431)
                new Case("a 1000-character header", r -> !r.headerParams().isEmpty(), none,
                        r -> headers(r, "k".repeat(1000)))));
        for (String p : List.of("-1", "abc", "99999999999", "2147483648", "0x1", "1.5")) {
            cases.add(new Case("partition " + p, r -> r.pathParams().contains("partition"), r -> true,
                    r -> new Request(r.method(), r.path(Map.of("partition", p)), Map.of("Content-Type", JSON),
                            r.takesBody() ? "{\"records\":[{\"value\":\"x\"}]}".getBytes(StandardCharsets.UTF_8)
                                    : null)));
        }
        return cases;
    }

    /** {@code n} bytes of a JSON string in HTTP chunks, sent raw (the declared length -1 means: none). */
    private static byte[] chunked(int n) {
        StringBuilder b = new StringBuilder();
        int left = n;
        while (left > 0) {
            int c = Math.min(left, 8192);
            b.append(Integer.toHexString(c)).append("\r\n").append(" ".repeat(c)).append("\r\n");
            left -= c;
        }
        return b.append("0\r\n\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void everyRouteRefusesBadInputWithAProblemNeverA5xxAndWritesNothing() {
        List<Route> routes = RestRoutes.all();
        Map<Integer, Integer> statuses = new HashMap<>();
        int requests = 0;
        for (Route route : routes) {
            for (Case c : cases()) {
                if (!c.applies().test(route)) {
                    continue;
                }
                Request req = c.request().apply(route);
                String what = c.name() + " on " + route;
                Map<String, String> before = probe.objects();
                HttpProbe.Answer a = probe.send(req);
                requests++;
                statuses.merge(a.status(), 1, Integer::sum);
                if (!HttpProbe.notImplemented(a)) {
                    // a route not implemented yet answers so to everything; anything else 5xx is a bug
                    assertThat(a.status()).as("%s: %s answered %s", what, req, a).isLessThan(500);
                }
                if (c.mustRefuse().test(route) && a.status() != 501 || a.status() >= 400 && a.status() < 500) {
                    HttpProbe.assertProblem(what, req, a);
                    assertThat(probe.objects()).as("%s: refused, must write nothing", what).isEqualTo(before);
                }
            }
        }
        LOG.log(System.Logger.Level.INFO, "HTTP fuzz: {0} routes, {1} bad requests, answers by status {2}",
                routes.size(), requests, statuses);
        assertThat(routes).hasSizeGreaterThanOrEqualTo(25);
    }
}
