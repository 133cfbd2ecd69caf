package io.silt.client.internal;

/**
 * When a consumer next probes one partition for new records (each probe is a GET; a 404 when nothing is new).
 *
 * <p>While data flows, it learns the usual gap between arrivals, waits half a gap after an arrival, then probes in
 * short steps (an eighth of the gap, 5-50 ms), so a record waits little even when arrivals are irregular (a
 * producer's sticky partitioner moving between partitions), and a batch costs about five GETs.
 * When the partition has been quiet for three gaps (or has never delivered), it backs off, doubling from 50 ms to
 * the idle maximum, so an idle partition costs at most one GET per {@code maxIdle}. Not thread-safe.
 */
final class ProbeSchedule {
    static final long FIRST_IDLE_BACKOFF_NANOS = 50_000_000L;
    static final long MIN_STEP_NANOS = 5_000_000L;
    static final long MAX_STEP_NANOS = 50_000_000L;

    private final long maxIdleNanos;
    private long lastDataNanos;
    private boolean seenData;
    private long gapNanos = -1;   // smoothed gap between arrivals; -1 until two arrivals were seen
    private long backoffNanos;
    private long nextNanos;

    ProbeSchedule(long maxIdleNanos) {
        this.maxIdleNanos = maxIdleNanos;
    }

    boolean due(long now) {
        return now >= nextNanos;
    }

    long nextNanos() {
        return nextNanos;
    }

    /** Records arrived. {@code drained}: the probe returned fewer than it asked for, so nothing more is waiting. */
    void onData(long now, boolean drained) {
        if (seenData) {
            long gap = now - lastDataNanos;
            if (gap > 0 && gap < maxIdleNanos) {
                gapNanos = gapNanos < 0 ? gap : (3 * gapNanos + gap) / 4;
            }
        }
        seenData = true;
        lastDataNanos = now;
        backoffNanos = 0;
        nextNanos = drained && gapNanos > 0 ? lastDataNanos + gapNanos / 2 : now;
    }

    /** A probe found nothing new. */
    void onEmpty(long now) {
        if (gapNanos > 0 && now - lastDataNanos < 3 * gapNanos) {
            long step = Math.max(MIN_STEP_NANOS, Math.min(MAX_STEP_NANOS, gapNanos / 8));
            nextNanos = Math.max(now + step, lastDataNanos + gapNanos / 2);
            return;
        }
        backoffNanos = Math.min(Math.max(FIRST_IDLE_BACKOFF_NANOS, backoffNanos * 2), maxIdleNanos);
        nextNanos = now + backoffNanos;
    }

    /** Forgets what it learnt (after a seek or an assignment change): probe at once. */
    void reset() {
        seenData = false;
        gapNanos = -1;
        backoffNanos = 0;
        nextNanos = 0;
    }
}
