package io.silt.storage;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a while. Injected wherever code backs off or adds latency, so that tests replace it with a fake that
 * only records the wait (and advances a fake clock) instead of sleeping.
 */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps on the calling thread with {@link TimeUnit#sleep}. */
    Sleeper SYSTEM = d -> TimeUnit.NANOSECONDS.sleep(d.toNanos());

    /**
     * Waits for {@code duration} (zero or positive).
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    void sleep(Duration duration) throws InterruptedException;
}
