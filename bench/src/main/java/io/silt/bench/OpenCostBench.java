package io.silt.bench;

import io.silt.bench.LogBench.Options;
import io.silt.storage.CountingObjectStore;
import io.silt.storage.InMemoryObjectStore;
import io.silt.storage.LatencyModelObjectStore;
import io.silt.storage.RequestCounts;
import io.silt.storage.log.CommitContentionException;
import io.silt.storage.log.CompactionPolicy;
import io.silt.storage.log.CompactionReport;
import io.silt.storage.log.LogConfig;
import io.silt.storage.log.PartitionCompactor;
import io.silt.storage.log.PartitionView;
import io.silt.storage.log.PartitionWriter;
import io.silt.storage.log.ProducerId;
import io.silt.storage.log.TopicConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * d. What opening a partition with a long history costs, in requests: without a checkpoint (every commit record is
 * read) and after one compaction run (the checkpoint summarises the history).
 */
final class OpenCostBench {
    private static final int BUILDERS = 4;
    private static final int RECORDS_PER_COMMIT = 1;
    private static final int RECORD_BYTES = 100;

    private OpenCostBench() {}

    static void run(Options o, int run, Result.Builder out) {
        String bench = LogBench.Bench.OPEN.title;
        InMemoryObjectStore memory = new InMemoryObjectStore();
        String prefix = ThroughputBench.PREFIX;
        long t0 = System.nanoTime();
        long gaveUp = build(memory, prefix, o.openCommits(), o.seed() + run);
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        String history = String.format(Locale.ROOT, "%,d commit records (%d x %d B each)", o.openCommits(),
                RECORDS_PER_COMMIT, RECORD_BYTES);
        out.add(bench, run, history, "build s (in memory, " + BUILDERS + " writers)", buildSeconds);
        out.add(bench, run, history, "build: appends that gave up after maxLostRaces (retried)", gaveUp);

        LatencyModelObjectStore.LogNormal read = LatencyModelObjectStore.Profile.S3_STANDARD.read();

        // Without a checkpoint: every commit record is read.
        CountingObjectStore counting = CountingObjectStore.wrap(memory);
        long o0 = System.nanoTime();
        PartitionView view = PartitionView.open(counting, prefix, LogConfig.DEFAULTS, System::nanoTime);
        double openMs = (System.nanoTime() - o0) / 1e6;
        RequestCounts plain = counting.counts();
        check(view, o.openCommits());
        out.add(bench, run, history + ", no checkpoint", "requests", plain.total());
        out.add(bench, run, history + ", no checkpoint", "open ms (in memory)", openMs);
        out.add(bench, run, history + ", no checkpoint", "est. open s under s3-standard (sequential, mean GET)",
                plain.total() * read.meanMillis() / 1000.0);

        // One compaction run writes a checkpoint (and merges the small entries).
        CompactionReport report = new PartitionCompactor(memory, LogConfig.DEFAULTS, CompactionPolicy.DEFAULTS,
                Clock.systemUTC(), System::nanoTime, new Random(o.seed()), 1).compact(prefix, TopicConfig.of(1));
        if (report.outcome() != CompactionReport.Outcome.CHECKPOINTED) {
            throw new IllegalStateException("compaction did not write a checkpoint: " + report.summary());
        }
        out.add(bench, run, history, "compaction run requests", report.requests().total());

        CountingObjectStore afterCk = CountingObjectStore.wrap(memory);
        view = PartitionView.open(afterCk, prefix, LogConfig.DEFAULTS, System::nanoTime);
        check(view, o.openCommits());
        RequestCounts ck = afterCk.counts();
        out.add(bench, run, history + ", checkpointed", "requests", ck.total(), "<= 5", ck.total() <= 5);
        out.add(bench, run, history + ", checkpointed", "of which GETs", ck.gets());
        out.add(bench, run, history + ", checkpointed", "of which HEADs", ck.heads());
        out.add(bench, run, history + ", checkpointed", "GETs answered 404", ck.getsNotFound());
        // Timed under the S3 Standard model (real sleeps): a few opens, the median.
        LatencyModelObjectStore slow = LatencyModelObjectStore.wrap(memory,
                LatencyModelObjectStore.Profile.S3_STANDARD, o.seed() + run);
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long s0 = System.nanoTime();
            PartitionView.open(slow, prefix, LogConfig.DEFAULTS, System::nanoTime);
            times.add((System.nanoTime() - s0) / 1e6);
        }
        times.sort(null);
        out.add(bench, run, history + ", checkpointed", "open ms under s3-standard (median of 5)", times.get(2));
    }

    private static void check(PartitionView view, int commits) {
        if (view.head() != commits || view.endOffset() != (long) commits * RECORDS_PER_COMMIT) {
            throw new IllegalStateException("opened view has head " + view.head() + ", end offset "
                    + view.endOffset() + "; expected " + commits);
        }
    }

    /** Writes exactly {@code commits} commit records, one small batch each, from several contending writers. */
    static long build(InMemoryObjectStore store, String prefix, int commits, long seed) {
        java.util.concurrent.atomic.LongAdder contentionFailures = new java.util.concurrent.atomic.LongAdder();
        AtomicInteger remaining = new AtomicInteger(commits);
        SplittableRandom seeds = new SplittableRandom(seed);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < BUILDERS; i++) {
            long s = seeds.nextLong();
            threads.add(new Thread(() -> {
                ExecutorService pool = ThroughputBench.daemonPool(1, "open-builder");
                try {
                    PartitionWriter w = ThroughputBench.writer(store, s, pool);
                    Workload workload = new Workload(LogBench.Payload.RANDOM, RECORD_BYTES,
                            ThroughputBench.segmentConfig(io.silt.storage.log.segment.Compression.NONE), s);
                    ProducerId id = new ProducerId(s | 1, 0);
                    int seq = 0;
                    while (remaining.getAndDecrement() > 0) {
                        while (true) {
                            try {
                                w.append(workload.batch(id, seq, RECORDS_PER_COMMIT)).get();
                                break;
                            } catch (ExecutionException e) {
                                if (!(e.getCause() instanceof CommitContentionException)) {
                                    throw e;
                                }
                                contentionFailures.increment(); // not committed: retry the same sequence
                            }
                        }
                        seq += RECORDS_PER_COMMIT;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | RuntimeException e) {
                    failures.add(e);
                } finally {
                    pool.shutdownNow();
                }
            }, "open-builder-" + i));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("building the history failed", failures.get(0));
        }
        return contentionFailures.sum();
    }
}
