package io.silt.functions.api;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Admits produce requests: refuses them while the service drains for shutdown (503) and while too many body bytes
 * wait for their commit (429, {@code silt.max-in-flight-bytes}). On shutdown it stops admitting and waits (at most
 * {@code quarkus.shutdown.timeout}) until every admitted request's commit has finished; only then do the beans close
 * (the client flushes in {@code SiltRuntime}'s {@code @PreDestroy}).
 */
@ApplicationScoped
public class ProduceAdmission {
    private static final Logger LOG = Logger.getLogger(ProduceAdmission.class);
    /** What a 429 asks the client to wait, in seconds. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final ApiLimits limits;
    private final Duration drainTimeout;
    private final Object lock = new Object();
    private long inFlightBytes;
    private int inFlightRequests;
    private boolean draining;

    public ProduceAdmission(ApiLimits limits,
                            @ConfigProperty(name = "quarkus.shutdown.timeout", defaultValue = "PT30S")
                            Duration drainTimeout) {
        this.limits = limits;
        this.drainTimeout = drainTimeout;
    }

    /** A reservation of in-flight bytes; release it exactly once, when the request's commit has finished. */
    public final class Ticket {
        private final long bytes;
        private boolean released;

        private Ticket(long bytes) {
            this.bytes = bytes;
        }

        /** Gives the bytes back; later calls do nothing. */
        public void release() {
            synchronized (lock) {
                if (released) {
                    return;
                }
                released = true;
                inFlightBytes -= bytes;
                inFlightRequests--;
                lock.notifyAll();
            }
        }
    }

    /**
     * Admits a request of {@code bytes}.
     *
     * @throws jakarta.ws.rs.WebApplicationException 503 while draining, 429 (with {@code Retry-After}) when the
     *     in-flight bytes would exceed the limit; a request alone larger than the limit is admitted when nothing else
     *     is in flight (the request-size limit bounds it)
     */
    public Ticket admit(long bytes) {
        synchronized (lock) {
            checkOpen();
            if (inFlightRequests > 0 && inFlightBytes + bytes > limits.maxInFlightBytes()) {
                throw ApiErrors.retryAfter(429, "back-pressure", "Too many requests",
                        inFlightBytes + " bytes of produce requests are waiting for their commit (the limit, "
                                + "silt.max-in-flight-bytes, is " + limits.maxInFlightBytes() + "); retry after "
                                + RETRY_AFTER_SECONDS + " s", RETRY_AFTER_SECONDS);
            }
            inFlightBytes += bytes;
            inFlightRequests++;
            return new Ticket(bytes);
        }
    }

    /**
     * @throws jakarta.ws.rs.WebApplicationException 503 (with {@code Retry-After}) while draining
     */
    public void checkOpen() {
        synchronized (lock) {
            if (draining) {
                throw ApiErrors.retryAfter(503, "unavailable", "Service is shutting down",
                        "this instance is shutting down and accepts no new produce requests; retry (another "
                                + "instance will answer)", RETRY_AFTER_SECONDS);
            }
        }
    }

    /** Produce body bytes admitted and not yet committed. */
    public long inFlightBytes() {
        synchronized (lock) {
            return inFlightBytes;
        }
    }

    /** Produce requests admitted and not yet committed. */
    public int inFlightRequests() {
        synchronized (lock) {
            return inFlightRequests;
        }
    }

    /** Whether new produce requests are refused because the service is shutting down. */
    public boolean draining() {
        synchronized (lock) {
            return draining;
        }
    }

    /**
     * Stops admitting and waits until admitted requests have committed, at most {@code timeout}.
     *
     * @return whether everything in flight finished in time
     */
    public boolean drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            draining = true;
            while (inFlightRequests > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    void onShutdown(@Observes ShutdownEvent event) {
        int requests = inFlightRequests();
        LOG.infof("shutting down: refusing new produce requests, waiting for %d in flight", requests);
        if (!drain(drainTimeout)) {
            LOG.warnf("shutting down with %d produce requests still waiting for their commit after %s",
                    inFlightRequests(), drainTimeout);
        }
    }
}
