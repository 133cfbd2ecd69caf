package io.silt.functions.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/** Problem answers that the resources decide themselves (the rest come from exceptions via {@link ProblemMapper}). */
final class ApiErrors {
    private ApiErrors() {}

    /** An exception carrying a problem response; {@link ProblemMapper} passes it through unchanged. */
    static WebApplicationException problem(int status, String kind, String title, String detail) {
        return new WebApplicationException(ProblemMapper.problem(status, kind, title, detail, null));
    }

    static WebApplicationException invalid(String detail) {
        return problem(400, "invalid-request", "Invalid request", detail);
    }

    static WebApplicationException tooLarge(String detail) {
        return problem(413, "too-large", "Record or batch too large", detail);
    }

    /** A problem that asks the client to retry after {@code seconds}. */
    static WebApplicationException retryAfter(int status, String kind, String title, String detail, int seconds) {
        Response r = ProblemMapper.problem(status, kind, title, detail, null);
        return new WebApplicationException(Response.fromResponse(r).header("Retry-After", seconds).build());
    }
}
