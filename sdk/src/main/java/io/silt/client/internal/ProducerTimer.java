package io.silt.client.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a producer's delayed work: a batch's linger, a retry's backoff. Tasks are scheduled only while there is
 * something to send, never periodically, so an idle producer has no timers and makes no requests. Injected so that
 * tests fire timers by hand instead of sleeping.
 */
public interface ProducerTimer {

    /** A scheduled task; cancelling one that already ran does nothing. */
    interface Scheduled {
        void cancel();
    }

    /** Runs {@code task} once after {@code delay}. Tasks must be short: they hand work off and return. */
    Scheduled schedule(Duration delay, Runnable task);

    /** One daemon thread shared by every producer of the JVM; cancelled tasks are removed at once. */
    ProducerTimer SYSTEM = new ProducerTimer() {
        private final ScheduledThreadPoolExecutor executor = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "silt-producer-timer");
                t.setDaemon(true);
                return t;
            });
            e.setRemoveOnCancelPolicy(true);
            return e;
        }

        @Override
        public Scheduled schedule(Duration delay, Runnable task) {
            ScheduledFuture<?> f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        }
    };
}
