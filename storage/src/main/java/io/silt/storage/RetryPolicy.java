package io.silt.storage;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How {@link RetryingObjectStore} retries: exponential backoff with full jitter, bounded by a number of attempts
 * and by a total time.
 *
 * <p>Before the {@code n}-th retry ({@code n >= 1}) the store waits a random time in {@code [0, ceiling(n))} where
 * {@code ceiling(n) = min(maxDelay, baseDelay * 2^(n-1))} ("full jitter", as in the AWS Architecture Blog post
 * "Exponential Backoff And Jitter"). It gives up when {@code maxAttempts} requests have been made for one call, or
 * when the next wait would end more than {@code totalTimeout} after the call started.
 *
 * @param baseDelay the ceiling of the first wait; zero or positive
 * @param maxDelay the largest ceiling of any wait; at least {@code baseDelay}
 * @param maxAttempts how many requests one call may make in all, the first included; at least 1
 * @param totalTimeout no retry starts later than this after the call started; positive
 */
public record RetryPolicy(Duration baseDelay, Duration maxDelay, int maxAttempts, Duration totalTimeout) {

    /** 50 ms base, 2 s largest wait, 8 attempts, 30 s in all. */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(Duration.ofMillis(50), Duration.ofSeconds(2), 8, Duration.ofSeconds(30));

    /** One attempt and no retry; a {@code putIfAbsent} still resolves nothing and may return Unknown. */
    public static final RetryPolicy NO_RETRIES = DEFAULT.withMaxAttempts(1);

    /** @throws IllegalArgumentException if a value is out of the ranges documented on the components */
    public RetryPolicy {
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(totalTimeout, "totalTimeout");
        if (baseDelay.isNegative()) {
            throw new IllegalArgumentException("baseDelay must not be negative, was " + baseDelay);
        }
        if (maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("maxDelay (" + maxDelay + ") must be at least baseDelay (" + baseDelay
                    + ")");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (totalTimeout.isNegative() || totalTimeout.isZero()) {
            throw new IllegalArgumentException("totalTimeout must be positive, was " + totalTimeout);
        }
    }

    public RetryPolicy withBaseDelay(Duration d) {
        return new RetryPolicy(d, maxDelay.compareTo(d) < 0 ? d : maxDelay, maxAttempts, totalTimeout);
    }

    public RetryPolicy withMaxDelay(Duration d) {
        return new RetryPolicy(baseDelay, d, maxAttempts, totalTimeout);
    }

    public RetryPolicy withMaxAttempts(int n) {
        return new RetryPolicy(baseDelay, maxDelay, n, totalTimeout);
    }

    public RetryPolicy withTotalTimeout(Duration d) {
        return new RetryPolicy(baseDelay, maxDelay, maxAttempts, d);
    }

    /**
     * The largest wait before the {@code retry}-th retry: {@code min(maxDelay, baseDelay * 2^(retry-1))}.
     *
     * @throws IllegalArgumentException if {@code retry < 1}
     */
    public Duration backoffCeiling(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry numbers start at 1, was " + retry);
        }
        long base = baseDelay.toNanos();
        long max = maxDelay.toNanos();
        int shift = retry - 1;
        if (base == 0 || shift >= Long.SIZE - 2 || base > (max >> shift)) {
            return base == 0 ? Duration.ZERO : maxDelay;
        }
        return Duration.ofNanos(Math.min(max, base << shift));
    }

    /** A wait before the {@code retry}-th retry, drawn uniformly from {@code [0, backoffCeiling(retry))}. */
    public Duration backoffDelay(int retry, RandomGenerator random) {
        long ceiling = backoffCeiling(retry).toNanos();
        return Duration.ofNanos((long) (random.nextDouble() * ceiling));
    }
}
