package io.silt.cli;

import io.silt.storage.ObjectStore;
import io.silt.storage.log.CompactionPolicy;
import io.silt.storage.log.CompactionReport;
import io.silt.storage.log.LogConfig;
import io.silt.storage.log.PartitionCompactor;
import io.silt.storage.log.TopicDescription;
import io.silt.storage.log.Topics;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code silt compact [TOPIC]}: one compaction run per partition, as the scheduled compactor would do. */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = {"Compact every partition of a topic (or of all topics) once.",
                "Merges small entries, applies retention, writes a checkpoint and collects garbage older than the "
                        + "grace period."})
final class CompactCommand extends SiltCommand {
    @Parameters(paramLabel = "TOPIC", arity = "0..1", description = "The topic (default: all topics).")
    String topic;

    @Override
    int run() {
        Clock clock = Clock.systemUTC();
        SplittableRandom random = new SplittableRandom();
        int problems = 0;
        try (ObjectStore store = options.openStore()) {
            Topics topics = new Topics(store, clock, random);
            List<String> names = topic != null ? List.of(topic) : topics.list();
            for (String name : names) {
                TopicDescription d = topics.require(name);
                for (int p = 0; p < d.config().partitions(); p++) {
                    // Not a leased compactor (epoch 0): if a scheduled one checkpoints first, this run loses the race.
                    PartitionCompactor compactor = new PartitionCompactor(store, LogConfig.DEFAULTS,
                            CompactionPolicy.DEFAULTS, clock, System::nanoTime, random.split(), 0);
                    CompactionReport report = compactor.compact(d.partitionPrefix(p), d.config());
                    out().println(report.summary());
                    if (report.outcome() == CompactionReport.Outcome.UNKNOWN) {
                        problems++;
                    }
                }
            }
            err().println("compacted " + names.size() + " topics" + (problems > 0 ? "; " + problems
                    + " partitions ended in an unknown outcome: run compact again" : ""));
            return problems == 0 ? OK : FAILED;
        }
    }
}
