package io.silt.functions.compaction;

import io.silt.functions.api.ProblemMapper;
import io.silt.functions.auth.ApiKey;
import io.silt.functions.auth.AuthFilter;
import io.silt.functions.auth.ApiKeys;
import io.silt.functions.auth.NamePatterns;
import io.silt.functions.auth.Permission;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;

/**
 * {@code POST /v1/compaction} rewrites and deletes objects of every topic, so it needs admin permission on every
 * topic (a key granted {@code admin=*}). Runs after {@link io.silt.functions.auth.AuthFilter}, which has already
 * answered 401 to a request without a valid key; this adds the 403 for keys without that grant. Does nothing while
 * auth is off.
 */
@Provider
@Priority(Priorities.AUTHORIZATION)
public class CompactionAdminFilter implements ContainerRequestFilter {

    private final ApiKeys keys;

    public CompactionAdminFilter(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public void filter(ContainerRequestContext ctx) {
        if (!keys.required() || !ctx.getMethod().equals("POST")
                || !ctx.getUriInfo().getRequestUri().getRawPath().replaceFirst("/+$", "").equals("/v1/compaction")) {
            return;
        }
        Optional<ApiKey> key = keys.authenticate(AuthFilter.presented(ctx));
        if (key.isPresent() && !mayCompact(key.get())) {
            ctx.abortWith(ProblemMapper.problem(403, "forbidden", "Forbidden", "key '" + key.get().name()
                    + "' lacks admin permission on every topic (admin=*), which running compaction needs",
                    "/v1/compaction"));
        }
    }

    /** Whether the key may run compaction: admin on every topic. */
    static boolean mayCompact(ApiKey key) {
        return key.topics().getOrDefault(Permission.ADMIN, NamePatterns.NONE).patterns().contains("*");
    }
}
