package io.silt.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Benchmarks of the SDK ({@code io.silt.client}) through the direct transport on the embedded filesystem store
 * (fsync on):
 * <ol type="a">
 *   <li>{@link Bench#PRODUCE}: one {@code Producer}, 1 KiB records, on 4 partitions and on 1: MB/s and records/s
 *       acknowledged in the measured window (target &ge; 100 MB/s);</li>
 *   <li>{@link Bench#CONSUME}: one {@code Consumer} (assign all partitions, from the beginning) reading what (a)
 *       wrote: MB/s (target &ge; 200 MB/s);</li>
 *   <li>{@link Bench#LATENCY}: end-to-end latency (consumer receive time minus record timestamp) at a moderate rate
 *       with a group consumer polling, for each linger (target p50 &le; linger + 20 ms);</li>
 *   <li>{@link Bench#IDLE}: requests of an idle producer (target 0), an idle assigned consumer and an idle group
 *       member (target &le; 1 data-path GET per second per partition, 0 LIST).</li>
 * </ol>
 * Data goes to a fresh directory under {@link Options#workDir()}, deleted afterwards.
 */
public final class SdkBench {
    private static final System.Logger LOG = System.getLogger(SdkBench.class.getName());

    /** The benchmarks, by letter. */
    public enum Bench {
        PRODUCE("a", "a. sdk produce"),
        CONSUME("b", "b. sdk consume"),
        LATENCY("c", "c. sdk e2e latency"),
        IDLE("d", "d. sdk idle requests");

        final String letter;
        final String title;

        Bench(String letter, String title) {
            this.letter = letter;
            this.title = title;
        }

        public String title() {
            return title;
        }

        static Bench of(String s) {
            for (Bench b : values()) {
                if (b.letter.equalsIgnoreCase(s) || b.name().equalsIgnoreCase(s)) {
                    return b;
                }
            }
            throw new IllegalArgumentException("unknown benchmark '" + s + "'; use a-d or "
                    + Arrays.toString(values()).toLowerCase(Locale.ROOT));
        }
    }

    /**
     * The settings of a run.
     *
     * @param benchmarks which benchmarks to run (b needs a: it reads what a wrote)
     * @param workDir a fresh directory is made (and deleted) under it
     * @param repeats how many times each benchmark runs
     * @param warmup time before measuring starts (a, c)
     * @param measure measured time (a, c)
     * @param recordBytes value size of each record (no key)
     * @param batchBytes the producer's {@code batch.size} in a
     * @param linger the producer's {@code linger.ms} in a
     * @param partitions the partition counts of a and b
     * @param latencyBytesPerSecond the producer's rate in c
     * @param latencyLingers the lingers of c
     * @param latencyPartitions the partition counts of c
     * @param idleWindow the measured idle time of d
     * @param idleSettle how long an idle consumer polls before d's window starts (its back-off reaching its maximum)
     * @param seed randomness of the values
     */
    public record Options(Set<Bench> benchmarks, Path workDir, int repeats, Duration warmup, Duration measure,
                          int recordBytes, int batchBytes, Duration linger, List<Integer> partitions,
                          long latencyBytesPerSecond, List<Duration> latencyLingers, List<Integer> latencyPartitions,
                          Duration idleWindow, Duration idleSettle, long seed) {
        public Options {
            benchmarks = benchmarks.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(benchmarks));
            partitions = List.copyOf(partitions);
            latencyLingers = List.copyOf(latencyLingers);
            latencyPartitions = List.copyOf(latencyPartitions);
            Objects.requireNonNull(workDir);
            if (repeats < 1 || recordBytes < 1 || batchBytes < recordBytes || partitions.isEmpty()
                    || latencyBytesPerSecond < recordBytes || latencyLingers.isEmpty() || latencyPartitions.isEmpty()
                    || partitions.stream().anyMatch(p -> p < 1) || latencyPartitions.stream().anyMatch(p -> p < 1)) {
                throw new IllegalArgumentException("invalid benchmark options");
            }
        }

        /**
         * The full run: 3 s warm-up and 10 s measured; batch 4 MiB, linger 20 ms; 4 and 1 partitions; latency at
         * 2 MB/s with linger 10 and 50 ms on 4 and 1 partitions; 10 s idle windows after 3 s settling.
         */
        public static Options defaults() {
            return new Options(EnumSet.allOf(Bench.class), Path.of(System.getProperty("java.io.tmpdir")), 1,
                    Duration.ofSeconds(3), Duration.ofSeconds(10), 1024, 4 << 20, Duration.ofMillis(20),
                    List.of(4, 1), 2_000_000, List.of(Duration.ofMillis(10), Duration.ofMillis(50)), List.of(4, 1),
                    Duration.ofSeconds(10), Duration.ofSeconds(3), 1);
        }

        /** Shorter windows, latency on 4 partitions only: about a minute and a half. */
        public static Options quick() {
            Options d = defaults();
            return new Options(d.benchmarks, d.workDir, 1, Duration.ofSeconds(1), Duration.ofSeconds(3),
                    d.recordBytes, d.batchBytes, d.linger, d.partitions, d.latencyBytesPerSecond, d.latencyLingers,
                    List.of(4), Duration.ofSeconds(3), Duration.ofSeconds(2), d.seed);
        }

        /** The smallest configuration, for the smoke test: seconds, not minutes. */
        public static Options smallest() {
            Options d = defaults();
            return new Options(d.benchmarks, d.workDir, 1, Duration.ofMillis(200), Duration.ofMillis(500),
                    d.recordBytes, 256 << 10, Duration.ofMillis(10), List.of(2), 256_000,
                    List.of(Duration.ofMillis(10)), List.of(1), Duration.ofMillis(1500), Duration.ofMillis(1600),
                    d.seed);
        }

        public Options withBenchmarks(Set<Bench> b) {
            return new Options(b, workDir, repeats, warmup, measure, recordBytes, batchBytes, linger, partitions,
                    latencyBytesPerSecond, latencyLingers, latencyPartitions, idleWindow, idleSettle, seed);
        }

        public Options withWorkDir(Path dir) {
            return new Options(benchmarks, dir, repeats, warmup, measure, recordBytes, batchBytes, linger,
                    partitions, latencyBytesPerSecond, latencyLingers, latencyPartitions, idleWindow, idleSettle,
                    seed);
        }

        public Options withRepeats(int n) {
            return new Options(benchmarks, workDir, n, warmup, measure, recordBytes, batchBytes, linger, partitions,
                    latencyBytesPerSecond, latencyLingers, latencyPartitions, idleWindow, idleSettle, seed);
        }

        public Options withTimes(Duration warm, Duration measured) {
            return new Options(benchmarks, workDir, repeats, warm, measured, recordBytes, batchBytes, linger,
                    partitions, latencyBytesPerSecond, latencyLingers, latencyPartitions, idleWindow, idleSettle,
                    seed);
        }

        public Options withProduce(int record, int batch, Duration lingerTime, List<Integer> parts) {
            return new Options(benchmarks, workDir, repeats, warmup, measure, record, batch, lingerTime, parts,
                    latencyBytesPerSecond, latencyLingers, latencyPartitions, idleWindow, idleSettle, seed);
        }

        public Options withLatency(long bytesPerSecond, List<Duration> lingers, List<Integer> parts) {
            return new Options(benchmarks, workDir, repeats, warmup, measure, recordBytes, batchBytes, linger,
                    partitions, bytesPerSecond, lingers, parts, idleWindow, idleSettle, seed);
        }

        public Options withIdle(Duration window, Duration settle) {
            return new Options(benchmarks, workDir, repeats, warmup, measure, recordBytes, batchBytes, linger,
                    partitions, latencyBytesPerSecond, latencyLingers, latencyPartitions, window, settle, seed);
        }

        /** A one-line description for the report. */
        public String describe() {
            return String.format(Locale.ROOT, "benchmarks=%s repeats=%d warmup=%ss measure=%ss record=%dB "
                            + "batch=%dKiB linger=%dms partitions=%s latencyRate=%.2fMB/s latencyLingers=%s "
                            + "latencyPartitions=%s idle=%ss (after %ss) store=file fsync=true seed=%d",
                    benchmarks.stream().sorted().map(b -> b.letter).reduce("", String::concat), repeats,
                    warmup.toMillis() / 1000.0, measure.toMillis() / 1000.0, recordBytes, batchBytes >> 10,
                    linger.toMillis(), partitions, latencyBytesPerSecond / 1e6,
                    latencyLingers.stream().map(d -> d.toMillis() + "ms").toList(), latencyPartitions,
                    idleWindow.toMillis() / 1000.0, idleSettle.toMillis() / 1000.0, seed);
        }
    }

    private SdkBench() {}

    /** Runs the chosen benchmarks, printing each number to {@code live} as it comes (may be {@code null}). */
    public static Result run(Options options, PrintStream live) {
        Path dir;
        try {
            Files.createDirectories(options.workDir());
            dir = Files.createTempDirectory(options.workDir(), "silt-sdkbench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory under " + options.workDir(), e);
        }
        Result.Builder result = new Result.Builder(live);
        try {
            if (options.benchmarks().contains(Bench.PRODUCE) || options.benchmarks().contains(Bench.CONSUME)) {
                // JIT warm-up of the whole JVM, discarded: without it the first configuration measured runs on
                // cold code (it came out 2-3x slower, at 3-4x the CPU per GB, than the same configuration later).
                Path warm = dir.resolve("jit-warmup");
                LOG.log(Level.INFO, "JVM warm-up: produce and consume on 1 partition, not measured");
                SdkThroughputBench.run(options.withTimes(options.warmup(), options.warmup())
                        .withBenchmarks(EnumSet.of(Bench.PRODUCE, Bench.CONSUME)), warm, 1, 0,
                        new Result.Builder(null));
                LogBench.deleteTree(warm);
            }
            for (int run = 1; run <= options.repeats(); run++) {
                if (options.benchmarks().contains(Bench.PRODUCE) || options.benchmarks().contains(Bench.CONSUME)) {
                    for (int p : options.partitions()) {
                        Path runDir = dir.resolve("ab" + run + "-" + p);
                        LOG.log(Level.INFO, "running a/b with " + p + " partitions, run " + run);
                        SdkThroughputBench.run(options, runDir, p, run, result);
                        LogBench.deleteTree(runDir);
                    }
                }
                if (options.benchmarks().contains(Bench.LATENCY)) {
                    for (int p : options.latencyPartitions()) {
                        for (Duration linger : options.latencyLingers()) {
                            Path runDir = dir.resolve("c" + run + "-" + p + "-" + linger.toMillis());
                            LOG.log(Level.INFO, "running c with " + p + " partitions, linger " + linger.toMillis()
                                    + " ms, run " + run);
                            SdkLatencyBench.run(options, runDir, p, linger, run, result);
                            LogBench.deleteTree(runDir);
                        }
                    }
                }
                if (options.benchmarks().contains(Bench.IDLE)) {
                    Path runDir = dir.resolve("d" + run);
                    LOG.log(Level.INFO, "running d, run " + run);
                    SdkIdleBench.run(options, runDir, run, result);
                    LogBench.deleteTree(runDir);
                }
            }
        } finally {
            LogBench.deleteTree(dir);
        }
        return result.build();
    }

    /** Runs the benchmarks; see {@code --help}. */
    public static void main(String[] args) {
        System.exit(runCli(args, System.out, System.err)); // the writers' executors use daemon threads, but be sure
    }

    /**
     * Parses {@code args} as {@code main} does, runs the benchmarks and prints the table to {@code out}: the entry
     * point of the {@code silt bench} command. Returns the exit code (0 ok, 2 usage error).
     */
    public static int runCli(String[] args, PrintStream out, PrintStream err) {
        return BenchCli.run("silt bench sdk", "Silt SDK benchmarks (direct transport, filesystem store, fsync on)",
                usage(), args, out, err, SdkBench::parse, Options::describe,
                o -> run(o, out));
    }

    static String usage() {
        return """
                usage: SdkBench [--quick | --smallest] [options]
                  --only a,b,c,d          benchmarks to run (default all): a produce, b consume (needs a),
                                          c end-to-end latency, d idle requests
                  --repeat N              run everything N times (default 1)
                  --warmup S --seconds S  warm-up and measured seconds of a and c (default 3 and 10)
                  --record-bytes N        record value size (default 1024)
                  --batch-kib N           producer batch.size in a (default 4096)
                  --linger-ms N           producer linger.ms in a (default 20)
                  --partitions L          partition counts of a and b (default 4,1)
                  --latency-rate MBPS     producer rate in c, MB/s (default 2)
                  --latency-linger-ms L   lingers of c (default 10,50)
                  --latency-partitions L  partition counts of c (default 4,1)
                  --idle-seconds S        measured idle window of d (default 10)
                  --idle-settle S         polling before d's window (default 3)
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
        return BenchCli.applyFlags(rest, o, SdkBench::flag);
    }

    /** Applies one option that takes a value. */
    private static Options flag(Options o, String flag, String v) {
        return switch (flag) {
            case "--only" -> o.withBenchmarks(BenchCli.only(v, Bench.class, Bench::of));
            case "--repeat" -> o.withRepeats(Integer.parseInt(v));
            case "--warmup" -> o.withTimes(BenchCli.seconds(v), o.measure());
            case "--seconds" -> o.withTimes(o.warmup(), BenchCli.seconds(v));
            case "--record-bytes" -> o.withProduce(Integer.parseInt(v), o.batchBytes(), o.linger(),
                    o.partitions());
            case "--batch-kib" -> o.withProduce(o.recordBytes(), Integer.parseInt(v) << 10, o.linger(),
                    o.partitions());
            case "--linger-ms" -> o.withProduce(o.recordBytes(), o.batchBytes(),
                    Duration.ofMillis(Long.parseLong(v)), o.partitions());
            case "--partitions" -> o.withProduce(o.recordBytes(), o.batchBytes(), o.linger(), ints(v));
            case "--latency-rate" -> o.withLatency(Math.round(Double.parseDouble(v) * 1e6), o.latencyLingers(),
                    o.latencyPartitions());
            case "--latency-linger-ms" -> o.withLatency(o.latencyBytesPerSecond(), ints(v).stream()
                    .map(Duration::ofMillis).toList(), o.latencyPartitions());
            case "--latency-partitions" -> o.withLatency(o.latencyBytesPerSecond(), o.latencyLingers(),
                    ints(v));
            case "--idle-seconds" -> o.withIdle(BenchCli.seconds(v), o.idleSettle());
            case "--idle-settle" -> o.withIdle(o.idleWindow(), BenchCli.seconds(v));
            case "--dir" -> o.withWorkDir(Path.of(v));
            case "--seed" -> new Options(o.benchmarks(), o.workDir(), o.repeats(), o.warmup(), o.measure(),
                    o.recordBytes(), o.batchBytes(), o.linger(), o.partitions(), o.latencyBytesPerSecond(),
                    o.latencyLingers(), o.latencyPartitions(), o.idleWindow(), o.idleSettle(),
                    Long.parseLong(v));
            default -> throw new IllegalArgumentException("unknown option " + flag);
        };
    }

    private static List<Integer> ints(String v) {
        return Stream.of(v.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

}
