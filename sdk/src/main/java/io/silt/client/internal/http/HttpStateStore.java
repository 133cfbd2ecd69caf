package io.silt.client.internal.http;

import io.silt.storage.ByteRange;
import io.silt.storage.ConditionalGet;
import io.silt.storage.CreateResult;
import io.silt.storage.InvalidKeyException;
import io.silt.storage.InvalidRangeException;
import io.silt.storage.ListPage;
import io.silt.storage.ObjectData;
import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectKeys;
import io.silt.storage.ObjectStore;
import io.silt.storage.ObjectStoreException;
import io.silt.storage.StoreAccessDeniedException;
import io.silt.storage.StoreUnavailableException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The service's coordination-state routes ({@code /v1/state/{key}}, RFC 0009) as an {@link ObjectStore}, so the
 * SDK over http runs the same consumer-group and queue protocols as on a bucket. The service passes every request
 * through to its bucket: a create-only PUT ({@code If-None-Match: *}) answers 201 or 412 as the bucket decided, and
 * 504 when the bucket's answer was lost (then, as any connection failure of a create-only PUT, the result is
 * {@link CreateResult.Unknown}: read the key back). Keys are limited by the service to {@code groups/} and
 * {@code queues/}.
 *
 * <p>On the wire: {@code ETag}; {@code Silt-Size} (the whole object's size), {@code Silt-Offset} (where a ranged
 * read starts), {@code Silt-Last-Modified} (ISO-8601, the store's precision) and one {@code Silt-Meta-<name>}
 * header per metadata entry, its value percent-encoded. Listing answers
 * {@code {"objects":[{"key","size","etag","lastModified"}],"truncated":bool}}.
 */
public final class HttpStateStore implements ObjectStore {
    /** The prefix of metadata headers, lower case. */
    public static final String META_PREFIX = "silt-meta-";

    private final ServiceCalls calls;
    private final boolean ownsCalls;

    HttpStateStore(ServiceCalls calls) {
        this.calls = calls;
        this.ownsCalls = false;
    }

    /**
     * A store over the state routes of the service at {@code baseUrl}, with its own connections.
     *
     * @param apiKey the service's API key, or {@code null} if it needs none
     */
    public HttpStateStore(String baseUrl, String apiKey) {
        this.calls = new ServiceCalls(baseUrl, apiKey);
        this.ownsCalls = true;
    }

    @Override
    public Optional<ObjectData> get(String key) {
        HttpResponse<byte[]> r = send(request(key).GET().build());
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(data(key, check(r)));
    }

    @Override
    public Optional<ObjectData> get(String key, ByteRange range) {
        HttpResponse<byte[]> r = send(request(key).header("Range", range.toHttpHeader()).GET().build());
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        if (r.statusCode() == 416) {
            throw new InvalidRangeException(key, range, longHeader(r.headers(), "Silt-Size"));
        }
        return Optional.of(data(key, check(r)));
    }

    @Override
    public ConditionalGet getIfChanged(String key, String etag) {
        HttpResponse<byte[]> r = send(request(key).header("If-None-Match", etag).GET().build());
        return switch (r.statusCode()) {
            case 404 -> ConditionalGet.NOT_FOUND;
            case 304 -> ConditionalGet.NOT_MODIFIED;
            default -> new ConditionalGet.Modified(data(key, check(r)));
        };
    }

    @Override
    public Optional<ObjectInfo> head(String key) {
        HttpResponse<byte[]> r = send(request(key).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(info(key, check(r).headers()));
    }

    @Override
    public ObjectInfo put(String key, byte[] data, Map<String, String> metadata) {
        ObjectKeys.validateMetadata(metadata);
        HttpResponse<byte[]> r = send(withMetadata(request(key), metadata)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build());
        return info(key, check(r).headers(), metadata);
    }

    @Override
    public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
        ObjectKeys.validateMetadata(metadata);
        HttpRequest req = withMetadata(request(key), metadata).header("If-None-Match", "*")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build();
        HttpResponse<byte[]> r;
        try {
            r = calls.send(req);
        } catch (ServiceCalls.Unanswered e) {
            // The request may have reached the bucket: nobody can say whether it won.
            return new CreateResult.Unknown(new StoreUnavailableException(e.timedOut()
                    ? StoreUnavailableException.Reason.TIMEOUT : StoreUnavailableException.Reason.IO,
                    "create-only PUT of '" + key + "': " + e.getMessage(), e));
        }
        return switch (r.statusCode()) {
            case 412 -> CreateResult.ALREADY_EXISTS;
            case 504 -> new CreateResult.Unknown(new StoreUnavailableException(StoreUnavailableException.Reason.IO,
                    "create-only PUT of '" + key + "': " + ServiceCalls.problem(r).describe()));
            case 502, 500 -> new CreateResult.Unknown(new StoreUnavailableException(
                    StoreUnavailableException.Reason.SERVER_ERROR, "create-only PUT of '" + key + "': "
                    + ServiceCalls.problem(r).describe()));
            default -> new CreateResult.Created(info(key, check(r).headers(), metadata));
        };
    }

    @Override
    public ListPage list(String prefix, String startAfter, int maxKeys) {
        if (maxKeys < 1 || maxKeys > ListPage.MAX_KEYS) {
            throw new IllegalArgumentException("maxKeys must be 1.." + ListPage.MAX_KEYS + ", was " + maxKeys);
        }
        ObjectKeys.validatePrefix(prefix);
        StringBuilder path = new StringBuilder("/v1/state?prefix=").append(ServiceCalls.encodeQuery(prefix))
                .append("&maxKeys=").append(maxKeys);
        if (startAfter != null) {
            path.append("&startAfter=").append(ServiceCalls.encodeQuery(startAfter));
        }
        Map<String, Object> body = ServiceCalls.body(check(send(calls.request(path.toString()).GET().build())));
        List<ObjectInfo> objects = new ArrayList<>();
        if (body.get("objects") instanceof List<?> list) {
            for (Object o : list) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) o;
                objects.add(new ObjectInfo(String.valueOf(m.get("key")), ServiceCalls.number(m, "size"),
                        String.valueOf(m.get("etag")), instant(String.valueOf(m.get("lastModified"))), Map.of()));
            }
        }
        return new ListPage(objects, Boolean.TRUE.equals(body.get("truncated")));
    }

    @Override
    public void delete(String key) {
        HttpResponse<byte[]> r = send(request(key).DELETE().build());
        if (r.statusCode() != 404) {
            check(r);
        }
    }

    @Override
    public String describe() {
        return calls.base() + "/v1/state";
    }

    @Override
    public void close() {
        if (ownsCalls) {
            calls.close();
        }
    }

    /** A metadata value as its header carries it (percent-encoded, so spaces at either end survive). */
    public static String metadataHeaderValue(String value) {
        return ServiceCalls.encodeQuery(value);
    }

    /** The metadata value a header carries. */
    public static String metadataValue(String headerValue) {
        return ServiceCalls.decode(headerValue);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private HttpRequest.Builder request(String key) {
        ObjectKeys.validate(key);
        return calls.request("/v1/state/" + ServiceCalls.encodePath(key));
    }

    private static HttpRequest.Builder withMetadata(HttpRequest.Builder b, Map<String, String> metadata) {
        metadata.forEach((k, v) -> b.header("Silt-Meta-" + k, metadataHeaderValue(v)));
        return b.header("Content-Type", "application/octet-stream");
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return calls.send(request);
        } catch (ServiceCalls.Unanswered e) {
            throw new StoreUnavailableException(e.timedOut() ? StoreUnavailableException.Reason.TIMEOUT
                    : StoreUnavailableException.Reason.IO, e.getMessage(), e);
        }
    }

    /** A 2xx answer, or the storage exception for the failure. */
    private static HttpResponse<byte[]> check(HttpResponse<byte[]> r) {
        int s = r.statusCode();
        if (s / 100 == 2) {
            return r;
        }
        ServiceCalls.Problem p = ServiceCalls.problem(r);
        String m = "the Silt service's state route answered " + s + ": " + p.describe();
        if (s == 400) {
            throw new InvalidKeyException(m);
        }
        if (s == 401 || s == 403) {
            throw new StoreAccessDeniedException(m);
        }
        if (s == 429 || s == 503) {
            throw new StoreUnavailableException(StoreUnavailableException.Reason.THROTTLED, m);
        }
        if (s >= 500) {
            throw new StoreUnavailableException(StoreUnavailableException.Reason.SERVER_ERROR, m);
        }
        throw new ObjectStoreException(m);
    }

    private static ObjectData data(String key, HttpResponse<byte[]> r) {
        ObjectInfo info = info(key, r.headers());
        long offset = r.headers().firstValue("Silt-Offset").map(Long::parseLong).orElse(0L);
        return new ObjectData(info, offset, r.body());
    }

    private static ObjectInfo info(String key, HttpHeaders h) {
        Map<String, String> metadata = new LinkedHashMap<>();
        h.map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith(META_PREFIX) && !values.isEmpty()) {
                metadata.put(lower.substring(META_PREFIX.length()), metadataValue(values.get(0)));
            }
        });
        return info(key, h, metadata);
    }

    private static ObjectInfo info(String key, HttpHeaders h, Map<String, String> metadata) {
        String etag = h.firstValue("ETag").orElseThrow(() -> new ObjectStoreException("the service's answer for '"
                + key + "' has no ETag"));
        return new ObjectInfo(key, longHeader(h, "Silt-Size"), etag,
                instant(h.firstValue("Silt-Last-Modified").orElse("")), metadata);
    }

    private static long longHeader(HttpHeaders h, String name) {
        String v = h.firstValue(name).orElseThrow(() -> new ObjectStoreException("the service's answer has no "
                + name + " header"));
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new ObjectStoreException("the service's " + name + " header is not a number: " + v, e);
        }
    }

    private static Instant instant(String iso) {
        try {
            return Instant.parse(iso);
        } catch (DateTimeParseException e) {
            throw new ObjectStoreException("the service sent a malformed time '" + iso + "'", e);
        }
    }
}
