package io.silt.cli;

import io.silt.storage.ObjectStore;
import io.silt.storage.Sleeper;
import io.silt.storage.log.BucketCompactionReport;
import io.silt.storage.log.BucketCompactor;
import io.silt.storage.log.CompactionReport;
import io.silt.storage.log.CompactionRunPolicy;
import io.silt.storage.log.CompactorFencedException;
import io.silt.storage.log.CompactorLease;
import io.silt.storage.log.LogConfig;
import io.silt.storage.log.PartitionCompactor;
import io.silt.storage.log.TopicDescription;
import io.silt.storage.log.Topics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code silt compact [TOPIC]}: one compaction run under the compactor lease (RFC 0008), so it never works at the same
 * time as a running service's or the Lambda function's compactor. Without a topic it is the scheduled run: every
 * partition of every topic and the data of deleted topics, within {@code --budget}, ending with the report's summary.
 * With a topic it compacts that topic's partitions, one summary line each. Exit code 1 when another compactor holds
 * the lease (nothing was done), the lease was lost, or a partition failed.
 */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = {"Compact every partition of all topics (or of one topic) once, holding the compactor lease.",
                "Merges small entries, applies retention, writes a checkpoint and collects garbage older than the "
                        + "grace period. If another compactor (a service, the Lambda function) holds the lease, "
                        + "nothing is done: 'busy'."})
final class CompactCommand extends SiltCommand {
    @Parameters(paramLabel = "TOPIC", arity = "0..1", description = "The topic (default: all topics).")
    String topic;

    @Option(names = "--budget", paramLabel = "DURATION", defaultValue = "10m", converter = Durations.Converter.class,
            description = "Stop starting new partitions once this is nearly spent (default ${DEFAULT-VALUE}); the "
                    + "next run continues where this one stopped.")
    Duration budget;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "0s", converter = Durations.Converter.class,
            description = "Wait up to this long for a lease nobody renews to expire (default ${DEFAULT-VALUE}: "
                    + "report busy at once). A compactor that crashed holds the lease until this process has watched "
                    + "it for the lease duration plus margin: --wait 2m25s takes it over.")
    Duration waitForLease;

    @Override
    int run() {
        CompactionRunPolicy policy = CompactionRunPolicy.DEFAULTS.withBudget(budget).withLeaseWait(waitForLease);
        String owner = "silt compact@" + host() + "/" + ProcessHandle.current().pid();
        try (ObjectStore store = options.openStore()) {
            return topic == null ? all(store, policy, owner) : one(store, policy, owner);
        }
    }

    private int all(ObjectStore store, CompactionRunPolicy policy, String owner) {
        BucketCompactor compactor = new BucketCompactor(store, LogConfig.DEFAULTS, policy, owner, Clock.systemUTC(),
                System::nanoTime, new SplittableRandom(), Sleeper.SYSTEM);
        BucketCompactionReport report = compactor.runOnce();
        out().println(report.summary());
        return switch (report.status()) {
            case COMPLETED -> report.partitionsFailed() == 0 ? OK : failedPartitions(report.partitionsFailed());
            case BUDGET_EXHAUSTED -> {
                err().println("the budget ran out: " + report.partitionsSkipped() + " left; run compact again to "
                        + "continue");
                yield report.partitionsFailed() == 0 ? OK : failedPartitions(report.partitionsFailed());
            }
            case BUSY -> busy(report.leaseHolder());
            case LEASE_UNKNOWN -> {
                err().println("could not learn whether this run got the compactor lease; nothing was done");
                yield FAILED;
            }
            case FENCED -> {
                err().println("another compactor took the lease over during the run; it stopped");
                yield FAILED;
            }
        };
    }

    private int one(ObjectStore store, CompactionRunPolicy policy, String owner) {
        Clock clock = Clock.systemUTC();
        SplittableRandom random = new SplittableRandom();
        TopicDescription d = new Topics(store, clock, random).require(topic);
        CompactorLease lease = new CompactorLease(store, owner, policy.leaseDuration(), policy.safetyMargin(), clock,
                System::nanoTime, random.split());
        CompactorLease.Acquisition got = lease.acquire(policy.leaseWait(), Sleeper.SYSTEM);
        if (got instanceof CompactorLease.Acquisition.Busy b) {
            return busy(b.holder() + " (epoch " + b.holderEpoch() + ", expires in at most "
                    + b.retryAfter().toSeconds() + " s)");
        }
        if (got instanceof CompactorLease.Acquisition.Unknown u) {
            err().println(u.reason() + "; nothing was done");
            return FAILED;
        }
        long epoch = ((CompactorLease.Acquisition.Acquired) got).epoch();
        int problems = 0;
        try {
            for (int p = 0; p < d.config().partitions(); p++) {
                lease.ensureHeld();
                PartitionCompactor compactor = new PartitionCompactor(store, LogConfig.DEFAULTS, policy.partition(),
                        clock, System::nanoTime, random.split(), epoch);
                CompactionReport report = compactor.compact(d.partitionPrefix(p), d.config(), lease::ensureHeld);
                out().println(report.summary());
                if (report.outcome() == CompactionReport.Outcome.UNKNOWN) {
                    problems++;
                }
            }
        } catch (CompactorFencedException e) {
            err().println("another compactor took the lease over during the run; it stopped: " + e.getMessage());
            return FAILED;
        } finally {
            lease.release();
        }
        if (problems > 0) {
            err().println(problems + " partitions ended in an unknown outcome: run compact again");
        }
        return problems == 0 ? OK : FAILED;
    }

    private int busy(String holder) {
        err().println("busy: the compactor lease is held by " + holder + "; nothing was done. Try again later, or "
                + "--wait 2m25s to take over a lease nobody renews");
        return FAILED;
    }

    private int failedPartitions(int n) {
        err().println(n + " partitions failed (see the log); the next run tries them again");
        return FAILED;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
