package io.silt.storage.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock for tests that moves only when told to; also a monotonic nanosecond source that moves with it. */
public final class ManualClock extends Clock {
    private final AtomicLong nanos = new AtomicLong();
    private final long startMillis;

    public ManualClock(Instant start) {
        this.startMillis = start.toEpochMilli();
    }

    public ManualClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    public void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    /** Monotonic time, for {@code LongSupplier nanoTime} parameters. */
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public long millis() {
        return startMillis + nanos.get() / 1_000_000;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
