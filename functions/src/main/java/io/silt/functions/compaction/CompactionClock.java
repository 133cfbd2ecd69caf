package io.silt.functions.compaction;

import io.silt.storage.Sleeper;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * The clocks compaction runs on: the wall clock (checkpoint timestamps, the age of garbage), the monotonic clock
 * (run budget, lease expiry) and how to wait for a lease to expire. A bean of its own so tests replace it with a
 * manual clock and advance time instead of sleeping.
 */
@ApplicationScoped
public class CompactionClock {
    /** The wall clock. */
    public Clock clock() {
        return Clock.systemUTC();
    }

    /** Nanoseconds from an arbitrary origin, as {@link System#nanoTime()}. */
    public long nanoTime() {
        return System.nanoTime();
    }

    /** Waits on the calling thread. */
    public Sleeper sleeper() {
        return Sleeper.SYSTEM;
    }
}
