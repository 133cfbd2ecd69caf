package io.silt.functions.api.state;

import io.silt.client.internal.http.HttpStateStore;
import io.silt.functions.SiltRuntime;
import io.silt.functions.api.ApiLimits;
import io.silt.functions.api.ProblemMapper;
import io.silt.storage.ByteRange;
import io.silt.storage.ConditionalGet;
import io.silt.storage.CreateResult;
import io.silt.storage.InvalidRangeException;
import io.silt.storage.ListPage;
import io.silt.storage.ObjectData;
import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectKeys;
import io.silt.storage.ObjectStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The coordination-state routes (RFC 0009): the SDK over http runs the direct SDK's consumer-group and queue
 * protocols (DESIGN rule 9) on {@code /v1/state/{key}}, read and written through here to the bucket. Only keys under
 * {@code groups/} and {@code queues/} are served (403 otherwise), checked by the store's key rules (400 otherwise).
 * The service never decides order: a create-only PUT ({@code If-None-Match: *}) is the bucket's own create-only
 * write, answered 201 if it created the object, 412 if one was there, and 504 {@code outcome-unknown} if the
 * bucket's answer was lost and could not be settled by reading back, so the client reads back itself.
 *
 * <p>Headers: {@code ETag}, {@code Silt-Size} (the whole object's size), {@code Silt-Offset} (where a ranged read
 * starts), {@code Silt-Last-Modified} (ISO-8601, the store's precision: liveness checks compare these), and one
 * {@code Silt-Meta-<name>} per metadata entry, percent-encoded ({@link HttpStateStore#metadataHeaderValue}).
 */
@Path("/v1/state")
public class StateResource {
    /** The key prefixes the SDK's group and queue protocols use. */
    static final List<String> PREFIXES = List.of("groups/", "queues/");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    @Inject
    SiltRuntime runtime;

    @Inject
    ApiLimits limits;

    @Context
    UriInfo uri;

    @GET
    @Path("{key: .+}")
    @Produces(MediaType.WILDCARD)
    public Response get(@PathParam("key") String key, @HeaderParam("If-None-Match") String ifNoneMatch,
                        @HeaderParam("Range") String range) {
        Response refused = refuse(key);
        if (refused != null) {
            return refused;
        }
        ObjectStore store = runtime.store();
        if (ifNoneMatch != null && range == null) {
            ConditionalGet g = store.getIfChanged(key, ifNoneMatch);
            if (g instanceof ConditionalGet.NotFound) {
                return notFound(key);
            }
            if (g instanceof ConditionalGet.NotModified) {
                return Response.notModified().header("ETag", ifNoneMatch).build();
            }
            return data(((ConditionalGet.Modified) g).data());
        }
        Optional<ObjectData> d;
        if (range == null) {
            d = store.get(key);
        } else {
            ByteRange r = parseRange(range);
            if (r == null) {
                return ProblemMapper.problem(400, "invalid-request", "Invalid request", "malformed Range '" + range
                        + "'; use bytes=first-last, bytes=first- or bytes=-suffix", instance());
            }
            try {
                d = store.get(key, r);
            } catch (InvalidRangeException e) {
                long size = store.head(key).map(ObjectInfo::size).orElse(0L);
                return Response.fromResponse(ProblemMapper.problem(416, "range-not-satisfiable",
                        "Range not satisfiable", e.getMessage(), instance())).header("Silt-Size", size).build();
            }
        }
        return d.map(this::data).orElseGet(() -> notFound(key));
    }

    @HEAD
    @Path("{key: .+}")
    public Response head(@PathParam("key") String key) {
        Response refused = refuse(key);
        if (refused != null) {
            return refused;
        }
        return runtime.store().head(key).map(i -> headers(Response.ok(), i).build())
                .orElseGet(() -> Response.status(404).build());
    }

    @PUT
    @Path("{key: .+}")
    @Consumes(MediaType.WILDCARD)
    public Response put(@PathParam("key") String key, @HeaderParam("If-None-Match") String ifNoneMatch,
                        @Context HttpHeaders headers, byte[] body) {
        Response refused = refuse(key);
        if (refused != null) {
            return refused;
        }
        byte[] data = body == null ? new byte[0] : body;
        if (data.length > limits.maxRequestBytes()) { // sent without a length, so not refused before it was read
            return ProblemMapper.problem(413, "too-large", "Request body too large", "the request body is "
                    + data.length + " bytes; the limit (silt.max-request-bytes) is " + limits.maxRequestBytes(),
                    instance());
        }
        Map<String, String> metadata = metadata(headers);
        if (ifNoneMatch == null) {
            return headers(Response.ok(), runtime.store().put(key, data, metadata)).build();
        }
        if (!ifNoneMatch.trim().equals("*")) {
            return ProblemMapper.problem(400, "invalid-request", "Invalid request", "a PUT takes If-None-Match: * "
                    + "(create-only) or no condition", instance());
        }
        CreateResult r = runtime.store().putIfAbsent(key, data, metadata);
        if (r instanceof CreateResult.Created c) {
            return headers(Response.status(201), c.info()).build();
        }
        if (r instanceof CreateResult.AlreadyExists) {
            return ProblemMapper.problem(412, "exists", "Precondition failed", "an object exists under '" + key
                    + "'", instance());
        }
        return ProblemMapper.problem(504, "outcome-unknown", "Outcome unknown", "whether '" + key + "' was created "
                + "is unknown (" + ((CreateResult.Unknown) r).cause().getMessage() + "); read it back and compare "
                + "its bytes", instance());
    }

    @DELETE
    @Path("{key: .+}")
    public Response delete(@PathParam("key") String key) {
        Response refused = refuse(key);
        if (refused != null) {
            return refused;
        }
        runtime.store().delete(key);
        return Response.noContent().build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("prefix") String prefix, @QueryParam("startAfter") String startAfter,
                         @QueryParam("maxKeys") Integer maxKeys) {
        String p = prefix == null ? "" : prefix;
        if (PREFIXES.stream().noneMatch(p::startsWith)) {
            return forbidden("list prefix '" + p + "'");
        }
        ObjectKeys.validatePrefix(p);
        int max = maxKeys == null ? ListPage.MAX_KEYS : maxKeys;
        if (max < 1 || max > ListPage.MAX_KEYS) {
            return ProblemMapper.problem(400, "invalid-request", "Invalid request", "maxKeys must be 1.."
                    + ListPage.MAX_KEYS + ", was " + max, instance());
        }
        ListPage page = runtime.store().list(p, startAfter, max);
        List<Map<String, Object>> objects = new ArrayList<>();
        for (ObjectInfo o : page.objects()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", o.key());
            m.put("size", o.size());
            m.put("etag", o.etag());
            m.put("lastModified", o.lastModified().toString());
            objects.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("objects", objects);
        out.put("truncated", page.truncated());
        return Response.ok(out).build();
    }

    /** Null if the key may be served; otherwise the refusal. Invalid keys throw (400 through the mapper). */
    private Response refuse(String key) {
        ObjectKeys.validate(key);
        return PREFIXES.stream().anyMatch(key::startsWith) ? null : forbidden("key '" + key + "'");
    }

    private Response forbidden(String what) {
        return ProblemMapper.problem(403, "forbidden", "Forbidden", what + " is outside the coordination state; "
                + "only keys under " + String.join(" and ", PREFIXES) + " are served here", instance());
    }

    private Response notFound(String key) {
        return ProblemMapper.problem(404, "not-found", "Not found", "no object under '" + key + "'", instance());
    }

    private Response data(ObjectData d) {
        return headers(Response.ok(d.bytes(), MediaType.APPLICATION_OCTET_STREAM_TYPE), d.info())
                .header("Silt-Offset", d.offset()).build();
    }

    private static Response.ResponseBuilder headers(Response.ResponseBuilder b, ObjectInfo i) {
        b.header("ETag", i.etag()).header("Silt-Size", i.size())
                .header("Silt-Last-Modified", i.lastModified().toString());
        i.metadata().forEach((k, v) -> b.header("Silt-Meta-" + k, HttpStateStore.metadataHeaderValue(v)));
        return b;
    }

    private static Map<String, String> metadata(HttpHeaders headers) {
        Map<String, String> out = new LinkedHashMap<>();
        headers.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith(HttpStateStore.META_PREFIX) && !values.isEmpty()) {
                out.put(lower.substring(HttpStateStore.META_PREFIX.length()),
                        HttpStateStore.metadataValue(values.get(0)));
            }
        });
        return ObjectKeys.validateMetadata(out);
    }

    /** {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n}; null if malformed. */
    static ByteRange parseRange(String header) {
        Matcher m = RANGE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        try {
            if (m.group(1).isEmpty()) {
                return ByteRange.suffix(Long.parseLong(m.group(2)));
            }
            long first = Long.parseLong(m.group(1));
            if (m.group(2).isEmpty()) {
                return ByteRange.from(first);
            }
            long last = Long.parseLong(m.group(2));
            return last < first ? null : ByteRange.of(first, last - first + 1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private String instance() {
        return uri == null ? null : uri.getPath();
    }
}
