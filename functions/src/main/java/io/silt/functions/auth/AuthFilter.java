package io.silt.functions.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.silt.functions.api.ProblemMapper;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Checks API keys on every REST request ({@link ApiKeys}) against what its route needs ({@link AccessRules}):
 * 401 {@code unauthenticated} without a valid key, 403 {@code forbidden} when the key lacks the permission; both
 * as problem+json, before the resource runs, so nothing is written. Neither answers nor logs ever contain the
 * presented key; logs name the key by its configured name.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AuthFilter implements ContainerRequestFilter {
    private static final Logger LOG = Logger.getLogger(AuthFilter.class);
    private static final String BEARER = "bearer ";

    private final ApiKeys keys;
    private final ObjectMapper json;

    public AuthFilter(ApiKeys keys, ObjectMapper json) {
        this.keys = keys;
        this.json = json;
    }

    @Override
    public void filter(ContainerRequestContext ctx) throws IOException {
        if (!keys.required()) {
            return;
        }
        URI uri = ctx.getUriInfo().getRequestUri();
        String path = uri.getRawPath();
        AccessRules.Need need = AccessRules.of(ctx.getMethod(), path, prefixParameter(uri.getRawQuery()));
        if (need instanceof AccessRules.Need.Nothing) {
            return;
        }
        Optional<ApiKey> key = keys.authenticate(presented(ctx));
        if (key.isEmpty()) {
            LOG.debugf("401 %s %s: no valid API key", ctx.getMethod(), path);
            ctx.abortWith(Response.fromResponse(ProblemMapper.problem(401, "unauthenticated", "Unauthenticated",
                            "this service needs an API key: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'; "
                                    + "the key given, if any, is unknown or revoked", path))
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"silt\"").build());
            return;
        }
        ApiKey k = key.get();
        String refusal = null;
        if (need instanceof AccessRules.Need.Grant g) {
            refusal = k.allows(g.permission(), g.resource()) ? null
                    : g.permission().word() + " permission on " + g.resource();
        } else if (need instanceof AccessRules.Need.AnyGrant g) {
            refusal = k.allowsAny(g.topic()) ? null : "any permission on " + g.topic();
        } else if (need instanceof AccessRules.Need.AdminOnBodyTopic) {
            String topic = bodyTopic(ctx);
            if (topic == null) {
                refusal = k.topics().getOrDefault(Permission.ADMIN, NamePatterns.NONE).isEmpty()
                        ? "admin permission on any topic" : null;
            } else {
                refusal = k.allows(Permission.ADMIN, Resource.topic(topic)) ? null
                        : "admin permission on " + Resource.topic(topic);
            }
        }
        if (refusal != null) {
            LOG.debugf("403 %s %s: key '%s' lacks %s", ctx.getMethod(), path, k.name(), refusal);
            ctx.abortWith(ProblemMapper.problem(403, "forbidden", "Forbidden",
                    "key '" + k.name() + "' lacks " + refusal, path));
        }
    }

    /** The decoded {@code prefix} query parameter, read from the raw query (the route's own parsing is left alone). */
    private static String prefixParameter(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith("prefix=")) {
                return URLDecoder.decode(pair.substring("prefix=".length()), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The key the request presents: {@code Authorization: Bearer <key>} or {@code X-Api-Key: <key>}; null if none. */
    public static String presented(ContainerRequestContext ctx) {
        String auth = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return auth.substring(BEARER.length()).strip();
        }
        String apiKey = ctx.getHeaderString("X-Api-Key");
        return apiKey == null ? null : apiKey.strip();
    }

    /**
     * The {@code name} in a topic-creation body, read and put back for the resource; null if the body is not such
     * JSON (the resource then answers 400 itself: a key with no admin grant at all is refused regardless).
     */
    private String bodyTopic(ContainerRequestContext ctx) throws IOException {
        byte[] body = ctx.hasEntity() ? ctx.getEntityStream().readAllBytes() : new byte[0];
        ctx.setEntityStream(new ByteArrayInputStream(body));
        try {
            JsonNode name = json.readTree(body).path("name");
            return name.isTextual() ? name.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
