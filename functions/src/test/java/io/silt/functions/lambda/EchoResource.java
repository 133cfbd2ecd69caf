package io.silt.functions.lambda;

import io.silt.functions.api.ProblemMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** A test-only route that tells what it received, to check the http handler's round trip. */
@Path("/test/echo")
public class EchoResource {
    @Context
    UriInfo uri;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response echo(@QueryParam("status") Integer status, @QueryParam("binary") boolean binary,
                         @Context HttpHeaders headers, byte[] body) {
        if (status != null) {
            return ProblemMapper.problem(status, "conflict", "Conflict", "asked for " + status, uri.getPath());
        }
        if (binary) {
            return Response.ok(body, "application/octet-stream").header("X-Echo", "binary").build();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("query", uri.getQueryParameters());
        out.put("test", headers.getHeaderString("X-Test"));
        out.put("cookie", headers.getHeaderString("Cookie"));
        out.put("body", Base64.getEncoder().encodeToString(body));
        return Response.ok(out, MediaType.APPLICATION_JSON).cookie(new jakarta.ws.rs.core.NewCookie.Builder("seen")
                .value("yes").build()).build();
    }
}
