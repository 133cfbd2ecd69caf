package io.silt.cli;

import io.silt.bench.CompactionBench;
import io.silt.bench.LogBench;
import io.silt.bench.SdkBench;
import io.silt.bench.SuiteBench;
import io.silt.bench.chaos.ChaosBench;
import io.silt.bench.peers.PeerBench;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code silt bench [full|log|sdk|compaction|all|peers|chaos] [options]}: the benchmark suite (default; {@code --quick}
 * for its two-minute form), the partition-log, SDK and compaction benchmarks, Silt side by side with Kafka, RabbitMQ
 * and S3Proxy's raw PUTs, and the chaos run of the bench module.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run the benchmarks on this machine: 'full' (default: the suite of docs/benchmarks.md: cost "
                + "per GB, produce and end-to-end latency on the filesystem store, the S3 latency models and S3Proxy, "
                + "idle requests, throughput against producers and partitions, commit and open cost against history "
                + "length, with PNG charts; --quick runs it in under 2 minutes), 'log' (the partition log: "
                + "throughput, contention under the S3 latency model, open cost, requests per GiB), 'sdk' (producer, "
                + "consumer, end-to-end latency, idle requests), 'compaction' (an hour of 10 commits/s compacted "
                + "every 5 minutes, simulated: objects left and open cost), 'all' (log and sdk), 'peers' (the same "
                + "workload against Silt, Apache Kafka, RabbitMQ and S3Proxy's raw PUTs, with ratios) or 'chaos' "
                + "(a million records through killed, paused and faulty producers, consumers and compactors, checked "
                + "by the history checker). Other options go "
                + "to the benchmark, e.g. --quick, --only a,c, --seconds 5; 'silt bench log --usage' lists them. "
                + "Results: docs/benchmarks.md, docs/benchmarks-*.md and docs/reliability.md.",
                "Usage: silt bench [full|log|sdk|compaction|all|peers|chaos] [options of that suite]"})
final class BenchCommand extends SiltCommand {
    /** The suites by name; a first argument starting with {@code -} is an option of the default suite, full. */
    private static final List<String> SUITES = List.of("full", "log", "sdk", "compaction", "all", "peers",
            "chaos");

    /**
     * Everything after {@code bench}: the suite's name first if given, then its options. Taken whole (not as a
     * picocli positional parameter), so that an option's value such as {@code --only history} is never read as the
     * suite.
     */
    @Unmatched
    List<String> passThrough = new ArrayList<>();

    @Override
    int run() {
        boolean named = !passThrough.isEmpty() && !passThrough.get(0).startsWith("-");
        String suite = named ? passThrough.get(0) : "full";
        String[] args = passThrough.stream().skip(named ? 1 : 0).map(a -> a.equals("--usage") ? "--help" : a)
                .toArray(String[]::new);
        PrintStream out = streamOf(out());
        PrintStream err = streamOf(err());
        switch (suite) {
            case "full":
                return SuiteBench.runCli(args, out, err);
            case "log":
                return LogBench.runCli(args, out, err);
            case "sdk":
                return SdkBench.runCli(args, out, err);
            case "compaction":
                return CompactionBench.runCli(args, out, err);
            case "peers":
                return PeerBench.runCli(args, out, err);
            case "chaos":
                return ChaosBench.runCli(args, out, err);
            case "all": {
                int code = LogBench.runCli(args, out, err);
                return code != 0 ? code : SdkBench.runCli(args, out, err);
            }
            default:
                throw new CliException("unknown benchmark suite '" + suite + "'; use " + String.join(", ", SUITES));
        }
    }

    /** A stream that hands each finished line to {@code writer}, so benchmark progress shows as it happens. */
    private static PrintStream streamOf(PrintWriter writer) {
        return new PrintStream(new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public void write(int b) {
                line.write(b);
                if (b == '\n') {
                    flush();
                }
            }

            @Override
            public void flush() {
                writer.print(line.toString(StandardCharsets.UTF_8));
                line.reset();
                writer.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }
}
