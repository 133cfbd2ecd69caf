package io.silt.functions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.silt.functions.SiltRuntime;
import io.silt.storage.CreateResult;
import io.silt.storage.ObjectData;
import io.silt.storage.ObjectStore;
import io.silt.storage.log.CommitUnknownException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * {@code Idempotency-Key} on produce routes (RFC 0009): a retried request with the same key appends once, and its
 * answer is the first answer with {@code "duplicate": true}.
 *
 * <p>One marker object per key, {@code idempotency/{topic}/{sha256(key)}}, decides who appends: the first request
 * creates it create-only ({@code If-None-Match: *}) in state {@code pending} before it appends, and overwrites it
 * (a plain PUT: only the creator writes it) with the answer after the commit is durable. A concurrent request with
 * the same key in this process waits for the first one's answer; one in another process loses the create-only
 * write and gets 409 {@code conflict} with {@code Retry-After} while the first is pending, the first's answer once it
 * is done. So exactly one of any number of concurrent requests appends, across processes and restarts.
 *
 * <p>A marker counts for {@code silt.idempotency-window} (default 24 h) from its creation; an older one is replaced.
 * If the first request failed before its commit, the marker is deleted and a retry appends; if the commit's outcome
 * is unknown (DESIGN rule 4) or the instance stopped between creating the marker and answering, the marker stays
 * {@code pending}/{@code unknown}, and a retry gets 409 until the window passes (never a second, blind append).
 * Cost per keyed request: one GET, two PUTs (about $0.0100 per 1,000 requests); markers are not deleted by the
 * service: give the bucket a lifecycle rule expiring {@code idempotency/} after a day.
 */
@ApplicationScoped
public class IdempotencyKeys {
    private static final Logger LOG = Logger.getLogger(IdempotencyKeys.class);
    /** The longest key accepted. */
    public static final int MAX_KEY_LENGTH = 200;
    static final String PREFIX = "idempotency/";

    private final ObjectStore store;
    private final Clock clock;
    private final Duration window;
    private final ObjectMapper json;
    private final Map<String, CompletableFuture<ObjectNode>> local = new ConcurrentHashMap<>();

    public IdempotencyKeys(SiltRuntime runtime, ApiLimits limits, ObjectMapper json) {
        this.store = runtime.store();
        this.clock = runtime.transport().clock();
        this.window = limits.idempotencyWindow();
        this.json = json;
    }

    /** The marker's content. {@code answer} is set when {@code state} is {@code done}. */
    record Marker(String state, String request, String token, long createdAt, JsonNode answer) {}

    /**
     * Runs {@code append} once per key: the first request with {@code key} runs it and remembers its answer; a
     * retry gets that answer with {@code "duplicate": true}. Blocking (store requests): call on a worker thread.
     *
     * @param fingerprint what identifies the request (route and body): reusing a key for another request is 409
     * @param append appends and answers with the JSON to send (it must have a {@code duplicate} field)
     */
    public CompletionStage<ObjectNode> once(String topic, String key, byte[] fingerprint,
                                            Supplier<CompletionStage<ObjectNode>> append) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw ApiErrors.invalid("Idempotency-Key must be 1 to " + MAX_KEY_LENGTH + " characters; it has "
                    + key.length());
        }
        String objectKey = PREFIX + topic + "/" + sha256(key.getBytes(StandardCharsets.UTF_8));
        String request = sha256(fingerprint);
        CompletableFuture<ObjectNode> mine = new CompletableFuture<>();
        CompletableFuture<ObjectNode> first = local.putIfAbsent(objectKey, mine);
        if (first != null) {
            return first.thenApply(IdempotencyKeys::asDuplicate);
        }
        try {
            Optional<ObjectNode> replay = claim(objectKey, request);
            if (replay.isPresent()) {
                local.remove(objectKey, mine);
                mine.complete(replay.get());
                return CompletableFuture.completedFuture(asDuplicate(replay.get()));
            }
        } catch (RuntimeException e) {
            local.remove(objectKey, mine);
            mine.completeExceptionally(e);
            throw e;
        }
        CompletionStage<ObjectNode> appended;
        try {
            appended = append.get();
        } catch (RuntimeException e) {
            appended = CompletableFuture.failedFuture(e);
        }
        return appended.whenComplete((answer, failure) -> {
            try {
                if (failure == null) {
                    write(objectKey, new Marker("done", request, null, clock.millis(), answer));
                } else {
                    release(objectKey, request, failure);
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "could not record the outcome of idempotency key %s", objectKey);
            } finally {
                local.remove(objectKey, mine);
                if (failure == null) {
                    mine.complete(answer);
                } else {
                    mine.completeExceptionally(failure);
                }
            }
        });
    }

    /** Claims the key (empty) or returns the stored answer; throws 409 while another holds it. */
    private Optional<ObjectNode> claim(String objectKey, String request) {
        String token = UUID.randomUUID().toString();
        byte[] pending = bytes(new Marker("pending", request, token, clock.millis(), null));
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Marker> existing = read(objectKey);
            if (existing.isPresent()) {
                Marker m = existing.get();
                if (clock.millis() - m.createdAt() < window.toMillis()) {
                    return Optional.of(answerOf(m, request));
                }
                store.delete(objectKey); // expired: the key may be used again
            }
            CreateResult r = store.putIfAbsent(objectKey, pending);
            if (r.created()) {
                return Optional.empty();
            }
            if (r instanceof CreateResult.Unknown u) {
                Optional<Marker> back = read(objectKey);
                if (back.isPresent() && token.equals(back.get().token())) {
                    return Optional.empty();
                }
                if (back.isEmpty()) {
                    throw u.cause();
                }
            }
            // someone else created it: read theirs
        }
        throw ApiErrors.retryAfter(409, "conflict", "Idempotency key in use",
                "another request with this Idempotency-Key is being processed; retry", 1);
    }

    private ObjectNode answerOf(Marker m, String request) {
        if (!m.request().equals(request)) {
            throw ApiErrors.problem(409, "conflict", "Idempotency key reused",
                    "this Idempotency-Key was used for a different request (another route or body) within the "
                            + "deduplication window; use a new key for a new request");
        }
        return switch (m.state()) {
            case "done" -> (ObjectNode) m.answer();
            case "pending" -> throw ApiErrors.retryAfter(409, "conflict", "Idempotency key in use",
                    "a request with this Idempotency-Key is being processed (or its instance stopped before "
                            + "answering; then the key stays unusable for the deduplication window); retry", 1);
            default -> throw ApiErrors.problem(409, "conflict", "Outcome unknown",
                    "the first request with this Idempotency-Key ended with an unknown outcome (it may or may not "
                            + "have been appended); it is not appended again with this key");
        };
    }

    /** After a failed append: forget the key if nothing was committed, else remember that the outcome is unknown. */
    private void release(String objectKey, String request, Throwable failure) {
        if (isUnknown(failure)) {
            write(objectKey, new Marker("unknown", request, null, clock.millis(), null));
        } else {
            store.delete(objectKey);
        }
    }

    private static boolean isUnknown(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof CommitUnknownException) {
                return true;
            }
        }
        return false;
    }

    private static ObjectNode asDuplicate(ObjectNode answer) {
        ObjectNode copy = answer.deepCopy();
        copy.put("duplicate", true);
        return copy;
    }

    private Optional<Marker> read(String objectKey) {
        Optional<ObjectData> d = store.get(objectKey);
        if (d.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(d.get().bytes(), Marker.class));
        } catch (IOException e) {
            LOG.warnf("ignoring an unreadable idempotency marker %s", objectKey);
            store.delete(objectKey);
            return Optional.empty();
        }
    }

    private void write(String objectKey, Marker m) {
        store.put(objectKey, bytes(m));
    }

    private byte[] bytes(Marker m) {
        try {
            return json.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
