package io.silt.client;

import io.silt.client.internal.DirectClient;
import io.silt.client.internal.DirectTransport;
import io.silt.client.internal.TransportClient;
import io.silt.client.internal.http.HttpTransport;
import io.silt.storage.ObjectStore;
import io.silt.storage.ObjectStores;
import io.silt.storage.RetryingObjectStore;
import io.silt.storage.log.LogConfig;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Connects to Silt.
 *
 * <pre>{@code
 * try (SiltClient silt = Silt.connect("file:./silt-data")) {
 *     silt.admin().createTopic("orders", 3);
 *     try (Producer p = silt.producer()) {
 *         p.send("orders", "customer-1", "hello").join();
 *     }
 * }
 * }</pre>
 *
 * <p>Targets: {@code file:DIR} (the embedded filesystem store), {@code s3://bucket/prefix?endpoint=…&region=…
 * &pathStyle=true} (credentials from {@code SILT_S3_ACCESS_KEY}/{@code SILT_S3_SECRET_KEY} or the AWS default
 * chain), {@code mem:} (in memory, for tests), and {@code http://host:port} or {@code https://…} (the Silt service:
 * the same API over its REST routes, with the API key from {@link Builder#apiKey} or {@code SILT_API_KEY}).
 *
 * <p>For an application's unit tests, {@code Silt.connect("mem:")} is a complete Silt in memory: every call makes a
 * fresh, empty one, so create topics and share that one client between the producers and consumers of a test.
 * {@link MockProducer} records sends without any storage at all.
 */
public final class Silt {
    /** The target used when none is given and neither {@code SILT_URL} nor {@code SILT_STORE} is set. */
    public static final String DEFAULT_TARGET = "file:./silt-data";

    private Silt() {}

    /** Connects to {@code target} with default settings. */
    public static SiltClient connect(String target) {
        return builder(target).build();
    }

    /** Connects to {@code SILT_URL}, else {@code SILT_STORE}, else {@value #DEFAULT_TARGET}. */
    public static SiltClient connect() {
        return builder(targetFromEnvironment(System::getenv)).build();
    }

    /** The target named by the environment: {@code SILT_URL}, else {@code SILT_STORE}, else the default. */
    public static String targetFromEnvironment(Function<String, String> env) {
        String url = env.apply("SILT_URL");
        if (url != null && !url.isBlank()) {
            return url;
        }
        String store = env.apply("SILT_STORE");
        return store != null && !store.isBlank() ? store : DEFAULT_TARGET;
    }

    public static Builder builder(String target) {
        return new Builder(target);
    }

    /** Connection settings. Clock, time source and randomness are injectable for tests. */
    public static final class Builder {
        private final String target;
        private Clock clock = Clock.systemUTC();
        private LongSupplier nanoTime = System::nanoTime;
        private long seed = new SecureRandom().nextLong();
        private Duration gcGrace = LogConfig.DEFAULTS.gcGrace();
        private Function<String, String> env = System::getenv;
        private DirectTransport.Sleeper sleeper = DirectTransport.Sleeper.REAL;
        private ObjectStore store;
        private String apiKey;

        private Builder(String target) {
            this.target = Objects.requireNonNull(target, "target");
        }

        public Builder clock(Clock clock, LongSupplier nanoTime) {
            this.clock = clock;
            this.nanoTime = nanoTime;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder sleeper(DirectTransport.Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        /** The GC grace period the compactor and writers assume (default 30 minutes). */
        public Builder gcGrace(Duration grace) {
            this.gcGrace = grace;
            return this;
        }

        /**
         * Uses {@code store} instead of opening the target, exactly as given: no retrying decorator is added (wrap
         * it in a {@code RetryingObjectStore} if it should retry). For tests (a {@code CountingObjectStore} or
         * {@code FaultInjectingObjectStore} around a store) and for embedding Silt over a store of one's own. The
         * client closes it when it closes. The target then only labels the client.
         */
        public Builder store(ObjectStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * The key sent to a Silt service ({@code http://} targets) as {@code Authorization: Bearer <key>}; by
         * default {@code SILT_API_KEY} from the environment, if set.
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            return this;
        }

        /** Where to read {@code SILT_S3_ACCESS_KEY}, {@code SILT_API_KEY} and friends (default: the environment). */
        public Builder environment(Map<String, String> env) {
            this.env = env::get;
            return this;
        }

        public SiltClient build() {
            if (store == null && (target.startsWith("http://") || target.startsWith("https://"))) {
                String key = apiKey != null ? apiKey : env.apply("SILT_API_KEY");
                try {
                    return new TransportClient(new HttpTransport(target, key == null || key.isBlank() ? null : key,
                            LogConfig.DEFAULTS.withGcGrace(gcGrace), clock, nanoTime, seed, sleeper));
                } catch (IllegalArgumentException e) {
                    throw new InvalidRequestException("cannot connect to '" + target + "': " + e.getMessage(), e);
                }
            }
            ObjectStore store = this.store;
            if (store == null) {
                try {
                    store = RetryingObjectStore.wrap(ObjectStores.open(target, env));
                } catch (RuntimeException e) {
                    throw io.silt.client.internal.Errors.translate(e);
                }
            }
            DirectTransport transport = new DirectTransport(store, LogConfig.DEFAULTS.withGcGrace(gcGrace), clock,
                    nanoTime, seed, sleeper);
            return new DirectClient(transport);
        }
    }
}
