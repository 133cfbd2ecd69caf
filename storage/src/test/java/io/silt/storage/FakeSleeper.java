package io.silt.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** A {@link Sleeper} that never sleeps: it records each wait and advances its own nanosecond clock by it. */
final class FakeSleeper implements Sleeper, LongSupplier {
    private final List<Duration> sleeps = new ArrayList<>();
    private long nanos = 1_000_000_000L;

    @Override
    public synchronized void sleep(Duration duration) {
        sleeps.add(duration);
        nanos += duration.toNanos();
    }

    /** The fake monotonic clock, for {@code nanoTime} parameters. */
    @Override
    public synchronized long getAsLong() {
        return nanos;
    }

    /** Moves the clock on without a sleep (time spent inside a request). */
    synchronized void advance(Duration d) {
        nanos += d.toNanos();
    }

    synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    synchronized Duration slept() {
        return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
    }
}
