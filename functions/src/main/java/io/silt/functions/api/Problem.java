package io.silt.functions.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An error as {@code application/problem+json} (RFC 9457). {@code type} is a stable URI per kind of error
 * ({@code urn:silt:problem:<kind>}); clients (the SDK's http transport) map it back to the SDK's exceptions.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {
    public static final String MEDIA_TYPE = "application/problem+json";
}
