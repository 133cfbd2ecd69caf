package io.silt.functions.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Sends one request to the service under test, with a deadline (a hang fails), and checks what a refusal must be:
 * a 4xx {@code application/problem+json} with a {@code urn:silt:problem:} type, that left the store as it was.
 */
final class HttpProbe {
    static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A request; {@code declaredLength} (if not null) is sent raw as Content-Length whatever the body's size (if
     * negative, none is sent: the body is then already in chunks).
     */
    record Request(String method, String pathAndQuery, Map<String, String> headers, byte[] body, Long declaredLength) {
        Request(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
            this(method, pathAndQuery, headers, body, null);
        }

        @Override
        public String toString() {
            return method + " " + pathAndQuery + " " + headers.keySet() + " body " + (body == null ? "none"
                    : body.length + " bytes") + (declaredLength == null ? "" : ", declared " + declaredLength);
        }
    }

    /** An answer: status, headers (lower-case names) and body. */
    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), "");
        }
    }

    private final URL base;
    private final ObjectStore store;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    HttpProbe(URL base, ObjectStore store) {
        this.base = base;
        this.store = store;
    }

    /** Every object in the store, with its ETag. */
    Map<String, String> objects() {
        return store.listAll("").stream().collect(Collectors.toMap(ObjectInfo::key, ObjectInfo::etag, (a, b) -> a,
                TreeMap::new));
    }

    Answer send(Request r) {
        try {
            return r.declaredLength() == null ? viaClient(r) : viaSocket(r);
        } catch (IOException e) {
            throw new AssertionError(r + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(r + ": interrupted", e);
        }
    }

    /**
     * Sends a request that must be refused and checks the refusal: a 4xx problem (status in {@code allowed} if
     * given), nothing written.
     */
    Answer refused(String what, Request r, Integer... allowed) {
        Map<String, String> before = objects();
        Answer a = send(r);
        assertProblem(what, r, a);
        if (allowed.length > 0) {
            assertThat(a.status()).as("%s: %s answered %s", what, r, a).isIn((Object[]) allowed);
        }
        assertThat(objects()).as("%s: %s (answered %d) must write nothing", what, r, a.status()).isEqualTo(before);
        return a;
    }

    /** A route that is not implemented yet answers every request with a 501 not-implemented problem. */
    static boolean notImplemented(Answer a) {
        return a.status() == 501 && a.body().contains("urn:silt:problem:not-implemented");
    }

    /** A 4xx problem+json whose type is a {@code urn:silt:problem:} and whose status matches. */
    static void assertProblem(String what, Request r, Answer a) {
        assertThat(a.status()).as("%s: %s answered %s", what, r, a).isBetween(400, 499);
        if (r.method().equals("HEAD")) {
            return;
        }
        assertThat(a.header("content-type")).as("%s: %s answered %s", what, r, a)
                .startsWith("application/problem+json");
        JsonNode p;
        try {
            p = JSON.readTree(a.body());
        } catch (IOException e) {
            throw new AssertionError(what + ": " + r + " answered a problem that is not JSON: " + a, e);
        }
        assertThat(p.path("type").asText()).as("%s: %s answered %s", what, r, a).startsWith("urn:silt:problem:");
        assertThat(p.path("status").asInt()).as("%s: status field of %s", what, a).isEqualTo(a.status());
    }

    private Answer viaClient(Request r) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "")
                + r.pathAndQuery())).timeout(DEADLINE)
                .method(r.method(), r.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(r.body()));
        r.headers().forEach(b::header);
        HttpResponse<String> resp;
        try {
            resp = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
                throw e;
            }
            // the pooled connection was one the server had closed after its previous answer (a bare 414/431
            // closes it): this request never reached the server, so send it once more on a new connection
            resp = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        resp.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
        return new Answer(resp.statusCode(), headers, resp.body());
    }

    /** Raw HTTP/1.1, for a Content-Length that does not match the body (no client library sends one). */
    private Answer viaSocket(Request r) throws IOException {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout((int) DEADLINE.toMillis());
            StringBuilder head = new StringBuilder(r.method() + " " + r.pathAndQuery() + " HTTP/1.1\r\n")
                    .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n")
                    .append("Connection: close\r\n");
            if (r.declaredLength() >= 0) {
                head.append("Content-Length: ").append(r.declaredLength()).append("\r\n");
            }
            r.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            OutputStream out = s.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            if (r.body() != null) {
                out.write(r.body());
            }
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            String text = "";
            while ((n = in.read(buf)) > 0) {
                all.write(buf, 0, n);
                text = all.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end > 0 && text.length() >= end + 4 + contentLength(text.substring(0, end))) {
                    break; // the whole answer: do not wait for the server to close
                }
            }
            int end = text.indexOf("\r\n\r\n");
            assertThat(end).as("%s: an HTTP answer, got %s", r, text).isPositive();
            List<String> lines = List.of(text.substring(0, end).split("\r\n"));
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : lines.subList(1, lines.size())) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
            return new Answer(Integer.parseInt(lines.get(0).split(" ")[1]), headers, text.substring(end + 4));
        }
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return Integer.MAX_VALUE;
    }
}
