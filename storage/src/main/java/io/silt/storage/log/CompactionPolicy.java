package io.silt.storage.log;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a compaction run should do to a partition (the policy; {@link PartitionCompactor} is the mechanism): which
 * entries retention removes, and which runs of small entries are merged into one segment.
 *
 * @param smallEntryBytes entries smaller than this (and every inline entry) are merge candidates
 * @param targetSegmentBytes a merged segment holds about this much data at most
 * @param maxRewriteBytesPerRun how much data one run may rewrite, so a run fits a function's time limit
 * @param producerExpiry idempotent producers idle for longer are forgotten
 * @param purgeBefore entries that end at or before this offset are removed whatever the retention says (an admin
 *     purge: "drop everything up to the end offset seen now"); entries are removed whole, so an entry that straddles
 *     the offset stays; 0 (the default) removes nothing beyond retention
 */
public record CompactionPolicy(long smallEntryBytes, long targetSegmentBytes, long maxRewriteBytesPerRun,
                               Duration producerExpiry, long purgeBefore) {
    public static final CompactionPolicy DEFAULTS =
            new CompactionPolicy(4L << 20, 32L << 20, 512L << 20, Duration.ofDays(7));

    /** A policy that purges nothing beyond retention. */
    public CompactionPolicy(long smallEntryBytes, long targetSegmentBytes, long maxRewriteBytesPerRun,
                            Duration producerExpiry) {
        this(smallEntryBytes, targetSegmentBytes, maxRewriteBytesPerRun, producerExpiry, 0);
    }

    public CompactionPolicy {
        if (purgeBefore < 0) {
            throw new IllegalArgumentException("purgeBefore must be >= 0, was " + purgeBefore);
        }
    }

    /** This policy, also removing every entry that ends at or before {@code offset} (see {@link #purgeBefore}). */
    public CompactionPolicy withPurgeBefore(long offset) {
        return new CompactionPolicy(smallEntryBytes, targetSegmentBytes, maxRewriteBytesPerRun, producerExpiry,
                offset);
    }

    /** The plan for one run. */
    public record Plan(long startOffset, List<PartitionView.Located> expired, List<Step> steps) {
        /** Whether the run changes nothing but the checkpoint. */
        public boolean rewritesNothing() {
            return expired.isEmpty() && steps.stream().noneMatch(Step::isMerge);
        }
    }

    /** A retained stretch of the log: one entry kept as it is, or several merged into one new segment. */
    public record Step(List<PartitionView.Located> entries, boolean isMerge) {
        public long baseOffset() {
            return entries.get(0).baseOffset();
        }
    }

    public Plan plan(List<PartitionView.Located> entries, TopicConfig topic, long nowMillis, long endOffset) {
        List<PartitionView.Located> expired = new ArrayList<>();
        long total = entries.stream().mapToLong(l -> l.entry().dataBytes()).sum();
        long timeCutoff = topic.retentionTime().map(d -> nowMillis - d.toMillis()).orElse(Long.MIN_VALUE);
        long bytesLimit = topic.retentionBytes().orElse(Long.MAX_VALUE);
        int first = 0;
        while (first < entries.size()) {
            PartitionView.Located l = entries.get(first);
            boolean tooOld = l.entry().maxTimestamp() < timeCutoff;
            boolean tooBig = total - l.entry().dataBytes() >= bytesLimit;
            boolean purged = l.endOffset() <= purgeBefore;
            if (!tooOld && !tooBig && !purged) {
                break;
            }
            expired.add(l);
            total -= l.entry().dataBytes();
            first++;
        }
        long start = first < entries.size() ? entries.get(first).baseOffset() : endOffset;

        List<Step> steps = new ArrayList<>();
        long budget = maxRewriteBytesPerRun;
        List<PartitionView.Located> run = new ArrayList<>();
        long runBytes = 0;
        for (int i = first; i < entries.size(); i++) {
            PartitionView.Located l = entries.get(i);
            boolean small = l.entry().isInline() || l.entry().dataBytes() < smallEntryBytes;
            if (small && runBytes + l.entry().dataBytes() <= targetSegmentBytes
                    && budget - runBytes - l.entry().dataBytes() >= 0) {
                run.add(l);
                runBytes += l.entry().dataBytes();
                continue;
            }
            budget -= flush(run, steps);
            runBytes = 0;
            if (small && l.entry().dataBytes() <= budget) {
                run.add(l);
                runBytes = l.entry().dataBytes();
            } else {
                steps.add(new Step(List.of(l), false));
            }
        }
        flush(run, steps);
        return new Plan(start, expired, steps);
    }

    /** Turns a run of small entries into a step; returns the bytes it rewrites. */
    private static long flush(List<PartitionView.Located> run, List<Step> steps) {
        if (run.isEmpty()) {
            return 0;
        }
        boolean merge = run.size() > 1 || run.get(0).entry().isInline();
        steps.add(new Step(List.copyOf(run), merge));
        long bytes = merge ? run.stream().mapToLong(l -> l.entry().dataBytes()).sum() : 0;
        run.clear();
        return bytes;
    }
}
