package io.silt.bench;

import io.silt.bench.plot.Charts;
import io.silt.bench.s3proxy.S3ProxyProcess;
import io.silt.bench.workload.StoreKind;
import io.silt.bench.workload.WorkloadResult;
import io.silt.bench.workload.WorkloadRunner;
import io.silt.bench.workload.WorkloadSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * The benchmark suite of {@code silt bench --quick} and {@code silt bench full}: the targets, measured with
 * the general workload runner ({@link WorkloadRunner}) through the SDK, the scaling curves, and PNG charts of all of
 * it. Sections:
 * <ol>
 *   <li>{@link Section#COST}: one producer at 4 MiB/s per partition, 1 KiB records, a group consumer committing
 *       every 5 s: S3 requests by kind and their price per GB (S3 Standard and S3 Express One Zone);</li>
 *   <li>{@link Section#LATENCY}: 1 MiB/s per partition, linger 50 ms, a group consumer: produce acknowledgement and
 *       end-to-end latency on each store (filesystem, S3 Express model, S3 Standard model, S3Proxy);</li>
 *   <li>{@link Section#IDLE}: the requests of an idle producer and idle consumers ({@link SdkBench}'s d);</li>
 *   <li>{@link Section#PRODUCERS}: throughput and acknowledgement latency against independent producers on one
 *       partition (up to 4 child JVMs);</li>
 *   <li>{@link Section#PARTITIONS}: the same against partitions, one producer;</li>
 *   <li>{@link Section#HISTORY}: requests and time per commit and per open against history length
 *       ({@link HistoryBench}).</li>
 * </ol>
 * Results go to {@link Options#outDir()}: {@code results.md}, {@code results.csv} and the charts ({@code *.png}).
 */
public final class SuiteBench {
    private static final System.Logger LOG = System.getLogger(SuiteBench.class.getName());
    private static final double MIB = 1 << 20;
    /** Where {@code silt bench peers} writes its results by default (relative to the working directory). */
    static final Path PEERS_CSV = Path.of("peers-results", "peers.csv");

    /** The sections, by name. */
    public enum Section {
        COST("t. cost at 4 MiB/s"),
        LATENCY("l. latency at 1 MiB/s"),
        IDLE("d. sdk idle requests"),
        PRODUCERS("p. producers per partition"),
        PARTITIONS("n. partitions"),
        HISTORY(HistoryBench.NAME);

        final String title;

        Section(String title) {
            this.title = title;
        }

        /** How results name the section's rows. */
        public String title() {
            return title;
        }

        static Section of(String s) {
            for (Section x : values()) {
                if (x.name().equalsIgnoreCase(s)) {
                    return x;
                }
            }
            throw new IllegalArgumentException("unknown section '" + s + "'; use "
                    + Arrays.toString(values()).toLowerCase(Locale.ROOT));
        }
    }

    /**
     * A warm-up and a measured window.
     *
     * @param warmup time before measuring starts
     * @param measure measured time
     */
    public record Window(Duration warmup, Duration measure) {}

    /**
     * The settings of a run.
     *
     * @param name {@code quick} or {@code full}, for the report
     * @param sections which sections run
     * @param workDir a fresh directory is made (and deleted) under it for the stores' data
     * @param outDir where results and charts go (created)
     * @param s3proxy whether to start S3Proxy for the latency section's S3Proxy row
     * @param costWindow warm-up and measured time of the cost workload
     * @param costMaxPollRecords the consumer's {@code max.poll.records} in each run of the cost workload
     * @param latencyWindow warm-up and measured time of each latency workload
     * @param curveWindow warm-up and measured time of each point of the curves
     * @param latencyStores the stores of the latency section
     * @param producerCounts the points of the producer curve
     * @param producerStores the stores of the producer curve
     * @param partitionCounts the points of the partition curve
     * @param partitionStores the stores of the partition curve
     * @param historyLengths the points of the history curve
     * @param historyCommits commits measured at each history point
     * @param idleWindow the idle section's measured window (and its consumers' settling time)
     * @param peersCsv where {@code silt bench peers} wrote its {@code peers.csv}: charted if it exists
     * @param seed randomness
     */
    public record Options(String name, Set<Section> sections, Path workDir, Path outDir, boolean s3proxy,
                          Window costWindow, List<Integer> costMaxPollRecords, Window latencyWindow,
                          Window curveWindow,
                          List<StoreKind> latencyStores, List<Integer> producerCounts, List<StoreKind> producerStores,
                          List<Integer> partitionCounts, List<StoreKind> partitionStores, List<Long> historyLengths,
                          int historyCommits, Window idleWindow, Path peersCsv, long seed) {
        public Options {
            Objects.requireNonNull(workDir);
            Objects.requireNonNull(outDir);
            Objects.requireNonNull(peersCsv);
            sections = sections.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(sections));
            costMaxPollRecords = List.copyOf(costMaxPollRecords);
            latencyStores = List.copyOf(latencyStores);
            producerCounts = List.copyOf(producerCounts);
            producerStores = List.copyOf(producerStores);
            partitionCounts = List.copyOf(partitionCounts);
            partitionStores = List.copyOf(partitionStores);
            historyLengths = List.copyOf(historyLengths);
        }

        /**
         * The full run (about 20 minutes on 2 cores): cost 5 + 60 s; latency 3 + 30 s on each of 4 stores; producers
         * 1-32 on the filesystem store and both models, partitions 1-64 on the filesystem store and the S3 Standard
         * model, 10 + 8 s a point (with 3 s of warm-up, the points with 4 producer JVMs measured their start-up: on 2
         * cores, 4 cold JVMs take seconds before their first commit); history to 10^6 commit records.
         */
        public static Options full() {
            return new Options("full", EnumSet.allOf(Section.class), tmp(), Path.of("docs", "benchmarks"), true,
                    times(5, 60), List.of(4096, 500), times(3, 30), times(10, 8),
                    List.of(StoreKind.FILE, StoreKind.S3_EXPRESS, StoreKind.S3_STANDARD, StoreKind.S3PROXY),
                    List.of(1, 2, 4, 8, 16, 32), List.of(StoreKind.FILE, StoreKind.S3_EXPRESS, StoreKind.S3_STANDARD),
                    List.of(1, 2, 4, 8, 16, 32, 64), List.of(StoreKind.FILE, StoreKind.S3_STANDARD),
                    List.of(1_000L, 10_000L, 100_000L, 1_000_000L), 200, times(3, 10), PEERS_CSV, 1);
        }

        /** Every section in short form, under two minutes: fewer points, seconds-long windows. */
        public static Options quick() {
            return new Options("quick", EnumSet.allOf(Section.class), tmp(),
                    tmp().resolve("silt-bench-quick"), true, times(2, 8), List.of(4096), times(1, 3), times(2, 2),
                    List.of(StoreKind.FILE, StoreKind.S3_EXPRESS, StoreKind.S3_STANDARD, StoreKind.S3PROXY),
                    List.of(1, 4, 16), List.of(StoreKind.S3_EXPRESS), List.of(1, 4, 16),
                    List.of(StoreKind.S3_STANDARD), List.of(1_000L, 10_000L), 50, times(2, 2), PEERS_CSV, 1);
        }

        /**
         * The smallest configuration, for smoke tests: every section and every figure, about a second per workload,
         * two points per curve (producers in 2 child JVMs), histories of 100 and 1,000 commit records.
         */
        public static Options smallest() {
            Duration half = Duration.ofMillis(500);
            Window tiny = new Window(half, Duration.ofSeconds(1));
            return new Options("smallest", EnumSet.allOf(Section.class), tmp(), tmp().resolve("silt-bench-smallest"),
                    true, new Window(half, Duration.ofSeconds(3)), List.of(4096), tiny,
                    new Window(Duration.ofSeconds(1), Duration.ofSeconds(1)),
                    List.of(StoreKind.FILE, StoreKind.S3_EXPRESS, StoreKind.S3_STANDARD, StoreKind.S3PROXY),
                    List.of(1, 2), List.of(StoreKind.S3_EXPRESS), List.of(1, 2), List.of(StoreKind.S3_EXPRESS),
                    List.of(100L, 1_000L), 10, new Window(Duration.ofMillis(1600), Duration.ofMillis(1500)),
                    PEERS_CSV, 1);
        }

        public Options withSections(Set<Section> s) {
            return new Options(name, s, workDir, outDir, s3proxy, costWindow, costMaxPollRecords, latencyWindow, curveWindow,
                    latencyStores, producerCounts, producerStores, partitionCounts, partitionStores, historyLengths,
                    historyCommits, idleWindow, peersCsv, seed);
        }

        public Options withDirs(Path work, Path out) {
            return new Options(name, sections, work, out, s3proxy, costWindow, costMaxPollRecords, latencyWindow, curveWindow,
                    latencyStores, producerCounts, producerStores, partitionCounts, partitionStores, historyLengths,
                    historyCommits, idleWindow, peersCsv, seed);
        }

        public Options withPeersCsv(Path csv) {
            return new Options(name, sections, workDir, outDir, s3proxy, costWindow, costMaxPollRecords,
                    latencyWindow, curveWindow, latencyStores, producerCounts, producerStores, partitionCounts,
                    partitionStores, historyLengths, historyCommits, idleWindow, csv, seed);
        }

        /** Without S3Proxy: its latency row is left out. */
        public Options withoutS3Proxy() {
            return new Options(name, sections, workDir, outDir, false, costWindow, costMaxPollRecords, latencyWindow, curveWindow,
                    latencyStores.stream().filter(StoreKind::local).toList(), producerCounts,
                    producerStores.stream().filter(StoreKind::local).toList(), partitionCounts,
                    partitionStores.stream().filter(StoreKind::local).toList(), historyLengths, historyCommits,
                    idleWindow, peersCsv, seed);
        }

        /** A one-line description for the report. */
        public String describe() {
            return String.format(Locale.ROOT, "profile=%s sections=%s cost=%s latency=%s on %s curves=%s "
                            + "producers=%s on %s partitions=%s on %s history=%s out=%s", name,
                    sections.stream().sorted().map(s -> s.name().toLowerCase(Locale.ROOT)).toList(),
                    window(costWindow), window(latencyWindow), labels(latencyStores), window(curveWindow),
                    producerCounts, labels(producerStores), partitionCounts, labels(partitionStores), historyLengths,
                    outDir);
        }

        private static String window(Window w) {
            return w.warmup().toSeconds() + "+" + w.measure().toSeconds() + "s";
        }

        private static List<String> labels(List<StoreKind> stores) {
            return stores.stream().map(StoreKind::label).toList();
        }

        private static Window times(int warmupSeconds, int measureSeconds) {
            return new Window(Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(measureSeconds));
        }

        private static Path tmp() {
            return Path.of(System.getProperty("java.io.tmpdir"));
        }
    }

    private SuiteBench() {}

    /** Runs the chosen sections, printing each number to {@code live} as it comes (may be {@code null}). */
    public static Result run(Options o, PrintStream live) {
        Path dir;
        try {
            Files.createDirectories(o.workDir());
            dir = Files.createTempDirectory(o.workDir(), "silt-suite-");
            Files.createDirectories(o.outDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the work or output directory", e);
        }
        Result.Builder out = new Result.Builder(live);
        S3ProxyProcess s3 = null;
        try {
            if (o.s3proxy() && needsS3Proxy(o)) {
                s3 = S3ProxyProcess.start(dir.resolve("s3proxy"));
                s3.createBucket(WorkloadRunner.Stores.BUCKET);
            }
            WorkloadRunner.Stores stores = new WorkloadRunner.Stores(dir, s3);
            if (o.sections().contains(Section.COST)) {
                cost(o, stores, out);
            }
            if (o.sections().contains(Section.LATENCY)) {
                latency(o, stores, out);
            }
            if (o.sections().contains(Section.IDLE)) {
                idle(o, dir, out);
            }
            if (o.sections().contains(Section.PRODUCERS)) {
                producers(o, stores, out);
            }
            if (o.sections().contains(Section.PARTITIONS)) {
                partitions(o, stores, out);
            }
            if (o.sections().contains(Section.HISTORY)) {
                history(o, out);
            }
            if (o.sections().contains(Section.COST)) {
                costComparison(o, out.build());
            }
            peers(o, out);
        } finally {
            if (s3 != null) {
                s3.close();
            }
            LogBench.deleteTree(dir);
        }
        Result result = out.build();
        writeResults(o, result);
        return result;
    }

    private static boolean needsS3Proxy(Options o) {
        return o.sections().contains(Section.LATENCY) && o.latencyStores().contains(StoreKind.S3PROXY)
                || o.sections().contains(Section.PRODUCERS) && o.producerStores().contains(StoreKind.S3PROXY)
                || o.sections().contains(Section.PARTITIONS) && o.partitionStores().contains(StoreKind.S3PROXY);
    }

    // ------------------------------------------------------------------------------------------------ the sections

    /** Runs {@code spec}, first printing its description to the live stream and to the workload list. */
    private static WorkloadResult workload(WorkloadSpec spec, WorkloadRunner.Stores stores, Result.Builder out) {
        out.note("workload " + spec.describe());
        return WorkloadRunner.run(spec, stores);
    }

    /**
     * The cost workload's spec: 4 MiB/s on one partition of the S3 Standard model, 1 KiB records, 8 MiB batches with
     * a 2 s linger, and a group consumer committing every 5 s with {@code max.poll.records} {@code maxPoll}.
     */
    static WorkloadSpec costSpec(Options o, int maxPoll) {
        return WorkloadSpec.defaults("4 MiB/s, batch 8 MiB, linger 2 s, max.poll.records " + maxPoll,
                        StoreKind.S3_STANDARD)
                .withLoad(1024, 8 << 20, Duration.ofMillis(2_000), 4L << 20)
                .withTimes(o.costWindow().warmup(), o.costWindow().measure(), 0)
                .withCommitInterval(Duration.ofSeconds(5)).withMaxPollRecords(maxPoll);
    }

    private static void cost(Options o, WorkloadRunner.Stores stores, Result.Builder out) {
        for (int maxPoll : o.costMaxPollRecords()) {
            WorkloadSpec spec = costSpec(o, maxPoll);
            WorkloadResult r = workload(spec, stores, out);
            // Acknowledged in the window: whole 8 MiB batches, so the rate measured wobbles around the offered one.
            r.report(out, Section.COST.title, 1, spec.name(), List.of(
                    new WorkloadResult.Target("$/GB S3 Standard", "<= 0.003", v -> v <= 0.003),
                    new WorkloadResult.Target("MB/s", ">= 4.0 (offered 4 MiB/s = 4.19)", v -> v >= 4.0)));
        }
    }

    /** The latency workload's spec on {@code store}: 1 MiB/s on one partition, linger 50 ms, a group consumer. */
    static WorkloadSpec latencySpec(Options o, StoreKind store) {
        return WorkloadSpec.defaults(store.label() + ", 1 MiB/s, linger 50 ms", store)
                .withLoad(1024, 1 << 20, Duration.ofMillis(50), 1L << 20)
                .withTimes(o.latencyWindow().warmup(), o.latencyWindow().measure(), 0);
    }

    private static void latency(Options o, WorkloadRunner.Stores stores, Result.Builder out) {
        Map<String, Histogram> acks = new LinkedHashMap<>();
        Map<String, Histogram> e2e = new LinkedHashMap<>();
        for (StoreKind store : o.latencyStores()) {
            WorkloadSpec spec = latencySpec(o, store);
            WorkloadResult r = workload(spec, stores, out);
            List<WorkloadResult.Target> targets = store == StoreKind.S3_STANDARD ? List.of(
                    new WorkloadResult.Target("ack p99 ms", "<= 300", v -> v <= 300),
                    new WorkloadResult.Target("e2e p99 ms", "<= 500", v -> v <= 500)) : List.of();
            r.report(out, Section.LATENCY.title, 1, spec.name(), targets);
            acks.put(store.label(), r.acks());
            e2e.put(store.label(), r.endToEnd());
        }
        Charts.percentiles(o.outDir().resolve("latency-ack.png"),
                "Produce acknowledgement latency: 1 MiB/s, 1 KiB records, linger 50 ms", acks, 1000);
        Charts.percentiles(o.outDir().resolve("latency-e2e.png"),
                "End-to-end latency: 1 MiB/s, 1 KiB records, linger 50 ms, group consumer", e2e, 1);
    }

    private static void idle(Options o, Path dir, Result.Builder out) {
        SdkBench.Options idle = SdkBench.Options.quick().withBenchmarks(EnumSet.of(SdkBench.Bench.IDLE))
                .withIdle(o.idleWindow().measure(), o.idleWindow().warmup()).withWorkDir(dir);
        out.addAll(SdkBench.run(idle, null));
    }

    private static void producers(Options o, WorkloadRunner.Stores stores, Result.Builder out) {
        Map<String, List<double[]>> mbps = new LinkedHashMap<>();
        Map<String, List<double[]>> p99 = new LinkedHashMap<>();
        for (StoreKind store : o.producerStores()) {
            double single = 0;
            for (int n : o.producerCounts()) {
                WorkloadSpec spec = WorkloadSpec.defaults(store.label() + ", " + n + " producer" + (n == 1 ? "" : "s"), store)
                        .withShape(n, Math.min(4, n), 0, 1)
                        .withTimes(o.curveWindow().warmup(), o.curveWindow().measure(), 0);
                WorkloadResult r = workload(spec, stores, out);
                if (n == 1) {
                    single = r.megabytesPerSecond();
                }
                List<WorkloadResult.Target> targets = new ArrayList<>();
                if (n == 16 && single > 0) {
                    double base = single;
                    targets.add(new WorkloadResult.Target("MB/s", String.format(Locale.ROOT,
                            ">= 70%% of 1 producer's %.1f", base), v -> v >= 0.7 * base));
                }
                r.report(out, Section.PRODUCERS.title, 1, spec.name(), targets);
                if (single > 0) {
                    out.add(Section.PRODUCERS.title, 1, spec.name(), "MB/s relative to 1 producer",
                            r.megabytesPerSecond() / single);
                }
                mbps.computeIfAbsent(store.label(), k -> new ArrayList<>()).add(new double[] {n,
                        r.megabytesPerSecond()});
                p99.computeIfAbsent(store.label() + " p99", k -> new ArrayList<>()).add(new double[] {n,
                        r.ackMillis(99)});
                p99.computeIfAbsent(store.label() + " p50", k -> new ArrayList<>()).add(new double[] {n,
                        r.ackMillis(50)});
            }
        }
        Charts.lines(o.outDir().resolve("producers-throughput.png"),
                "Throughput of independent producers on one partition", "producers", "MB/s (acknowledged)", true,
                false, mbps);
        Charts.lines(o.outDir().resolve("producers-latency.png"),
                "Produce acknowledgement latency, producers on one partition (unlimited rate)", "producers",
                "ms", true, true, p99);
    }

    private static void partitions(Options o, WorkloadRunner.Stores stores, Result.Builder out) {
        Map<String, List<double[]>> mbps = new LinkedHashMap<>();
        Map<String, List<double[]>> p99 = new LinkedHashMap<>();
        for (StoreKind store : o.partitionStores()) {
            for (int n : o.partitionCounts()) {
                WorkloadSpec spec = WorkloadSpec.defaults(store.label() + ", " + n + " partition" + (n == 1 ? "" : "s"), store)
                        .withShape(1, 0, 0, n)
                        .withTimes(o.curveWindow().warmup(), o.curveWindow().measure(), 0);
                WorkloadResult r = workload(spec, stores, out);
                r.report(out, Section.PARTITIONS.title, 1, spec.name(), List.of());
                mbps.computeIfAbsent(store.label(), k -> new ArrayList<>()).add(new double[] {n,
                        r.megabytesPerSecond()});
                p99.computeIfAbsent(store.label() + " p99", k -> new ArrayList<>()).add(new double[] {n,
                        r.ackMillis(99)});
                p99.computeIfAbsent(store.label() + " p50", k -> new ArrayList<>()).add(new double[] {n,
                        r.ackMillis(50)});
            }
        }
        Charts.lines(o.outDir().resolve("partitions-throughput.png"), "Throughput of one producer against partitions",
                "partitions", "MB/s (acknowledged)", true, false, mbps);
        Charts.lines(o.outDir().resolve("partitions-latency.png"),
                "Produce acknowledgement latency against partitions (one producer, unlimited rate)", "partitions",
                "ms", true, true, p99);
    }

    private static void history(Options o, Result.Builder out) {
        List<HistoryBench.Point> points = HistoryBench.run(o.historyLengths(), o.historyCommits(), o.seed(), out);
        HistoryBench.Point first = points.get(0);
        HistoryBench.Point last = points.get(points.size() - 1);
        String cfg = String.format(Locale.ROOT, "%,d vs %,d commit records", last.commits(), first.commits());
        double openRatio = last.openRequests() / first.openRequests();
        double commitRatio = last.commitRequests() / first.commitRequests();
        out.add(HistoryBench.NAME, 1, cfg, "requests per open, longest / shortest history", openRatio, "<= 1.5 (flat)",
                openRatio <= 1.5);
        out.add(HistoryBench.NAME, 1, cfg, "requests per commit, longest / shortest history", commitRatio,
                "<= 1.5 (flat)", commitRatio <= 1.5);
        Map<String, List<double[]>> requests = new LinkedHashMap<>();
        Map<String, List<double[]>> millis = new LinkedHashMap<>();
        for (HistoryBench.Point p : points) {
            requests.computeIfAbsent("requests per open", k -> new ArrayList<>()).add(new double[] {p.commits(),
                    p.openRequests()});
            requests.computeIfAbsent("requests per commit", k -> new ArrayList<>()).add(new double[] {p.commits(),
                    p.commitRequests()});
            millis.computeIfAbsent("ms per open", k -> new ArrayList<>()).add(new double[] {p.commits(),
                    p.openMillisModel()});
            millis.computeIfAbsent("ms per commit", k -> new ArrayList<>()).add(new double[] {p.commits(),
                    p.commitMillisModel()});
        }
        Charts.lines(o.outDir().resolve("history-requests.png"), "Requests per operation against history length",
                "commit records in the partition's history", "requests", true, false, requests);
        Charts.lines(o.outDir().resolve("history-time.png"),
                "Time per operation against history length (S3 Standard model)",
                "commit records in the partition's history", "ms", true, false, millis);
    }

    /** The published figures Silt's measured price per GB is set against; see docs/benchmarks.md for how. */
    static Map<String, Double> publishedDollarsPerGb() {
        Map<String, Double> m = new LinkedHashMap<>();
        // SQS standard: $0.40 per million requests; 1 KiB messages, batches of 10 for send, receive and delete.
        m.put("Amazon SQS (batches of 10)", 0.40 / 1e6 * 3 * (1e9 / 1024) / 10);
        // Kinesis Data Streams provisioned: $0.015 per shard-hour at 1 MB/s in (3.6 GB/h) + $0.014 per million
        // 25 KB PUT payload units, one per 1 KiB record.
        m.put("Kinesis Data Streams (full shards)", 0.015 / 3.6 + 0.014 / 1e6 * (1e9 / 1024));
        // WarpStream at 4 MiB/s per agent: a 1 MiB file every 250 ms (PUT) + 1 GET per 4 MiB read, S3 Standard.
        m.put("WarpStream (S3 requests, 4 MiB/s)", 1e9 / MIB * 0.005 / 1000 + 1e9 / (4 * MIB) * 0.0004 / 1000);
        return m;
    }

    private static void costComparison(Options o, Result result) {
        Map<String, Double> bars = new LinkedHashMap<>();
        result.find(Section.COST.title, "$/GB S3 Standard").forEach(r -> bars.put("Silt, S3 Standard ("
                + r.configuration().replaceAll(".*max.poll.records ", "max.poll ") + ")", r.value()));
        result.find(Section.COST.title, "$/GB S3 Express One Zone (requests)").forEach(r -> bars.put(
                "Silt, S3 Express ("  + r.configuration().replaceAll(".*max.poll.records ", "max.poll ") + ")",
                r.value()));
        bars.putAll(publishedDollarsPerGb());
        Charts.bars(o.outDir().resolve("cost-per-gb.png"),
                "Request cost per GB produced and consumed once (1 KiB records, 4 MiB/s)", "US$ per GB", bars, true);
    }

    /**
     * Charts of the peer benchmark's results ({@code silt bench peers}' {@code peers.csv}: lines of
     * {@code system,metric,unit,value}), if {@link Options#peersCsv()} exists.
     */
    private static void peers(Options o, Result.Builder out) {
        if (!Files.isRegularFile(o.peersCsv())) {
            out.note("no peer results at " + o.peersCsv() + " (run 'silt bench peers' first): no peers chart");
            return;
        }
        Map<String, Map<String, Double>> throughput = new LinkedHashMap<>();
        Map<String, Map<String, Double>> latency = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(o.peersCsv(), StandardCharsets.UTF_8)) {
                String[] f = line.split(",", 4);
                if (f.length < 4 || !f[3].matches("-?[0-9.E]+")) {
                    continue; // the header, skipped systems
                }
                String metric = f[1] + " " + f[2];
                double v = Double.parseDouble(f[3]);
                if (metric.equals("produce MB/s") || metric.equals("consume MB/s")) {
                    throughput.computeIfAbsent(metric, k -> new LinkedHashMap<>()).put(f[0], v);
                } else if (metric.matches("(ack|e2e) p(50|99) ms")) {
                    latency.computeIfAbsent(metric, k -> new LinkedHashMap<>()).put(f[0], Math.max(v, 0.01));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + o.peersCsv(), e);
        }
        if (throughput.isEmpty()) {
            out.note("no measured systems in " + o.peersCsv() + ": no peers chart");
            return;
        }
        Charts.groupedBars(o.outDir().resolve("peers-throughput.png"), "Silt and its peers: throughput (silt bench peers)",
                "MB/s", throughput, false);
        Charts.groupedBars(o.outDir().resolve("peers-latency.png"), "Silt and its peers: latency (silt bench peers)",
                "ms", latency, true);
        out.note("peers charts drawn from " + o.peersCsv());
    }

    // ---------------------------------------------------------------------------------------------------- output

    private static void writeResults(Options o, Result result) {
        try {
            StringBuilder csv = new StringBuilder("benchmark,run,configuration,metric,value,target,met\n");
            for (Result.Row r : result.rows()) {
                csv.append(String.join(",", quote(r.benchmark()), Integer.toString(r.run()),
                        quote(r.configuration()), quote(r.metric()), Double.toString(r.value()),
                        quote(r.target().orElse("")), r.met().map(m -> m ? "yes" : "no").orElse(""))).append('\n');
            }
            Files.writeString(o.outDir().resolve("results.csv"), csv, StandardCharsets.UTF_8);
            java.io.ByteArrayOutputStream table = new java.io.ByteArrayOutputStream();
            try (PrintStream ps = new PrintStream(table, true, StandardCharsets.UTF_8)) {
                ps.println("# Silt benchmark suite, profile " + o.name());
                ps.println();
                ps.println("Targets:");
                ps.println();
                targets(result).print(ps);
                ps.println();
                ps.println("All numbers:");
                ps.println();
                result.print(ps);
                ps.println();
                ps.println("Workloads:");
                ps.println();
                result.notes().forEach(n -> ps.println("- " + n));
            }
            Files.write(o.outDir().resolve("results.md"), table.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results to " + o.outDir(), e);
        }
    }

    private static String quote(String s) {
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** The rows that have a target. */
    static Result targets(Result result) {
        return new Result(result.rows().stream().filter(r -> r.target().isPresent()).toList());
    }

    // ------------------------------------------------------------------------------------------------ command line

    /** Runs the suite; see {@code --help}. */
    public static void main(String[] args) {
        System.exit(runCli(args, System.out, System.err));
    }

    /**
     * Parses {@code args} as {@code main} does, runs the suite and prints the tables to {@code out}: the entry point
     * of {@code silt bench --quick} and {@code silt bench full}. Returns the exit code (0 ok, 2 usage error).
     */
    public static int runCli(String[] args, PrintStream out, PrintStream err) {
        return BenchCli.run("silt bench full", "Silt benchmark suite (workloads through the SDK, scaling curves, "
                        + "charts)", usage(), args, out, err, SuiteBench::parse, Options::describe, o -> {
                    Result r = run(o, out);
                    out.println();
                    out.println("targets:");
                    targets(r).print(out);
                    out.println();
                    out.println("charts and results written to " + o.outDir().toAbsolutePath());
                    return r;
                });
    }

    static String usage() {
        return """
                usage: SuiteBench [--quick] [options]
                  --quick             every section in short form (under 2 minutes); default: the full run
                  --smallest          every section in its smallest form (seconds a workload: a smoke test)
                  --only L            sections to run (default all): cost, latency, idle, producers, partitions,
                                      history
                  --out DIR           where results.md, results.csv and the PNG charts go (default: full run
                                      docs/benchmarks, quick run java.io.tmpdir/silt-bench-quick)
                  --dir PATH          where temporary data goes (default java.io.tmpdir)
                  --no-s3proxy        do not start S3Proxy (its latency row is left out)
                  --peers FILE        the peers.csv of 'silt bench peers' to chart (default
                                      peers-results/peers.csv, if it exists)
                """;
    }

    /** Parses the command line; {@code null} for {@code --help}. */
    static Options parse(String[] args) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        if (rest.remove("--help") || rest.remove("-h")) {
            return null;
        }
        Options o = rest.remove("--quick") ? Options.quick() : Options.full();
        if (rest.remove("--smallest")) {
            o = Options.smallest();
        }
        if (rest.remove("--no-s3proxy")) {
            o = o.withoutS3Proxy();
        }
        Options parsed = BenchCli.applyFlags(rest, o, SuiteBench::flag);
        LOG.log(Level.DEBUG, "options: " + parsed.describe());
        return parsed;
    }

    /** Applies one option that takes a value. */
    private static Options flag(Options o, String flag, String v) {
        return switch (flag) {
            case "--only" -> o.withSections(BenchCli.only(v, Section.class, Section::of));
            case "--out" -> o.withDirs(o.workDir(), Path.of(v));
            case "--dir" -> o.withDirs(Path.of(v), o.outDir());
            case "--peers" -> o.withPeersCsv(Path.of(v));
            default -> throw new IllegalArgumentException("unknown option " + flag);
        };
    }
}
