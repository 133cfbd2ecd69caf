package io.silt.bench;

import io.silt.bench.LogBench.Options;
import io.silt.bench.LogBench.Payload;
import io.silt.storage.CountingObjectStore;
import io.silt.storage.FileSystemObjectStore;
import io.silt.storage.ObjectStore;
import io.silt.storage.RequestCounts;
import io.silt.storage.log.AppendResult;
import io.silt.storage.log.LogConfig;
import io.silt.storage.log.PartitionWriter;
import io.silt.storage.log.PreparedBatch;
import io.silt.storage.log.ProducerId;
import io.silt.storage.log.segment.Compression;
import io.silt.storage.log.segment.SegmentConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** Benchmarks a (one producer) and b (independent producers in several JVMs): produce throughput. */
final class ThroughputBench {
    private static final System.Logger LOG = System.getLogger(ThroughputBench.class.getName());
    static final String CHILD_MODE = "--child-producers";
    static final String PREFIX = "data/bench/i0/00000/";
    private static final String CHILD_RESULT = "SILT-BENCH-CHILD";
    private static final double MB = 1e6;
    static final String MBPS = "MB/s (record bytes)";
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /** CPU time of this JVM, all threads (-1 if the platform cannot tell). */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    private ThroughputBench() {}

    /** Acknowledgements that fall in the measured window [start, end) of System.nanoTime. */
    static final class Meter {
        final long start;
        final long end;
        final LongAdder payloadBytes = new LongAdder();
        final LongAdder storedBytes = new LongAdder();
        final LongAdder records = new LongAdder();
        final LongAdder batches = new LongAdder();

        Meter(long start, long end) {
            this.start = start;
            this.end = end;
        }

        void ack(long payload, long stored, int recordCount) {
            long now = System.nanoTime();
            if (now >= start && now < end) {
                payloadBytes.add(payload);
                storedBytes.add(stored);
                records.add(recordCount);
                batches.increment();
            }
        }

        double seconds() {
            return (end - start) / 1e9;
        }
    }

    static ExecutorService daemonPool(int threads, String name) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    static SegmentConfig segmentConfig(Compression c) {
        return SegmentConfig.defaults().withCompression(c);
    }

    static PartitionWriter writer(ObjectStore store, long seed, ExecutorService pool) {
        // java.util.Random: the writer draws segment keys from several upload threads at once.
        return new PartitionWriter(store, PREFIX, LogConfig.DEFAULTS, Clock.systemUTC(), System::nanoTime,
                new Random(seed), pool);
    }

    /** a. One producer, several appends in flight, filesystem store. */
    static void single(Options o, Path dir, int run, Result.Builder out) {
        String bench = LogBench.Bench.PRODUCE.title;
        FileSystemObjectStore fs = new FileSystemObjectStore(dir,
                FileSystemObjectStore.Options.defaults().withFsync(o.fsync()));
        CountingObjectStore store = CountingObjectStore.wrap(fs);
        ExecutorService pool = daemonPool(o.outstanding() + 2, "bench-writer");
        try {
            PartitionWriter writer = writer(store, o.seed() + run, pool);
            Workload w = new Workload(o.payload(), o.recordBytes(), segmentConfig(o.compression()), o.seed() + run);
            int perBatch = w.recordsPerBatch(o.batchBytes());
            long t0 = System.nanoTime();
            Meter meter = new Meter(t0 + o.warmup().toNanos(), t0 + o.warmup().toNanos() + o.measure().toNanos());
            Semaphore permits = new Semaphore(o.outstanding());
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long encodeNanos = 0;
            long encodeCpuNanos = 0;
            long encodedBatches = 0;
            RequestCounts before = null;
            long cpuAtStart = -1;
            while (System.nanoTime() < meter.end && failure.get() == null) {
                acquire(permits, 1);
                if (before == null && System.nanoTime() >= meter.start) {
                    before = store.counts();
                    cpuAtStart = processCpuNanos();
                }
                long e0 = System.nanoTime();
                long c0 = THREADS.getCurrentThreadCpuTime();
                PreparedBatch batch = w.batch(ProducerId.NONE, 0, perBatch);
                encodeCpuNanos += THREADS.getCurrentThreadCpuTime() - c0;
                encodeNanos += System.nanoTime() - e0;
                encodedBatches++;
                long payload = (long) perBatch * o.recordBytes();
                writer.append(batch).whenComplete((r, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        meter.ack(payload, batch.segment().length, r.recordCount());
                    }
                    permits.release();
                });
            }
            RequestCounts during = store.counts().minus(before == null ? RequestCounts.ZERO : before);
            long cpuInWindow = processCpuNanos() - cpuAtStart;
            acquire(permits, o.outstanding()); // drain
            if (failure.get() != null) {
                throw new IllegalStateException("an append failed", failure.get());
            }
            String config = String.format(Locale.ROOT, "1 producer, %d KiB batches, %d in flight, %s %s, fsync %s",
                    o.batchBytes() >> 10, o.outstanding(), o.payload().name().toLowerCase(Locale.ROOT),
                    o.compression().name().toLowerCase(Locale.ROOT), o.fsync() ? "on" : "off");
            double mbs = meter.payloadBytes.sum() / MB / meter.seconds();
            out.add(bench, run, config, MBPS, mbs, ">= 100", mbs >= 100);
            out.add(bench, run, config, "records/s", meter.records.sum() / meter.seconds());
            out.add(bench, run, config, "MB/s written to store", meter.storedBytes.sum() / MB / meter.seconds());
            out.add(bench, run, config, "batches per commit record",
                    during.puts() == 0 ? 0 : meter.batches.sum() / (double) Math.max(1, during.puts()
                            - meter.batches.sum()));
            out.add(bench, run, config, "encode ms per batch (producer thread, wall)", encodeNanos / 1e6 / encodedBatches);
            out.add(bench, run, config, "encode CPU ms per batch", encodeCpuNanos / 1e6 / encodedBatches);
            out.add(bench, run, config, "process CPU s per GB (all threads)",
                    cpuInWindow / 1e9 / (meter.payloadBytes.sum() / 1e9));

            // The same bytes put straight into the store, no log: the ceiling the log is compared with.
            byte[] segment = w.batch(ProducerId.NONE, 0, perBatch).segment();
            double raw = rawPutBandwidth(fs, segment, o.outstanding(), o.measure().toNanos() / 2);
            out.add(bench, run, "raw store PUTs of the same segments, " + o.outstanding() + " threads",
                    "MB/s (segment bytes)", raw);
        } finally {
            pool.shutdownNow();
            store.close();
        }
    }

    /** Puts {@code body} under fresh keys from {@code threads} threads for {@code nanos}; MB/s. */
    static double rawPutBandwidth(ObjectStore store, byte[] body, int threads, long nanos) {
        ExecutorService pool = daemonPool(threads, "bench-raw");
        LongAdder bytes = new LongAdder();
        long end = System.nanoTime() + nanos;
        long start = System.nanoTime();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            all.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; System.nanoTime() < end; i++) {
                    store.put("raw/" + id + "/" + i, body);
                    bytes.add(body.length);
                }
            }, pool));
        }
        all.forEach(CompletableFuture::join);
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdownNow();
        return bytes.sum() / MB / seconds;
    }

    /** b. Independent producers, each its own writer, spread over child JVMs sharing the store directory. */
    static void multi(Options o, Path dir, int run, Result.Builder out) {
        String bench = LogBench.Bench.MULTI.title;
        int jvms = Math.min(o.processes(), o.producers());
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classpath = System.getProperty("java.class.path");
        long startAt = System.currentTimeMillis() + 2_500; // time for the JVMs to start
        long perJvmHeapMiB = Math.max(256, (long) (o.producers() / jvms + 1) * (o.batchBytes() >> 20) * 6 + 256);
        List<Process> children = new ArrayList<>();
        try {
            for (int j = 0; j < jvms; j++) {
                int writers = o.producers() / jvms + (j < o.producers() % jvms ? 1 : 0);
                List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + perJvmHeapMiB + "m", "-cp", classpath,
                        LogBench.class.getName(), CHILD_MODE,
                        "dir=" + dir, "writers=" + writers, "startAt=" + startAt,
                        "warmupMs=" + o.warmup().toMillis(), "measureMs=" + o.measure().toMillis(),
                        "recordBytes=" + o.recordBytes(), "batchBytes=" + o.batchBytes(),
                        "payload=" + o.payload(), "compression=" + o.compression(), "fsync=" + o.fsync(),
                        "seed=" + (o.seed() * 1000 + run * 100 + j)));
                children.add(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
            }
            long payload = 0;
            long stored = 0;
            long records = 0;
            long batches = 0;
            long failures = 0;
            long encode = 0;
            long append = 0;
            long timed = 0;
            long cpu = 0;
            for (Process p : children) {
                Map<String, Long> r = readChild(p);
                payload += r.get("payload");
                stored += r.get("stored");
                records += r.get("records");
                batches += r.get("batches");
                failures += r.get("failures");
                encode += r.get("encodeNanos");
                append += r.get("appendNanos");
                timed += r.get("timedBatches");
                cpu += r.get("cpuNanos");
            }
            double seconds = o.measure().toNanos() / 1e9;
            String config = String.format(Locale.ROOT, "%d producers (own writer, 1 batch in flight each) in %d JVMs, "
                    + "%d KiB batches, fsync %s", o.producers(), jvms, o.batchBytes() >> 10, o.fsync() ? "on" : "off");
            out.add(bench, run, config, MBPS, payload / MB / seconds);
            out.add(bench, run, config, "records/s", records / seconds);
            out.add(bench, run, config, "MB/s written to store", stored / MB / seconds);
            out.add(bench, run, config, "batches acked", batches);
            out.add(bench, run, config, "appends failed (contention)", failures);
            out.add(bench, run, config, "encode ms per batch (each producer)", timed == 0 ? 0 : encode / 1e6 / timed);
            out.add(bench, run, config, "append ms per batch (upload + commit)", timed == 0 ? 0 : append / 1e6 / timed);
            out.add(bench, run, config, "CPU s per GB (all JVMs)", payload == 0 ? 0 : cpu / 1e9 / (payload / 1e9));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not start a child JVM", e);
        } finally {
            children.forEach(Process::destroy);
        }
    }

    private static Map<String, Long> readChild(Process p) throws IOException {
        Map<String, Long> result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith(CHILD_RESULT)) {
                    result = new HashMap<>();
                    for (String kv : line.substring(CHILD_RESULT.length()).trim().split(" ")) {
                        String[] parts = kv.split("=");
                        result.put(parts[0], Long.parseLong(parts[1]));
                    }
                }
            }
        }
        try {
            int code = p.waitFor();
            if (code != 0 || result == null) {
                throw new IllegalStateException("child JVM " + p.pid() + " exited with " + code
                        + (result == null ? " without a result" : ""));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return result;
    }

    /** The child JVM of b: {@code writers} producers, each with its own writer, one batch in flight each. */
    static void childMain(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Path dir = Path.of(a.get("dir"));
        int writers = Integer.parseInt(a.get("writers"));
        long startAt = Long.parseLong(a.get("startAt"));
        long warmupMs = Long.parseLong(a.get("warmupMs"));
        long measureMs = Long.parseLong(a.get("measureMs"));
        int recordBytes = Integer.parseInt(a.get("recordBytes"));
        int batchBytes = Integer.parseInt(a.get("batchBytes"));
        Payload payload = Payload.valueOf(a.get("payload"));
        Compression compression = Compression.valueOf(a.get("compression"));
        boolean fsync = Boolean.parseBoolean(a.get("fsync"));
        long seed = Long.parseLong(a.get("seed"));

        FileSystemObjectStore store = new FileSystemObjectStore(dir,
                FileSystemObjectStore.Options.defaults().withFsync(fsync));
        // Wall-clock times, shared by all child JVMs, turned into this JVM's nanoTime.
        long nowMs = System.currentTimeMillis();
        long nowNs = System.nanoTime();
        long start = nowNs + (startAt + warmupMs - nowMs) * 1_000_000L;
        long begin = nowNs + (startAt - nowMs) * 1_000_000L;
        Meter meter = new Meter(start, start + measureMs * 1_000_000L);
        LongAdder failures = new LongAdder();
        SplittableRandom ids = new SplittableRandom(seed);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            long producerId = ids.nextLong() | 1;
            long writerSeed = ids.nextLong();
            Thread t = new Thread(() -> produce(store, producerId, writerSeed, begin, meter, failures, payload,
                    compression, recordBytes, batchBytes), "producer-" + i);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        long untilStart = meter.start - System.nanoTime();
        if (untilStart > 0) {
            TimeUnit.NANOSECONDS.sleep(untilStart);
        }
        long cpu0 = processCpuNanos();
        long untilEnd = meter.end - System.nanoTime();
        if (untilEnd > 0) {
            TimeUnit.NANOSECONDS.sleep(untilEnd);
        }
        long cpuInWindow = processCpuNanos() - cpu0;
        for (Thread t : threads) {
            t.join();
        }
        System.out.println(CHILD_RESULT + " payload=" + meter.payloadBytes.sum() + " stored="
                + meter.storedBytes.sum() + " records=" + meter.records.sum() + " batches=" + meter.batches.sum()
                + " failures=" + failures.sum() + " encodeNanos=" + encodeNanos.sum() + " appendNanos="
                + appendNanos.sum() + " timedBatches=" + timedBatches.sum() + " cpuNanos=" + cpuInWindow);
        System.out.flush();
        System.exit(0);
    }

    private static final LongAdder encodeNanos = new LongAdder();
    private static final LongAdder appendNanos = new LongAdder();
    private static final LongAdder timedBatches = new LongAdder();

    private static void produce(ObjectStore store, long producerId, long seed, long begin, Meter meter,
                                LongAdder failures, Payload payload, Compression compression, int recordBytes,
                                int batchBytes) {
        ExecutorService pool = daemonPool(2, "writer-" + Long.toHexString(producerId));
        try {
            PartitionWriter writer = writer(store, seed, pool);
            Workload w = new Workload(payload, recordBytes, segmentConfig(compression), seed);
            ProducerId id = new ProducerId(producerId, 0);
            int perBatch = w.recordsPerBatch(batchBytes);
            long pause = begin - System.nanoTime();
            if (pause > 0) {
                TimeUnit.NANOSECONDS.sleep(pause);
            }
            int seq = 0;
            while (System.nanoTime() < meter.end) {
                long e0 = System.nanoTime();
                PreparedBatch batch = w.batch(id, seq, perBatch);
                long e1 = System.nanoTime();
                try {
                    AppendResult r = writer.append(batch).get();
                    if (e0 >= meter.start && e0 < meter.end) {
                        encodeNanos.add(e1 - e0);
                        appendNanos.add(System.nanoTime() - e1);
                        timedBatches.increment();
                    }
                    meter.ack((long) perBatch * recordBytes, batch.segment().length, r.recordCount());
                    seq += perBatch;
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.increment();
                    LOG.log(Level.WARNING, "append failed: " + e.getCause());
                    // Retry the same sequence: an idempotent producer learns the outcome that way.
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.shutdownNow();
        }
    }

    static void acquire(Semaphore s, int n) {
        try {
            s.acquire(n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
