package io.silt.cli;

import io.silt.bench.CompactionBench;
import io.silt.bench.LogBench;
import io.silt.bench.SdkBench;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code silt bench [log|sdk|compaction|all] [options]}: the partition-log, SDK and compaction benchmarks of the bench
 * module.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run the benchmarks on this machine: 'log' (the partition log: throughput, contention under "
                + "the S3 latency model, open cost, requests per GiB), 'sdk' (producer, consumer, end-to-end latency, "
                + "idle requests), 'compaction' (an hour of 10 commits/s compacted every 5 minutes, simulated: objects "
                + "left and open cost) or 'all' (default: log and sdk). Other options go to the benchmark, e.g. "
                + "--quick, --only a,c, --seconds 5; 'silt bench log --usage' lists them. Results: "
                + "docs/benchmarks-log.md and docs/benchmarks-sdk.md."})
final class BenchCommand extends SiltCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "SUITE", defaultValue = "all",
            description = "log, sdk, compaction or all (default ${DEFAULT-VALUE}).")
    String suite;

    @Unmatched
    List<String> passThrough = new ArrayList<>();

    @Override
    int run() {
        String[] args = passThrough.stream().map(a -> a.equals("--usage") ? "--help" : a).toArray(String[]::new);
        PrintStream out = streamOf(out());
        PrintStream err = streamOf(err());
        switch (suite) {
            case "log":
                return LogBench.runCli(args, out, err);
            case "sdk":
                return SdkBench.runCli(args, out, err);
            case "compaction":
                return CompactionBench.runCli(args, out, err);
            case "all": {
                int code = LogBench.runCli(args, out, err);
                return code != 0 ? code : SdkBench.runCli(args, out, err);
            }
            default:
                throw new CliException("unknown benchmark suite '" + suite + "'; use log, sdk, compaction or all");
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
