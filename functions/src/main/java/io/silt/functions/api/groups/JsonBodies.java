package io.silt.functions.api.groups;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.silt.client.InvalidRequestException;

/**
 * Reads JSON request bodies into records, turning every malformed body into {@link InvalidRequestException} (a 400
 * {@code invalid-request} problem that says what was wrong) rather than the framework's bare answer. Unknown fields
 * are refused, so a misspelt field is reported rather than silently ignored.
 */
public final class JsonBodies {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private JsonBodies() {}

    /**
     * The body as {@code type}; an empty body reads as {@code empty}.
     *
     * @throws InvalidRequestException if the body is not JSON of that shape
     */
    public static <T> T read(String body, Class<T> type, T empty) {
        if (body == null || body.isBlank()) {
            if (empty == null) {
                throw new InvalidRequestException("this request needs a JSON body");
            }
            return empty;
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw new InvalidRequestException("the body must be a JSON object, not null");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("malformed JSON body: " + e.getOriginalMessage());
        }
    }
}
