package io.silt.functions.compaction;

import io.silt.storage.Sleeper;
import io.silt.storage.testing.ManualClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Compaction's clocks in tests ({@link CompactionProfile}): time moves only when a test advances it or a compactor
 * "sleeps" (waiting for a lease), which advances it at once and runs a hook the test may set.
 */
@Alternative
@ApplicationScoped
public class ManualCompactionClock extends CompactionClock {
    private final ManualClock clock = new ManualClock();
    private final AtomicLong sleptNanos = new AtomicLong();
    private final AtomicReference<Runnable> onSleep = new AtomicReference<>(() -> {});

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public long nanoTime() {
        return clock.nanoTime();
    }

    @Override
    public Sleeper sleeper() {
        return d -> {
            clock.advance(d);
            sleptNanos.addAndGet(d.toNanos());
            onSleep.get().run();
        };
    }

    /** Moves both clocks forward. */
    public void advance(Duration d) {
        clock.advance(d);
    }

    /** How long compactors have "slept" so far. */
    public Duration slept() {
        return Duration.ofNanos(sleptNanos.get());
    }

    /** Runs {@code hook} after each sleep (e.g. another compactor renewing its lease); null: nothing. */
    public void onSleep(Runnable hook) {
        onSleep.set(hook == null ? () -> {} : hook);
    }
}
