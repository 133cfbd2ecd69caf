package io.silt.storage;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Retries transient failures of another store with exponential backoff and full jitter ({@link RetryPolicy}).
 *
 * <p>Only {@link StoreUnavailableException} (throttling, 5xx, 409 ConditionalRequestConflict, I/O, timeouts) is
 * retried. Answers are never retried: "not found", "already exists" (412), "not modified" (304) come back as values
 * on the first attempt, and {@link StoreAccessDeniedException}, {@link StoreConfigurationException},
 * {@link InvalidKeyException}, {@link InvalidRangeException} and {@link IllegalArgumentException} propagate at once.
 * When the budget runs out, the last failure is thrown as a {@link StoreUnavailableException} with the same
 * {@linkplain StoreUnavailableException#reason() reason} whose message says how many attempts were made.
 *
 * <p>{@link #putIfAbsent} also resolves unknown outcomes (DESIGN rule 4): after an attempt whose outcome is unknown it
 * reads the key back and compares the bytes, retries the <em>same</em> create-only write while the key is missing,
 * and returns {@link CreateResult.Unknown} rather than a guess when the budget runs out. See
 * {@link RetryingCreate}.
 *
 * <p>Create instances with {@link #wrap}: the result implements {@link SupportsCompareAndSwap} exactly when the
 * delegate does, so capability checks ({@code store instanceof SupportsCompareAndSwap}) see through the decorator.
 * Sleeping, randomness and the time source are injected so tests never sleep and are reproducible. Thread-safe if
 * the delegate is.
 */
public class RetryingObjectStore implements ObjectStore {
    static final System.Logger LOG = System.getLogger(RetryingObjectStore.class.getName());

    private final ObjectStore delegate;
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final LongSupplier nanoTime;

    private RetryingObjectStore(ObjectStore delegate, RetryPolicy policy, Sleeper sleeper, RandomGenerator random,
            LongSupplier nanoTime) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** Wraps {@code delegate} with {@link RetryPolicy#DEFAULT}, real sleeping and an unseeded random source. */
    public static RetryingObjectStore wrap(ObjectStore delegate) {
        return wrap(delegate, RetryPolicy.DEFAULT);
    }

    /** Wraps {@code delegate} with {@code policy}, real sleeping and an unseeded random source. */
    public static RetryingObjectStore wrap(ObjectStore delegate, RetryPolicy policy) {
        return wrap(delegate, policy, Sleeper.SYSTEM, new SplittableRandom(), System::nanoTime);
    }

    /**
     * Wraps {@code delegate}; the result implements {@link SupportsCompareAndSwap} if and only if the delegate does.
     *
     * @param random draws the jitter; used under a lock, so it need not be thread-safe
     * @param nanoTime a monotonic clock in nanoseconds (like {@link System#nanoTime()}) for the total-time cap
     */
    public static RetryingObjectStore wrap(ObjectStore delegate, RetryPolicy policy, Sleeper sleeper,
            RandomGenerator random, LongSupplier nanoTime) {
        return delegate instanceof SupportsCompareAndSwap
                ? new WithCompareAndSwap(delegate, policy, sleeper, random, nanoTime)
                : new RetryingObjectStore(delegate, policy, sleeper, random, nanoTime);
    }

    public RetryPolicy policy() {
        return policy;
    }

    public ObjectStore delegate() {
        return delegate;
    }

    /** @throws StoreUnavailableException once the retry budget is spent; other errors at once */
    @Override
    public Optional<ObjectData> get(String key) {
        return retry("get", key, () -> delegate.get(key));
    }

    /** @throws StoreUnavailableException once the retry budget is spent; other errors at once */
    @Override
    public Optional<ObjectData> get(String key, ByteRange range) {
        return retry("get " + range, key, () -> delegate.get(key, range));
    }

    /** @throws StoreUnavailableException once the retry budget is spent; other errors at once */
    @Override
    public ConditionalGet getIfChanged(String key, String etag) {
        return retry("getIfChanged", key, () -> delegate.getIfChanged(key, etag));
    }

    /** @throws StoreUnavailableException once the retry budget is spent; other errors at once */
    @Override
    public Optional<ObjectInfo> head(String key) {
        return retry("head", key, () -> delegate.head(key));
    }

    /**
     * Overwrites are idempotent, so a failed put is simply sent again.
     *
     * @throws StoreUnavailableException once the retry budget is spent; other errors at once
     */
    @Override
    public ObjectInfo put(String key, byte[] data, Map<String, String> metadata) {
        return retry("put", key, () -> delegate.put(key, data, metadata));
    }

    /**
     * A create-only write whose unknown outcomes are resolved by reading back; see {@link RetryingCreate}.
     *
     * @return {@link CreateResult.Created} if this call's bytes are (or were found) under the key,
     *     {@link CreateResult.AlreadyExists} if other bytes are, {@link CreateResult.Unknown} if the budget ran out
     *     (or a non-retriable error came) after an attempt whose outcome was unknown
     * @throws StoreUnavailableException if the budget ran out while every attempt certainly failed
     * @throws ObjectStoreException other errors, when no earlier attempt of this call may have written
     */
    @Override
    public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
        return new RetryingCreate(delegate, budget("putIfAbsent", key), key, data, metadata).run();
    }

    /** @throws StoreUnavailableException once the retry budget is spent; other errors at once */
    @Override
    public ListPage list(String prefix, String startAfter, int maxKeys) {
        return retry("list", prefix, () -> delegate.list(prefix, startAfter, maxKeys));
    }

    /** @throws StoreUnavailableException once the retry budget is spent; other errors at once */
    @Override
    public void delete(String key) {
        retry("delete", key, () -> {
            delegate.delete(key);
            return null;
        });
    }

    /**
     * Deletes are idempotent, so a failed bulk delete is sent again whole.
     *
     * @throws StoreUnavailableException once the retry budget is spent; other errors at once
     */
    @Override
    public void deleteAll(Collection<String> keys) {
        List<String> copy = List.copyOf(keys);
        retry("deleteAll", copy.size() + " keys", () -> {
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

    /** Runs {@code request} until it returns, fails for good or the budget is spent. */
    <T> T retry(String operation, String key, Supplier<T> request) {
        Budget budget = budget(operation, key);
        StoreUnavailableException last = null;
        while (budget.tryStartAttempt()) {
            try {
                return request.get();
            } catch (StoreUnavailableException e) {
                last = e;
                if (!budget.backOff(e)) {
                    break;
                }
            }
        }
        throw budget.giveUp(Objects.requireNonNull(last, "no attempt was made"));
    }

    Budget budget(String operation, String key) {
        return new Budget(operation, key);
    }

    /**
     * The attempts and time one call may still spend. Not thread-safe: one per call. A call's first attempt always
     * starts; later ones only within {@link RetryPolicy#maxAttempts()} and {@link RetryPolicy#totalTimeout()}.
     */
    final class Budget {
        private final String operation;
        private final String key;
        private final long startNanos;
        private int attempts;
        private int retries;
        private boolean interrupted;

        private Budget(String operation, String key) {
            this.operation = operation;
            this.key = key;
            this.startNanos = nanoTime.getAsLong();
        }

        /** Counts a new request if the budget allows one. */
        boolean tryStartAttempt() {
            if (attempts > 0 && (interrupted || attempts >= policy.maxAttempts()
                    || elapsedNanos() > policy.totalTimeout().toNanos())) {
                return false;
            }
            attempts++;
            return true;
        }

        /**
         * Waits before the next attempt after {@code cause}. Returns false, without waiting, when no attempt is
         * left or the wait would end past the total cap; also false if the thread was interrupted while waiting
         * (its interrupt flag is set again).
         */
        boolean backOff(ObjectStoreException cause) {
            if (attempts >= policy.maxAttempts()) {
                return false;
            }
            Duration wait;
            synchronized (random) {
                wait = policy.backoffDelay(retries + 1, random);
            }
            if (elapsedNanos() + wait.toNanos() > policy.totalTimeout().toNanos()) {
                return false;
            }
            retries++;
            LOG.log(Level.DEBUG, () -> "retrying " + operation + " '" + key + "' on " + delegate.describe()
                    + " in " + wait.toMillis() + " ms (attempt " + (attempts + 1) + " of " + policy.maxAttempts()
                    + ") after: " + cause.getMessage());
            try {
                sleeper.sleep(wait);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                interrupted = true;
                return false;
            }
        }

        /** Logs the give-up and returns the exception to throw. */
        StoreUnavailableException giveUp(StoreUnavailableException last) {
            String message = "gave up on " + operation + " '" + key + "' on " + delegate.describe() + " after "
                    + summary() + ": " + last.getMessage();
            LOG.log(Level.WARNING, message);
            return new StoreUnavailableException(last.reason(), message, last);
        }

        /** E.g. "3 attempts in 150 ms", with "(interrupted)" if the wait was interrupted. */
        String summary() {
            return attempts + (attempts == 1 ? " attempt" : " attempts") + " in "
                    + TimeUnit.NANOSECONDS.toMillis(elapsedNanos()) + " ms" + (interrupted ? " (interrupted)" : "");
        }

        String operation() {
            return operation;
        }

        String key() {
            return key;
        }

        private long elapsedNanos() {
            return nanoTime.getAsLong() - startNanos;
        }
    }

    /** The variant for delegates that support {@code If-Match}; chosen by {@link #wrap}. */
    private static final class WithCompareAndSwap extends RetryingObjectStore implements SupportsCompareAndSwap {
        private final SupportsCompareAndSwap cas;

        private WithCompareAndSwap(ObjectStore delegate, RetryPolicy policy, Sleeper sleeper, RandomGenerator random,
                LongSupplier nanoTime) {
            super(delegate, policy, sleeper, random, nanoTime);
            this.cas = (SupportsCompareAndSwap) delegate;
        }

        /**
         * Retried like a plain write. If an earlier attempt's response was lost, a retry may answer
         * {@link SwapResult#STALE} although that attempt replaced the object: harmless where If-Match is allowed at
         * all (a lost race must be harmless there), but callers must re-read after STALE.
         *
         * @throws StoreUnavailableException once the retry budget is spent; other errors at once
         */
        @Override
        public SwapResult putIfMatch(String key, byte[] data, String expectedEtag, Map<String, String> metadata) {
            return retry("putIfMatch", key, () -> cas.putIfMatch(key, data, expectedEtag, metadata));
        }
    }
}
