package io.silt.functions.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a request whose declared {@code Content-Length} is over {@code silt.max-request-bytes} before its body is
 * read, with a 413 problem (not the HTTP layer's bare 413). A body sent without a length (chunked) is measured by
 * the resource once read; {@code quarkus.http.limits.max-body-size} is the HTTP layer's backstop above both.
 */
@ApplicationScoped
public class RequestSizeFilter {
    /** Runs before the REST layer reads the body. */
    private static final int PRIORITY = 500;

    void register(@Observes Filters filters, ApiLimits limits, ObjectMapper json) {
        filters.register(rc -> check(rc, limits.maxRequestBytes(), json), PRIORITY);
    }

    private static void check(RoutingContext rc, long max, ObjectMapper json) {
        String length = rc.request().getHeader("Content-Length");
        long declared;
        try {
            declared = length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            declared = -1;
        }
        if (declared <= max) {
            rc.next();
            return;
        }
        Problem p = new Problem("urn:silt:problem:too-large", "Request body too large", 413,
                "the request body is " + declared + " bytes; the limit (silt.max-request-bytes) is " + max
                        + "; send smaller batches", rc.request().path());
        String body;
        try {
            body = json.writeValueAsString(p);
        } catch (JsonProcessingException e) {
            body = "{\"type\":\"urn:silt:problem:too-large\",\"status\":413}";
        }
        rc.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close").end(body);
    }
}
