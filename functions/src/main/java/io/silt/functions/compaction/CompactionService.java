package io.silt.functions.compaction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.silt.functions.SiltMetrics;
import io.silt.functions.SiltRuntime;
import io.silt.storage.log.BucketCompactionReport;
import io.silt.storage.log.BucketCompactor;
import io.silt.storage.log.CompactionRunPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Bucket compaction in this process (RFC 0008): the one place that builds {@link BucketCompactor}s over the
 * runtime's store, runs them, keeps the last report and publishes the metrics. Used by the in-process schedule of
 * the service ({@link CompactionScheduler}), by {@code POST /v1/compaction} ({@link CompactionResource}) and by the
 * {@code compaction} Lambda handler ({@link CompactionHandler}).
 *
 * <p>Compactors are kept across runs: a compactor remembers which lease record it watched and since when on its own
 * monotonic clock, which is how it takes over the lease of a compactor that crashed (RFC 0008, "Crash").
 *
 * <p>Configuration: {@code silt.compaction.budget} (default 2m) bounds one run of the service, and caps the budget
 * of a Lambda run; {@code silt.compaction.interval} (default 5m, {@code off} disables) is the service's schedule,
 * shown by {@code GET /v1/compaction}.
 *
 * <p>Metrics (through {@link SiltMetrics#registry()}): {@code silt.compaction.runs{status}} (completed,
 * budget_exhausted, busy, lease_unknown, fenced, error), {@code silt.compaction.objects.deleted},
 * {@code silt.compaction.bytes.reclaimed} and {@code silt.compaction.checkpoints.written}.
 */
@ApplicationScoped
public class CompactionService {
    private static final Logger LOG = Logger.getLogger(CompactionService.class);
    /** The slot of the service's own compactor (schedule and REST). */
    static final String SERVICE = "service";
    /** The status counted when a run fails with an exception instead of a report. */
    static final String ERROR = "error";

    /** A finished run: its report, what started it, and when (wall clock) it ended. */
    public record Finished(BucketCompactionReport report, String trigger, Instant finishedAt) {}

    private record Slot(String owner, CompactionRunPolicy policy, BucketCompactor compactor) {}

    private final SiltRuntime silt;
    private final CompactionClock clock;
    private final MeterRegistry registry;
    private final Duration budget;
    private final String interval;
    private final String processOwner;
    private final ReentrantLock serviceRun = new ReentrantLock();
    private final Map<String, Slot> slots = new HashMap<>();
    private final AtomicReference<Finished> last = new AtomicReference<>();
    private final Duration idempotencyWindow;
    /** When this process last swept expired idempotency markers (wall clock millis; 0: never). */
    private long lastSweepMillis;

    public CompactionService(SiltRuntime silt, CompactionClock clock, SiltMetrics metrics,
                             @ConfigProperty(name = "silt.compaction.budget", defaultValue = "2m") Duration budget,
                             @ConfigProperty(name = "silt.compaction.interval", defaultValue = "5m") String interval,
                             @ConfigProperty(name = "silt.idempotency-window", defaultValue = "PT24H")
                             Duration idempotencyWindow) {
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("silt.compaction.budget must be positive, not " + budget);
        }
        this.silt = silt;
        this.clock = clock;
        this.registry = metrics.registry();
        this.budget = budget;
        this.interval = interval;
        this.idempotencyWindow = idempotencyWindow;
        this.processOwner = hostName() + "/" + ProcessHandle.current().pid();
    }

    /** The configured budget of one run (the cap in Lambda). */
    public Duration budget() {
        return budget;
    }

    /** The service's schedule as configured ({@code off} or {@code disabled}: none). */
    public String interval() {
        return interval;
    }

    /** This process, as compactors name their owner: host name and process id. */
    public String processOwner() {
        return processOwner;
    }

    /** The policy of the service's runs: the defaults of RFC 0008 with the configured budget. */
    public CompactionRunPolicy servicePolicy() {
        return CompactionRunPolicy.DEFAULTS.withBudget(budget);
    }

    /** The last run of this process (any trigger), if there was one. */
    public Optional<Finished> last() {
        return Optional.ofNullable(last.get());
    }

    /** Whether the service's compactor is running now. */
    public boolean running() {
        return serviceRun.isLocked();
    }

    /**
     * Runs the service's compactor once, unless it is already running in this process.
     *
     * @param trigger what started the run, for the log and {@code GET /v1/compaction} (e.g. {@code schedule})
     * @return the report, or empty if a run of this process was still going (nothing was done)
     */
    public Optional<BucketCompactionReport> runService(String trigger) {
        if (!serviceRun.tryLock()) {
            LOG.debugf("compaction (%s) skipped: the previous run is still going", trigger);
            return Optional.empty();
        }
        try {
            return Optional.of(run(compactor(SERVICE, "service@" + processOwner, servicePolicy()), trigger));
        } finally {
            serviceRun.unlock();
        }
    }

    /**
     * The compactor kept in {@code slot}: the same instance for as long as its owner and policy stay the same, a new
     * one (which has watched nothing yet) when they change.
     */
    public synchronized BucketCompactor compactor(String slot, String owner, CompactionRunPolicy policy) {
        Slot s = slots.get(slot);
        if (s == null || !s.owner().equals(owner) || !s.policy().equals(policy)) {
            BucketCompactor c = new BucketCompactor(silt.store(), silt.transport().logConfig(), policy, owner,
                    clock.clock(), clock::nanoTime, new SplittableRandom(), clock.sleeper());
            s = new Slot(owner, policy, c);
            slots.put(slot, s);
            LOG.debugf("compactor %s for %s: budget %s, lease wait %s", owner, slot, policy.budget(),
                    policy.leaseWait());
        }
        return s.compactor();
    }

    /**
     * Runs {@code compactor} once, logs the summary, counts it in the metrics and keeps it as the last report.
     * Store errors while acquiring the lease or listing topics propagate (counted as status {@code error}).
     */
    public BucketCompactionReport run(BucketCompactor compactor, String trigger) {
        Objects.requireNonNull(trigger, "trigger");
        BucketCompactionReport report;
        try {
            report = compactor.runOnce();
        } catch (RuntimeException e) {
            runs(ERROR).increment();
            LOG.warnf("compaction (%s) failed: %s", trigger, e.toString());
            throw e;
        }
        runs(report.status().name().toLowerCase(Locale.ROOT)).increment();
        Counter.builder("silt.compaction.objects.deleted").description("objects deleted by compaction")
                .register(registry).increment(report.objectsDeleted());
        Counter.builder("silt.compaction.bytes.reclaimed").baseUnit("bytes")
                .description("bytes of the objects compaction deleted").register(registry)
                .increment(report.bytesDeleted());
        Counter.builder("silt.compaction.checkpoints.written").description("checkpoints written by compaction")
                .register(registry).increment(report.checkpointsWritten());
        sweepIdempotencyMarkers(report);
        last.set(new Finished(report, trigger, clock.clock().instant()));
        if (report.status() == BucketCompactionReport.Status.FENCED) {
            LOG.warnf("compaction (%s): %s", trigger, report.summary());
        } else {
            LOG.infof("compaction (%s): %s", trigger, report.summary());
        }
        return report;
    }

    /** After a run that held the lease, at most once per {@link IdempotencySweep#interval}: expired markers go. */
    private void sweepIdempotencyMarkers(BucketCompactionReport report) {
        if (report.status() != BucketCompactionReport.Status.COMPLETED
                && report.status() != BucketCompactionReport.Status.BUDGET_EXHAUSTED) {
            return;
        }
        long now = clock.clock().millis();
        synchronized (this) {
            if (lastSweepMillis != 0 && now - lastSweepMillis < IdempotencySweep.interval(idempotencyWindow).toMillis()) {
                return;
            }
            lastSweepMillis = now;
        }
        try {
            int deleted = IdempotencySweep.sweep(silt.store(), clock.clock().instant(), idempotencyWindow);
            Counter.builder("silt.compaction.idempotency.markers.deleted")
                    .description("expired Idempotency-Key markers deleted").register(registry).increment(deleted);
            if (deleted > 0) {
                LOG.infof("deleted %d expired idempotency markers", deleted);
            }
        } catch (RuntimeException e) {
            LOG.warnf("sweeping idempotency markers failed (the next sweep retries): %s", e.toString());
        }
    }

    private Counter runs(String status) {
        return Counter.builder("silt.compaction.runs").tag("status", status)
                .description("compaction runs, by how they ended").register(registry);
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
