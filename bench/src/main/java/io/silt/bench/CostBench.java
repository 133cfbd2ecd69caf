package io.silt.bench;

import io.silt.bench.LogBench.Options;
import io.silt.storage.CostModel;
import io.silt.storage.CountingObjectStore;
import io.silt.storage.FileSystemObjectStore;
import io.silt.storage.RequestCounts;
import io.silt.storage.log.LogConfig;
import io.silt.storage.log.LogRecord;
import io.silt.storage.log.PartitionReader;
import io.silt.storage.log.PartitionWriter;
import io.silt.storage.log.PreparedBatch;
import io.silt.storage.log.ProducerId;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * e. S3 requests per GiB produced at the configured batch (segment) size, counted by a {@link CountingObjectStore},
 * and what they cost at AWS list prices ({@link CostModel#S3_STANDARD}); then the requests of consuming it once with
 * a {@link PartitionReader}. Runs with one append in flight (one commit record per segment: the worst case) and with
 * the configured number in flight (group commit folds several segments into one commit record).
 */
final class CostBench {
    private static final double GIB = 1L << 30;

    private CostBench() {}

    static void run(Options o, Path dir, int run, Result.Builder out) {
        int[] inFlight = o.outstanding() == 1 ? new int[] {1} : new int[] {1, o.outstanding()};
        for (int k : inFlight) {
            once(o, dir.resolve("k" + k), run, k, out);
        }
    }

    private static void once(Options o, Path dir, int run, int inFlight, Result.Builder out) {
        String bench = LogBench.Bench.COST.title;
        // fsync off: request counts do not depend on it, and this benchmark is about counts.
        CountingObjectStore store = CountingObjectStore.wrap(new FileSystemObjectStore(dir,
                FileSystemObjectStore.Options.defaults().withFsync(false)));
        ExecutorService pool = ThroughputBench.daemonPool(inFlight + 2, "cost-writer");
        long produced = 0;
        long batches = 0;
        try {
            PartitionWriter writer = ThroughputBench.writer(store, o.seed() + run, pool);
            Workload w = new Workload(o.payload(), o.recordBytes(), ThroughputBench.segmentConfig(o.compression()),
                    o.seed() + run);
            int perBatch = w.recordsPerBatch(o.batchBytes());
            Semaphore permits = new Semaphore(inFlight);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            while (produced < o.costBytes() && failure.get() == null) {
                ThroughputBench.acquire(permits, 1);
                PreparedBatch batch = w.batch(ProducerId.NONE, 0, perBatch);
                produced += (long) perBatch * o.recordBytes();
                batches++;
                writer.append(batch).whenComplete((r, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                    permits.release();
                });
            }
            ThroughputBench.acquire(permits, inFlight);
            if (failure.get() != null) {
                throw new IllegalStateException("an append failed", failure.get());
            }
            RequestCounts produce = store.counts();
            double gib = produced / GIB;
            String config = String.format(Locale.ROOT, "%.0f MiB produced, %d KiB batches, %d in flight",
                    produced / (double) (1 << 20), o.batchBytes() >> 10, inFlight);
            double putsPerGib = produce.puts() / gib;
            out.add(bench, run, config, "segment PUTs / GiB", batches / gib);
            out.add(bench, run, config, "commit PUTs / GiB", (produce.puts() - batches) / gib);
            if (o.batchBytes() == 4 << 20) { // the target is stated for 4 MiB segments
                out.add(bench, run, config, "produce PUTs / GiB", putsPerGib, "<= 600", putsPerGib <= 600);
            } else {
                out.add(bench, run, config, "produce PUTs / GiB", putsPerGib);
            }
            out.add(bench, run, config, "produce other requests / GiB", (produce.total() - produce.puts()) / gib);
            out.add(bench, run, config, "produce $ / GiB", CostModel.S3_STANDARD.cost(produce) / gib);

            // Consume it once, from the start.
            CountingObjectStore reading = CountingObjectStore.wrap(store.delegate());
            PartitionReader reader = new PartitionReader(reading, ThroughputBench.PREFIX, LogConfig.DEFAULTS,
                    System::nanoTime);
            long offset = reader.startOffset();
            long records = 0;
            while (true) {
                List<LogRecord> got = reader.read(offset, 100_000);
                if (got.isEmpty()) {
                    break;
                }
                records += got.size();
                offset = got.get(got.size() - 1).offset() + 1;
            }
            if (records != (long) batches * perBatch) {
                throw new IllegalStateException("read " + records + " records, produced " + batches * perBatch);
            }
            RequestCounts consume = reading.counts();
            out.add(bench, run, config, "consume GETs+HEADs / GiB", (consume.gets() + consume.heads()) / gib);
            out.add(bench, run, config, "consume $ / GiB", CostModel.S3_STANDARD.cost(consume) / gib);
            double both = CostModel.S3_STANDARD.cost(produce.plus(consume)) / gib;
            out.add(bench, run, config, "produce + consume $ / GiB (no offset commits)", both, "<= 0.003",
                    both <= 0.003);
        } finally {
            pool.shutdownNow();
            store.close();
        }
    }
}
