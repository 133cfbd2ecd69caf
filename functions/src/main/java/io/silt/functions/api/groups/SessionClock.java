package io.silt.functions.api.groups;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The monotonic clock that member sessions' timeouts are judged by ({@link GroupSessions}). A bean of its own so
 * tests can replace it with a manual clock and advance time instead of sleeping.
 */
@ApplicationScoped
public class SessionClock {
    /** Nanoseconds from an arbitrary origin, as {@link System#nanoTime()}. */
    public long nanoTime() {
        return System.nanoTime();
    }
}
