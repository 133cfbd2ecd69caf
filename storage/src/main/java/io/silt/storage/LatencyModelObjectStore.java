package io.silt.storage;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Delays every request to another store by a model of S3's latency (DESIGN.md, "What fast and cheap mean here"), so
 * that latency and contention can be measured on a laptop: a log-normal base delay per request, by kind, plus a
 * transfer time per MiB written or read.
 *
 * <p><b>Where the delay sits.</b> Half the base delay is spent before the request reaches the delegate and half
 * after it returns, as a request's travel to the server and the response's travel back. A write's transfer time is
 * spent before the delegate is called (the body is uploaded before the server decides), a read's after it returns
 * (the body is downloaded after the server answered). So a conditional write takes effect in the middle of its
 * latency, and a read observes the bucket in the middle of its own, as on S3. Each request calls the
 * {@link Sleeper} exactly twice (before, then after; either may be zero), so a test can recover each request's
 * delay without sleeping.
 *
 * <p><b>Which distribution.</b> PUTs (plain, create-only, compare-and-swap) and DELETEs use the profile's write
 * distribution; GETs (whole, ranged, conditional; found or not), HEADs and LISTs use its read distribution. A bulk
 * delete costs one write delay per 1000 keys. The delay is added whatever the delegate answers, also when it
 * throws.
 *
 * <p>Randomness comes from one seeded generator drawn under a lock: a single-threaded run is reproducible.
 * Create instances with {@link #wrap}: the result implements {@link SupportsCompareAndSwap} exactly when the delegate
 * does. Thread-safe.
 */
public class LatencyModelObjectStore implements ObjectStore {

    /**
     * A log-normal distribution given by its median and 99th percentile, in milliseconds: {@code mu = ln(p50)},
     * {@code sigma = (ln(p99) - ln(p50)) / 2.3263} (2.3263 is the standard normal's 99th percentile).
     */
    public record LogNormal(double p50Millis, double p99Millis) {
        /** The standard normal distribution's 99th percentile. */
        public static final double Z99 = 2.3263;

        public LogNormal {
            if (!(p50Millis > 0) || !(p99Millis >= p50Millis) || Double.isInfinite(p99Millis)) {
                throw new IllegalArgumentException("need 0 < p50 <= p99, was p50 " + p50Millis + " ms, p99 "
                        + p99Millis + " ms");
            }
        }

        public double mu() {
            return Math.log(p50Millis);
        }

        public double sigma() {
            return (Math.log(p99Millis) - Math.log(p50Millis)) / Z99;
        }

        /** The mean, {@code exp(mu + sigma²/2)}, in milliseconds. */
        public double meanMillis() {
            double s = sigma();
            return Math.exp(mu() + s * s / 2);
        }

        /** One draw, in milliseconds. */
        public double sampleMillis(RandomGenerator random) {
            return Math.exp(mu() + sigma() * random.nextGaussian());
        }

        /** Both percentiles multiplied by {@code factor}. */
        public LogNormal scaled(double factor) {
            return new LogNormal(p50Millis * factor, p99Millis * factor);
        }
    }

    /**
     * A latency profile.
     *
     * @param name for reports
     * @param write the base delay of PUTs and DELETEs
     * @param read the base delay of GETs (also those that find nothing), HEADs and LISTs
     * @param writeMillisPerMiB transfer time per MiB of request body
     * @param readMillisPerMiB transfer time per MiB of response body
     */
    public record Profile(String name, LogNormal write, LogNormal read, double writeMillisPerMiB,
                          double readMillisPerMiB) {
        /**
         * S3 Standard, as DESIGN.md models it: PUT p50 25 ms, p99 120 ms; GET, HEAD and a GET that finds nothing
         * p50 15 ms, p99 80 ms; plus 25 ms per MiB written and 8 ms per MiB read.
         */
        public static final Profile S3_STANDARD =
                new Profile("s3-standard", new LogNormal(25, 120), new LogNormal(15, 80), 25, 8);

        /** S3 Express One Zone, modelled as about a tenth of {@link #S3_STANDARD}'s delays. */
        public static final Profile S3_EXPRESS_ONE_ZONE = S3_STANDARD.scaled("s3-express-one-zone", 0.1);

        public Profile {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(write, "write");
            Objects.requireNonNull(read, "read");
            if (!(writeMillisPerMiB >= 0) || !(readMillisPerMiB >= 0)) {
                throw new IllegalArgumentException("transfer times must not be negative");
            }
        }

        /** Every delay multiplied by {@code factor}. */
        public Profile scaled(String newName, double factor) {
            return new Profile(newName, write.scaled(factor), read.scaled(factor), writeMillisPerMiB * factor,
                    readMillisPerMiB * factor);
        }

        /** The profile named {@code s3-standard} or {@code s3-express-one-zone} (also {@code standard}, {@code express}). */
        public static Profile named(String name) {
            return switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "s3-standard", "standard" -> S3_STANDARD;
                case "s3-express-one-zone", "s3-express", "express" -> S3_EXPRESS_ONE_ZONE;
                default -> throw new IllegalArgumentException("unknown latency profile '" + name
                        + "'; known: s3-standard, s3-express-one-zone");
            };
        }
    }

    private static final double MIB = 1024.0 * 1024.0;

    private final ObjectStore delegate;
    private final Profile profile;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final LongAdder requests = new LongAdder();
    private final LongAdder delayNanos = new LongAdder();

    private LatencyModelObjectStore(ObjectStore delegate, Profile profile, Sleeper sleeper, RandomGenerator random) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Wraps {@code delegate} with real sleeps and a generator seeded with {@code seed}. */
    public static LatencyModelObjectStore wrap(ObjectStore delegate, Profile profile, long seed) {
        return wrap(delegate, profile, Sleeper.SYSTEM, new SplittableRandom(seed));
    }

    /** Wraps {@code delegate}; the result implements {@link SupportsCompareAndSwap} if and only if it does. */
    public static LatencyModelObjectStore wrap(ObjectStore delegate, Profile profile, Sleeper sleeper,
                                               RandomGenerator random) {
        return delegate instanceof SupportsCompareAndSwap
                ? new WithCompareAndSwap(delegate, profile, sleeper, random)
                : new LatencyModelObjectStore(delegate, profile, sleeper, random);
    }

    public Profile profile() {
        return profile;
    }

    public ObjectStore delegate() {
        return delegate;
    }

    /** Requests delayed so far. */
    public long requests() {
        return requests.sum();
    }

    /** The delay added so far, over all requests. */
    public Duration addedDelay() {
        return Duration.ofNanos(delayNanos.sum());
    }

    @Override
    public Optional<ObjectData> get(String key) {
        return read(() -> delegate.get(key), LatencyModelObjectStore::size);
    }

    @Override
    public Optional<ObjectData> get(String key, ByteRange range) {
        return read(() -> delegate.get(key, range), LatencyModelObjectStore::size);
    }

    @Override
    public ConditionalGet getIfChanged(String key, String etag) {
        return read(() -> delegate.getIfChanged(key, etag),
                a -> a instanceof ConditionalGet.Modified m ? m.data().bytes().length : 0);
    }

    @Override
    public Optional<ObjectInfo> head(String key) {
        return read(() -> delegate.head(key), a -> 0);
    }

    @Override
    public ObjectInfo put(String key, byte[] data, Map<String, String> metadata) {
        return write(data.length, 1, () -> delegate.put(key, data, metadata));
    }

    @Override
    public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
        return write(data.length, 1, () -> delegate.putIfAbsent(key, data, metadata));
    }

    @Override
    public ListPage list(String prefix, String startAfter, int maxKeys) {
        return read(() -> delegate.list(prefix, startAfter, maxKeys), a -> 0);
    }

    @Override
    public void delete(String key) {
        write(0, 1, () -> {
            delegate.delete(key);
            return null;
        });
    }

    @Override
    public void deleteAll(Collection<String> keys) {
        int requestsNeeded = (keys.size() + CountingObjectStore.KEYS_PER_BULK_DELETE - 1)
                / CountingObjectStore.KEYS_PER_BULK_DELETE;
        write(0, requestsNeeded, () -> {
            delegate.deleteAll(keys);
            return null;
        });
    }

    @Override
    public String describe() {
        return delegate.describe() + " (latency model " + profile.name() + ")";
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** Runs a write: half the base delay and the upload before the delegate, the other half after. */
    <T> T write(long bodyBytes, int requestCount, Supplier<T> call) {
        double base = 0;
        synchronized (random) {
            for (int i = 0; i < requestCount; i++) {
                base += profile.write().sampleMillis(random);
            }
        }
        double transfer = bodyBytes / MIB * profile.writeMillisPerMiB();
        pause(base / 2 + transfer);
        try {
            return call.get();
        } finally {
            pause(base / 2);
            requests.add(requestCount);
        }
    }

    /** Runs a read: half the base delay before the delegate, the other half and the download after. */
    private <T> T read(Supplier<T> call, java.util.function.ToLongFunction<T> bodyBytes) {
        double base;
        synchronized (random) {
            base = profile.read().sampleMillis(random);
        }
        pause(base / 2);
        T answer;
        try {
            answer = call.get();
        } catch (RuntimeException e) {
            pause(base / 2);
            requests.increment();
            throw e;
        }
        pause(base / 2 + bodyBytes.applyAsLong(answer) / MIB * profile.readMillisPerMiB());
        requests.increment();
        return answer;
    }

    private void pause(double millis) {
        long nanos = Math.round(millis * 1e6);
        delayNanos.add(nanos);
        try {
            sleeper.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException(StoreUnavailableException.Reason.IO,
                    "interrupted while waiting for the modelled latency of " + describe(), e);
        }
    }

    private static long size(Optional<ObjectData> found) {
        return found.map(d -> (long) d.bytes().length).orElse(0L);
    }

    /** The variant for delegates that support {@code If-Match}; chosen by {@link #wrap}. */
    private static final class WithCompareAndSwap extends LatencyModelObjectStore implements SupportsCompareAndSwap {
        private final SupportsCompareAndSwap cas;

        private WithCompareAndSwap(ObjectStore delegate, Profile profile, Sleeper sleeper, RandomGenerator random) {
            super(delegate, profile, sleeper, random);
            this.cas = (SupportsCompareAndSwap) delegate;
        }

        @Override
        public SwapResult putIfMatch(String key, byte[] data, String expectedEtag, Map<String, String> metadata) {
            return write(data.length, 1, () -> cas.putIfMatch(key, data, expectedEtag, metadata));
        }
    }
}
