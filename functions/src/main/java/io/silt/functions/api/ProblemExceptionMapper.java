package io.silt.functions.api;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Every exception a resource throws becomes a problem response ({@link ProblemMapper}). */
@Provider
public class ProblemExceptionMapper implements ExceptionMapper<Throwable> {
    @Context
    UriInfo uri;

    @Override
    public Response toResponse(Throwable t) {
        return ProblemMapper.toResponse(t, uri == null ? null : uri.getPath());
    }
}
