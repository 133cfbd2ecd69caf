package io.silt.client;

import io.silt.client.internal.ProducerTimer;
import io.silt.storage.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link ProducerTimer} for tests: tasks due now run at once on the caller's thread; later ones run when
 * {@link #advance(Duration)} moves the clock past them.
 */
final class ManualTimer implements ProducerTimer {
    private final ManualClock clock;
    private final List<Task> tasks = new ArrayList<>();

    private final class Task implements Scheduled {
        final long due;
        final Runnable action;

        Task(long due, Runnable action) {
            this.due = due;
            this.action = action;
        }

        @Override
        public void cancel() {
            synchronized (ManualTimer.this) {
                tasks.remove(this);
            }
        }
    }

    ManualTimer(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public Scheduled schedule(Duration delay, Runnable action) {
        Task t = new Task(clock.nanoTime() + delay.toNanos(), action);
        if (delay.isZero()) {
            action.run();
            return t;
        }
        synchronized (this) {
            tasks.add(t);
        }
        return t;
    }

    /** Moves the clock and runs every task that falls due, in order. */
    void advance(Duration d) {
        clock.advance(d);
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> t.due <= clock.nanoTime()).min(Comparator.comparingLong(t -> t.due))
                        .orElse(null);
                if (next == null) {
                    return;
                }
                tasks.remove(next);
            }
            next.action.run();
        }
    }

    /** Tasks scheduled and not yet run or cancelled. */
    synchronized int pending() {
        return tasks.size();
    }
}
