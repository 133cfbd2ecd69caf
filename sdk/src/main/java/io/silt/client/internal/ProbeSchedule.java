package io.silt.client.internal;

/**
 * When a consumer next probes one partition for new records (each probe is a GET; a 404 when nothing is new).
 *
 * <p>While data flows, it learns the usual gap between arrivals (an arrival is new data found after the consumer
 * had caught up; the rest of a backlog read in several fetches is not one), waits half a gap after an arrival, then
 * probes in steps of an eighth of the gap (at least 5 ms), so a record waits little even when arrivals are irregular
 * (a producer's sticky partitioner moving between partitions), and a batch costs about five GETs however far apart
 * batches come: a commit every 2 s is probed every 250 ms, not every few milliseconds. The wait and the steps never
 * exceed the idle maximum, so data is never found later than an idle partition's would be. Shorter gaps are learnt
 * at once (half the difference per arrival), longer ones slowly (a quarter), and a gap over
 * {@value #TRAFFIC_GAP_LIMIT} idle maxima counts as a pause, not traffic. When the partition has been quiet for
 * three gaps (or has never delivered), it backs off, doubling from 50 ms to the idle maximum, so an idle partition
 * costs at most one GET per {@code maxIdle}. Not thread-safe.
 */
final class ProbeSchedule {
    static final long FIRST_IDLE_BACKOFF_NANOS = 50_000_000L;
    static final long MIN_STEP_NANOS = 5_000_000L;
    /** Gaps between arrivals longer than this many idle maxima are pauses: they are not learnt. */
    static final int TRAFFIC_GAP_LIMIT = 8;

    private final long maxIdleNanos;
    private long lastArrivalNanos;
    private boolean seenArrival;
    private boolean caughtUp = true; // the last probe found nothing more waiting
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

    /** Records arrived. {@code drained}: the probe read up to the end of the log, so nothing more is waiting. */
    void onData(long now, boolean drained) {
        if (caughtUp) {
            if (seenArrival) {
                learn(now - lastArrivalNanos);
            }
            seenArrival = true;
            lastArrivalNanos = now;
        }
        caughtUp = drained;
        backoffNanos = 0;
        nextNanos = drained && gapNanos > 0 ? Math.max(now, lastArrivalNanos + firstWait()) : now;
    }

    /** A probe found nothing new. */
    void onEmpty(long now) {
        caughtUp = true;
        if (gapNanos > 0 && now - lastArrivalNanos < 3 * gapNanos) {
            long step = Math.max(MIN_STEP_NANOS, Math.min(maxIdleNanos, gapNanos / 8));
            nextNanos = Math.max(now + step, lastArrivalNanos + firstWait());
            return;
        }
        backoffNanos = Math.min(Math.max(FIRST_IDLE_BACKOFF_NANOS, backoffNanos * 2), maxIdleNanos);
        nextNanos = now + backoffNanos;
    }

    /** Forgets what it learnt (after a seek or an assignment change): probe at once. */
    void reset() {
        seenArrival = false;
        caughtUp = true;
        gapNanos = -1;
        backoffNanos = 0;
        nextNanos = 0;
    }

    private long firstWait() {
        return Math.min(gapNanos / 2, maxIdleNanos);
    }

    private void learn(long gap) {
        if (gap <= 0 || gap > TRAFFIC_GAP_LIMIT * maxIdleNanos) {
            return;
        }
        if (gapNanos < 0) {
            gapNanos = gap;
        } else {
            gapNanos = gap < gapNanos ? (gapNanos + gap) / 2 : (3 * gapNanos + gap) / 4;
        }
    }
}
