package io.silt.bench;

import io.silt.storage.CountingObjectStore;
import io.silt.storage.InMemoryObjectStore;
import io.silt.storage.LatencyModelObjectStore;
import io.silt.storage.ObjectStore;
import io.silt.storage.RequestCounts;
import io.silt.storage.log.CompactionPolicy;
import io.silt.storage.log.CompactionReport;
import io.silt.storage.log.LogConfig;
import io.silt.storage.log.PartitionCompactor;
import io.silt.storage.log.PartitionView;
import io.silt.storage.log.PartitionWriter;
import io.silt.storage.log.ProducerId;
import io.silt.storage.log.TopicConfig;
import io.silt.storage.log.segment.Compression;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;

/**
 * Commit and open cost against history length: one partition's history grows in steps (e.g. 10^3, 10^4, 10^5, 10^6
 * commit records of one small batch each, written in memory by contending writers with the latency model off, as
 * {@link OpenCostBench} does), and after each step, once the compactor has checkpointed it, this measures what opening
 * the partition and committing to it cost: requests (counted) and time (in memory, and under the S3 Standard model).
 * The claim: both stay flat as the history grows.
 */
final class HistoryBench {
    /** The benchmark's name in results. */
    static final String NAME = "h. history";
    static final String OPEN_REQUESTS = "requests per open";
    static final String COMMIT_REQUESTS = "requests per commit";
    static final String OPEN_MS_MODEL = "ms per open (s3-standard model, median of 5)";
    static final String COMMIT_MS_MODEL = "ms per commit (s3-standard model, mean)";
    private static final int RECORD_BYTES = 100;

    /**
     * A measured point.
     *
     * @param commits history length in commit records
     * @param openRequests requests of one open
     * @param commitRequests requests per commit of a writer appending one batch at a time
     * @param openMillisModel one open under the S3 Standard model
     * @param commitMillisModel one commit under the S3 Standard model
     */
    record Point(long commits, double openRequests, double commitRequests, double openMillisModel,
                 double commitMillisModel) {}

    private HistoryBench() {}

    /**
     * Grows the history to each of {@code lengths} (ascending) and measures after each step.
     *
     * @param commitsPerPoint appends timed in memory at each point (those under the model are a tenth, at least 5)
     */
    static List<Point> run(List<Long> lengths, int commitsPerPoint, long seed, Result.Builder out) {
        InMemoryObjectStore memory = new InMemoryObjectStore();
        String prefix = ThroughputBench.PREFIX;
        long built = 0;
        List<Point> points = new ArrayList<>();
        for (long target : lengths) {
            long t0 = System.nanoTime();
            OpenCostBench.build(memory, prefix, Math.toIntExact(target - built), seed + target);
            built = target;
            // The commits measured below add to the history: include them in the next step's count.
            String cfg = String.format(Locale.ROOT, "%,d commit records", target);
            out.add(NAME, 1, cfg, "build s (in memory)", (System.nanoTime() - t0) / 1e9);
            CompactionReport report = new PartitionCompactor(memory, LogConfig.DEFAULTS, CompactionPolicy.DEFAULTS,
                    Clock.systemUTC(), System::nanoTime, new Random(seed), 1).compact(prefix, TopicConfig.of(1));
            out.add(NAME, 1, cfg, "compaction run requests", report.requests().total());

            CountingObjectStore counting = CountingObjectStore.wrap(memory);
            long o0 = System.nanoTime();
            PartitionView.open(counting, prefix, LogConfig.DEFAULTS, System::nanoTime);
            double openMicros = (System.nanoTime() - o0) / 1e3;
            double openRequests = counting.counts().total();
            out.add(NAME, 1, cfg, OPEN_REQUESTS, openRequests);
            out.add(NAME, 1, cfg, "µs per open (in memory)", openMicros);
            double openModel = medianOpenMillis(memory, prefix, seed);
            out.add(NAME, 1, cfg, OPEN_MS_MODEL, openModel);

            Commits mem = commit(CountingObjectStore.wrap(memory), commitsPerPoint, seed + target);
            out.add(NAME, 1, cfg, COMMIT_REQUESTS, mem.requestsPerCommit());
            out.add(NAME, 1, cfg, "µs per commit (in memory)", mem.millisPerCommit() * 1000);
            Commits model = commit(CountingObjectStore.wrap(LatencyModelObjectStore.wrap(memory,
                    LatencyModelObjectStore.Profile.S3_STANDARD, seed)), Math.max(5, commitsPerPoint / 10),
                    seed + target + 1);
            out.add(NAME, 1, cfg, COMMIT_MS_MODEL, model.millisPerCommit());
            built += commitsPerPoint + Math.max(5, commitsPerPoint / 10);
            points.add(new Point(target, openRequests, mem.requestsPerCommit(), openModel, model.millisPerCommit()));
        }
        return points;
    }

    private static double medianOpenMillis(ObjectStore memory, String prefix, long seed) {
        LatencyModelObjectStore slow = LatencyModelObjectStore.wrap(memory,
                LatencyModelObjectStore.Profile.S3_STANDARD, seed);
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long s0 = System.nanoTime();
            PartitionView.open(slow, prefix, LogConfig.DEFAULTS, System::nanoTime);
            times.add((System.nanoTime() - s0) / 1e6);
        }
        times.sort(null);
        return times.get(2);
    }

    private record Commits(double requestsPerCommit, double millisPerCommit) {}

    /** A fresh writer (its open not counted) appends {@code n} one-record batches one at a time. */
    private static Commits commit(CountingObjectStore store, int n, long seed) {
        ExecutorService pool = ThroughputBench.daemonPool(2, "history-writer");
        try {
            PartitionWriter writer = ThroughputBench.writer(store, seed, pool);
            Workload w = new Workload(LogBench.Payload.RANDOM, RECORD_BYTES,
                    ThroughputBench.segmentConfig(Compression.NONE), seed);
            ProducerId id = new ProducerId(seed | 1, 0);
            writer.append(w.batch(id, 0, 1)).get(); // opens the writer: not measured
            RequestCounts before = store.counts();
            long t0 = System.nanoTime();
            for (int i = 1; i < n; i++) {
                writer.append(w.batch(id, i, 1)).get();
            }
            double millis = (System.nanoTime() - t0) / 1e6;
            RequestCounts d = store.counts().minus(before);
            return new Commits(d.total() / (double) (n - 1), millis / (n - 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("an append failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
