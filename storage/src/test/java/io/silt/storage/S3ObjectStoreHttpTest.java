package io.silt.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link S3ObjectStore} sends and how it maps answers, against a scripted local HTTP server (no S3 server
 * needed): headers, the absence of SDK retries, and every error mapping, including ones no local S3 server
 * produces (409, 503 SlowDown, dropped connections).
 */
class S3ObjectStoreHttpTest {
    private static final String BUCKET = "test-bucket";
    private static final String SECRET = "s3cr3t-Value-That-Must-Not-Leak";

    /** One request as the server saw it. */
    record Seen(String method, String path, String query, Headers headers, byte[] body) {
        String header(String name) {
            return headers.getFirst(name);
        }

        /** The object key (path minus {@code /bucket/}), decoded. */
        String key() {
            String p = path.substring(("/" + BUCKET + "/").length());
            return URLDecoder.decode(p.replace("+", "%2B"), UTF_8);
        }
    }

    /** A scripted answer; {@code status < 0} drops the connection without answering. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        static Answer of(int status) {
            return new Answer(status, Map.of(), new byte[0]);
        }

        static Answer error(int status, String code) {
            String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>message for "
                    + code + "</Message><RequestId>req-1</RequestId></Error>";
            return new Answer(status, Map.of("Content-Type", "application/xml"), xml.getBytes(UTF_8));
        }

        static Answer ok(String body, Map<String, String> headers) {
            return new Answer(200, headers, body.getBytes(UTF_8));
        }

        static Answer drop() {
            return new Answer(-1, Map.of(), new byte[0]);
        }
    }

    private HttpServer server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile Function<Seen, Answer> script = s -> Answer.of(500);
    private final CountDownLatch release = new CountDownLatch(1);
    /** How many more requests to answer by closing the connection before reading their body. */
    private final java.util.concurrent.atomic.AtomicInteger closeUnread = new java.util.concurrent.atomic.AtomicInteger();
    private final List<S3ObjectStore> stores = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        stores.forEach(S3ObjectStore::close);
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        if (closeUnread.getAndDecrement() > 0) {
            seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(),
                    ex.getRequestHeaders(), new byte[0]));
            throw new IOException("closing without reading the body, on purpose");
        }
        byte[] body = ex.getRequestBody().readAllBytes();
        Seen s = new Seen(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(),
                ex.getRequestHeaders(), body);
        seen.add(s);
        Answer a = script.apply(s);
        if (a == null) { // hang until the test ends
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
            return;
        }
        if (a.status() < 0) {
            throw new IOException("dropping the connection on purpose"); // the server closes it without a reply
        }
        a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.getResponseHeaders().add("x-amz-request-id", "req-1");
        boolean noBody = a.body().length == 0 || ex.getRequestMethod().equals("HEAD") || a.status() == 304;
        ex.sendResponseHeaders(a.status(), noBody ? -1 : a.body().length);
        if (!noBody) {
            ex.getResponseBody().write(a.body());
        }
        ex.close();
    }

    private S3ObjectStore.Builder builder() {
        return S3ObjectStore.builder()
                .bucket(BUCKET)
                .endpoint(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region("us-east-1")
                .credentials("AKIDTEST", SECRET);
    }

    private S3ObjectStore store() {
        return track(builder().build());
    }

    private S3ObjectStore track(S3ObjectStore s) {
        stores.add(s);
        return s;
    }

    private static Map<String, String> etag(String etag) {
        return Map.of("ETag", etag, "Last-Modified", "Wed, 01 Jan 2025 10:00:00 GMT");
    }

    // ------------------------------------------------------------------------------------------------ headers

    @Test
    void putsCarryNoExpectContinueHeader() {
        script = s -> Answer.ok("", etag("\"e1\""));
        S3ObjectStore s = store();
        s.put("a/b", "hello".getBytes(UTF_8));
        s.putIfAbsent("a/c", "hello".getBytes(UTF_8));
        s.putIfMatch("a/c", "hello".getBytes(UTF_8), "\"e1\"", Map.of());
        assertThat(seen).hasSize(3).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("PUT");
            assertThat(r.header("Expect")).isNull();
        });
    }

    @Test
    void withoutTheFixTheSdkWouldSendExpectContinue() {
        // Proves the previous test can fail: the SDK adds the header unless S3ObjectStore removes it.
        script = s -> Answer.ok("", etag("\"e1\""));
        S3ObjectStore s = track(builder().keepExpectContinue(true).build());
        s.put("a/b", "hello".getBytes(UTF_8));
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).header("Expect")).isEqualToIgnoringCase("100-continue");
    }

    @Test
    void conditionalHeadersAreSent() {
        script = s -> Answer.ok("", etag("\"e1\""));
        S3ObjectStore s = store();
        s.putIfAbsent("k", new byte[] {1});
        s.putIfMatch("k", new byte[] {2}, "\"old\"", Map.of());
        script = r -> Answer.of(304);
        s.getIfChanged("k", "\"cur\"");
        assertThat(seen.get(0).header("If-None-Match")).isEqualTo("*");
        assertThat(seen.get(0).header("If-Match")).isNull();
        assertThat(seen.get(1).header("If-Match")).isEqualTo("\"old\"");
        assertThat(seen.get(2).method()).isEqualTo("GET");
        assertThat(seen.get(2).header("If-None-Match")).isEqualTo("\"cur\"");
    }

    @Test
    void metadataIsSentAsAmzMetaHeadersAndReadBack() {
        script = s -> s.method().equals("PUT")
                ? Answer.ok("", etag("\"e1\""))
                : new Answer(200, Map.of("ETag", "\"e1\"", "Last-Modified", "Wed, 01 Jan 2025 10:00:00 GMT",
                        "x-amz-meta-silt-token", "tok-9", "Content-Length", "3"), "abc".getBytes(UTF_8));
        S3ObjectStore s = store();
        ObjectInfo w = s.put("k", "abc".getBytes(UTF_8), Map.of("silt-token", "tok-9"));
        assertThat(seen.get(0).header("x-amz-meta-silt-token")).isEqualTo("tok-9");
        assertThat(w.etag()).isEqualTo("\"e1\"");
        assertThat(w.metadata()).containsEntry("silt-token", "tok-9");
        ObjectData d = s.get("k").orElseThrow();
        assertThat(d.info().metadata()).containsEntry("silt-token", "tok-9");
        assertThat(d.info().lastModified()).isEqualTo(java.time.Instant.parse("2025-01-01T10:00:00Z"));
    }

    @Test
    void keysAreStoredUnderThePrefixAndListingsStripIt() {
        String listing = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>" + BUCKET + "</Name>"
                + "<Prefix>q/prod/t/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>"
                + "<Contents><Key>q/prod/t/a</Key><LastModified>2025-01-01T10:00:00.000Z</LastModified>"
                + "<ETag>\"ea\"</ETag><Size>3</Size><StorageClass>STANDARD</StorageClass></Contents>"
                + "<Contents><Key>q/prod/t/b</Key><LastModified>2025-01-01T10:00:01.000Z</LastModified>"
                + "<ETag>\"eb\"</ETag><Size>4</Size><StorageClass>STANDARD</StorageClass></Contents>"
                + "</ListBucketResult>";
        script = s -> s.method().equals("GET") && s.query() != null && s.query().contains("list-type=2")
                ? Answer.ok(listing, Map.of("Content-Type", "application/xml"))
                : Answer.ok("", etag("\"e1\""));
        S3ObjectStore s = track(builder().prefix("q/prod").build());
        assertThat(s.describe()).isEqualTo("s3://" + BUCKET + "/q/prod");
        s.put("t/a", "abc".getBytes(UTF_8));
        assertThat(seen.get(0).key()).isEqualTo("q/prod/t/a");

        ListPage page = s.list("t/", "t/0", 2);
        Seen list = seen.get(1);
        assertThat(list.query()).contains("prefix=q%2Fprod%2Ft%2F").contains("start-after=q%2Fprod%2Ft%2F0")
                .contains("max-keys=2");
        assertThat(page.objects()).extracting(ObjectInfo::key).containsExactly("t/a", "t/b");
        assertThat(page.objects()).extracting(ObjectInfo::size).containsExactly(3L, 4L);
        assertThat(page.objects().get(0).etag()).isEqualTo("\"ea\"");
        assertThat(page.truncated()).isTrue();
    }

    @Test
    void prefixPlusKeyMustFitS3sLimit() {
        S3ObjectStore s = track(builder().prefix("some/prefix").build());
        String key = "k".repeat(ObjectKeys.MAX_KEY_BYTES - 5);
        assertThatThrownBy(() -> s.put(key, new byte[1]))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining("some/prefix/")
                .hasMessageContaining("1024");
        assertThat(seen).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ no retries

    @Test
    void theSdkDoesNotRetry() {
        script = s -> Answer.error(500, "InternalError");
        S3ObjectStore s = store();
        assertThatThrownBy(() -> s.get("k")).isInstanceOf(StoreUnavailableException.class);
        assertThat(seen).hasSize(1);
        seen.clear();
        script = s2 -> Answer.error(503, "SlowDown");
        assertThatThrownBy(() -> s.put("k", new byte[1])).isInstanceOf(StoreUnavailableException.class);
        assertThat(seen).hasSize(1);
        seen.clear();
        script = s3 -> Answer.error(500, "InternalError");
        assertThat(s.putIfAbsent("k", new byte[1])).isInstanceOf(CreateResult.Unknown.class);
        assertThat(seen).hasSize(1);
        seen.clear();
        script = s4 -> Answer.drop();
        assertThat(s.putIfAbsent("k", new byte[1])).isInstanceOf(CreateResult.Unknown.class);
        assertThat(seen).hasSize(1);
    }

    // ------------------------------------------------------------------------------------------------ create-only

    @Test
    void createOnlyWrite412IsAlreadyExists() {
        script = s -> Answer.error(412, "PreconditionFailed");
        assertThat(store().putIfAbsent("k", new byte[1])).isInstanceOf(CreateResult.AlreadyExists.class);
    }

    @Test
    void createOnlyWriteSuccessReportsTheEtag() {
        script = s -> Answer.ok("", etag("\"new\""));
        CreateResult r = store().putIfAbsent("k", new byte[] {1, 2});
        assertThat(r).isInstanceOf(CreateResult.Created.class);
        assertThat(((CreateResult.Created) r).info().etag()).isEqualTo("\"new\"");
        assertThat(((CreateResult.Created) r).info().size()).isEqualTo(2);
    }

    @Test
    void createOnlyWrite409IsAConflictThatCertainlyDidNotWrite() {
        script = s -> Answer.error(409, "ConditionalRequestConflict");
        assertThatThrownBy(() -> store().putIfAbsent("k", new byte[1]))
                .isInstanceOfSatisfying(StoreUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreUnavailableException.Reason.CONFLICT))
                .hasMessageContaining("'k'");
    }

    @Test
    void createOnlyWriteSlowDownIsThrottled() {
        script = s -> Answer.error(503, "SlowDown");
        assertThatThrownBy(() -> store().putIfAbsent("k", new byte[1]))
                .isInstanceOfSatisfying(StoreUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreUnavailableException.Reason.THROTTLED));
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 504})
    void createOnlyWriteServerErrorIsUnknown(int status) {
        script = s -> Answer.error(status, "InternalError");
        CreateResult r = store().putIfAbsent("k", new byte[1]);
        assertThat(r).isInstanceOfSatisfying(CreateResult.Unknown.class, u -> {
            assertThat(u.cause()).isInstanceOf(StoreUnavailableException.class);
            assertThat(((StoreUnavailableException) u.cause()).reason())
                    .isEqualTo(StoreUnavailableException.Reason.SERVER_ERROR);
            assertThat(u.cause().getMessage()).contains("'k'").contains("s3://" + BUCKET);
        });
    }

    @Test
    void createOnlyWriteWithADroppedConnectionIsUnknown() {
        script = s -> Answer.drop();
        CreateResult r = store().putIfAbsent("k", new byte[100]);
        assertThat(r).isInstanceOfSatisfying(CreateResult.Unknown.class, u -> assertThat(
                ((StoreUnavailableException) u.cause()).reason()).isEqualTo(StoreUnavailableException.Reason.IO));
        assertThat(seen).hasSize(1);
    }

    @Test
    void aPutWhoseBodyCouldNotBeSentIsSentAgainEvenWhenConditional() {
        // What a pooled connection that the server already closed looks like: the body cannot be written. Nothing
        // can have been stored, so even a create-only PUT is sent again (on a new connection).
        byte[] big = new byte[32 * 1024 * 1024]; // more than loopback socket buffers hold
        script = s -> Answer.ok("", etag("\"e1\""));
        S3ObjectStore s = store();
        closeUnread.set(2);
        assertThat(s.putIfAbsent("k", big)).isInstanceOf(CreateResult.Created.class);
        assertThat(seen).hasSize(3);
        assertThat(seen.get(2).body().length).isGreaterThanOrEqualTo(big.length);
    }

    @Test
    void aBodyThatCanNeverBeSentCertainlyDidNotWrite() {
        byte[] big = new byte[32 * 1024 * 1024];
        S3ObjectStore s = store();
        closeUnread.set(1000);
        assertThatThrownBy(() -> s.putIfAbsent("k", big))
                .isInstanceOfSatisfying(StoreUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreUnavailableException.Reason.IO));
        assertThat(seen).hasSizeLessThanOrEqualTo(6);
    }

    @Test
    void aPlainPutIsSentAgainWhenTheAnswerNeverStarted() {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        script = s -> n.getAndIncrement() == 0 ? Answer.drop() : Answer.ok("", etag("\"e2\""));
        assertThat(store().put("k", new byte[10]).etag()).isEqualTo("\"e2\"");
        assertThat(seen).hasSize(2);
    }

    @Test
    void createOnlyWriteThatTimesOutIsUnknown() {
        script = s -> null; // never answer
        S3ObjectStore s = track(builder().socketTimeout(Duration.ofMillis(300)).build());
        CreateResult r = s.putIfAbsent("k", new byte[10]);
        assertThat(r).isInstanceOfSatisfying(CreateResult.Unknown.class, u -> assertThat(
                ((StoreUnavailableException) u.cause()).reason()).isEqualTo(StoreUnavailableException.Reason.TIMEOUT));
    }

    @Test
    void createOnlyWriteToAClosedPortCertainlyDidNotWrite() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        S3ObjectStore s = track(builder().endpoint(URI.create("http://127.0.0.1:" + port)).build());
        assertThatThrownBy(() -> s.putIfAbsent("k", new byte[1]))
                .isInstanceOfSatisfying(StoreUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreUnavailableException.Reason.IO));
        assertThatThrownBy(() -> s.get("k")).isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void createOnlyWriteIntoAMissingBucketIsAConfigurationError() {
        script = s -> Answer.error(404, "NoSuchBucket");
        assertThatThrownBy(() -> store().putIfAbsent("k", new byte[1]))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("'" + BUCKET + "'");
    }

    // ------------------------------------------------------------------------------------------------ reads

    @Test
    void missingKeyReadsAsEmptyEverywhere() {
        script = s -> s.method().equals("HEAD") ? Answer.of(404) : Answer.error(404, "NoSuchKey");
        S3ObjectStore s = store();
        assertThat(s.get("k")).isEmpty();
        assertThat(s.get("k", ByteRange.of(0, 5))).isEmpty();
        assertThat(s.head("k")).isEmpty();
        assertThat(s.getIfChanged("k", "\"e\"")).isInstanceOf(ConditionalGet.NotFound.class);
        assertThat(s.putIfMatch("k", new byte[1], "\"e\"", Map.of())).isEqualTo(SupportsCompareAndSwap.SwapResult.MISSING);
        s.delete("k");
    }

    @Test
    void notModifiedIsAnAnswer() {
        script = s -> Answer.of(304);
        assertThat(store().getIfChanged("k", "\"e\"")).isInstanceOf(ConditionalGet.NotModified.class);
    }

    @Test
    void staleCompareAndSwapIsAnAnswer() {
        script = s -> Answer.error(412, "PreconditionFailed");
        assertThat(store().putIfMatch("k", new byte[1], "\"e\"", Map.of()))
                .isEqualTo(SupportsCompareAndSwap.SwapResult.STALE);
    }

    @Test
    void missingBucketIsAConfigurationErrorNamingTheBucket() {
        script = s -> Answer.error(404, "NoSuchBucket");
        S3ObjectStore s = store();
        assertThatThrownBy(() -> s.get("k"))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("bucket '" + BUCKET + "' does not exist");
        assertThatThrownBy(() -> s.list("", null, 10)).isInstanceOf(StoreConfigurationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"})
    void refusedCredentialsAreAccessDeniedWithoutTheSecret(String code) {
        script = s -> Answer.error(403, code);
        S3ObjectStore s = store();
        for (Runnable call : List.<Runnable>of(() -> s.get("the/key"), () -> s.put("the/key", new byte[1]),
                () -> s.putIfAbsent("the/key", new byte[1]), () -> s.list("", null, 5))) {
            assertThatThrownBy(call::run)
                    .isInstanceOf(StoreAccessDeniedException.class)
                    .hasMessageContaining("bucket '" + BUCKET + "'")
                    .hasMessageContaining("credentials")
                    .hasMessageContaining("s3://" + BUCKET)
                    .hasMessageNotContaining(SECRET)
                    .satisfies(e -> assertThat(String.valueOf(e.getCause())).doesNotContain(SECRET));
        }
        assertThatThrownBy(() -> s.get("the/key")).hasMessageContaining("'the/key'").hasMessageContaining(code);
    }

    @Test
    void headWith403IsAccessDenied() {
        script = s -> Answer.of(403);
        assertThatThrownBy(() -> store().head("k")).isInstanceOf(StoreAccessDeniedException.class);
    }

    @Test
    void transientErrorsOfReadsCarryTheirReason() {
        S3ObjectStore s = store();
        script = r -> Answer.error(503, "SlowDown");
        assertThatThrownBy(() -> s.get("k")).isInstanceOfSatisfying(StoreUnavailableException.class,
                e -> assertThat(e.reason()).isEqualTo(StoreUnavailableException.Reason.THROTTLED));
        script = r -> Answer.error(500, "InternalError");
        assertThatThrownBy(() -> s.head("k")).isInstanceOfSatisfying(StoreUnavailableException.class,
                e -> assertThat(e.reason()).isEqualTo(StoreUnavailableException.Reason.SERVER_ERROR));
        script = r -> Answer.error(409, "OperationAborted");
        assertThatThrownBy(() -> s.delete("k")).isInstanceOfSatisfying(StoreUnavailableException.class,
                e -> assertThat(e.reason()).isEqualTo(StoreUnavailableException.Reason.CONFLICT));
        script = r -> Answer.drop();
        assertThatThrownBy(() -> s.get("k")).isInstanceOfSatisfying(StoreUnavailableException.class,
                e -> assertThat(e.reason()).isEqualTo(StoreUnavailableException.Reason.IO));
        script = r -> Answer.error(503, "SlowDown");
        assertThatThrownBy(() -> s.putIfMatch("k", new byte[1], "\"e\"", Map.of()))
                .isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void rangedGetReportsTheWholeSizeFromContentRange() {
        script = s -> new Answer(206, Map.of("ETag", "\"e\"", "Content-Range", "bytes 2-4/10",
                "Last-Modified", "Wed, 01 Jan 2025 10:00:00 GMT"), "234".getBytes(UTF_8));
        ObjectData d = store().get("k", ByteRange.of(2, 3)).orElseThrow();
        assertThat(seen.get(0).header("Range")).isEqualTo("bytes=2-4");
        assertThat(d.offset()).isEqualTo(2);
        assertThat(d.info().size()).isEqualTo(10);
        assertThat(new String(d.bytes(), UTF_8)).isEqualTo("234");
    }

    @Test
    void aServerThatIgnoresTheRangeIsCutLocally() {
        script = s -> new Answer(200, Map.of("ETag", "\"e\""), "0123456789".getBytes(UTF_8));
        ObjectData d = store().get("k", ByteRange.suffix(3)).orElseThrow();
        assertThat(d.offset()).isEqualTo(7);
        assertThat(d.info().size()).isEqualTo(10);
        assertThat(new String(d.bytes(), UTF_8)).isEqualTo("789");
    }

    @Test
    void unsatisfiableRangeIsInvalidRangeUnlessTheObjectIsEmpty() {
        script = s -> s.method().equals("HEAD")
                ? new Answer(200, Map.of("ETag", "\"e\"", "Content-Length", "3"), new byte[0])
                : Answer.error(416, "InvalidRange");
        assertThatThrownBy(() -> store().get("k", ByteRange.from(5)))
                .isInstanceOf(InvalidRangeException.class)
                .hasMessageContaining("3 bytes");

        script = s -> s.method().equals("HEAD")
                ? new Answer(200, Map.of("ETag", "\"e\"", "Content-Length", "0"), new byte[0])
                : Answer.error(416, "InvalidRange");
        ObjectData d = store().get("k", ByteRange.from(0)).orElseThrow();
        assertThat(d.bytes()).isEmpty();
        assertThat(d.info().size()).isZero();
    }

    // ------------------------------------------------------------------------------------------------ bulk delete

    @Test
    void bulkDeleteSendsAtMostAThousandKeysPerRequestAndReportsFailures() {
        Pattern keyPattern = Pattern.compile("<Key>([^<]*)</Key>");
        script = s -> {
            Matcher m = keyPattern.matcher(new String(s.body(), UTF_8));
            StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><DeleteResult>");
            while (m.find()) {
                String k = m.group(1);
                if (k.endsWith("/00007") || k.endsWith("/02001")) {
                    xml.append("<Error><Key>").append(k).append("</Key><Code>AccessDenied</Code>")
                            .append("<Message>Access Denied</Message></Error>");
                }
                if (k.endsWith("/00008")) {
                    xml.append("<Error><Key>").append(k).append("</Key><Code>NoSuchKey</Code>")
                            .append("<Message>gone</Message></Error>");
                }
            }
            return Answer.ok(xml.append("</DeleteResult>").toString(), Map.of("Content-Type", "application/xml"));
        };
        S3ObjectStore s = track(builder().prefix("pre").build());
        List<String> keys = IntStream.range(0, 2500).mapToObj(i -> String.format("d/%05d", i)).toList();
        assertThatThrownBy(() -> s.deleteAll(keys))
                .isInstanceOf(StoreAccessDeniedException.class)
                .hasMessageContaining("2 of 2500")
                .hasMessageContaining("'d/00007'")
                .hasMessageContaining("'d/02001'")
                .hasMessageNotContaining("d/00008");
        assertThat(seen).hasSize(3).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.query()).contains("delete");
        });
        long[] counts = seen.stream().mapToLong(r -> keyPattern.matcher(new String(r.body(), UTF_8)).results().count())
                .toArray();
        assertThat(counts).containsExactly(1000, 1000, 500);
        assertThat(new String(seen.get(0).body(), UTF_8)).contains("<Key>pre/d/00000</Key>");
    }

    @Test
    void bulkDeleteOfNothingSendsNothing() {
        store().deleteAll(List.of());
        assertThat(seen).isEmpty();
    }

    @Test
    void closeIsIdempotent() {
        S3ObjectStore s = builder().build();
        s.close();
        s.close();
    }
}
