package io.silt.storage.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs rounds of {@code threads} writers that start together (behind a barrier) and collects what each one got.
 * Close it to stop the threads; it waits briefly for stragglers so that nothing writes after cleanup.
 */
public final class ConformanceRace implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int threads;
    private final Duration timeout;
    private final ExecutorService pool;

    /** What one writer got: a value or an error (a timeout included). */
    public record Attempt<T>(T value, Throwable error) {
        public boolean failed() {
            return error != null;
        }
    }

    /** One writer's request. */
    @FunctionalInterface
    public interface Writer<T> {
        T write(int writer) throws Exception;
    }

    public ConformanceRace(int threads, Duration timeout) {
        this.threads = threads;
        this.timeout = timeout;
        int pool = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "silt-verify-race-" + pool + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newFixedThreadPool(threads, factory);
    }

    /** Runs one round: every writer waits for the others, then calls {@code writer}; returns the attempts in order. */
    public <T> List<Attempt<T>> round(Writer<T> writer) throws InterruptedException {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<T>> futures = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            int id = t;
            futures.add(pool.submit(() -> {
                start.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return writer.write(id);
            }));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Attempt<T>> attempts = new ArrayList<>(threads);
        for (Future<T> f : futures) {
            try {
                long left = Math.max(1, deadline - System.nanoTime());
                attempts.add(new Attempt<>(f.get(left, TimeUnit.NANOSECONDS), null));
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof BrokenBarrierException
                        ? new TimeoutException("writers did not all start within " + Conformance.seconds(timeout))
                        : e.getCause();
                attempts.add(new Attempt<>(null, cause));
            } catch (TimeoutException e) {
                f.cancel(true);
                attempts.add(new Attempt<>(null,
                        new TimeoutException("no answer within " + Conformance.seconds(timeout))));
            }
        }
        return attempts;
    }

    /**
     * Whether a writer of the round gave no answer in time. Its thread may still be stuck in the request, so later
     * rounds could not start all their writers: a race stops at such a round.
     */
    public static boolean timedOut(List<? extends Attempt<?>> attempts) {
        return attempts.stream().anyMatch(a -> a.error() instanceof TimeoutException);
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                System.getLogger(ConformanceRace.class.getName()).log(System.Logger.Level.WARNING,
                        "race writers still running after " + timeout.toSeconds() + " s; cleanup may miss their writes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
