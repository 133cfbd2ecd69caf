package io.silt.bench;

import io.silt.bench.LogBench.Options;
import io.silt.storage.CountingObjectStore;
import io.silt.storage.InMemoryObjectStore;
import io.silt.storage.LatencyModelObjectStore;
import io.silt.storage.RequestCounts;
import io.silt.storage.log.AppendResult;
import io.silt.storage.log.PartitionWriter;
import io.silt.storage.log.PreparedBatch;
import io.silt.storage.log.ProducerId;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * c. The commit rate one partition sustains under the S3 latency model with N contending writers, each its own
 * {@link PartitionWriter} (as N Lambda instances would be) with one small batch in flight: a closed loop, so commits,
 * not bandwidth, are the limit. Also the produce-acknowledgement latency.
 */
final class CommitRateBench {
    private static final System.Logger LOG = System.getLogger(CommitRateBench.class.getName());

    private CommitRateBench() {}

    static void run(Options o, int run, Result.Builder out) {
        for (int writers : o.commitWriters()) {
            once(o, run, writers, out);
        }
    }

    private static void once(Options o, int run, int writers, Result.Builder out) {
        String bench = LogBench.Bench.COMMITS.title;
        CountingObjectStore counting = CountingObjectStore.wrap(new InMemoryObjectStore());
        LatencyModelObjectStore store = LatencyModelObjectStore.wrap(counting, o.latency(),
                o.seed() * 31 + run * 7 + writers);
        long t0 = System.nanoTime();
        long start = t0 + o.warmup().toNanos();
        long end = start + o.measure().toNanos();
        Set<Long> commitsInWindow = ConcurrentHashMap.newKeySet();
        LongAdder acks = new LongAdder();
        LongAdder failures = new LongAdder();
        List<Histogram> histograms = new ArrayList<>();
        List<LongAdder> perWriter = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        SplittableRandom seeds = new SplittableRandom(o.seed() + run * 1000L + writers);
        RequestCounts[] window = new RequestCounts[2];
        for (int i = 0; i < writers; i++) {
            Histogram h = new Histogram(3_600_000_000L, 3); // microseconds, up to an hour
            histograms.add(h);
            long seed = seeds.nextLong();
            LongAdder mine = new LongAdder();
            perWriter.add(mine);
            threads.add(new Thread(() -> {
                ExecutorService pool = ThroughputBench.daemonPool(2, "commit-writer");
                try {
                    PartitionWriter writer = ThroughputBench.writer(store, seed, pool);
                    Workload w = new Workload(o.payload(), o.recordBytes(),
                            ThroughputBench.segmentConfig(o.compression()), seed);
                    ProducerId id = new ProducerId(seed | 1, 0);
                    int seq = 0;
                    while (System.nanoTime() < end) {
                        PreparedBatch batch = w.batch(id, seq, o.commitBatchRecords());
                        long sent = System.nanoTime();
                        try {
                            AppendResult r = writer.append(batch).get();
                            long now = System.nanoTime();
                            seq += o.commitBatchRecords();
                            if (sent >= start) { // every append sent in the window, however late its ack
                                h.recordValue(Math.max(1, (now - sent) / 1000));
                            }
                            if (now >= start && now < end) {
                                acks.increment();
                                mine.increment();
                                commitsInWindow.add(r.commitSeq());
                            }
                        } catch (ExecutionException e) {
                            failures.increment();
                            LOG.log(Level.DEBUG, () -> "append failed: " + e.getCause());
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    pool.shutdownNow();
                }
            }, "commit-bench-" + i));
        }
        threads.forEach(Thread::start);
        sleepUntil(start);
        window[0] = counting.counts();
        sleepUntil(end);
        window[1] = counting.counts();
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        Histogram all = new Histogram(3_600_000_000L, 3);
        histograms.forEach(all::add);
        RequestCounts during = window[1].minus(window[0]);
        double seconds = o.measure().toNanos() / 1e9;
        long commits = commitsInWindow.size();
        String config = String.format(Locale.ROOT, "%d writer%s, %d x %d B batches, %s", writers,
                writers == 1 ? "" : "s", o.commitBatchRecords(), o.recordBytes(), o.latency().name());
        out.add(bench, run, config, "commits/s", commits / seconds);
        out.add(bench, run, config, "records/s", acks.sum() * (double) o.commitBatchRecords() / seconds);
        out.add(bench, run, config, "ack p50 ms", all.getValueAtPercentile(50) / 1000.0);
        out.add(bench, run, config, "ack p99 ms", all.getValueAtPercentile(99) / 1000.0);
        out.add(bench, run, config, "ack max ms", all.getMaxValue() / 1000.0);
        out.add(bench, run, config, "PUTs per commit", commits == 0 ? 0 : during.puts() / (double) commits);
        out.add(bench, run, config, "GETs+HEADs per commit",
                commits == 0 ? 0 : (during.gets() + during.heads()) / (double) commits);
        out.add(bench, run, config, "appends failed", failures.sum());
        out.add(bench, run, config, "acks/s of the slowest writer",
                perWriter.stream().mapToLong(LongAdder::sum).min().orElse(0) / seconds);
        out.add(bench, run, config, "acks/s of the fastest writer",
                perWriter.stream().mapToLong(LongAdder::sum).max().orElse(0) / seconds);
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
