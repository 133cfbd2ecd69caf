package io.silt.functions.api;

import io.silt.client.internal.Transport;
import io.silt.client.internal.Transport.FetchResult;
import io.silt.functions.SiltRuntime;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Long polls of the fetch route without a thread per waiting request. A fetch that finds no records and may wait is
 * parked: a timer tries it again (a fetch that does not wait, on a worker thread) after 20 ms, doubling up to 1 s,
 * until records come or its wait is over; a commit made by this service to the partition tries its waiters at once.
 * So a waiting request holds no worker thread, and at most {@code silt.max-long-polls} wait at once (further ones
 * answer at once, possibly with no records: clients poll again).
 */
@ApplicationScoped
public class LongPolls {
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(20);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

    private final Transport transport;
    private final Semaphore permits;
    private final Executor workers = Infrastructure.getDefaultWorkerPool();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "silt-long-poll-timer");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Set<Waiter>> waiting = new ConcurrentHashMap<>();

    public LongPolls(SiltRuntime runtime, ApiLimits limits) {
        this.transport = runtime.transport();
        this.permits = new Semaphore(limits.maxLongPolls());
    }

    /**
     * Fetches from {@code offset}; with none there yet, completes when some come or after {@code wait}. The first
     * try runs on the calling (worker) thread.
     */
    public CompletionStage<FetchResult> fetch(String topic, int partition, long offset, int maxRecords,
                                              long maxBytes, Duration wait) {
        FetchResult now = transport.fetch(topic, partition, offset, maxRecords, maxBytes, Duration.ZERO);
        if (!now.records().isEmpty() || wait.isZero() || !permits.tryAcquire()) {
            return CompletableFuture.completedFuture(now);
        }
        Waiter w = new Waiter(topic, partition, offset, maxRecords, maxBytes, System.nanoTime() + wait.toNanos());
        waiting.computeIfAbsent(key(topic, partition), k -> ConcurrentHashMap.newKeySet()).add(w);
        w.scheduleNext();
        return w.result;
    }

    /** Records were just committed to a partition: try its waiting fetches now. */
    public void wake(String topic, int partition) {
        Set<Waiter> ws = waiting.get(key(topic, partition));
        if (ws != null) {
            for (Waiter w : ws) {
                workers.execute(w::attempt);
            }
        }
    }

    /** Fetches waiting now. */
    public int waiting() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }

    @PreDestroy
    void close() {
        timer.shutdownNow();
    }

    private static String key(String topic, int partition) {
        return topic + "/" + partition;
    }

    private final class Waiter {
        final String topic;
        final int partition;
        final long offset;
        final int maxRecords;
        final long maxBytes;
        final long deadline;
        final CompletableFuture<FetchResult> result = new CompletableFuture<>();
        Duration backoff = FIRST_BACKOFF;
        ScheduledFuture<?> next;

        Waiter(String topic, int partition, long offset, int maxRecords, long maxBytes, long deadline) {
            this.topic = topic;
            this.partition = partition;
            this.offset = offset;
            this.maxRecords = maxRecords;
            this.maxBytes = maxBytes;
            this.deadline = deadline;
        }

        synchronized void attempt() {
            if (result.isDone()) {
                return;
            }
            if (next != null) {
                next.cancel(false);
            }
            try {
                FetchResult r = transport.fetch(topic, partition, offset, maxRecords, maxBytes, Duration.ZERO);
                if (!r.records().isEmpty() || System.nanoTime() >= deadline) {
                    finish();
                    result.complete(r);
                    return;
                }
            } catch (RuntimeException e) {
                finish();
                result.completeExceptionally(e);
                return;
            }
            scheduleNext();
        }

        synchronized void scheduleNext() {
            long left = Math.max(0, deadline - System.nanoTime());
            long delay = Math.min(backoff.toNanos(), left);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            next = timer.schedule(() -> workers.execute(this::attempt), delay, TimeUnit.NANOSECONDS);
        }

        private void finish() {
            Set<Waiter> ws = waiting.get(key(topic, partition));
            if (ws != null) {
                ws.remove(this);
            }
            permits.release();
        }
    }
}
