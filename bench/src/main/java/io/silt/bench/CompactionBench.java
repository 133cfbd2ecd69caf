package io.silt.bench;

import io.silt.storage.CountingObjectStore;
import io.silt.storage.InMemoryObjectStore;
import io.silt.storage.ObjectInfo;
import io.silt.storage.RequestCounts;
import io.silt.storage.log.BucketCompactionReport;
import io.silt.storage.log.BucketCompactor;
import io.silt.storage.log.Checkpoint;
import io.silt.storage.log.CompactionRunPolicy;
import io.silt.storage.log.LogConfig;
import io.silt.storage.log.PartitionView;
import io.silt.storage.log.PartitionWriter;
import io.silt.storage.log.PreparedBatch;
import io.silt.storage.log.ProducerId;
import io.silt.storage.log.TopicConfig;
import io.silt.storage.log.TopicDescription;
import io.silt.storage.log.Topics;
import io.silt.storage.log.segment.Compression;
import io.silt.storage.log.segment.Record;
import io.silt.storage.log.segment.SegmentWriter;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The compaction target of the issue "Functions": <em>after an hour of 10 commits/s, compaction leaves ≤ 100 objects
 * per partition that the log still references (objects waiting out the grace period not counted), and opening the
 * partition costs ≤ 5 requests.</em>
 *
 * <p>One partition of one topic in the in-memory store. A producer commits {@link Options#commits()} small batches
 * ({@link Options#recordsPerCommit()} records of {@link Options#recordBytes()} bytes: inline in their commit records)
 * one after another, while a simulated clock moves {@link Options#commitInterval()} per commit; a
 * {@link BucketCompactor} with the default policy (30-minute grace period) runs every
 * {@link Options#compactionInterval()} of simulated time and once at the end. Every component (writer, compactor,
 * the store's object timestamps) reads the simulated clock, so an hour passes in seconds; compaction itself takes no
 * simulated time. At the end it counts the objects the log references (the newest checkpoint, the commit records
 * after it, the segments they name), all objects under the partition's prefix, and the requests of
 * {@link PartitionView#open} through a {@link CountingObjectStore}; and, for comparison, the same just before the
 * last run (the most a reader meets between runs).
 */
public final class CompactionBench {
    static final String BENCH = "compaction";
    static final String REFERENCED = "objects the log references";
    static final String OPEN_REQUESTS = "open requests";
    private static final String TOPIC = "bench";

    /**
     * The settings of a run.
     *
     * @param commits commit records written
     * @param recordsPerCommit records in each commit's batch
     * @param recordBytes value size of each record
     * @param commitInterval simulated time between commits (100 ms: 10 commits/s)
     * @param compactionInterval simulated time between compaction runs
     * @param seed randomness of values, tokens and keys
     */
    public record Options(int commits, int recordsPerCommit, int recordBytes, Duration commitInterval,
                          Duration compactionInterval, long seed) {
        public Options {
            if (commits < 1 || recordsPerCommit < 1 || recordBytes < 1 || commitInterval.isNegative()
                    || commitInterval.isZero() || compactionInterval.compareTo(commitInterval) < 0) {
                throw new IllegalArgumentException("invalid benchmark options");
            }
        }

        /** The hour: 36,000 commits of 10 x 1 KiB, 100 ms apart, compaction every 5 minutes. */
        public static Options defaults() {
            return new Options(36_000, 10, 1024, Duration.ofMillis(100), Duration.ofMinutes(5), 1);
        }

        /** Six simulated minutes (3,600 commits): for the smoke test and a first look. */
        public static Options quick() {
            return defaults().withCommits(3_600);
        }

        public Options withCommits(int n) {
            return new Options(n, recordsPerCommit, recordBytes, commitInterval, compactionInterval, seed);
        }

        public Options withBatch(int records, int bytes) {
            return new Options(commits, records, bytes, commitInterval, compactionInterval, seed);
        }

        public Options withIntervals(Duration commit, Duration compaction) {
            return new Options(commits, recordsPerCommit, recordBytes, commit, compaction, seed);
        }

        public Options withSeed(long s) {
            return new Options(commits, recordsPerCommit, recordBytes, commitInterval, compactionInterval, s);
        }

        /** The simulated time the commits span. */
        public Duration span() {
            return commitInterval.multipliedBy(commits);
        }

        /** A one-line description for the report. */
        public String describe() {
            return String.format(Locale.ROOT, "commits=%d recordsPerCommit=%d record=%dB commitInterval=%dms "
                            + "compactionInterval=%ds simulated=%s store=in-memory seed=%d", commits, recordsPerCommit,
                    recordBytes, commitInterval.toMillis(), compactionInterval.toSeconds(), span(), seed);
        }
    }

    /** Simulated time: a wall clock and a monotonic clock that move only when told to. */
    static final class SimulatedClock extends Clock {
        private final long startMillis = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        private final AtomicLong nanos = new AtomicLong();

        void advance(Duration d) {
            nanos.addAndGet(d.toNanos());
        }

        long nanoTime() {
            return nanos.get();
        }

        @Override
        public long millis() {
            return startMillis + nanos.get() / 1_000_000;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** What the log of the partition references, and what lies under its prefix. */
    record Census(int checkpoints, long commitRecords, int segments, int allObjects, int commitObjects,
                  int checkpointObjects, int segmentObjects, RequestCounts open) {
        int referenced() {
            return (int) (checkpoints + commitRecords + segments);
        }

        /** Commit records, checkpoints and segments under the prefix that the log no longer references. */
        long awaitingGc() {
            return commitObjects - commitRecords + checkpointObjects - checkpoints + segmentObjects - segments;
        }
    }

    private CompactionBench() {}

    /** Runs the benchmark, printing each number to {@code live} as it comes (may be {@code null}). */
    public static Result run(Options o, PrintStream live) {
        Result.Builder out = new Result.Builder(live);
        SimulatedClock clock = new SimulatedClock();
        InMemoryObjectStore store = new InMemoryObjectStore(clock, "mem:compaction-bench");
        TopicDescription topic = new Topics(store, clock, new SplittableRandom(o.seed())).create(TOPIC,
                TopicConfig.of(1));
        String prefix = topic.partitionPrefix(0);
        BucketCompactor compactor = new BucketCompactor(store, LogConfig.DEFAULTS, CompactionRunPolicy.DEFAULTS,
                "compaction-bench", clock, clock::nanoTime, new SplittableRandom(o.seed() + 1), clock::advance);
        ExecutorService pool = ThroughputBench.daemonPool(1, "compaction-bench");
        List<BucketCompactionReport> runs = new ArrayList<>();
        Census beforeLast = null;
        long wallStart = System.nanoTime();
        long compactNanos = 0;
        try {
            PartitionWriter writer = new PartitionWriter(store, prefix, LogConfig.DEFAULTS, clock, clock::nanoTime,
                    new Random(o.seed() + 2), pool);
            Batches batches = new Batches(o, clock);
            long every = o.compactionInterval().toNanos();
            long nextRun = every;
            for (int i = 0; i < o.commits(); i++) {
                append(writer, batches.next());
                clock.advance(o.commitInterval());
                boolean last = i == o.commits() - 1;
                if (clock.nanoTime() >= nextRun || last) {
                    if (last) {
                        beforeLast = census(store, prefix);
                    }
                    long t0 = System.nanoTime();
                    runs.add(compactor.runOnce());
                    compactNanos += System.nanoTime() - t0;
                    while (nextRun <= clock.nanoTime()) {
                        nextRun += every;
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
        Census end = census(store, prefix);
        report(o, runs, beforeLast, end, wallSeconds, compactNanos / 1e6 / runs.size(), out);
        return out.build();
    }

    private static void report(Options o, List<BucketCompactionReport> runs, Census beforeLast, Census end,
                               double wallSeconds, double meanRunMs, Result.Builder out) {
        String history = String.format(Locale.ROOT, "%,d commits x %d x %d B, %d ms apart (%s simulated)",
                o.commits(), o.recordsPerCommit(), o.recordBytes(), o.commitInterval().toMillis(),
                human(o.span()));
        long failed = runs.stream().filter(r -> r.status() != BucketCompactionReport.Status.COMPLETED).count();
        if (failed > 0) {
            throw new IllegalStateException(failed + " compaction runs did not complete, e.g. "
                    + runs.stream().filter(r -> r.status() != BucketCompactionReport.Status.COMPLETED).findFirst()
                    .orElseThrow().summary());
        }
        String schedule = "compaction every " + human(o.compactionInterval()) + " + at the end";
        out.add(BENCH, 1, history, "wall s (in memory)", wallSeconds);
        out.add(BENCH, 1, schedule, "runs", runs.size());
        out.add(BENCH, 1, schedule, "checkpoints written", runs.stream()
                .mapToInt(BucketCompactionReport::checkpointsWritten).sum());
        out.add(BENCH, 1, schedule, "entries merged", runs.stream().mapToInt(BucketCompactionReport::entriesMerged)
                .sum());
        out.add(BENCH, 1, schedule, "objects deleted", runs.stream().mapToInt(BucketCompactionReport::objectsDeleted)
                .sum());
        out.add(BENCH, 1, schedule, "requests per run (mean)", runs.stream()
                .mapToLong(r -> r.requests().total()).average().orElse(0));
        out.add(BENCH, 1, schedule, "wall ms per run (mean)", meanRunMs);

        String after = "after the last run";
        out.add(BENCH, 1, after, REFERENCED, end.referenced(), "<= 100", end.referenced() <= 100);
        out.add(BENCH, 1, after, "  newest checkpoint", end.checkpoints());
        out.add(BENCH, 1, after, "  commit records after it", end.commitRecords());
        out.add(BENCH, 1, after, "  segments they name", end.segments());
        out.add(BENCH, 1, after, "objects under the partition prefix", end.allObjects());
        out.add(BENCH, 1, after, "  of which commit records", end.commitObjects());
        out.add(BENCH, 1, after, "  of which checkpoints", end.checkpointObjects());
        out.add(BENCH, 1, after, "  of which segments", end.segmentObjects());
        out.add(BENCH, 1, after, "objects awaiting GC (grace period)", end.awaitingGc());
        out.add(BENCH, 1, after, OPEN_REQUESTS, end.open().total(), "<= 5", end.open().total() <= 5);
        out.add(BENCH, 1, after, "  GETs", end.open().gets());
        out.add(BENCH, 1, after, "  GETs answered 404", end.open().getsNotFound());
        out.add(BENCH, 1, after, "  HEADs", end.open().heads());
        out.add(BENCH, 1, after, "  LISTs", end.open().lists());

        String before = "just before the last run";
        out.add(BENCH, 1, before, REFERENCED, beforeLast.referenced());
        out.add(BENCH, 1, before, OPEN_REQUESTS, beforeLast.open().total());
    }

    /**
     * Opens the partition through a counting store and counts what its log references, then lists the prefix (where
     * the head hint is one more object, neither referenced nor garbage).
     */
    static Census census(InMemoryObjectStore store, String prefix) {
        CountingObjectStore counting = CountingObjectStore.wrap(store);
        PartitionView view = PartitionView.open(counting, prefix, LogConfig.DEFAULTS, () -> 0L);
        RequestCounts open = counting.counts();
        long covered = view.checkpoint().map(Checkpoint::coversSeq).orElse(0L);
        Set<String> segments = new HashSet<>();
        for (PartitionView.Located l : view.entries().values()) {
            if (!l.entry().isInline()) {
                segments.add(l.entry().segmentKey());
            }
        }
        int all = 0;
        int commits = 0;
        int checkpoints = 0;
        int segs = 0;
        for (ObjectInfo info : store.listAll(prefix)) {
            all++;
            String rest = info.key().substring(prefix.length());
            if (rest.startsWith("log/")) {
                commits++;
            } else if (rest.startsWith("ckpt/")) {
                checkpoints++;
            } else if (rest.startsWith("seg/")) {
                segs++;
            }
        }
        return new Census(view.checkpoint().isPresent() ? 1 : 0, view.head() - covered, segments.size(), all,
                commits, checkpoints, segs, open);
    }

    private static void append(PartitionWriter writer, PreparedBatch batch) {
        try {
            writer.append(batch).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a commit failed", e.getCause());
        }
    }

    /** The producer's batches: random values (incompressible), stamped with the simulated time. */
    private static final class Batches {
        private final Options o;
        private final SimulatedClock clock;
        private final SplittableRandom random;
        private final SegmentWriter segments = new SegmentWriter(ThroughputBench.segmentConfig(Compression.LZ4));
        private final ProducerId producer;
        private int sequence;

        Batches(Options o, SimulatedClock clock) {
            this.o = o;
            this.clock = clock;
            this.random = new SplittableRandom(o.seed() + 3);
            this.producer = new ProducerId(random.nextLong() >>> 1 | 1, 0);
        }

        PreparedBatch next() {
            long now = clock.millis();
            for (int r = 0; r < o.recordsPerCommit(); r++) {
                byte[] value = new byte[o.recordBytes()];
                random.nextBytes(value);
                segments.append(Record.of(null, value, now));
            }
            PreparedBatch b = PreparedBatch.of(producer, sequence, segments.finish());
            sequence += o.recordsPerCommit();
            return b;
        }
    }

    private static String human(Duration d) {
        if (d.toMinutes() >= 1 && d.toSecondsPart() == 0 && d.toMillisPart() == 0) {
            return d.toHours() >= 1 && d.toMinutesPart() == 0 ? d.toHours() + " h" : d.toMinutes() + " min";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Runs the benchmark; see {@code --help}. */
    public static void main(String[] args) {
        System.exit(runCli(args, System.out, System.err));
    }

    /**
     * Parses {@code args}, runs the benchmark and prints the table to {@code out}: the entry point of
     * {@code silt bench compaction}. Returns the exit code (0 ok, 2 usage error).
     */
    public static int runCli(String[] args, PrintStream out, PrintStream err) {
        return BenchCli.run("silt bench compaction", "Silt compaction benchmark", usage(), args, out, err,
                CompactionBench::parse, Options::describe, o -> run(o, out));
    }

    static String usage() {
        return """
                usage: CompactionBench [--quick] [options]
                  --quick                    3,600 commits (6 simulated minutes) instead of 36,000 (an hour)
                  --commits N                commit records written (default 36000)
                  --records-per-commit N     records in each commit (default 10)
                  --record-bytes N           record value size (default 1024)
                  --commit-interval-ms N     simulated time between commits (default 100: 10 commits/s)
                  --compaction-interval-s N  simulated time between compaction runs (default 300)
                  --seed N
                """;
    }

    /** Parses the command line; {@code null} for {@code --help}. */
    static Options parse(String[] args) {
        Options o = Options.defaults();
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        if (rest.remove("--help") || rest.remove("-h")) {
            return null;
        }
        if (rest.remove("--quick")) {
            o = Options.quick();
        }
        return BenchCli.applyFlags(rest, o, CompactionBench::flag);
    }

    /** Applies one option that takes a value. */
    private static Options flag(Options o, String flag, String v) {
        return switch (flag) {
            case "--commits" -> o.withCommits(Integer.parseInt(v));
            case "--records-per-commit" -> o.withBatch(Integer.parseInt(v), o.recordBytes());
            case "--record-bytes" -> o.withBatch(o.recordsPerCommit(), Integer.parseInt(v));
            case "--commit-interval-ms" -> o.withIntervals(Duration.ofMillis(Long.parseLong(v)),
                    o.compactionInterval());
            case "--compaction-interval-s" -> o.withIntervals(o.commitInterval(),
                    Duration.ofSeconds(Long.parseLong(v)));
            case "--seed" -> o.withSeed(Long.parseLong(v));
            default -> throw new IllegalArgumentException("unknown option " + flag);
        };
    }
}
