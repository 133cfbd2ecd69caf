package io.silt.client.internal.http;

import io.silt.client.AuthorizationException;
import io.silt.client.BufferExhaustedException;
import io.silt.client.CommitFailedException;
import io.silt.client.CorruptDataException;
import io.silt.client.InvalidRequestException;
import io.silt.client.OffsetOutOfRangeException;
import io.silt.client.ProducerFencedException;
import io.silt.client.RecordTooLargeException;
import io.silt.client.RetriableSiltException;
import io.silt.client.SiltException;
import io.silt.client.StoreUnavailableException;
import io.silt.client.TopicExistsException;
import io.silt.client.TopicInfo;
import io.silt.client.UnknownTopicException;
import io.silt.client.internal.DirectTransport;
import io.silt.client.internal.Transport;
import io.silt.client.internal.wire.BatchCodec;
import io.silt.storage.ObjectStore;
import io.silt.storage.RetryingObjectStore;
import io.silt.storage.log.LogConfig;
import io.silt.storage.log.segment.Record;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The SDK over the Silt service's REST API (RFC 0009), with {@code java.net.http}. Appends go to the partition
 * produce route as binary batches ({@link BatchCodec}) with the idempotent producer's headers, so the service
 * recognises a retried batch; fetches use the fetch route's long poll; topics and offsets the topic routes.
 * Consumer groups and queues run the direct SDK's own protocols on {@link #stateStore()}, an {@link HttpStateStore}
 * over the service's {@code /v1/state} routes (retried like a bucket). The client's clock, time source, sleeper and
 * randomness are its own, as with the direct transport.
 */
public final class HttpTransport implements Transport {
    private static final System.Logger LOG = System.getLogger(HttpTransport.class.getName());
    /** The longest wait one fetch request asks for (the service caps {@code waitMs} at 20 s). */
    static final Duration MAX_WAIT_PER_REQUEST = Duration.ofSeconds(20);

    private final ServiceCalls calls;
    private final HttpStateStore state;
    private final ObjectStore retryingState;
    private final LogConfig logConfig;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final SplittableRandom random;
    private final DirectTransport.Sleeper sleeper;
    private final Map<String, TopicMeta> topicCache = new ConcurrentHashMap<>();
    private final java.util.Set<Runnable> closeHooks = ConcurrentHashMap.newKeySet();

    /**
     * @param baseUrl the service, e.g. {@code http://localhost:8080} (a path, e.g. an API stage, is kept)
     * @param apiKey the service's API key, or {@code null} if it needs none
     */
    public HttpTransport(String baseUrl, String apiKey, LogConfig logConfig, Clock clock, LongSupplier nanoTime,
                         long seed, DirectTransport.Sleeper sleeper) {
        this.calls = new ServiceCalls(baseUrl, apiKey);
        this.state = new HttpStateStore(calls);
        this.retryingState = RetryingObjectStore.wrap(state);
        this.logConfig = logConfig;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.random = new SplittableRandom(seed);
        this.sleeper = sleeper;
    }

    @Override
    public String target() {
        return calls.base();
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public LongSupplier nanoTime() {
        return nanoTime;
    }

    @Override
    public DirectTransport.Sleeper sleeper() {
        return sleeper;
    }

    @Override
    public synchronized SplittableRandom newRandom() {
        return random.split();
    }

    @Override
    public LogConfig logConfig() {
        return logConfig;
    }

    /** The service's state routes, retried (throttling, unknown outcomes read back) like a bucket. */
    @Override
    public ObjectStore stateStore() {
        return retryingState;
    }

    // ------------------------------------------------------------------------------------------------ topics

    @Override
    public TopicMeta createTopic(String name, int partitions, Optional<Duration> retentionTime,
                                 Optional<Long> retentionBytes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("partitions", partitions);
        body.put("retentionMs", retentionTime.map(Duration::toMillis).orElse(null));
        body.put("retentionBytes", retentionBytes.orElse(null));
        HttpResponse<byte[]> r = call(calls.request("/v1/topics").header("Content-Type", ServiceCalls.JSON)
                .POST(ServiceCalls.json(body)).build());
        TopicMeta m = meta(ServiceCalls.body(r));
        topicCache.put(name, m);
        return m;
    }

    /** The topic, cached (producers ask on every send); a topic deleted meanwhile is noticed on the next miss. */
    @Override
    public TopicMeta topic(String name) {
        TopicMeta m = topicCache.get(name);
        if (m != null) {
            return m;
        }
        m = meta(ServiceCalls.body(call(calls.request(topicPath(name)).GET().build())));
        topicCache.put(name, m);
        return m;
    }

    @Override
    public void forget(String name) {
        topicCache.remove(name);
    }

    @Override
    public void checkPartition(String topic, int partition) {
        int n = topic(topic).partitions();
        if (partition < 0 || partition >= n) {
            throw new InvalidRequestException("topic '" + topic + "' has partitions 0.." + (n - 1)
                    + "; there is no partition " + partition);
        }
    }

    @Override
    public TopicFigures describe(String name, Duration window) {
        topicCache.remove(name);
        Map<String, Object> t = ServiceCalls.body(call(calls.request(topicPath(name)).GET().build()));
        TopicMeta m = meta(t);
        topicCache.put(name, m);
        List<TopicInfo.PartitionInfo> parts = new ArrayList<>();
        if (t.get("partitionInfo") instanceof List<?> list) {
            for (Object o : list) {
                @SuppressWarnings("unchecked")
                Map<String, Object> p = (Map<String, Object>) o;
                parts.add(new TopicInfo.PartitionInfo((int) ServiceCalls.number(p, "partition"),
                        ServiceCalls.number(p, "startOffset"), ServiceCalls.number(p, "endOffset"),
                        ServiceCalls.optionalNumber(p, "bytes").orElse(0L)));
            }
        }
        double produced = t.get("productionRate") instanceof Number n ? n.doubleValue() : 0;
        return new TopicFigures(m, List.copyOf(parts), produced);
    }

    @Override
    public void purge(String name) {
        call(calls.request(topicPath(name) + "/purge").POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    @Override
    public List<String> listTopics() {
        Map<String, Object> body = ServiceCalls.body(call(calls.request("/v1/topics").GET().build()));
        List<String> out = new ArrayList<>();
        if (body.get("topics") instanceof List<?> list) {
            list.forEach(o -> out.add(String.valueOf(o)));
        }
        return List.copyOf(out);
    }

    @Override
    public boolean deleteTopic(String name) {
        topicCache.remove(name);
        HttpResponse<byte[]> r = answer(calls.request(topicPath(name)).DELETE().build());
        if (r.statusCode() == 404) {
            return false;
        }
        check(r);
        return true;
    }

    @Override
    public TopicMeta alterRetention(String name, Optional<Duration> retentionTime, Optional<Long> retentionBytes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("retentionMs", retentionTime.map(Duration::toMillis).orElse(null));
        body.put("retentionBytes", retentionBytes.orElse(null));
        HttpResponse<byte[]> r = call(calls.request(topicPath(name)).header("Content-Type", ServiceCalls.JSON)
                .method("PATCH", ServiceCalls.json(body)).build());
        TopicMeta m = meta(ServiceCalls.body(r));
        topicCache.put(name, m);
        return m;
    }

    // ------------------------------------------------------------------------------------------------ records

    @Override
    public CompletableFuture<AppendAck> append(String topic, int partition, long producerId, int epoch,
                                               int firstSequence, List<Record> records) {
        return append(topic, partition, producerId, epoch, firstSequence, records, null);
    }

    /**
     * One request per batch. An idempotent producer's batch carries its id, epoch and first sequence, so a retry
     * after an unanswered request (which may have been appended) is acknowledged once, as a duplicate.
     */
    @Override
    public CompletableFuture<AppendAck> append(String topic, int partition, long producerId, int epoch,
                                               int firstSequence, List<Record> records, Encoding encoding) {
        if (records.isEmpty()) {
            return CompletableFuture.failedFuture(new InvalidRequestException("a batch holds at least one record"));
        }
        HttpRequest.Builder b;
        try {
            b = calls.request(partitionPath(topic, partition) + "/records")
                    .header("Content-Type", BatchCodec.MEDIA_TYPE)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(BatchCodec.encodeRecords(records)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (producerId != 0) {
            b.header("Silt-Producer-Id", Long.toString(producerId))
                    .header("Silt-Producer-Epoch", Integer.toString(epoch))
                    .header("Silt-First-Sequence", Integer.toString(firstSequence));
        }
        if (encoding != null) {
            b.header("Silt-Compress", Boolean.toString(encoding.compress()));
        }
        return calls.sendAsync(b.build()).handle((r, e) -> {
            if (e != null) {
                throw unanswered(e);
            }
            check(r);
            Map<String, Object> ack = ServiceCalls.body(r);
            return new AppendAck(ServiceCalls.number(ack, "baseOffset"), (int) ServiceCalls.number(ack, "count"),
                    Boolean.TRUE.equals(ack.get("duplicate")));
        });
    }

    /**
     * Asks the service to wait for records (its long poll, at most 20 s per request; a longer wait takes several
     * requests). The wait is the service's, on its clock: the client's sleeper is not used.
     */
    @Override
    public FetchResult fetch(String topic, int partition, long offset, int maxRecords, long maxBytes, Duration wait) {
        Duration left = wait.isNegative() ? Duration.ZERO : wait;
        while (true) {
            Duration slice = left.compareTo(MAX_WAIT_PER_REQUEST) > 0 ? MAX_WAIT_PER_REQUEST : left;
            String path = partitionPath(topic, partition) + "/records?offset=" + offset + "&maxRecords=" + maxRecords
                    + "&maxBytes=" + maxBytes + "&waitMs=" + slice.toMillis();
            HttpResponse<byte[]> r = call(calls.request(path, ServiceCalls.REQUEST_TIMEOUT.plus(slice))
                    .header("Accept", BatchCodec.MEDIA_TYPE).GET().build());
            List<Fetched> records;
            try {
                records = BatchCodec.decodeFetched(r.body());
            } catch (BatchCodec.MalformedBatchException e) {
                throw new CorruptDataException("the service's answer to a fetch of " + topic + "-" + partition
                        + " is not a well-formed batch: " + e.getMessage(), e);
            }
            left = left.minus(slice);
            if (!records.isEmpty() || left.isZero()) {
                return new FetchResult(records, header(r, "Silt-Start-Offset"), header(r, "Silt-End-Offset"));
            }
        }
    }

    @Override
    public long[] offsets(String topic, int partition) {
        Map<String, Object> o = ServiceCalls.body(call(calls.request(partitionPath(topic, partition) + "/offsets")
                .GET().build()));
        return new long[] {ServiceCalls.number(o, "startOffset"), ServiceCalls.number(o, "endOffset")};
    }

    @Override
    public long offsetForTimestamp(String topic, int partition, long timestamp) {
        Map<String, Object> o = ServiceCalls.body(call(calls.request(partitionPath(topic, partition)
                + "/offsets?timestamp=" + timestamp).GET().build()));
        return ServiceCalls.number(o, "offset");
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    @Override
    public Runnable onClose(Runnable hook) {
        closeHooks.add(hook);
        return () -> closeHooks.remove(hook);
    }

    @Override
    public void close() {
        for (Runnable hook : List.copyOf(closeHooks)) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a close hook failed", e);
            }
        }
        closeHooks.clear();
        calls.close();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static String topicPath(String topic) {
        return "/v1/topics/" + ServiceCalls.encodeQuery(topic);
    }

    private static String partitionPath(String topic, int partition) {
        return topicPath(topic) + "/partitions/" + partition;
    }

    private static long header(HttpResponse<byte[]> r, String name) {
        String v = r.headers().firstValue(name).orElseThrow(() -> new SiltException("the service's fetch answer "
                + "has no " + name + " header"));
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new SiltException("the service's " + name + " header is not a number: " + v, e);
        }
    }

    private static TopicMeta meta(Map<String, Object> t) {
        Object name = t.get("name");
        Object incarnation = t.get("incarnation");
        return new TopicMeta(String.valueOf(name), (int) ServiceCalls.number(t, "partitions"),
                ServiceCalls.optionalNumber(t, "retentionMs").map(Duration::ofMillis),
                ServiceCalls.optionalNumber(t, "retentionBytes"), incarnation == null ? "" : incarnation.toString());
    }

    /** Sends; a 2xx answer is returned, anything else thrown as the SDK's exception. */
    private HttpResponse<byte[]> call(HttpRequest request) {
        return check(answer(request));
    }

    private HttpResponse<byte[]> answer(HttpRequest request) {
        try {
            return calls.send(request);
        } catch (ServiceCalls.Unanswered e) {
            throw unanswered(e);
        }
    }

    private static SiltException unanswered(Throwable e) {
        Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                ? e.getCause() : e;
        return new StoreUnavailableException("the Silt service did not answer (" + t.getMessage() + "); for an "
                + "append the outcome is unknown: an idempotent producer's retry settles it", t);
    }

    private static HttpResponse<byte[]> check(HttpResponse<byte[]> r) {
        if (r.statusCode() / 100 == 2) {
            return r;
        }
        throw error(ServiceCalls.problem(r));
    }

    /** The SDK's exception for a problem answer (the table of RFC 0009). */
    static SiltException error(ServiceCalls.Problem p) {
        String m = p.describe();
        return switch (p.kind()) {
            case "invalid-request", "not-found", "unsupported-media-type" -> new InvalidRequestException(m);
            case "unauthenticated", "forbidden" -> new AuthorizationException(m);
            case "unknown-topic" -> new UnknownTopicException(m);
            case "topic-exists" -> new TopicExistsException(m);
            case "producer-fenced" -> new ProducerFencedException(m);
            case "commit-failed" -> new CommitFailedException(m);
            case "too-large" -> new RecordTooLargeException(m);
            case "offset-out-of-range" -> new OffsetOutOfRangeException(m);
            case "back-pressure" -> new BufferExhaustedException(m);
            case "corrupt-data" -> new CorruptDataException(m);
            default -> p.status() == 503 || p.status() == 502 || p.status() == 504 ? new StoreUnavailableException(m)
                    : p.status() == 429 ? new RetriableSiltException(m) : new SiltException(m);
        };
    }
}
