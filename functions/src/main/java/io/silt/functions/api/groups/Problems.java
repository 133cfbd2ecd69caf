package io.silt.functions.api.groups;

import io.silt.functions.api.ProblemMapper;
import jakarta.ws.rs.WebApplicationException;

/**
 * Problems the SDK has no exception for (an unknown group, a group in use, an unknown member session), thrown as
 * {@link WebApplicationException}s carrying their problem, which {@link ProblemMapper} answers as they are.
 */
public final class Problems {
    private Problems() {}

    /** 404 {@code unknown-group}. */
    public static WebApplicationException unknownGroup(String group, String instance) {
        return of(404, "unknown-group", "Unknown group", "consumer group '" + group + "' does not exist", instance);
    }

    /** 404 {@code not-found}: no live member session with this id in this group on this service instance. */
    public static WebApplicationException unknownMember(String group, String member, String instance) {
        return of(404, "not-found", "Unknown member", "member '" + member + "' of group '" + group + "' is not a "
                + "live session of this service instance (it left, or its session timed out without a heartbeat); "
                + "join again", instance);
    }

    /** 409 {@code conflict}. */
    public static WebApplicationException conflict(String detail, String instance) {
        return of(409, "conflict", "Conflict", detail, instance);
    }

    /** 501 {@code not-implemented}. */
    public static WebApplicationException notImplemented(String detail, String instance) {
        return of(501, "not-implemented", "Not implemented", detail, instance);
    }

    private static WebApplicationException of(int status, String kind, String title, String detail,
                                              String instance) {
        return new WebApplicationException(detail, ProblemMapper.problem(status, kind, title, detail, instance));
    }
}
