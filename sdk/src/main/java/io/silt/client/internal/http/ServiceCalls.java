package io.silt.client.internal.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests to one Silt service: the base URL, one {@link HttpClient} (HTTP/1.1, daemon threads) shared by the
 * transport and the state store, and the decoding of problem answers (RFC 9457).
 */
final class ServiceCalls implements AutoCloseable {
    /** How long a request may take on top of any long-poll wait it asks the service for. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final String JSON = "application/json";

    /** A problem answer: {@code kind} is the end of its {@code urn:silt:problem:} type. */
    record Problem(int status, String kind, String detail) {
        String describe() {
            return detail == null || detail.isBlank() ? "HTTP " + status + " " + kind : detail;
        }
    }

    /** The request did not get an answer: the connection failed or timed out. */
    static final class Unanswered extends Exception {
        private static final long serialVersionUID = 1L;

        Unanswered(String message, Throwable cause) {
            super(message, cause);
        }

        boolean timedOut() {
            return getCause() instanceof HttpTimeoutException;
        }
    }

    private final String base;
    private final String apiKey;
    private final ExecutorService executor;
    private final HttpClient http;

    /** @param apiKey sent as {@code Authorization: Bearer <key>} on every request; {@code null} for none */
    ServiceCalls(String baseUrl, String apiKey) {
        URI u = URI.create(baseUrl);
        if (u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
            throw new IllegalArgumentException("'" + baseUrl + "' is not an http:// or https:// URL with a host");
        }
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "silt-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = Executors.newCachedThreadPool(tf);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).executor(executor).build();
    }

    String base() {
        return base;
    }

    /** A request to {@code path} (starting with {@code /v1/}, already encoded), timing out after {@code timeout}. */
    HttpRequest.Builder request(String path, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return b;
    }

    HttpRequest.Builder request(String path) {
        return request(path, REQUEST_TIMEOUT);
    }

    static HttpRequest.BodyPublisher json(Object body) {
        return HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8);
    }

    /** Sends and waits for the answer, whatever its status. */
    HttpResponse<byte[]> send(HttpRequest request) throws Unanswered {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new Unanswered(request.method() + " " + request.uri() + " got no answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unanswered("interrupted while waiting for " + request.method() + " " + request.uri(), e);
        }
    }

    /** Sends without waiting; the future fails with {@link Unanswered} if there is no answer. */
    CompletableFuture<HttpResponse<byte[]>> sendAsync(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).exceptionallyCompose(e -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            return CompletableFuture.failedFuture(new Unanswered(request.method() + " " + request.uri()
                    + " got no answer: " + cause, cause));
        });
    }

    /** The answer's body as a JSON object. */
    static Map<String, Object> body(HttpResponse<byte[]> response) {
        return Json.parseObject(new String(response.body(), StandardCharsets.UTF_8));
    }

    /** What a failed answer says: its problem document if it has one, else just the status. */
    static Problem problem(HttpResponse<byte[]> response) {
        String kind = "http-" + response.statusCode();
        String detail = null;
        Optional<String> type = response.headers().firstValue("Content-Type");
        if (type.isPresent() && type.get().contains("json") && response.body().length > 0) {
            try {
                Map<String, Object> p = body(response);
                if (p.get("type") instanceof String t && t.startsWith("urn:silt:problem:")) {
                    kind = t.substring("urn:silt:problem:".length());
                }
                detail = p.get("detail") instanceof String d ? d : p.get("title") instanceof String t ? t : null;
            } catch (IllegalArgumentException notJson) {
                detail = null;
            }
        }
        return new Problem(response.statusCode(), kind, detail);
    }

    /** A required number of a JSON object. */
    static long number(Map<String, Object> o, String name) {
        if (o.get(name) instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalArgumentException("the service's answer has no number '" + name + "': " + Json.write(o));
    }

    /** An optional number of a JSON object: empty if missing or null. */
    static Optional<Long> optionalNumber(Map<String, Object> o, String name) {
        return o.get(name) instanceof Number n ? Optional.of(n.longValue()) : Optional.empty();
    }

    /**
     * Percent-encodes a path: every byte of the UTF-8 form except RFC 3986's unreserved characters and {@code /}
     * (so keys keep their segments, and {@code +}, {@code ;}, {@code %} and friends arrive as they are).
     */
    static String encodePath(String s) {
        return encode(s, true);
    }

    /** Percent-encodes a query parameter value. */
    static String encodeQuery(String s) {
        return encode(s, false);
    }

    /** Undoes {@link #encodeQuery}: {@code %XX} sequences become their bytes; {@code +} stays a plus. */
    static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String encode(String s, boolean keepSlash) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~' || (keepSlash && c == '/')) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
