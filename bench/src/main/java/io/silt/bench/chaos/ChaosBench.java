package io.silt.bench.chaos;

import io.silt.bench.LogBench;
import io.silt.bench.chaos.history.HistoryChecker;
import io.silt.bench.chaos.history.Violation;
import io.silt.bench.s3proxy.S3ProxyProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The chaos run (issue 9): idempotent producers, group consumers, queue consumers and compactors, each a child JVM
 * ({@link ChaosWorker}) whose store injects request errors (500, 503 SlowDown, 409, connection resets), lost
 * responses after writes happened and latency spikes, are killed with SIGKILL at random points and restarted, and
 * paused with SIGSTOP long enough that their view is stale (group session expired and partitions reassigned,
 * compactor lease taken over, batches in flight across a checkpoint) before SIGCONT; compaction and GC run throughout
 * with a short grace period.
 * At the end the consumers drain, every partition is read in full (the reference), and the {@link HistoryChecker}
 * checks every process's history. Runs against the filesystem store and against S3Proxy ({@link S3ProxyProcess}).
 *
 * <p>Every random choice (faults, kills, pauses, values) comes from {@link Options#seed()}, printed in the report;
 * the interleaving of processes on a loaded machine still varies from run to run. The exit code is 0 when every run
 * drained and the checker found nothing, 1 otherwise (the run's directory is then kept for inspection), 2 for bad
 * options.
 */
public final class ChaosBench {
    private static final System.Logger LOG = System.getLogger(ChaosBench.class.getName());

    /**
     * The settings of a run (see {@link #usage()} for their meaning and defaults).
     */
    public record Options(long records, int producers, int groupConsumers, int queueConsumers, int compactors,
                          int partitions, double faultRate, List<String> stores, Path workDir, long seed,
                          double rate, int valueBytes, Duration killEvery, Duration pauseEvery, Duration pauseFor,
                          Duration grace, Duration visibility, int maxDeliveries, Duration session,
                          Duration drainTimeout, int queueEvery, int poisonEvery, Duration skew, Duration minUptime,
                          boolean keep) {
        public Options {
            stores = List.copyOf(stores);
            if (records < producers || producers < 1 || groupConsumers < 1 || queueConsumers < 1 || compactors < 1
                    || partitions < 1 || faultRate < 0 || faultRate > 0.5 || valueBytes < 1 || maxDeliveries < 1
                    || queueEvery < 1 || poisonEvery < 1 || stores.isEmpty()
                    || !List.of("file", "s3proxy").containsAll(stores)) {
                throw new IllegalArgumentException("invalid chaos options");
            }
        }

        /** The defaults as option values, by option name. */
        static Map<String, String> defaults() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("records", "1000000");
            m.put("producers", "3");
            m.put("group-consumers", "2");
            m.put("queue-consumers", "2");
            m.put("compactors", "2");
            m.put("partitions", "4");
            m.put("fault-rate", "0.05");
            m.put("stores", "file,s3proxy");
            m.put("dir", System.getProperty("java.io.tmpdir"));
            m.put("seed", Long.toString(System.nanoTime() & 0xffff_ffffL));
            m.put("rate", "4000");
            m.put("value-bytes", "100");
            m.put("kill-every-ms", "15000");
            m.put("pause-every-ms", "40000");
            m.put("pause-ms", "12000");
            m.put("grace-ms", "30000");
            m.put("visibility-ms", "5000");
            m.put("max-deliveries", "4");
            m.put("session-ms", "3000");
            m.put("drain-timeout-s", "300");
            m.put("queue-every", "10");
            m.put("poison-every", "50");
            m.put("skew-ms", "250");
            m.put("min-uptime-ms", "10000");
            m.put("keep", "false");
            return m;
        }

        /** What {@code --quick} changes: 20,000 records at 1,000/s, a kill every ~6 s, a 7 s pause every ~12 s. */
        static Map<String, String> quick() {
            return Map.of("records", "20000", "rate", "1000", "kill-every-ms", "6000", "pause-every-ms", "12000",
                    "pause-ms", "7000", "grace-ms", "16000", "drain-timeout-s", "120");
        }

        static Options of(Map<String, String> m) {
            return new Options(Long.parseLong(m.get("records")), Integer.parseInt(m.get("producers")),
                    Integer.parseInt(m.get("group-consumers")), Integer.parseInt(m.get("queue-consumers")),
                    Integer.parseInt(m.get("compactors")), Integer.parseInt(m.get("partitions")),
                    Double.parseDouble(m.get("fault-rate")), Arrays.asList(m.get("stores").split(",")),
                    Path.of(m.get("dir")), Long.parseLong(m.get("seed")), Double.parseDouble(m.get("rate")),
                    Integer.parseInt(m.get("value-bytes")), millis(m, "kill-every-ms"), millis(m, "pause-every-ms"),
                    millis(m, "pause-ms"), millis(m, "grace-ms"), millis(m, "visibility-ms"),
                    Integer.parseInt(m.get("max-deliveries")), millis(m, "session-ms"),
                    Duration.ofSeconds(Long.parseLong(m.get("drain-timeout-s"))),
                    Integer.parseInt(m.get("queue-every")), Integer.parseInt(m.get("poison-every")),
                    millis(m, "skew-ms"), millis(m, "min-uptime-ms"), Boolean.parseBoolean(m.get("keep")));
        }

        private static Duration millis(Map<String, String> m, String name) {
            return Duration.ofMillis(Long.parseLong(m.get(name)));
        }

        /** The options as {@code --name value} pairs, for the report (pasted back, they replay the run). */
        public String describe() {
            return "--records " + records + " --producers " + producers + " --group-consumers " + groupConsumers
                    + " --queue-consumers " + queueConsumers + " --compactors " + compactors + " --partitions "
                    + partitions + " --fault-rate " + faultRate + " --stores " + String.join(",", stores)
                    + " --seed " + seed + " --rate " + rate + " --value-bytes " + valueBytes + " --kill-every-ms "
                    + killEvery.toMillis() + " --pause-every-ms " + pauseEvery.toMillis() + " --pause-ms "
                    + pauseFor.toMillis() + " --grace-ms " + grace.toMillis() + " --visibility-ms "
                    + visibility.toMillis() + " --max-deliveries " + maxDeliveries + " --session-ms "
                    + session.toMillis() + " --drain-timeout-s " + drainTimeout.toSeconds() + " --queue-every "
                    + queueEvery + " --poison-every " + poisonEvery + " --skew-ms " + skew.toMillis()
                    + " --min-uptime-ms " + minUptime.toMillis();
        }
    }

    private ChaosBench() {}

    static String usage() {
        return """
                usage: silt bench chaos [--quick] [options]
                  --quick                 20,000 records at 1,000/s, a kill every ~6 s, a 7 s pause every ~12 s
                  --records N             records produced in all (default 1000000)
                  --rate R                records per second, all producers together (default 4000; 0 = no limit)
                  --producers N --group-consumers N --queue-consumers N --compactors N   workers (3, 2, 2, 2)
                  --partitions N          partitions of each topic (default 4)
                  --fault-rate F          injected request errors per request, lost write responses at F/2 (0.05)
                  --stores L              file, s3proxy or both (default file,s3proxy)
                  --kill-every-ms MS      mean time between SIGKILLs (default 15000)
                  --pause-every-ms MS     mean time between SIGSTOP pauses (default 40000)
                  --pause-ms MS           how long a pause lasts (default 12000); keep it below half the grace
                                          period: a writer stalled longer between its segment-age check and its
                                          commit can name a segment that orphan GC already deleted (DESIGN rule 8)
                  --grace-ms MS           GC grace period of writers and compactors (default 30000)
                  --session-ms MS         group session timeout and compactor lease (default 3000)
                  --visibility-ms MS      queue visibility timeout (default 5000)
                  --max-deliveries N      queue deliveries before dead-lettering (default 4)
                  --queue-every N         every N-th record goes to the queue topic (default 10)
                  --poison-every N        messages whose CRC is a multiple of N are always nacked (default 50)
                  --value-bytes N         record value size (default 100)
                  --drain-timeout-s S     how long consumers may take to catch up at the end (default 300)
                  --skew-ms MS            clock skew tolerance of the checker's timing rules (default 250)
                  --min-uptime-ms MS      a worker is killed or paused only after running this long (default 10000)
                  --dir PATH              where the run's directory goes (default java.io.tmpdir)
                  --seed N                randomness of faults, kills, pauses and values (default: from the clock)
                  --keep                  keep the run's directory (histories, data) even when it passed""";
    }

    /** Parses the command line; {@code null} for {@code --help}. */
    static Options parse(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        if (rest.remove("--help") || rest.remove("-h")) {
            return null;
        }
        Map<String, String> m = Options.defaults();
        if (rest.remove("--quick")) {
            m.putAll(Options.quick());
        }
        if (rest.remove("--keep")) {
            m.put("keep", "true");
        }
        for (int i = 0; i < rest.size(); i += 2) {
            String name = rest.get(i);
            if (!name.startsWith("--") || !m.containsKey(name.substring(2)) || i + 1 >= rest.size()) {
                throw new IllegalArgumentException("unknown option or missing value: " + name);
            }
            m.put(name.substring(2), rest.get(i + 1));
        }
        try {
            return Options.of(m);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + e.getMessage(), e);
        }
    }

    /** Runs the chaos run; see {@code --help}. */
    public static void main(String[] args) {
        System.exit(runCli(args, System.out, System.err));
    }

    /** The command line: parses, runs, prints the report to {@code out}; returns the exit code (0, 1 or 2). */
    public static int runCli(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("silt bench chaos: " + e.getMessage());
            err.println(usage());
            return 2;
        }
        if (options == null) {
            out.println(usage());
            return 0;
        }
        out.println("chaos run, seed " + options.seed());
        out.println("options: " + options.describe());
        boolean ok = true;
        for (String store : options.stores()) {
            ChaosRun.Outcome outcome = run(options, store);
            print(outcome, options, out);
            ok &= outcome.drained() && outcome.violations().isEmpty();
        }
        return ok ? 0 : 1;
    }

    /** One run against {@code store} ({@code file} or {@code s3proxy}). */
    public static ChaosRun.Outcome run(Options options, String store) {
        Path dir = options.workDir().resolve("silt-chaos-" + store + "-" + options.seed() + "-" + System.nanoTime());
        ChaosRun.Outcome outcome;
        try {
            Files.createDirectories(dir.resolve("histories"));
            if (store.equals("file")) {
                Path data = Files.createDirectories(dir.resolve("data"));
                outcome = new ChaosRun(options, store, "file:" + data, Map.of(), dir.resolve("histories")).run();
            } else {
                try (S3ProxyProcess s3 = S3ProxyProcess.start(dir.resolve("s3proxy"))) {
                    s3.createBucket("chaos");
                    outcome = new ChaosRun(options, store, s3.storeUri("chaos", "run"), s3.environment(),
                            dir.resolve("histories")).run();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (options.keep() || !outcome.violations().isEmpty() || !outcome.drained()) {
            LOG.log(Level.INFO, "kept the run's directory " + dir);
        } else {
            LogBench.deleteTree(dir); // the run's histories and, for the filesystem store, its data
        }
        return outcome;
    }

    static void print(ChaosRun.Outcome o, Options options, PrintStream out) {
        Map<String, Long> c = o.counters();
        out.println();
        out.println("== " + o.store() + " store: " + o.duration().toSeconds() + " s, seed " + options.seed());
        long sent = n(c, "produce.sent");
        long acked = n(c, "produce.acked");
        long failed = n(c, "produce.failed");
        out.printf(Locale.ROOT, "records in the final log: %,d (%,d sent, %,d acked, %,d failed with an unknown "
                + "outcome, %,d in flight when their producer was killed)%n", o.records(), sent, acked, failed,
                sent - acked - failed);
        out.printf(Locale.ROOT, "faults injected: %,d x 500, %,d x 503 SlowDown, %,d x 409, %,d connection resets "
                        + "before the request, %,d responses lost after the write happened, %,d latency spikes "
                        + "(%,d requests delayed, %,d s added)%n", n(c, "fault.server_error"),
                n(c, "fault.throttled"), n(c, "fault.conflict"), n(c, "fault.io"), n(c, "fault.lost_response"),
                n(c, "fault.latency_spike"), n(c, "fault.delayed_request"), n(c, "fault.added_latency_ms") / 1000);
        out.println("kills (SIGKILL): " + byRole(o.kills()) + "; pauses (SIGSTOP " + options.pauseFor().toMillis()
                + " ms, then SIGCONT): " + byRole(o.pauses()) + "; workers that crashed by themselves: "
                + o.crashes());
        out.printf(Locale.ROOT, "compaction runs: %,d completed, %,d budget exhausted, %,d busy, %,d fenced, %,d lease"
                        + " unknown, %,d failed; %,d entries merged, %,d objects deleted%n",
                n(c, "compaction.completed"), n(c, "compaction.budget_exhausted"), n(c, "compaction.busy"),
                n(c, "compaction.fenced"), n(c, "compaction.lease_unknown"), n(c, "compaction.error"),
                n(c, "compaction.entries_merged"), n(c, "compaction.objects_deleted"));
        out.printf(Locale.ROOT, "group consumers: %,d received, commits %,d ok / %,d rejected / %,d unknown%n",
                n(c, "group.received"), n(c, "group.commit_ok"), n(c, "group.commit_rejected"),
                n(c, "group.commit_unknown"));
        out.printf(Locale.ROOT, "queue consumers: %,d received, %,d acked (%,d acks failed), %,d nacked, %,d left to "
                        + "time out%n", n(c, "queue.received"), n(c, "queue.ack_ok"), n(c, "queue.ack_failed"),
                n(c, "queue.nack_ok") + n(c, "queue.nack_failed"), n(c, "queue.forgotten"));
        out.println("drained: " + (o.drained() ? "yes" : "NO (the drain timed out)"));
        if (o.violations().isEmpty()) {
            out.println("verdict: OK, 0 violations");
            return;
        }
        out.println("verdict: FAILED, " + o.violations().size() + " violations: "
                + HistoryChecker.countByRule(o.violations()));
        Map<Violation.Rule, List<Violation>> byRule = o.violations().stream()
                .collect(Collectors.groupingBy(Violation::rule, LinkedHashMap::new, Collectors.toList()));
        byRule.forEach((rule, list) -> list.stream().limit(10).forEach(v -> out.println("  " + v)));
    }

    private static long n(Map<String, Long> counters, String name) {
        return counters.getOrDefault(name, 0L);
    }

    private static String byRole(Map<WorkerSpec.Role, Integer> m) {
        return Arrays.stream(WorkerSpec.Role.values()).map(r -> r.name().toLowerCase(Locale.ROOT).replace('_', ' ')
                + " " + m.getOrDefault(r, 0)).collect(Collectors.joining(", "));
    }
}
