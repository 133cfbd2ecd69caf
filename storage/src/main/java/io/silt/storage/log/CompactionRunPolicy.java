package io.silt.storage.log;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link BucketCompactor} run is bounded and leased (the policy; the compactor is the mechanism). RFC 0008.
 *
 * @param budget how long one run may take; it stops starting new partitions once the time left is less than the
 *     slowest partition so far plus a tenth of the budget. Choose it below the function's timeout (the default, 10
 *     minutes, fits AWS Lambda's 15-minute limit with room to spare)
 * @param leaseDuration how long the compactor lease lasts unless renewed; the holder renews after half of it (one
 *     PUT), so a longer lease costs fewer PUTs and a crashed compactor blocks the next ones for longer
 * @param safetyMargin added to the lease duration before another compactor takes over a lease nobody renews
 * @param leaseWait how long a run waits for a lease that nobody renews to expire before it gives up ("busy");
 *     zero (the default) means skip at once, as a scheduled run should when the previous one is still going
 * @param grace the GC grace period: garbage behind a checkpoint, orphan segments and the data of deleted topics
 *     are collected only once this old. Never shorter than {@link LogConfig#gcGrace()} of the writers; the larger of
 *     the two applies
 * @param partition what to do to each partition (merging, rewrite budget, producer expiry)
 */
public record CompactionRunPolicy(Duration budget, Duration leaseDuration, Duration safetyMargin,
                                  Duration leaseWait, Duration grace, CompactionPolicy partition) {
    /** 10-minute runs, a 2-minute lease with a 20-second margin, no waiting, a 30-minute grace period. */
    public static final CompactionRunPolicy DEFAULTS = new CompactionRunPolicy(Duration.ofMinutes(10),
            Duration.ofMinutes(2), Duration.ofSeconds(20), Duration.ZERO, LogConfig.DEFAULTS.gcGrace(),
            CompactionPolicy.DEFAULTS);

    public CompactionRunPolicy {
        Objects.requireNonNull(partition, "partition");
        if (budget.isNegative() || budget.isZero() || leaseDuration.isNegative() || leaseDuration.isZero()
                || safetyMargin.isNegative() || leaseWait.isNegative() || grace.isNegative()) {
            throw new IllegalArgumentException("invalid compaction run policy: budget and lease duration must be "
                    + "positive, the others not negative");
        }
    }

    public CompactionRunPolicy withBudget(Duration d) {
        return new CompactionRunPolicy(d, leaseDuration, safetyMargin, leaseWait, grace, partition);
    }

    public CompactionRunPolicy withLease(Duration duration, Duration margin) {
        return new CompactionRunPolicy(budget, duration, margin, leaseWait, grace, partition);
    }

    public CompactionRunPolicy withLeaseWait(Duration d) {
        return new CompactionRunPolicy(budget, leaseDuration, safetyMargin, d, grace, partition);
    }

    public CompactionRunPolicy withGrace(Duration d) {
        return new CompactionRunPolicy(budget, leaseDuration, safetyMargin, leaseWait, d, partition);
    }

    public CompactionRunPolicy withPartitionPolicy(CompactionPolicy p) {
        return new CompactionRunPolicy(budget, leaseDuration, safetyMargin, leaseWait, grace, p);
    }
}
