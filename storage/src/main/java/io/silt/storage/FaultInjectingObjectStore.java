package io.silt.storage;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Injects the failures real buckets produce, at the storage seam, for tests and chaos runs.
 *
 * <p>Per {@link Op kind of operation} a {@link FaultInjectingPolicy} sets random faults: errors thrown before the
 * request reaches the delegate, responses lost after a write was performed, and added latency (through an injected
 * {@link Sleeper}). Scripted one-shot faults ({@link #failNext}, {@link #loseNextResponses}) take precedence over the
 * random ones. Every injected fault is counted ({@link #injected()}).
 *
 * <p>Randomness comes from one {@link SplittableRandom} seeded with the given seed, drawn under a lock: a
 * single-threaded run is reproducible; a multi-threaded one draws the same sequence but hands it out in the order
 * the threads arrive. Create instances with {@link #wrap}: the result implements {@link SupportsCompareAndSwap}
 * exactly when the delegate does. Thread-safe.
 */
public class FaultInjectingObjectStore implements ObjectStore {

    /** The kinds of operation faults are configured for. */
    public enum Op {
        /** {@code get}, ranged {@code get} and {@code getIfChanged}. */
        GET,
        HEAD,
        PUT,
        PUT_IF_ABSENT,
        PUT_IF_MATCH,
        LIST,
        /** {@code delete} and {@code deleteAll}. */
        DELETE;

        /** Whether the operation changes the bucket (so its response can be lost after it happened). */
        public boolean isWrite() {
            return this == PUT || this == PUT_IF_ABSENT || this == PUT_IF_MATCH || this == DELETE;
        }
    }

    /**
     * What was injected so far.
     *
     * @param errors errors thrown before the request reached the store, by reason
     * @param lostResponses writes performed whose response was then lost
     * @param delayedRequests requests that were given added latency
     * @param addedLatency the latency added in all
     */
    public record Injected(Map<StoreUnavailableException.Reason, Long> errors, long lostResponses,
            long delayedRequests, Duration addedLatency) {
        public Injected {
            Map<StoreUnavailableException.Reason, Long> byReason = new EnumMap<>(StoreUnavailableException.Reason.class);
            byReason.putAll(errors);
            errors = Collections.unmodifiableMap(byReason);
        }

        /** Errors plus lost responses. */
        public long faults() {
            return errors.values().stream().mapToLong(Long::longValue).sum() + lostResponses;
        }
    }

    private final ObjectStore delegate;
    private final long seed;
    private final SplittableRandom random;
    private final Sleeper sleeper;
    private final Map<Op, FaultInjectingPolicy> policies = new EnumMap<>(Op.class);
    private final Map<Op, Queue<StoreUnavailableException.Reason>> scriptedErrors = new EnumMap<>(Op.class);
    private final Map<Op, AtomicInteger> scriptedLosses = new EnumMap<>(Op.class);
    private final Map<StoreUnavailableException.Reason, LongAdder> errorCounts =
            new EnumMap<>(StoreUnavailableException.Reason.class);
    private final LongAdder lostResponses = new LongAdder();
    private final LongAdder delayedRequests = new LongAdder();
    private final LongAdder addedLatencyNanos = new LongAdder();

    private FaultInjectingObjectStore(ObjectStore delegate, long seed, Sleeper sleeper) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        for (Op op : Op.values()) {
            policies.put(op, FaultInjectingPolicy.NONE);
            scriptedErrors.put(op, new ConcurrentLinkedQueue<>());
            scriptedLosses.put(op, new AtomicInteger());
        }
        for (StoreUnavailableException.Reason r : StoreUnavailableException.Reason.values()) {
            errorCounts.put(r, new LongAdder());
        }
    }

    /** Wraps {@code delegate} with no faults configured yet; added latency really sleeps. */
    public static FaultInjectingObjectStore wrap(ObjectStore delegate, long seed) {
        return wrap(delegate, seed, Sleeper.SYSTEM);
    }

    /** Wraps {@code delegate} with no faults configured yet; the result supports If-Match iff the delegate does. */
    public static FaultInjectingObjectStore wrap(ObjectStore delegate, long seed, Sleeper sleeper) {
        return delegate instanceof SupportsCompareAndSwap
                ? new WithCompareAndSwap(delegate, seed, sleeper)
                : new FaultInjectingObjectStore(delegate, seed, sleeper);
    }

    /** Sets the random faults of one kind of operation; returns this store. */
    public FaultInjectingObjectStore setPolicy(Op op, FaultInjectingPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        synchronized (policies) {
            policies.put(op, policy);
        }
        return this;
    }

    /** Sets the same random faults for every kind of operation (lost responses apply to writes only). */
    public FaultInjectingObjectStore setPolicy(FaultInjectingPolicy policy) {
        for (Op op : Op.values()) {
            setPolicy(op, policy);
        }
        return this;
    }

    public FaultInjectingPolicy policy(Op op) {
        synchronized (policies) {
            return policies.get(op);
        }
    }

    /** Fails the next {@code n} requests of {@code op} with a 500 before they reach the store. */
    public FaultInjectingObjectStore failNext(Op op, int n) {
        return failNext(op, n, StoreUnavailableException.Reason.SERVER_ERROR);
    }

    /** Fails the next {@code n} requests of {@code op} with {@code reason} before they reach the store. */
    public FaultInjectingObjectStore failNext(Op op, int n, StoreUnavailableException.Reason reason) {
        Objects.requireNonNull(reason, "reason");
        for (int i = 0; i < n; i++) {
            scriptedErrors.get(op).add(reason);
        }
        return this;
    }

    /**
     * Performs the next {@code n} writes of {@code op}, then loses their responses.
     *
     * @throws IllegalArgumentException if {@code op} is not a write
     */
    public FaultInjectingObjectStore loseNextResponses(Op op, int n) {
        if (!op.isWrite()) {
            throw new IllegalArgumentException(op + " is not a write; only a write's response can be lost");
        }
        scriptedLosses.get(op).addAndGet(n);
        return this;
    }

    /** What was injected so far. */
    public Injected injected() {
        Map<StoreUnavailableException.Reason, Long> errors = new EnumMap<>(StoreUnavailableException.Reason.class);
        errorCounts.forEach((reason, count) -> errors.put(reason, count.sum()));
        return new Injected(errors, lostResponses.sum(), delayedRequests.sum(),
                Duration.ofNanos(addedLatencyNanos.sum()));
    }

    public long seed() {
        return seed;
    }

    public ObjectStore delegate() {
        return delegate;
    }

    /** @throws StoreUnavailableException if a fault is injected; otherwise what the delegate throws */
    @Override
    public Optional<ObjectData> get(String key) {
        return call(Op.GET, key, () -> delegate.get(key));
    }

    /** @throws StoreUnavailableException if a fault is injected; otherwise what the delegate throws */
    @Override
    public Optional<ObjectData> get(String key, ByteRange range) {
        return call(Op.GET, key, () -> delegate.get(key, range));
    }

    /** @throws StoreUnavailableException if a fault is injected; otherwise what the delegate throws */
    @Override
    public ConditionalGet getIfChanged(String key, String etag) {
        return call(Op.GET, key, () -> delegate.getIfChanged(key, etag));
    }

    /** @throws StoreUnavailableException if a fault is injected; otherwise what the delegate throws */
    @Override
    public Optional<ObjectInfo> head(String key) {
        return call(Op.HEAD, key, () -> delegate.head(key));
    }

    /**
     * @throws StoreUnavailableException if a fault is injected (an I/O one if the response was lost after the write
     *     happened); otherwise what the delegate throws
     */
    @Override
    public ObjectInfo put(String key, byte[] data, Map<String, String> metadata) {
        return call(Op.PUT, key, () -> delegate.put(key, data, metadata));
    }

    /**
     * A lost response after the write (whatever the delegate answered, as when S3Proxy breaks the connection on an
     * early 412) comes back as {@link CreateResult.Unknown}.
     *
     * @throws StoreUnavailableException if an error is injected before the request; otherwise what the delegate
     *     throws
     */
    @Override
    public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
        beforeRequest(Op.PUT_IF_ABSENT, key);
        CreateResult result = delegate.putIfAbsent(key, data, metadata);
        return responseLost(Op.PUT_IF_ABSENT) ? new CreateResult.Unknown(lostResponse(Op.PUT_IF_ABSENT, key)) : result;
    }

    /** @throws StoreUnavailableException if a fault is injected; otherwise what the delegate throws */
    @Override
    public ListPage list(String prefix, String startAfter, int maxKeys) {
        return call(Op.LIST, prefix, () -> delegate.list(prefix, startAfter, maxKeys));
    }

    /**
     * @throws StoreUnavailableException if a fault is injected (an I/O one if the response was lost after the
     *     delete happened); otherwise what the delegate throws
     */
    @Override
    public void delete(String key) {
        call(Op.DELETE, key, () -> {
            delegate.delete(key);
            return null;
        });
    }

    /**
     * One DELETE request as far as faults go.
     *
     * @throws StoreUnavailableException as {@link #delete}
     */
    @Override
    public void deleteAll(Collection<String> keys) {
        List<String> copy = List.copyOf(keys);
        call(Op.DELETE, copy.size() + " keys", () -> {
            delegate.deleteAll(copy);
            return null;
        });
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** Injects latency and errors, runs {@code request}, then maybe loses its response (writes only). */
    <T> T call(Op op, String key, Supplier<T> request) {
        beforeRequest(op, key);
        T result = request.get();
        if (responseLost(op)) {
            throw lostResponse(op, key);
        }
        return result;
    }

    private void beforeRequest(Op op, String key) {
        FaultInjectingPolicy policy = policy(op);
        addLatency(policy);
        StoreUnavailableException.Reason reason = scriptedErrors.get(op).poll();
        if (reason == null && policy.errorRate() > 0) {
            synchronized (random) {
                if (random.nextDouble() < policy.errorRate()) {
                    List<StoreUnavailableException.Reason> reasons = policy.errorReasons();
                    reason = reasons.get(random.nextInt(reasons.size()));
                }
            }
        }
        if (reason != null) {
            errorCounts.get(reason).increment();
            throw new StoreUnavailableException(reason, "injected fault: " + httpName(reason) + " on " + op + " '"
                    + key + "' (" + delegate.describe() + ", fault seed " + seed + ")");
        }
    }

    private boolean responseLost(Op op) {
        if (!op.isWrite()) {
            return false;
        }
        if (scriptedLosses.get(op).getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return true;
        }
        double rate = policy(op).lostResponseRate();
        if (rate == 0) {
            return false;
        }
        synchronized (random) {
            return random.nextDouble() < rate;
        }
    }

    private StoreUnavailableException lostResponse(Op op, String key) {
        lostResponses.increment();
        return new StoreUnavailableException(StoreUnavailableException.Reason.IO, "injected fault: connection reset"
                + " after " + op + " '" + key + "' was performed; the response was lost (" + delegate.describe()
                + ", fault seed " + seed + ")");
    }

    private void addLatency(FaultInjectingPolicy policy) {
        long min = policy.minLatency().toNanos();
        long max = policy.maxLatency().toNanos();
        if (max == 0) {
            return;
        }
        long nanos = min;
        if (max > min) {
            synchronized (random) {
                nanos = random.nextLong(min, max + 1);
            }
        }
        delayedRequests.increment();
        addedLatencyNanos.add(nanos);
        try {
            sleeper.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException(StoreUnavailableException.Reason.TIMEOUT,
                    "interrupted during " + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms of injected latency", e);
        }
    }

    private static String httpName(StoreUnavailableException.Reason reason) {
        return switch (reason) {
            case SERVER_ERROR -> "500 InternalError";
            case THROTTLED -> "503 SlowDown";
            case CONFLICT -> "409 ConditionalRequestConflict";
            case IO -> "connection reset";
            case TIMEOUT -> "request timed out";
        };
    }

    /** The variant for delegates that support {@code If-Match}; chosen by {@link #wrap}. */
    private static final class WithCompareAndSwap extends FaultInjectingObjectStore implements SupportsCompareAndSwap {
        private final SupportsCompareAndSwap cas;

        private WithCompareAndSwap(ObjectStore delegate, long seed, Sleeper sleeper) {
            super(delegate, seed, sleeper);
            this.cas = (SupportsCompareAndSwap) delegate;
        }

        /**
         * @throws StoreUnavailableException if a fault is injected (an I/O one if the response was lost after the
         *     swap happened); otherwise what the delegate throws
         */
        @Override
        public SwapResult putIfMatch(String key, byte[] data, String expectedEtag, Map<String, String> metadata) {
            return call(Op.PUT_IF_MATCH, key, () -> cas.putIfMatch(key, data, expectedEtag, metadata));
        }
    }
}
