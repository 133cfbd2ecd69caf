package io.silt.client.internal;

import io.silt.client.ConsumerConfig;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A group member's background work (RFC 0006, "Heartbeats on a background thread"): heartbeats, liveness checks of
 * its successor, generation proposals and hand-over probes run on the timer, at the times {@link GroupMember}
 * names, whether or not the application is inside {@code poll}; so slow processing between polls causes no
 * rebalance. If the application does not poll for {@link ConsumerConfig#maxPollInterval()}, the task leaves the
 * group (as Kafka's heartbeat thread does after {@code max.poll.interval.ms}) and stops; the consumer's next poll
 * rejoins and {@linkplain #start starts} it again.
 *
 * <p>The task only changes the group state (under the member's monitor); assignment changes and rebalance
 * listeners are applied by the consumer on the user's thread in {@code poll}. One task is pending at a time; it is
 * scheduled for the member's next due time, so the background thread makes exactly the requests a member polling
 * all the time would make, and no more.
 */
final class GroupHeartbeat {
    private static final System.Logger LOG = System.getLogger(GroupHeartbeat.class.getName());
    /** Never reschedule sooner than this (a due time in the past must not spin). */
    private static final long MIN_DELAY_NANOS = 1_000_000L;

    private final GroupMember member;
    private final ProducerTimer timer;
    private final LongSupplier nanoTime;
    private final long maxPollNanos;
    private volatile long lastPollNanos;
    private ProducerTimer.Scheduled pending; // guarded by this
    private boolean running; // guarded by this
    /** Counts starts, so that a task of an earlier start that is still running schedules nothing. */
    private long epoch; // guarded by this

    GroupHeartbeat(GroupMember member, ProducerTimer timer, LongSupplier nanoTime, ConsumerConfig config) {
        this.member = member;
        this.timer = timer;
        this.nanoTime = nanoTime;
        this.maxPollNanos = config.maxPollInterval().toNanos();
        this.lastPollNanos = nanoTime.getAsLong();
    }

    /**
     * The application called poll now (also noted at every turn of a poll that waits).
     *
     * @return whether the member is still in the group; {@code false} if this task left it because the max poll
     *     interval ran out (the caller rejoins and {@linkplain #start starts} this again). Decided under the member's
     *     monitor, as the task's leaving is, so a poll either comes in time or finds the member gone.
     */
    boolean polled() {
        synchronized (member) {
            lastPollNanos = nanoTime.getAsLong();
            return member.joined();
        }
    }

    /** Starts (or restarts after a poll timeout) the background work; the member must have joined. */
    synchronized void start() {
        lastPollNanos = nanoTime.getAsLong();
        if (pending != null) {
            pending.cancel();
        }
        epoch++;
        running = true;
        scheduleAt(nanoTime.getAsLong());
    }

    /** Stops the background work; a task already running finishes, and schedules nothing more. */
    synchronized void stop() {
        running = false;
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
    }

    synchronized boolean running() {
        return running;
    }

    private void scheduleAt(long dueNanos) {
        long delay = Math.max(dueNanos - nanoTime.getAsLong(), MIN_DELAY_NANOS);
        long e = epoch;
        pending = timer.schedule(Duration.ofNanos(delay), () -> run(e));
    }

    private void run(long e) {
        synchronized (this) {
            if (!running || e != epoch) {
                return;
            }
            pending = null;
        }
        long next = Long.MAX_VALUE;
        try {
            if (leaveIfPollTimedOut()) {
                return;
            }
            member.maintain();
            next = member.joined() ? member.nextDueNanos() : Long.MAX_VALUE;
        } catch (RuntimeException ex) {
            // maintain() already reschedules its own work past a failed request; carry on at the next due time.
            LOG.log(Level.WARNING, () -> "group '" + member.group() + "': background heartbeat of "
                    + member.memberId() + " failed (retrying at the next interval): " + ex);
            next = member.nextDueNanos();
        } finally {
            synchronized (this) {
                if (running && e == epoch && next != Long.MAX_VALUE) { // MAX_VALUE: the member left (closed)
                    scheduleAt(Math.min(next, lastPollNanos + maxPollNanos));
                }
            }
        }
    }

    /** Leaves the group and stops if the application has not polled within the max poll interval. */
    private boolean leaveIfPollTimedOut() {
        synchronized (member) { // lock order: member, then this (start, stop and the scheduling take only this)
            long idle = nanoTime.getAsLong() - lastPollNanos;
            if (idle < maxPollNanos) {
                return false;
            }
            synchronized (this) {
                running = false;
            }
            if (member.joined()) {
                LOG.log(Level.WARNING, () -> "group '" + member.group() + "': " + member.memberId()
                        + " has not polled for " + Duration.ofNanos(idle) + ", reaching the max poll interval ("
                        + Duration.ofNanos(maxPollNanos) + "): leaving the group so that its partitions move on; "
                        + "the next poll rejoins (raise ConsumerConfig.maxPollInterval or return fewer records "
                        + "per poll if processing is this slow)");
                member.leave();
            }
            return true;
        }
    }

    /**
     * A timer with one daemon thread of its own, for one consumer: the background work makes blocking requests, so
     * it does not share the producers' timer thread, and one consumer's slow store does not delay another's
     * heartbeats. {@link #close()} stops the thread.
     */
    static final class DaemonTimer implements ProducerTimer, AutoCloseable {
        private final ScheduledThreadPoolExecutor executor;

        DaemonTimer(String name) {
            executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
        }

        @Override
        public Scheduled schedule(Duration delay, Runnable task) {
            ScheduledFuture<?> f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        }

        @Override
        public void close() {
            executor.shutdown();
        }
    }
}
