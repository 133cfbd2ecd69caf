package io.silt.cli;

import io.silt.client.Silt;
import io.silt.client.SiltClient;
import io.silt.storage.CostModel;
import io.silt.storage.CountingObjectStore;
import io.silt.storage.ObjectStores;
import io.silt.storage.RequestCounts;
import io.silt.storage.RetryingObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code silt demo}: producers and a consumer group in one process on the embedded store, with live figures, a
 * summary (rates, latency, S3 requests and their cost) and an exactly-once check of every record.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Producers and a consumer group in one process, with live figures and a summary.",
                "Runs against a fresh temporary store (or --store); shows production rate, consumption rate, queue "
                        + "length and latency live, then records, rates, latency p50/p99, S3 requests and their cost, "
                        + "and checks that every record arrived exactly once. Exit 1 if any was lost."})
final class DemoCommand extends SiltCommand {
    @Option(names = "--records", paramLabel = "N", defaultValue = "100000", description = "Records (default 100000).")
    int records;

    @Option(names = "--record-size", paramLabel = "BYTES", defaultValue = "100",
            description = "Value size in bytes (default 100).")
    int recordSize;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "4", description = "Partitions (default 4).")
    int partitions;

    @Option(names = "--producers", paramLabel = "N", defaultValue = "4", description = "Producer threads (default 4).")
    int producers;

    @Option(names = "--consumers", paramLabel = "N", defaultValue = "3",
            description = "Consumers in the group (default 3).")
    int consumers;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "25000",
            description = "Records per second over all producers (default ${DEFAULT-VALUE}; 0 = as fast as they can, "
                    + "and then latency includes the backlog of the burst).")
    int rate;

    @Option(names = "--topic", paramLabel = "NAME", defaultValue = "demo",
            description = "Topic (default demo; a fresh name if it already exists).")
    String topic;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "50s", converter = Durations.Converter.class,
            description = "Give up waiting for records after this long (default 50s).")
    Duration timeout;

    @Override
    int run() throws Exception {
        if (rate < 0 || records < 1 || recordSize < DemoRun.MIN_RECORD_SIZE || partitions < 1 || producers < 1 || consumers < 1) {
            throw new CliException("--records, --partitions, --producers and --consumers must be at least 1 and "
                    + "--record-size at least " + DemoRun.MIN_RECORD_SIZE);
        }
        Path temp = null;
        String target;
        if (options.storeGiven() || options.url != null) {
            target = options.target();
        } else {
            temp = Files.createTempDirectory("silt-demo-");
            target = "file:" + temp;
        }
        try {
            CountingObjectStore counting = CountingObjectStore.wrap(ObjectStores.open(target));
            try (SiltClient silt = Silt.builder(target).store(RetryingObjectStore.wrap(counting)).build()) {
                err().println("silt demo: " + records + " records of " + recordSize + " bytes, " + producers
                        + " producers" + (rate > 0 ? " at " + rate + " records/s" : "") + ", " + consumers + " consumers, " + partitions + " partitions, store " + target
                        + (temp != null ? " (temporary)" : ""));
                DemoRun run = new DemoRun(silt, this, counting);
                DemoRun.Result result = run.execute();
                printSummary(result, counting.counts());
                return result.lost() == 0 ? OK : FAILED;
            }
        } finally {
            if (temp != null) {
                deleteTree(temp);
            }
        }
    }

    private void printSummary(DemoRun.Result r, RequestCounts c) {
        var e = err();
        double secs = r.elapsedNanos() / 1e9;
        e.println();
        e.println("summary (topic " + r.topic() + ")");
        e.printf("  produced   %,d records in %.2f s: %,.0f records/s (%,.0f records/s while producing)%n",
                r.produced(), secs, r.produced() / secs, r.produced() / (r.produceNanos() / 1e9));
        e.printf("  consumed   %,d records in %.2f s: %,.0f records/s%n", r.consumed(), secs, r.consumed() / secs);
        e.printf("  latency    end to end p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", r.p50Millis(), r.p99Millis(),
                r.maxMillis());
        e.printf("  requests   %,d PUT, %,d GET (%,d not found, %,d not modified), %,d HEAD, %,d LIST, %,d DELETE;"
                        + " %,d in all%n", c.puts(), c.gets(), c.getsNotFound(), c.getsNotModified(), c.heads(),
                c.lists(), c.deletes(), c.total());
        double cost = CostModel.S3_STANDARD.cost(c);
        e.printf("  cost       $%.6f at S3 Standard list prices (us-east-1: PUT/LIST $0.005, GET/HEAD $0.0004 per "
                + "1,000), $%.4f per million records%n", cost, cost / r.produced() * 1e6);
        e.printf("  bytes      %,d written, %,d read%n", c.bytesWritten(), c.bytesRead());
        String verdict = r.lost() == 0 && r.duplicates() == 0 ? "every record arrived exactly once"
                : r.lost() == 0 ? "every record arrived; " + r.duplicates()
                        + " were delivered twice (redelivery after a rebalance: at-least-once)"
                : r.lost() + " records LOST, " + r.duplicates() + " duplicates";
        e.println("  check      " + verdict + (r.sendFailures() > 0 ? "; " + r.sendFailures() + " sends failed" : ""));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
