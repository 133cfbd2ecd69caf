package io.silt.functions.api.groups;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The session clock in tests: time moves only when a test advances it. */
@Alternative
@Priority(1)
@ApplicationScoped
public class ManualSessionClock extends SessionClock {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Override
    public long nanoTime() {
        return now.get();
    }

    /** Moves the clock forward. */
    public void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }
}
