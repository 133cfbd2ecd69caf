package io.silt.bench.peers;

import io.silt.bench.process.ChildProcesses;
import io.silt.bench.LogBench;
import io.silt.bench.s3proxy.S3ProxyProcess;
import io.silt.client.ProducerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Silt side by side with its peers in one run, one system at a time (never two servers at once), the same workload
 * for each ({@link PeerWorkload}): {@code records} records of {@code recordBytes} bytes from one producer to one
 * single-partition topic or queue, then one consumer reading them all; then a fixed-rate phase for produce
 * acknowledgement and end-to-end latency. The systems:
 * <ol type="a">
 *   <li>{@link SystemId#SILT}: Silt through the SDK on the filesystem store ({@code file:DIR}, fsync on);</li>
 *   <li>{@link SystemId#KAFKA}: Apache Kafka 4.3.1, single-node KRaft, started from Maven Central's artifacts
 *       ({@link KafkaBroker}), with Kafka's client ({@link KafkaPeer});</li>
 *   <li>{@link SystemId#KAFKA_FSYNC}: the same with the broker fsyncing after every append, as Silt does;</li>
 *   <li>{@link SystemId#RABBITMQ}: RabbitMQ from Debian's packages, started by {@code bench/peers/rabbitmq.sh}
 *       ({@link RabbitMqServer}), persistent messages with publisher confirms ({@link RabbitMqPeer});</li>
 *   <li>{@link SystemId#S3PROXY}: an S3Proxy process ({@link S3ProxyProcess}): its raw PUT bandwidth for the same bytes
 *       in segment-sized objects ({@link RawPutBench}, measured before and after), and the same workload through
 *       Silt on it.</li>
 * </ol>
 * Prints a table with ratios Silt/peer and the targets (Silt on files &ge; Kafka's produce throughput; Silt through
 * S3Proxy &ge; 70 % of S3Proxy's raw PUT bandwidth), and writes {@code peers.csv} and HdrHistogram percentile files to
 * {@link Options#outDir()}.
 */
public final class PeerBench {
    private static final System.Logger LOG = System.getLogger(PeerBench.class.getName());
    /** The fraction of S3Proxy's raw PUT bandwidth Silt's produce throughput through it should reach. */
    static final double RAW_FRACTION_TARGET = 0.70;

    /** The systems, in the order they run. */
    public enum SystemId {
        SILT("silt-file"), KAFKA("kafka"), KAFKA_FSYNC("kafka-fsync"), RABBITMQ("rabbitmq"), S3PROXY("silt-s3proxy");

        final String label;

        SystemId(String label) {
            this.label = label;
        }

        static SystemId of(String s) {
            String name = s.trim().toLowerCase(Locale.ROOT);
            for (SystemId id : values()) {
                if (id.name().toLowerCase(Locale.ROOT).equals(name) || id.label.equals(name)) {
                    return id;
                }
            }
            throw new IllegalArgumentException("unknown system '" + s
                    + "'; use silt, kafka, kafka-fsync, rabbitmq, s3proxy");
        }
    }

    /**
     * The settings of a run.
     *
     * @param systems which systems run (in {@link SystemId} order)
     * @param records records of the throughput phase
     * @param recordBytes value size (no key); at least 8 (the latency phase's timestamp)
     * @param warmupRecords records produced and read, unmeasured, before each system's throughput phase
     * @param batchBytes the producers' {@code batch.size} (Silt and Kafka) and the raw PUTs' object size
     * @param linger the producers' {@code linger.ms} (Silt and Kafka)
     * @param rate records per second of the latency phase
     * @param latencyWarmup unrecorded start of the latency phase
     * @param latencyMeasure recorded part of the latency phase
     * @param rawConcurrency parallel raw PUTs (Silt keeps one batch in flight per partition: 1)
     * @param workDir a fresh directory is made (and deleted) under it for the data of every system
     * @param outDir where {@code peers.csv} and the {@code .hgrm} files go
     * @param seed randomness of the values
     */
    public record Options(Set<SystemId> systems, long records, int recordBytes, long warmupRecords, int batchBytes,
                          Duration linger, int rate, Duration latencyWarmup, Duration latencyMeasure,
                          int rawConcurrency, Path workDir, Path outDir, long seed) {
        public Options {
            systems = systems.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(systems));
            Objects.requireNonNull(workDir);
            Objects.requireNonNull(outDir);
            if (records < 1 || recordBytes < Long.BYTES || warmupRecords < 0 || batchBytes < recordBytes
                    || linger.isNegative() || rate < 1 || rate > 1_000_000 || latencyMeasure.isNegative()
                    || latencyMeasure.isZero() || latencyWarmup.isNegative() || rawConcurrency < 1) {
                throw new IllegalArgumentException("invalid peers benchmark options");
            }
        }

        /**
         * The full run: every system; 1,000,000 records of 1 KiB (50,000 warm-up); batch 1 MiB, linger 10 ms
         * (Silt's defaults); latency at 2,000 records/s for 10 s after 2 s.
         */
        public static Options defaults() {
            return new Options(EnumSet.allOf(SystemId.class), 1_000_000, 1024, 50_000, 1 << 20,
                    Duration.ofMillis(10), 2_000, Duration.ofSeconds(2), Duration.ofSeconds(10), 1,
                    Path.of(System.getProperty("java.io.tmpdir")), Path.of("peers-results"), 1);
        }

        /** 50,000 records (10,000 warm-up), latency for 5 s after 1 s. */
        public static Options quick() {
            Options d = defaults();
            return new Options(d.systems, 50_000, d.recordBytes, 10_000, d.batchBytes, d.linger, d.rate,
                    Duration.ofSeconds(1), Duration.ofSeconds(5), d.rawConcurrency, d.workDir, d.outDir, d.seed);
        }

        /** A one-line description for the report. */
        public String describe() {
            return String.format(Locale.ROOT, "systems=%s records=%,d record=%dB warmup=%,d batch=%dKiB linger=%dms "
                            + "latency=%,d records/s for %ss after %ss rawPutConcurrency=%d partitions=1 producers=1 "
                            + "consumers=1 seed=%d",
                    systems.stream().sorted().map(s -> s.label).toList(), records, recordBytes, warmupRecords,
                    batchBytes >> 10, linger.toMillis(), rate, latencyMeasure.toMillis() / 1000.0,
                    latencyWarmup.toMillis() / 1000.0, rawConcurrency, seed);
        }
    }

    /**
     * What one system did.
     *
     * @param system the system's label
     * @param settings its settings, for the report
     * @param measurement the numbers, or {@code null} if it was skipped
     * @param skipped why it did not run (empty if it ran)
     */
    record Outcome(String system, String settings, PeerWorkload.Measurement measurement, String skipped) {}

    /**
     * The raw-store comparison.
     *
     * @param rawBefore S3Proxy's raw PUT MB/s before Silt's run through it
     * @param rawAfter the same after
     */
    record RawStore(double rawBefore, double rawAfter) {
        double raw() {
            return (rawBefore + rawAfter) / 2;
        }
    }

    /**
     * Everything a run measured.
     *
     * @param outcomes per system, in run order
     * @param rawStore S3Proxy's raw bandwidth, if the S3Proxy part ran
     */
    record Report(List<Outcome> outcomes, RawStore rawStore) {
        Outcome find(SystemId id) {
            return outcomes.stream().filter(o -> o.system().equals(id.label) && o.measurement() != null)
                    .findFirst().orElse(null);
        }
    }

    private PeerBench() {}

    /** Runs the systems one after the other, printing progress to {@code live}. */
    static Report run(Options o, PrintStream live) {
        Path dir;
        try {
            Files.createDirectories(o.workDir());
            dir = Files.createTempDirectory(o.workDir(), "silt-peers-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory under " + o.workDir(), e);
        }
        PeerWorkload workload = new PeerWorkload(o.records(), o.recordBytes(), o.warmupRecords(), o.rate(),
                o.latencyWarmup(), o.latencyMeasure(), o.seed());
        List<Outcome> outcomes = new ArrayList<>();
        RawStore rawStore = null;
        try {
            if (o.systems().contains(SystemId.SILT)) {
                Path d = dir.resolve("silt");
                outcomes.add(measure(live, SystemId.SILT, workload, () -> new SiltPeer(SystemId.SILT.label,
                        "file:" + d.toAbsolutePath(), Map.of(), o.batchBytes(), o.linger())));
                LogBench.deleteTree(d);
            }
            for (SystemId kafka : List.of(SystemId.KAFKA, SystemId.KAFKA_FSYNC)) {
                if (o.systems().contains(kafka)) {
                    outcomes.add(kafka(o, live, workload, dir.resolve(kafka.label), kafka));
                    LogBench.deleteTree(dir.resolve(kafka.label));
                }
            }
            if (o.systems().contains(SystemId.RABBITMQ)) {
                outcomes.add(rabbitMq(o, live, workload, dir.resolve("rabbitmq")));
                LogBench.deleteTree(dir.resolve("rabbitmq"));
            }
            if (o.systems().contains(SystemId.S3PROXY)) {
                Path d = dir.resolve("s3proxy");
                try (S3ProxyProcess s3 = S3ProxyProcess.start(d)) {
                    rawStore = throughS3Proxy(o, live, workload, s3, outcomes);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "the S3Proxy part failed", e);
                    outcomes.add(skipped(live, SystemId.S3PROXY, "failed: " + e.getMessage()));
                }
                LogBench.deleteTree(d);
            }
        } finally {
            LogBench.deleteTree(dir);
        }
        return new Report(outcomes, rawStore);
    }

    /** Raw PUTs, Silt's workload through the same S3Proxy, raw PUTs again; adds Silt's outcome. */
    private static RawStore throughS3Proxy(Options o, PrintStream live, PeerWorkload workload, S3ProxyProcess s3,
                                           List<Outcome> outcomes) {
        s3.createBucket("peers");
        long bytes = o.records() * o.recordBytes();
        Supplier<Double> raw = () -> RawPutBench.megabytesPerSecond(s3.storeUri("peers", "raw"), s3.environment(),
                bytes, o.batchBytes(), o.rawConcurrency(), o.seed());
        double before = raw.get();
        print(live, "s3proxy raw PUT (before): %.1f MB/s", before);
        outcomes.add(measure(live, SystemId.S3PROXY, workload, () -> new SiltPeer(SystemId.S3PROXY.label,
                s3.storeUri("peers", "silt"), s3.environment(), o.batchBytes(), o.linger())));
        double after = raw.get();
        print(live, "s3proxy raw PUT (after): %.1f MB/s", after);
        return new RawStore(before, after);
    }

    private static Outcome kafka(Options o, PrintStream live, PeerWorkload workload, Path dir, SystemId id) {
        String classpath;
        try {
            Files.createDirectories(dir);
            classpath = KafkaBroker.classpath(ChildProcesses.repositoryRoot(), dir.resolve("mvnw.log"));
        } catch (IOException | RuntimeException e) {
            return skipped(live, id, "cannot resolve the broker from Maven Central: " + e.getMessage());
        }
        boolean fsync = id == SystemId.KAFKA_FSYNC;
        try (KafkaBroker broker = KafkaBroker.start(dir, classpath, KafkaBroker.maxMessageBytes(o.batchBytes()),
                fsync)) {
            return measure(live, id, workload, () -> new KafkaPeer(id.label, broker, o.batchBytes(), o.linger(),
                    ProducerConfig.defaults().bufferBytes()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, id.label + " failed", e);
            return skipped(live, id, "failed: " + e.getMessage());
        }
    }

    private static Outcome rabbitMq(Options o, PrintStream live, PeerWorkload workload, Path dir) {
        Path root;
        try {
            root = ChildProcesses.repositoryRoot();
        } catch (RuntimeException e) {
            return skipped(live, SystemId.RABBITMQ, e.getMessage());
        }
        var reason = RabbitMqServer.unavailable(root);
        if (reason.isPresent()) {
            return skipped(live, SystemId.RABBITMQ, reason.get());
        }
        try (RabbitMqServer server = RabbitMqServer.start(root, dir)) {
            return measure(live, SystemId.RABBITMQ, workload, () -> new RabbitMqPeer(server.port()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "RabbitMQ failed", e);
            return skipped(live, SystemId.RABBITMQ, "failed: " + e.getMessage());
        }
    }

    private static Outcome measure(PrintStream live, SystemId id, PeerWorkload workload, Supplier<PeerClient> client) {
        print(live, "%s: running (%s)", id.label, Instant.now());
        try (PeerClient c = client.get()) {
            PeerWorkload.Measurement m = workload.run(c, "peers");
            print(live, "%s: produce %,.0f records/s (%.1f MB/s), consume %.1f MB/s, ack p99 %.2f ms, e2e p99 %.2f ms",
                    id.label, m.produceRecordsPerSecond(), m.produceMBps(), m.consumeMBps(),
                    millis(m.ack(), 99), millis(m.e2e(), 99));
            return new Outcome(id.label, c.settings(), m, "");
        }
    }

    private static Outcome skipped(PrintStream live, SystemId id, String reason) {
        print(live, "%s: SKIPPED: %s", id.label, reason);
        return new Outcome(id.label, "", null, reason);
    }

    private static void print(PrintStream live, String format, Object... args) {
        if (live != null) {
            live.printf(Locale.ROOT, format + "%n", args);
            live.flush();
        }
    }

    static double millis(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    // ------------------------------------------------------------------------------------------------ report

    /** The columns of the per-system table and of peers.csv: name, unit, value of a measurement. */
    private static final List<Column> COLUMNS = List.of(
            new Column("produce", "records/s", PeerWorkload.Measurement::produceRecordsPerSecond, true),
            new Column("produce", "MB/s", PeerWorkload.Measurement::produceMBps, true),
            new Column("consume", "MB/s", PeerWorkload.Measurement::consumeMBps, true),
            new Column("ack p50", "ms", m -> millis(m.ack(), 50), false),
            new Column("ack p99", "ms", m -> millis(m.ack(), 99), false),
            new Column("ack p99.9", "ms", m -> millis(m.ack(), 99.9), false),
            new Column("e2e p50", "ms", m -> millis(m.e2e(), 50), false),
            new Column("e2e p99", "ms", m -> millis(m.e2e(), 99), false),
            new Column("e2e p99.9", "ms", m -> millis(m.e2e(), 99.9), false));

    private record Column(String name, String unit, Function<PeerWorkload.Measurement, Double> value,
                          boolean higherIsBetter) {
        String heading() {
            return name + " " + unit;
        }
    }

    /** Prints the tables: per system, Silt/peer ratios, the raw store, the targets, the settings. */
    static void print(Report report, Options o, PrintStream out) {
        List<String> head = new ArrayList<>(List.of("system"));
        COLUMNS.forEach(c -> head.add(c.heading()));
        List<List<String>> rows = new ArrayList<>();
        for (Outcome oc : report.outcomes()) {
            List<String> row = new ArrayList<>(List.of(oc.system()));
            if (oc.measurement() == null) {
                COLUMNS.forEach(c -> row.add("skipped"));
            } else {
                COLUMNS.forEach(c -> row.add(format(c.value().apply(oc.measurement()))));
            }
            rows.add(row);
        }
        table(out, head, rows);
        report.outcomes().stream().filter(oc -> oc.measurement() == null)
                .forEach(oc -> out.println("  " + oc.system() + " skipped: " + oc.skipped()));

        PeerWorkload.Measurement silt = measurementOf(report, SystemId.SILT);
        List<List<String>> ratios = new ArrayList<>();
        for (SystemId peer : List.of(SystemId.KAFKA, SystemId.KAFKA_FSYNC, SystemId.RABBITMQ)) {
            PeerWorkload.Measurement p = measurementOf(report, peer);
            if (silt != null && p != null) {
                List<String> row = new ArrayList<>(List.of("silt-file / " + peer.label));
                COLUMNS.forEach(c -> row.add(format(c.value().apply(silt) / c.value().apply(p))));
                ratios.add(row);
            }
        }
        if (!ratios.isEmpty()) {
            out.println();
            out.println("ratios Silt/peer (throughput: above 1 is Silt faster; latency: below 1 is Silt faster)");
            List<String> ratioHead = new ArrayList<>(List.of("ratio"));
            COLUMNS.forEach(c -> ratioHead.add(c.heading()));
            table(out, ratioHead, ratios);
        }

        out.println();
        out.println("targets");
        PeerWorkload.Measurement kafka = measurementOf(report, SystemId.KAFKA);
        if (silt != null && kafka != null) {
            double r = silt.produceRecordsPerSecond() / kafka.produceRecordsPerSecond();
            out.printf(Locale.ROOT, "  Silt (file, fsync) produce >= Kafka's: %,.0f vs %,.0f records/s = %.2fx: %s%n",
                    silt.produceRecordsPerSecond(), kafka.produceRecordsPerSecond(), r, r >= 1 ? "met" : "MISSED");
        } else {
            out.println("  Silt (file) produce >= Kafka's: not measured (a system was skipped)");
        }
        PeerWorkload.Measurement kafkaFsync = measurementOf(report, SystemId.KAFKA_FSYNC);
        if (silt != null && kafkaFsync != null) {
            out.printf(Locale.ROOT, "  (no target) Silt vs Kafka fsyncing every append, equal durability: %,.0f vs "
                            + "%,.0f records/s = %.2fx%n", silt.produceRecordsPerSecond(),
                    kafkaFsync.produceRecordsPerSecond(),
                    silt.produceRecordsPerSecond() / kafkaFsync.produceRecordsPerSecond());
        }
        PeerWorkload.Measurement viaS3 = measurementOf(report, SystemId.S3PROXY);
        if (viaS3 != null && report.rawStore() != null) {
            RawStore raw = report.rawStore();
            double f = viaS3.produceMBps() / raw.raw();
            out.printf(Locale.ROOT, "  Silt through S3Proxy >= %.0f%% of S3Proxy's raw PUT bandwidth: %.1f MB/s of "
                            + "%.1f MB/s (raw PUTs of %d KiB objects, %d at a time: %.1f before, %.1f after) = "
                            + "%.0f%%: %s%n", RAW_FRACTION_TARGET * 100, viaS3.produceMBps(), raw.raw(),
                    o.batchBytes() >> 10, o.rawConcurrency(), raw.rawBefore(), raw.rawAfter(), f * 100,
                    f >= RAW_FRACTION_TARGET ? "met" : "MISSED");
        } else {
            out.println("  Silt through S3Proxy vs raw PUT bandwidth: not measured");
        }
        out.println();
        out.println("settings");
        report.outcomes().stream().filter(oc -> oc.measurement() != null)
                .forEach(oc -> out.println("  " + oc.system() + ": " + oc.settings()));
        out.flush();
    }

    private static PeerWorkload.Measurement measurementOf(Report report, SystemId id) {
        Outcome oc = report.find(id);
        return oc == null ? null : oc.measurement();
    }

    private static void table(PrintStream out, List<String> head, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(head);
        all.addAll(rows);
        int[] width = new int[head.size()];
        for (List<String> r : all) {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        for (int n = 0; n < all.size(); n++) {
            StringBuilder line = new StringBuilder("|");
            for (int i = 0; i < head.size(); i++) {
                String c = all.get(n).get(i);
                String pad = " ".repeat(width[i] - c.length());
                line.append(' ').append(i == 0 ? c + pad : pad + c).append(" |");
            }
            out.println(line);
            if (n == 0) {
                out.println(Arrays.stream(width).mapToObj(w -> "-".repeat(w + 2))
                        .collect(Collectors.joining("|", "|", "|")));
            }
        }
    }

    static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "-";
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 1000 ? "%,.0f" : a >= 100 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
    }

    /**
     * Writes {@code peers.csv} (one number a line: {@code system,metric,unit,value}, with {@code skipped} rows and the
     * raw-store rows) and, per system, {@code peers-SYSTEM-ack.hgrm} and {@code peers-SYSTEM-e2e.hgrm}
     * (HdrHistogram's percentile distribution, milliseconds).
     */
    static void write(Report report, Options o, Path outDir) {
        List<String> lines = new ArrayList<>();
        lines.add("system,metric,unit,value");
        try {
            Files.createDirectories(outDir);
            for (Outcome oc : report.outcomes()) {
                PeerWorkload.Measurement m = oc.measurement();
                if (m == null) {
                    lines.add(oc.system() + ",skipped,reason," + csv(oc.skipped()));
                    continue;
                }
                lines.add(oc.system() + ",records,count," + m.records());
                lines.add(oc.system() + ",record size,bytes," + m.recordBytes());
                for (Column c : COLUMNS) {
                    lines.add(oc.system() + "," + c.name() + "," + c.unit() + "," + c.value().apply(m));
                }
                lines.add(oc.system() + ",latency rate,records/s," + o.rate());
                for (String kind : List.of("ack", "e2e")) {
                    Histogram h = kind.equals("ack") ? m.ack() : m.e2e();
                    lines.add(oc.system() + "," + kind + " max,ms," + h.getMaxValue() / 1000.0);
                    try (PrintStream s = new PrintStream(Files.newOutputStream(
                            outDir.resolve("peers-" + oc.system() + "-" + kind + ".hgrm")), false,
                            StandardCharsets.UTF_8)) {
                        h.outputPercentileDistribution(s, 1000.0);
                    }
                }
            }
            RawStore raw = report.rawStore();
            if (raw != null) {
                lines.add("s3proxy-raw,put before,MB/s," + raw.rawBefore());
                lines.add("s3proxy-raw,put after,MB/s," + raw.rawAfter());
                lines.add("s3proxy-raw,put,MB/s," + raw.raw());
                PeerWorkload.Measurement viaS3 = measurementOf(report, SystemId.S3PROXY);
                if (viaS3 != null) {
                    lines.add("silt-s3proxy,fraction of raw put,ratio," + viaS3.produceMBps() / raw.raw());
                }
            }
            Files.write(outDir.resolve("peers.csv"), lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results to " + outDir, e);
        }
    }

    private static String csv(String s) {
        return "\"" + s.replace("\"", "\"\"").replace('\n', ' ') + "\"";
    }

    // ------------------------------------------------------------------------------------------------ command line

    /** Runs the benchmark; see {@code --help}. */
    public static void main(String[] args) {
        System.exit(runCli(args, System.out, System.err));
    }

    /**
     * Parses {@code args}, runs the benchmark, prints the tables to {@code out} and writes the result files: the
     * entry point of {@code silt bench peers}. Returns the exit code (0 ok, 2 usage error).
     */
    public static int runCli(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("silt bench peers: " + e.getMessage());
            err.println(usage());
            return 2;
        }
        if (o == null) {
            out.println(usage());
            return 0;
        }
        out.println("Silt side by side with Kafka, RabbitMQ and the raw store (one system at a time)");
        out.println("options: " + o.describe());
        out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ", load average " + loadAverage() + " at start");
        out.println();
        long started = System.nanoTime();
        Report report = run(o, out);
        out.println();
        print(report, o, out);
        write(report, o, o.outDir());
        out.printf(Locale.ROOT, "%nresults in %s (peers.csv, peers-*.hgrm); load average %s at end; "
                        + "total time %.1f s%n",
                o.outDir().toAbsolutePath(), loadAverage(), (System.nanoTime() - started) / 1e9);
        return 0;
    }

    private static String loadAverage() {
        return ChildProcesses.firstLine(Path.of("/proc/loadavg"))
                .map(l -> String.join(" ", Arrays.asList(l.split(" ")).subList(0, 3)))
                .orElse(String.format(Locale.ROOT, "%.2f",
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    }

    static String usage() {
        return """
                usage: silt bench peers [--quick] [options]
                  --systems L             which systems (default all): silt, kafka, kafka-fsync, rabbitmq,
                                          s3proxy
                  --records N             records of the throughput phase (default 1000000; --quick 50000)
                  --record-bytes N        record value size (default 1024)
                  --warmup-records N      unmeasured records before each system (default 50000; --quick 10000)
                  --batch-kib N           batch.size of Silt and Kafka, and the raw PUTs' object size (default 1024)
                  --linger-ms N           linger.ms of Silt and Kafka (default 10)
                  --rate N                records/s of the latency phase (default 2000)
                  --latency-seconds S     measured seconds of the latency phase (default 10; --quick 5)
                  --latency-warmup S      unmeasured seconds before it (default 2; --quick 1)
                  --raw-concurrency N     parallel raw PUTs to S3Proxy (default 1: Silt's batches in flight)
                  --dir PATH              where the systems' data goes, deleted after (default java.io.tmpdir)
                  --out PATH              where peers.csv and peers-*.hgrm go (default ./peers-results)
                  --seed N
                """;
    }

    private static final List<String> FLAGS = List.of("--systems", "--records", "--record-bytes", "--warmup-records",
            "--batch-kib", "--linger-ms", "--rate", "--latency-seconds", "--latency-warmup", "--raw-concurrency",
            "--dir", "--out", "--seed");

    /** Parses the command line; {@code null} for {@code --help}. */
    static Options parse(String[] args) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        if (rest.remove("--help") || rest.remove("-h")) {
            return null;
        }
        Options d = rest.remove("--quick") ? Options.quick() : Options.defaults();
        Map<String, String> f = new LinkedHashMap<>();
        for (int i = 0; i < rest.size(); i += 2) {
            String flag = rest.get(i);
            if (!FLAGS.contains(flag)) {
                throw new IllegalArgumentException("unknown option " + flag);
            }
            if (i + 1 >= rest.size()) {
                throw new IllegalArgumentException("missing value after " + flag);
            }
            f.put(flag, rest.get(i + 1));
        }
        Function<String, String> v = f::get;
        return new Options(
                f.containsKey("--systems") ? Stream.of(v.apply("--systems").split(",")).map(SystemId::of)
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(SystemId.class))) : d.systems(),
                f.containsKey("--records") ? Long.parseLong(v.apply("--records")) : d.records(),
                f.containsKey("--record-bytes") ? Integer.parseInt(v.apply("--record-bytes")) : d.recordBytes(),
                f.containsKey("--warmup-records") ? Long.parseLong(v.apply("--warmup-records")) : d.warmupRecords(),
                f.containsKey("--batch-kib") ? Integer.parseInt(v.apply("--batch-kib")) << 10 : d.batchBytes(),
                f.containsKey("--linger-ms") ? Duration.ofMillis(Long.parseLong(v.apply("--linger-ms"))) : d.linger(),
                f.containsKey("--rate") ? Integer.parseInt(v.apply("--rate")) : d.rate(),
                f.containsKey("--latency-warmup") ? seconds(v.apply("--latency-warmup")) : d.latencyWarmup(),
                f.containsKey("--latency-seconds") ? seconds(v.apply("--latency-seconds")) : d.latencyMeasure(),
                f.containsKey("--raw-concurrency") ? Integer.parseInt(v.apply("--raw-concurrency"))
                        : d.rawConcurrency(),
                f.containsKey("--dir") ? Path.of(v.apply("--dir")) : d.workDir(),
                f.containsKey("--out") ? Path.of(v.apply("--out")) : d.outDir(),
                f.containsKey("--seed") ? Long.parseLong(v.apply("--seed")) : d.seed());
    }

    private static Duration seconds(String v) {
        return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
    }
}
