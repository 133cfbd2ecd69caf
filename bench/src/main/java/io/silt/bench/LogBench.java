package io.silt.bench;

import io.silt.storage.LatencyModelObjectStore;
import io.silt.storage.log.segment.Compression;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Benchmarks of the partition log against the targets of DESIGN.md and RFC 0002:
 * <ol type="a">
 *   <li>{@link Bench#PRODUCE}: one producer, one partition, filesystem store: MB/s and records/s;</li>
 *   <li>{@link Bench#MULTI}: independent producers (each its own writer) in several JVMs on one partition;</li>
 *   <li>{@link Bench#COMMITS}: commit rate and acknowledgement latency under the S3 latency model with 1, 4, 16
 *       contending writers;</li>
 *   <li>{@link Bench#OPEN}: requests {@code PartitionView.open} costs on a long history, with and without a
 *       checkpoint;</li>
 *   <li>{@link Bench#COST}: PUTs and request cost per GiB produced (and consumed once) at 4 MiB segments.</li>
 * </ol>
 * Call {@link #run(Options, PrintStream)} from code (the {@code silt bench} command will), or {@link #main} from the
 * command line. Data goes to a fresh directory under {@link Options#workDir()}, deleted afterwards.
 */
public final class LogBench {
    private static final System.Logger LOG = System.getLogger(LogBench.class.getName());

    /** What record values look like. */
    public enum Payload {
        /** Random bytes: incompressible, so every byte is written (the worst case for bandwidth). */
        RANDOM,
        /** Words from a small vocabulary: compresses 2-3x with LZ4, like JSON or log lines. */
        TEXT
    }

    /** The benchmarks, by letter. */
    public enum Bench {
        PRODUCE("a", "a. produce"),
        MULTI("b", "b. multi-producer"),
        COMMITS("c", "c. commit rate"),
        OPEN("d", "d. open cost"),
        COST("e", "e. requests/GiB");

        final String letter;
        final String title;

        Bench(String letter, String title) {
            this.letter = letter;
            this.title = title;
        }

        static Bench of(String s) {
            for (Bench b : values()) {
                if (b.letter.equalsIgnoreCase(s) || b.name().equalsIgnoreCase(s)) {
                    return b;
                }
            }
            throw new IllegalArgumentException("unknown benchmark '" + s + "'; use a-e or "
                    + Arrays.toString(values()).toLowerCase(Locale.ROOT));
        }
    }

    /**
     * The settings of a run.
     *
     * @param benchmarks which benchmarks to run
     * @param workDir a fresh directory is made (and deleted) under it for the data
     * @param repeats how many times each benchmark runs
     * @param warmup time before measuring starts (a, b, c)
     * @param measure measured time (a, b, c)
     * @param recordBytes value size of each record
     * @param batchBytes producer batch (segment) size for a, b, e
     * @param outstanding appends in flight at once for a single producer (a, e)
     * @param producers independent producers in b
     * @param processes JVMs the producers of b are spread over
     * @param commitWriters the writer counts of c
     * @param commitBatchRecords records per batch in c (small: they travel inline)
     * @param latency the latency profile of c
     * @param openCommits commit records in the history of d
     * @param costBytes payload bytes produced in e
     * @param payload what values look like
     * @param compression segment compression
     * @param fsync whether the filesystem store syncs (a, b)
     * @param seed randomness
     */
    public record Options(Set<Bench> benchmarks, Path workDir, int repeats, Duration warmup, Duration measure,
                          int recordBytes, int batchBytes, int outstanding, int producers, int processes,
                          List<Integer> commitWriters, int commitBatchRecords, LatencyModelObjectStore.Profile latency,
                          int openCommits, long costBytes, Payload payload, Compression compression, boolean fsync,
                          long seed) {
        public Options {
            benchmarks = benchmarks.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(benchmarks));
            commitWriters = List.copyOf(commitWriters);
            Objects.requireNonNull(workDir);
            Objects.requireNonNull(latency);
            Objects.requireNonNull(payload);
            Objects.requireNonNull(compression);
            if (repeats < 1 || recordBytes < 1 || batchBytes < recordBytes || outstanding < 1 || producers < 1
                    || processes < 1 || commitBatchRecords < 1 || openCommits < 1 || costBytes < batchBytes) {
                throw new IllegalArgumentException("invalid benchmark options");
            }
        }

        /** The full run: 10 s measured after 3 s warm-up, 100,000 commit records, 1 GiB for the cost. */
        public static Options defaults() {
            return new Options(EnumSet.allOf(Bench.class), Path.of(System.getProperty("java.io.tmpdir")), 1,
                    Duration.ofSeconds(3), Duration.ofSeconds(10), 1024, 4 << 20, 6, 16, 4, List.of(1, 4, 16), 10,
                    LatencyModelObjectStore.Profile.S3_STANDARD, 100_000, 1L << 30, Payload.RANDOM,
                    Compression.LZ4, true, 1);
        }

        /** Small sizes: the whole run takes well under two minutes. */
        public static Options quick() {
            return defaults().withTimes(Duration.ofSeconds(1), Duration.ofSeconds(3)).withOpenCommits(5_000)
                    .withCostBytes(128L << 20);
        }

        /** The smallest configuration, for the smoke test: seconds, not minutes. */
        public static Options smallest() {
            Options q = quick();
            // a 2 s window: with 0.5 s the multi-process benchmark saw no acknowledgement at all on a loaded machine
            return new Options(q.benchmarks, q.workDir, 1, Duration.ofMillis(500), Duration.ofSeconds(2),
                    q.recordBytes, 256 << 10, 2, 2, 2, List.of(1, 2), q.commitBatchRecords,
                    LatencyModelObjectStore.Profile.S3_EXPRESS_ONE_ZONE, 300, 1L << 20, q.payload, q.compression,
                    q.fsync, q.seed);
        }

        public Options withBenchmarks(Set<Bench> b) {
            return new Options(b, workDir, repeats, warmup, measure, recordBytes, batchBytes, outstanding, producers,
                    processes, commitWriters, commitBatchRecords, latency, openCommits, costBytes, payload,
                    compression, fsync, seed);
        }

        public Options withWorkDir(Path dir) {
            return new Options(benchmarks, dir, repeats, warmup, measure, recordBytes, batchBytes, outstanding,
                    producers, processes, commitWriters, commitBatchRecords, latency, openCommits, costBytes, payload,
                    compression, fsync, seed);
        }

        public Options withRepeats(int n) {
            return new Options(benchmarks, workDir, n, warmup, measure, recordBytes, batchBytes, outstanding,
                    producers, processes, commitWriters, commitBatchRecords, latency, openCommits, costBytes, payload,
                    compression, fsync, seed);
        }

        public Options withTimes(Duration warm, Duration measured) {
            return new Options(benchmarks, workDir, repeats, warm, measured, recordBytes, batchBytes, outstanding,
                    producers, processes, commitWriters, commitBatchRecords, latency, openCommits, costBytes, payload,
                    compression, fsync, seed);
        }

        public Options withProduce(int record, int batch, int inFlight) {
            return new Options(benchmarks, workDir, repeats, warmup, measure, record, batch, inFlight, producers,
                    processes, commitWriters, commitBatchRecords, latency, openCommits, costBytes, payload,
                    compression, fsync, seed);
        }

        public Options withProducers(int n, int jvms) {
            return new Options(benchmarks, workDir, repeats, warmup, measure, recordBytes, batchBytes, outstanding,
                    n, jvms, commitWriters, commitBatchRecords, latency, openCommits, costBytes, payload, compression,
                    fsync, seed);
        }

        public Options withCommits(List<Integer> writers, int batchRecords, LatencyModelObjectStore.Profile profile) {
            return new Options(benchmarks, workDir, repeats, warmup, measure, recordBytes, batchBytes, outstanding,
                    producers, processes, writers, batchRecords, profile, openCommits, costBytes, payload,
                    compression, fsync, seed);
        }

        public Options withOpenCommits(int n) {
            return new Options(benchmarks, workDir, repeats, warmup, measure, recordBytes, batchBytes, outstanding,
                    producers, processes, commitWriters, commitBatchRecords, latency, n, costBytes, payload,
                    compression, fsync, seed);
        }

        public Options withCostBytes(long bytes) {
            return new Options(benchmarks, workDir, repeats, warmup, measure, recordBytes, batchBytes, outstanding,
                    producers, processes, commitWriters, commitBatchRecords, latency, openCommits, bytes, payload,
                    compression, fsync, seed);
        }

        public Options withData(Payload p, Compression c, boolean sync) {
            return new Options(benchmarks, workDir, repeats, warmup, measure, recordBytes, batchBytes, outstanding,
                    producers, processes, commitWriters, commitBatchRecords, latency, openCommits, costBytes, p, c,
                    sync, seed);
        }

        public Options withSeed(long s) {
            return new Options(benchmarks, workDir, repeats, warmup, measure, recordBytes, batchBytes, outstanding,
                    producers, processes, commitWriters, commitBatchRecords, latency, openCommits, costBytes, payload,
                    compression, fsync, s);
        }

        /** A one-line description for the report. */
        public String describe() {
            return String.format(Locale.ROOT, "benchmarks=%s repeats=%d warmup=%ss measure=%ss record=%dB batch=%dKiB "
                            + "outstanding=%d producers=%d jvms=%d commitWriters=%s commitBatch=%d latency=%s "
                            + "openCommits=%d costMiB=%d payload=%s compression=%s fsync=%s seed=%d",
                    benchmarks.stream().sorted().map(b -> b.letter).reduce("", String::concat), repeats,
                    warmup.toMillis() / 1000.0, measure.toMillis() / 1000.0, recordBytes, batchBytes >> 10,
                    outstanding, producers, processes, commitWriters, commitBatchRecords, latency.name(), openCommits,
                    costBytes >> 20, payload.name().toLowerCase(Locale.ROOT),
                    compression.name().toLowerCase(Locale.ROOT), fsync, seed);
        }
    }

    private LogBench() {}

    /** Runs the chosen benchmarks, printing each number to {@code live} as it comes (may be {@code null}). */
    public static Result run(Options options, PrintStream live) {
        Path dir;
        try {
            Files.createDirectories(options.workDir());
            dir = Files.createTempDirectory(options.workDir(), "silt-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory under " + options.workDir(), e);
        }
        Result.Builder result = new Result.Builder(live);
        try {
            for (Bench b : Bench.values()) {
                if (!options.benchmarks().contains(b)) {
                    continue;
                }
                for (int run = 1; run <= options.repeats(); run++) {
                    Path runDir = dir.resolve(b.letter + run);
                    LOG.log(Level.INFO, "running " + b.title + ", run " + run + " of " + options.repeats());
                    switch (b) {
                        case PRODUCE -> ThroughputBench.single(options, runDir, run, result);
                        case MULTI -> ThroughputBench.multi(options, runDir, run, result);
                        case COMMITS -> CommitRateBench.run(options, run, result);
                        case OPEN -> OpenCostBench.run(options, run, result);
                        case COST -> CostBench.run(options, runDir, run, result);
                    }
                    deleteTree(runDir);
                }
            }
            List<Result.Row> single = result.build().find(Bench.PRODUCE.title, ThroughputBench.MBPS);
            List<Result.Row> multi = result.build().find(Bench.MULTI.title, ThroughputBench.MBPS);
            if (!single.isEmpty() && !multi.isEmpty()) {
                double a = single.stream().mapToDouble(Result.Row::value).average().orElse(0);
                double b = multi.stream().mapToDouble(Result.Row::value).average().orElse(0);
                double ratio = a == 0 ? 0 : b / a;
                result.add(Bench.MULTI.title, 0, "mean of b's runs / mean of a's runs", "ratio to a", ratio,
                        ">= 0.70", ratio >= 0.70);
            }
        } finally {
            deleteTree(dir);
        }
        return result.build();
    }

    /** Runs the benchmarks; see {@code --help}. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(ThroughputBench.CHILD_MODE)) {
            ThroughputBench.childMain(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.exit(runCli(args, System.out, System.err)); // the writers' executors use daemon threads, but be sure
    }

    /**
     * Parses {@code args} as {@code main} does, runs the benchmarks and prints the table to {@code out}: the entry
     * point of the {@code silt bench} command. Returns the exit code (0 ok, 2 usage error).
     */
    public static int runCli(String[] args, PrintStream out, PrintStream err) {
        return BenchCli.run("silt bench log", "Silt partition-log benchmarks",
                usage(), args, out, err, LogBench::parse, Options::describe,
                o -> run(o, out));
    }

    static String usage() {
        return """
                usage: LogBench [--quick | --smallest] [options]
                  --only a,b,c,d,e        benchmarks to run (default all): a produce, b multi-producer,
                                          c commit rate, d open cost, e requests per GiB
                  --repeat N              run each benchmark N times (default 1)
                  --warmup S --seconds S  warm-up and measured seconds of a, b, c (default 3 and 10)
                  --record-bytes N        record value size (default 1024)
                  --batch-kib N           batch (segment) size of a, b, e (default 4096)
                  --outstanding N         appends in flight for one producer in a, e (default 6)
                  --producers N --jvms N  producers of b and the JVMs they run in (default 16 and 4)
                  --commit-writers L      writer counts of c (default 1,4,16)
                  --commit-batch N        records per batch in c (default 10)
                  --latency P             latency profile of c: s3-standard (default) or s3-express-one-zone
                  --open-commits N        commit records in the history of d (default 100000)
                  --cost-mib N            MiB produced in e (default 1024)
                  --payload random|text   record values (default random: incompressible)
                  --compression lz4|none  segment compression (default lz4)
                  --fsync true|false      filesystem store syncs (default true)
                  --dir PATH              where temporary data goes (default java.io.tmpdir)
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
        if (rest.remove("--smallest")) {
            o = Options.smallest();
        }
        return BenchCli.applyFlags(rest, o, LogBench::flag);
    }

    /** Applies one option that takes a value. */
    private static Options flag(Options o, String flag, String v) {
        return switch (flag) {
            case "--only" -> o.withBenchmarks(BenchCli.only(v, Bench.class, Bench::of));
            case "--repeat" -> o.withRepeats(Integer.parseInt(v));
            case "--warmup" -> o.withTimes(BenchCli.seconds(v), o.measure());
            case "--seconds" -> o.withTimes(o.warmup(), BenchCli.seconds(v));
            case "--record-bytes" -> o.withProduce(Integer.parseInt(v), o.batchBytes(), o.outstanding());
            case "--batch-kib" -> o.withProduce(o.recordBytes(), Integer.parseInt(v) << 10, o.outstanding());
            case "--outstanding" -> o.withProduce(o.recordBytes(), o.batchBytes(), Integer.parseInt(v));
            case "--producers" -> o.withProducers(Integer.parseInt(v), o.processes());
            case "--jvms" -> o.withProducers(o.producers(), Integer.parseInt(v));
            case "--commit-writers" -> o.withCommits(Stream.of(v.split(",")).map(String::trim)
                    .map(Integer::parseInt).toList(), o.commitBatchRecords(), o.latency());
            case "--commit-batch" -> o.withCommits(o.commitWriters(), Integer.parseInt(v), o.latency());
            case "--latency" -> o.withCommits(o.commitWriters(), o.commitBatchRecords(),
                    LatencyModelObjectStore.Profile.named(v));
            case "--open-commits" -> o.withOpenCommits(Integer.parseInt(v));
            case "--cost-mib" -> o.withCostBytes(Long.parseLong(v) << 20);
            case "--payload" -> o.withData(Payload.valueOf(v.toUpperCase(Locale.ROOT)), o.compression(),
                    o.fsync());
            case "--compression" -> o.withData(o.payload(), Compression.valueOf(v.toUpperCase(Locale.ROOT)),
                    o.fsync());
            case "--fsync" -> o.withData(o.payload(), o.compression(), Boolean.parseBoolean(v));
            case "--dir" -> o.withWorkDir(Path.of(v));
            case "--seed" -> o.withSeed(Long.parseLong(v));
            default -> throw new IllegalArgumentException("unknown option " + flag);
        };
    }

    /** Deletes a directory and everything below it, best effort: what cannot be deleted is logged and left. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "could not delete " + p + ": " + e);
                }
            });
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not delete " + dir + ": " + e);
        }
    }
}
