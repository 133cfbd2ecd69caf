package io.silt.storage;

import io.silt.storage.internal.S3Errors;
import io.silt.storage.internal.S3NoExpectContinue;
import io.silt.storage.internal.S3Ranges;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An {@link ObjectStore} on an S3 bucket (AWS S3, or an S3-compatible server such as MinIO, LocalStack or S3Proxy),
 * through the AWS SDK v2 with the URL-connection HTTP client.
 *
 * <p>Every key is stored as {@code prefix + key}; listings strip the prefix again. A non-empty prefix always ends
 * with {@code /} (one is added if missing), and {@code prefix + key} must fit S3's limit of
 * {@value ObjectKeys#MAX_KEY_BYTES} bytes.
 *
 * <p>How the client is set up, and why:
 * <ul>
 *   <li>The SDK does not retry. Retries belong to {@code RetryingObjectStore}: an SDK-internal retry of a
 *       create-only PUT whose first attempt landed would turn "I won" into a 412.</li>
 *   <li>No {@code Expect: 100-continue} on PUTs: S3Proxy answers an early 412 without reading the body and then drops
 *       the connection, so a race loser would see an I/O error instead of 412.</li>
 *   <li>Request checksums are computed and response checksums checked only where S3 requires them, which
 *       S3-compatible servers handle.</li>
 *   <li>The one exception to "no retries" is transport-level: a PUT sent on a pooled connection that the server had
 *       already closed is sent again on another connection when it certainly wrote nothing (its body could not be
 *       written), or, for a plain {@link #put}, whenever the answer never started (repeating it is harmless).</li>
 * </ul>
 *
 * <p>A create-only write ({@link #putIfAbsent}) answers {@link CreateResult.Unknown} when the write may have
 * happened: an I/O error or timeout after the request was sent, or a 5xx other than a throttling 503. It throws
 * {@link StoreUnavailableException} only when the write certainly did not happen (409, 503 SlowDown, connection
 * refused). {@link #putIfMatch} has no "unknown" answer: an I/O error there is thrown, and the object may or may not
 * have been replaced.
 *
 * <p>A HEAD of a key in a bucket that does not exist answers 404 without a body, so {@link #head} returns empty in
 * that case; every other operation reports the missing bucket as a {@link StoreConfigurationException}.
 */
public final class S3ObjectStore implements ObjectStore, SupportsCompareAndSwap {
    private static final System.Logger LOG = System.getLogger(S3ObjectStore.class.getName());

    /** The region used when none is given. */
    public static final String DEFAULT_REGION = "us-east-1";

    /** Attempts of a PUT whose body could not be written on a stale pooled connection (see {@link #send}). */
    private static final int STALE_CONNECTION_ATTEMPTS = 6;

    private final S3Client s3;
    private final AutoCloseable credentialsToClose;
    private final String bucket;
    private final String prefix;
    private final int prefixBytes;
    private final String description;
    private final URI endpoint;
    private final S3Errors errors;
    private final AtomicBoolean closed = new AtomicBoolean();

    private S3ObjectStore(Builder b) {
        this.bucket = requireBucket(b.bucket);
        this.prefix = normalizePrefix(b.prefix);
        this.prefixBytes = prefix.getBytes(StandardCharsets.UTF_8).length;
        this.description = "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1));
        this.endpoint = b.endpoint;
        this.errors = new S3Errors(description, bucket);

        AwsCredentialsProvider credentials;
        AutoCloseable toClose = null;
        if (b.accessKey != null) {
            credentials = StaticCredentialsProvider.create(b.sessionToken == null
                    ? AwsBasicCredentials.create(b.accessKey, b.secretKey)
                    : AwsSessionCredentials.create(b.accessKey, b.secretKey, b.sessionToken));
        } else {
            DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
            credentials = chain;
            toClose = chain;
        }
        boolean pathStyle = b.pathStyle != null ? b.pathStyle : b.endpoint != null;
        List<ExecutionInterceptor> interceptors = new ArrayList<>();
        if (!b.keepExpectContinue) {
            interceptors.add(new S3NoExpectContinue());
        }
        interceptors.addAll(b.interceptors);
        try {
            S3ClientBuilder cb = S3Client.builder()
                    .region(Region.of(b.region))
                    .credentialsProvider(credentials)
                    .httpClientBuilder(UrlConnectionHttpClient.builder()
                            .connectionTimeout(b.connectTimeout)
                            .socketTimeout(b.socketTimeout))
                    .forcePathStyle(pathStyle)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .overrideConfiguration(o -> {
                        o.retryStrategy(AwsRetryStrategy.doNotRetry());
                        interceptors.forEach(o::addExecutionInterceptor);
                    });
            if (b.endpoint != null) {
                cb.endpointOverride(b.endpoint);
            }
            this.s3 = cb.build();
        } catch (SdkException | IllegalArgumentException e) {
            closeQuietly(toClose);
            throw new StoreConfigurationException("cannot set up the S3 client for " + description + ": "
                    + e.getMessage(), e);
        }
        this.credentialsToClose = toClose;
        LOG.log(Level.DEBUG, () -> "opened " + this);
    }

    /** A builder; {@link Builder#bucket(String)} is required, everything else has a default. */
    public static Builder builder() {
        return new Builder();
    }

    /** The bucket name. */
    public String bucket() {
        return bucket;
    }

    /** The key prefix: empty, or ending with {@code /}. */
    public String prefix() {
        return prefix;
    }

    /** The endpoint override, if one was given. */
    public Optional<URI> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    // ------------------------------------------------------------------------------------------------ reads

    @Override
    public Optional<ObjectData> get(String key) {
        String full = fullKey(key);
        try {
            ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b -> b.bucket(bucket).key(full));
            byte[] bytes = r.asByteArrayUnsafe();
            return Optional.of(new ObjectData(info(key, bytes.length, r.response()), 0, bytes));
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw errors.map("GET", key, e);
        }
    }

    @Override
    public Optional<ObjectData> get(String key, ByteRange range) {
        Objects.requireNonNull(range, "range");
        String full = fullKey(key);
        ResponseBytes<GetObjectResponse> r;
        try {
            r = s3.getObjectAsBytes(b -> b.bucket(bucket).key(full).range(range.toHttpHeader()));
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            if (S3Errors.status(e) == 416) {
                return notSatisfiable(key, range);
            }
            throw errors.map("GET " + range, key, e);
        }
        byte[] bytes = r.asByteArrayUnsafe();
        GetObjectResponse resp = r.response();
        Optional<S3Ranges.ContentRange> cr = S3Ranges.parse(resp.contentRange());
        if (cr.isPresent() && cr.get().total() >= 0) {
            S3Ranges.ContentRange c = cr.get();
            if (c.last() - c.first() + 1 != bytes.length) {
                throw new StoreUnavailableException(StoreUnavailableException.Reason.IO, "GET " + range + " '" + key
                        + "' on " + description + " returned " + bytes.length + " bytes for Content-Range "
                        + resp.contentRange());
            }
            return Optional.of(new ObjectData(info(key, c.total(), resp), c.first(), bytes));
        }
        // The server ignored the range and sent the whole object (or the object is empty): cut it here.
        ObjectInfo info = info(key, bytes.length, resp);
        if (bytes.length == 0) {
            return Optional.of(new ObjectData(info, 0, bytes));
        }
        long[] bounds = range.resolve(key, bytes.length);
        return Optional.of(new ObjectData(info, bounds[0],
                Arrays.copyOfRange(bytes, (int) bounds[0], (int) bounds[1])));
    }

    /** A 416: empty objects read as empty for any range (as in every other store); otherwise the range is bad. */
    private Optional<ObjectData> notSatisfiable(String key, ByteRange range) {
        Optional<ObjectInfo> info = head(key);
        if (info.isEmpty()) {
            return Optional.empty();
        }
        if (info.get().size() == 0) {
            return Optional.of(new ObjectData(info.get(), 0, new byte[0]));
        }
        throw new InvalidRangeException("range " + range + " is not satisfiable for object '" + key + "' of "
                + info.get().size() + " bytes on " + description);
    }

    @Override
    public ConditionalGet getIfChanged(String key, String etag) {
        String full = fullKey(key);
        Objects.requireNonNull(etag, "etag");
        try {
            ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b -> b.bucket(bucket).key(full).ifNoneMatch(etag));
            byte[] bytes = r.asByteArrayUnsafe();
            return new ConditionalGet.Modified(new ObjectData(info(key, bytes.length, r.response()), 0, bytes));
        } catch (SdkException e) {
            if (S3Errors.status(e) == 304) {
                return ConditionalGet.NOT_MODIFIED;
            }
            if (isNotFound(e)) {
                return ConditionalGet.NOT_FOUND;
            }
            throw errors.map("conditional GET", key, e);
        }
    }

    @Override
    public Optional<ObjectInfo> head(String key) {
        String full = fullKey(key);
        try {
            HeadObjectResponse r = s3.headObject(b -> b.bucket(bucket).key(full));
            return Optional.of(new ObjectInfo(key, r.contentLength() == null ? 0 : r.contentLength(),
                    etag(r.eTag(), key), lastModified(r.lastModified(), r.sdkHttpResponse()), r.metadata()));
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw errors.map("HEAD", key, e);
        }
    }

    // ------------------------------------------------------------------------------------------------ writes

    @Override
    public ObjectInfo put(String key, byte[] data, Map<String, String> metadata) {
        PutObjectRequest request = putRequest(key, data, metadata).build();
        try {
            PutObjectResponse r = send(request, data, true, new int[1]);
            return written(key, data, metadata, r);
        } catch (SdkException e) {
            throw errors.map("PUT", key, e);
        }
    }

    @Override
    public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
        PutObjectRequest request = putRequest(key, data, metadata).ifNoneMatch("*").build();
        PutObjectResponse r;
        int[] attempts = new int[1];
        try {
            r = send(request, data, false, attempts);
        } catch (SdkException e) {
            int status = S3Errors.status(e);
            if (status == 412) {
                if (attempts[0] > 1) {
                    // An earlier attempt broke off while sending; if the server had all of it after all, that
                    // attempt may be the one that created the object: only a read-back can tell (DESIGN rule 4).
                    return new CreateResult.Unknown(new StoreUnavailableException(StoreUnavailableException.Reason.IO,
                            "create-only PUT '" + key + "' on " + description + " answered 412 after "
                                    + (attempts[0] - 1) + " broken attempt(s); whether one of them created it is "
                                    + "unknown"));
                }
                return CreateResult.ALREADY_EXISTS;
            }
            ObjectStoreException mapped = errors.map("create-only PUT", key, e);
            boolean mayHaveWritten = e instanceof SdkClientException
                    ? !S3Errors.certainlyNotSent(e)
                    : status >= 500 && !S3Errors.isThrottle(e);
            if (mayHaveWritten) {
                LOG.log(Level.DEBUG, () -> "outcome unknown: " + mapped.getMessage());
                return new CreateResult.Unknown(mapped);
            }
            throw mapped;
        }
        try {
            return new CreateResult.Created(written(key, data, metadata, r));
        } catch (ObjectStoreException e) {
            // The object was created but we could not learn its ETag: the caller must read it back.
            return new CreateResult.Unknown(e);
        }
    }

    @Override
    public SwapResult putIfMatch(String key, byte[] data, String expectedEtag, Map<String, String> metadata) {
        Objects.requireNonNull(expectedEtag, "expectedEtag");
        PutObjectRequest request = putRequest(key, data, metadata).ifMatch(expectedEtag).build();
        try {
            send(request, data, false, new int[1]);
            return SwapResult.SWAPPED;
        } catch (SdkException e) {
            int status = S3Errors.status(e);
            if (status == 412) {
                return SwapResult.STALE;
            }
            if (isNotFound(e)) {
                return SwapResult.MISSING;
            }
            throw errors.map("compare-and-swap PUT", key, e);
        }
    }

    /**
     * Sends a PUT, again on another connection if the pooled one turned out to be closed already. S3Proxy closes a
     * connection after answering a PUT early (412, 403, 404) without reading its body, and the JDK's HTTP client
     * puts such connections back in its keep-alive cache without noticing; the next PUT on one fails.
     *
     * <p>A PUT whose body could not be written is always sent again: the server never had the whole body, so nothing
     * was written, and this is not the kind of retry that could turn "I won" into a 412. Other stale-connection
     * symptoms (the answer ended before it began) are resent only for a {@code repeatable} request, a plain PUT of
     * the same bytes; for a conditional PUT they mean "outcome unknown". The keep-alive cache holds a few
     * connections per server, so a few attempts may be needed to get past all stale ones.
     */
    private PutObjectResponse send(PutObjectRequest request, byte[] data, boolean repeatable, int[] attempts) {
        for (int attempt = 1; ; attempt++) {
            attempts[0] = attempt;
            try {
                return s3.putObject(request, RequestBody.fromBytes(data));
            } catch (SdkClientException e) {
                boolean again = repeatable ? S3Errors.staleConnection(e) : S3Errors.bodyNotDelivered(e);
                if (attempt >= STALE_CONNECTION_ATTEMPTS || !again) {
                    throw e;
                }
                int n = attempt;
                LOG.log(Level.DEBUG, () -> "PUT '" + request.key() + "' on " + description
                        + " hit a connection the server had closed (attempt " + n + "); sending again: " + e);
            }
        }
    }

    private PutObjectRequest.Builder putRequest(String key, byte[] data, Map<String, String> metadata) {
        String full = fullKey(key);
        Objects.requireNonNull(data, "data");
        ObjectKeys.validateMetadata(metadata);
        return PutObjectRequest.builder().bucket(bucket).key(full).metadata(metadata)
                .contentLength((long) data.length);
    }

    private ObjectInfo written(String key, byte[] data, Map<String, String> metadata, PutObjectResponse r) {
        if (r.eTag() == null || r.eTag().isEmpty()) {
            // Some servers leave the ETag out; ask for it.
            return head(key).orElseThrow(() -> new StoreUnavailableException(StoreUnavailableException.Reason.IO,
                    "PUT '" + key + "' on " + description + " returned no ETag and the object is not visible"));
        }
        return new ObjectInfo(key, data.length, r.eTag(), date(r.sdkHttpResponse()), metadata);
    }

    // ------------------------------------------------------------------------------------------------ list, delete

    @Override
    public ListPage list(String listPrefix, String startAfter, int maxKeys) {
        String p = ObjectKeys.validatePrefix(listPrefix);
        if (maxKeys < 1 || maxKeys > ListPage.MAX_KEYS) {
            throw new IllegalArgumentException("maxKeys must be 1 to " + ListPage.MAX_KEYS + ", was " + maxKeys);
        }
        ListObjectsV2Request.Builder rb = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix + p)
                .maxKeys(maxKeys);
        if (startAfter != null && !startAfter.isEmpty()) {
            rb.startAfter(prefix + startAfter);
        }
        ListObjectsV2Response r;
        try {
            r = s3.listObjectsV2(rb.build());
        } catch (SdkException e) {
            throw errors.map("LIST", p.isEmpty() ? "(all keys)" : p + "*", e);
        }
        List<ObjectInfo> objects = new ArrayList<>(r.contents().size());
        for (S3Object o : r.contents()) {
            if (!o.key().startsWith(prefix)) {
                continue; // cannot happen on a correct server; never show keys outside the prefix
            }
            objects.add(new ObjectInfo(o.key().substring(prefix.length()), o.size() == null ? 0 : o.size(),
                    etag(o.eTag(), o.key()), o.lastModified() == null ? Instant.EPOCH : o.lastModified(), Map.of()));
        }
        boolean truncated = Boolean.TRUE.equals(r.isTruncated()) && !objects.isEmpty();
        return new ListPage(objects, truncated);
    }

    @Override
    public void delete(String key) {
        String full = fullKey(key);
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(full));
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return;
            }
            throw errors.map("DELETE", key, e);
        }
    }

    @Override
    public void deleteAll(Collection<String> keys) {
        List<String> unique = new ArrayList<>(new LinkedHashSet<>(keys));
        for (String key : unique) {
            fullKey(key);
        }
        List<String> failed = new ArrayList<>();
        boolean allDenied = true;
        boolean anyTransient = false;
        for (int from = 0; from < unique.size(); from += ListPage.MAX_KEYS) {
            List<String> chunk = unique.subList(from, Math.min(unique.size(), from + ListPage.MAX_KEYS));
            List<ObjectIdentifier> ids = chunk.stream().map(k -> ObjectIdentifier.builder().key(prefix + k).build())
                    .toList();
            DeleteObjectsResponse r;
            try {
                r = s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(ids).quiet(true).build()));
            } catch (SdkException e) {
                throw errors.map("DeleteObjects (" + chunk.size() + " keys from '" + chunk.get(0) + "')", null, e);
            }
            for (S3Error err : r.errors()) {
                if ("NoSuchKey".equals(err.code())) {
                    continue;
                }
                String k = err.key() != null && err.key().startsWith(prefix)
                        ? err.key().substring(prefix.length()) : err.key();
                failed.add("'" + k + "' (" + err.code() + ": " + err.message() + ")");
                allDenied &= "AccessDenied".equals(err.code());
                anyTransient |= "InternalError".equals(err.code()) || "SlowDown".equals(err.code())
                        || "ServiceUnavailable".equals(err.code());
            }
        }
        if (failed.isEmpty()) {
            return;
        }
        String shown = String.join(", ", failed.subList(0, Math.min(20, failed.size())))
                + (failed.size() > 20 ? " and " + (failed.size() - 20) + " more" : "");
        String message = "DeleteObjects on " + description + " could not delete " + failed.size() + " of "
                + unique.size() + " keys: " + shown;
        if (anyTransient) {
            throw new StoreUnavailableException(StoreUnavailableException.Reason.SERVER_ERROR, message);
        }
        if (allDenied) {
            throw new StoreAccessDeniedException(message + ". Check that the credentials may s3:DeleteObject in bucket '"
                    + bucket + "'");
        }
        throw new ObjectStoreException(message);
    }

    // ------------------------------------------------------------------------------------------------ misc

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return "S3ObjectStore[" + description + (endpoint == null ? "" : " at " + endpoint) + "]";
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            s3.close();
            closeQuietly(credentialsToClose);
        }
    }

    private String fullKey(String key) {
        ObjectKeys.validate(key);
        if (prefixBytes > 0) {
            int total = prefixBytes + key.getBytes(StandardCharsets.UTF_8).length;
            if (total > ObjectKeys.MAX_KEY_BYTES) {
                throw new InvalidKeyException("object key '" + abbreviate(key) + "' is " + (total - prefixBytes)
                        + " bytes; with the store prefix '" + prefix + "' it is " + total
                        + " bytes, over S3's limit of " + ObjectKeys.MAX_KEY_BYTES);
            }
        }
        return prefix + key;
    }

    private static boolean isNotFound(SdkException e) {
        return S3Errors.status(e) == 404 && !"NoSuchBucket".equals(S3Errors.code(e));
    }

    private ObjectInfo info(String key, long size, GetObjectResponse r) {
        return new ObjectInfo(key, size, etag(r.eTag(), key), lastModified(r.lastModified(), r.sdkHttpResponse()),
                r.metadata());
    }

    private String etag(String etag, String key) {
        if (etag == null) {
            throw new StoreUnavailableException(StoreUnavailableException.Reason.IO,
                    "the answer for '" + key + "' on " + description + " carried no ETag");
        }
        return etag;
    }

    private static Instant lastModified(Instant lastModified, SdkHttpResponse http) {
        return lastModified != null ? lastModified : date(http);
    }

    /** The server's clock from the {@code Date} header; the local clock if the header is missing or odd. */
    private static Instant date(SdkHttpResponse http) {
        Optional<String> date = http == null ? Optional.empty() : http.firstMatchingHeader("Date");
        if (date.isPresent()) {
            try {
                return ZonedDateTime.parse(date.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException ignored) {
                // fall through
            }
        }
        return Instant.now();
    }

    private static String requireBucket(String bucket) {
        if (bucket == null || bucket.isBlank()) {
            throw new StoreConfigurationException("an S3 store needs a bucket name");
        }
        return bucket;
    }

    private static String normalizePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        String p = prefix.endsWith("/") ? prefix : prefix + "/";
        try {
            ObjectKeys.validatePrefix(p);
        } catch (InvalidKeyException e) {
            throw new StoreConfigurationException("invalid S3 key prefix '" + prefix + "': " + e.getMessage(), e);
        }
        return p;
    }

    private static String abbreviate(String key) {
        return key.length() <= 60 ? key : key.substring(0, 60) + "…";
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "closing the credentials provider failed", e);
        }
    }

    /**
     * Settings for an {@link S3ObjectStore}. Credentials are either a static key pair or, by default, the AWS default
     * provider chain (environment, system properties, profile, container and instance roles).
     */
    public static final class Builder {
        private String bucket;
        private String prefix = "";
        private String region = DEFAULT_REGION;
        private URI endpoint;
        private Boolean pathStyle;
        private String accessKey;
        private String secretKey;
        private String sessionToken;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration socketTimeout = Duration.ofSeconds(60);
        private boolean keepExpectContinue;
        private final List<ExecutionInterceptor> interceptors = new ArrayList<>();

        private Builder() {}

        public Builder bucket(String bucket) {
            this.bucket = bucket;
            return this;
        }

        /** The key prefix; empty for the whole bucket. A missing trailing {@code /} is added. */
        public Builder prefix(String prefix) {
            this.prefix = prefix == null ? "" : prefix;
            return this;
        }

        /** The signing region; default {@value S3ObjectStore#DEFAULT_REGION}. */
        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /** An endpoint for S3-compatible servers, e.g. {@code http://127.0.0.1:9000}; {@code null} for AWS. */
        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** Path-style addressing ({@code endpoint/bucket/key}); default: on when an endpoint is set, else off. */
        public Builder pathStyle(boolean pathStyle) {
            this.pathStyle = pathStyle;
            return this;
        }

        /** A static key pair. Never logged or shown in messages. */
        public Builder credentials(String accessKeyId, String secretAccessKey) {
            return credentials(accessKeyId, secretAccessKey, null);
        }

        /** Temporary credentials with a session token. */
        public Builder credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
            if (accessKeyId == null || accessKeyId.isEmpty() || secretAccessKey == null || secretAccessKey.isEmpty()) {
                throw new StoreConfigurationException("S3 credentials need both an access key id and a secret key");
            }
            this.accessKey = accessKeyId;
            this.secretKey = secretAccessKey;
            this.sessionToken = sessionToken == null || sessionToken.isEmpty() ? null : sessionToken;
            return this;
        }

        /** Use the AWS default credentials provider chain (the default). */
        public Builder defaultCredentials() {
            this.accessKey = null;
            this.secretKey = null;
            this.sessionToken = null;
            return this;
        }

        /** How long to wait for a TCP connection; default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long a read may wait for data; default 60 s. */
        public Builder socketTimeout(Duration timeout) {
            this.socketTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** For tests: keep the SDK's {@code Expect: 100-continue} header, to show that it is removed otherwise. */
        Builder keepExpectContinue(boolean keep) {
            this.keepExpectContinue = keep;
            return this;
        }

        /** For tests: observe or alter requests. */
        Builder addInterceptor(ExecutionInterceptor interceptor) {
            this.interceptors.add(interceptor);
            return this;
        }

        /** @throws StoreConfigurationException if the bucket is missing or the client cannot be set up */
        public S3ObjectStore build() {
            return new S3ObjectStore(this);
        }

        @Override
        public String toString() {
            return "S3ObjectStore.Builder[bucket=" + bucket + ", prefix=" + prefix + ", region=" + region
                    + ", endpoint=" + endpoint + ", credentials=" + (accessKey == null ? "default chain" : "static")
                    + "]";
        }
    }
}
