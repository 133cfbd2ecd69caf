package io.silt.functions.lambda;

import io.silt.client.internal.DirectTransport;
import io.silt.functions.SiltRuntime;
import io.silt.functions.observe.ConflictCountingStore;
import io.silt.storage.ForwardingObjectStore;
import io.silt.storage.ObjectStore;
import io.silt.storage.log.LogConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The transport the {@code produce} handler appends through, with commit retries bounded for short-lived writers
 * (DESIGN rule 3). Many Lambda instances may commit to one partition at once; each loses races to the others, and a
 * committer that keeps losing must give up while the invocation still has time to answer, rather than take the
 * service's default of 1,000 lost races. The bounds, all explicit:
 *
 * <ul>
 *   <li>{@code silt.lambda.commit.max-lost-races} (default 16): lost commit races in a row before the batch fails
 *       with a retriable {@code CommitContentionException} (nothing committed; the caller retries, with the same
 *       {@code idempotencyKey} if it sent one);</li>
 *   <li>{@code silt.lambda.commit.unknown-retries} (default 3): repeats of a commit whose outcome is unknown, at
 *       the same number with the same token (DESIGN rule 4);</li>
 *   <li>each store request is retried by the runtime's {@code RetryingObjectStore} with
 *       {@code RetryPolicy.DEFAULT} (8 attempts, 30 s in all); the handler stops waiting when the invocation's
 *       remaining time runs out ({@code silt.lambda.reserve-ms} before the deadline) and reports the outcome as
 *       unknown.</li>
 * </ul>
 *
 * It shares the runtime's counted store (so request metrics include it) and counts lost create-only races.
 */
@ApplicationScoped
public class LambdaLog {
    private static final Logger LOG = Logger.getLogger(LambdaLog.class);

    private final LogConfig config;
    private final DirectTransport transport;

    public LambdaLog(SiltRuntime silt, MeterRegistry registry,
                     @ConfigProperty(name = "silt.lambda.commit.max-lost-races", defaultValue = "16") int maxLostRaces,
                     @ConfigProperty(name = "silt.lambda.commit.unknown-retries", defaultValue = "3")
                     int unknownRetries) {
        LogConfig base = silt.transport().logConfig();
        this.config = new LogConfig(base.inlineThreshold(), maxLostRaces, unknownRetries, base.gcGrace());
        ObjectStore store = new ConflictCountingStore(new Unclosed(silt.store()), registry);
        this.transport = new DirectTransport(store, config, Clock.systemUTC(), System::nanoTime,
                new SecureRandom().nextLong(), DirectTransport.Sleeper.REAL);
        LOG.debugf("lambda commits: at most %d lost races, %d unknown-outcome retries", maxLostRaces, unknownRetries);
    }

    /** The bounds in force. */
    public LogConfig config() {
        return config;
    }

    public DirectTransport transport() {
        return transport;
    }

    @PreDestroy
    void close() {
        transport.close();
    }

    /** The runtime owns and closes the store; closing this transport must not close it. */
    private static final class Unclosed extends ForwardingObjectStore {
        Unclosed(ObjectStore delegate) {
            super(delegate);
        }

        @Override
        public void close() {
            // the runtime closes the store
        }
    }
}
