package io.silt.cli;

import io.silt.client.SiltClient;
import io.silt.client.TopicInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silt stats TOPIC}: the four figures, once or repeatedly. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Print a topic's four figures: production rate, consumption rate, queue length, latency.",
                "One line; with --watch, a line every --interval until interrupted (or --count lines)."})
final class StatsCommand extends SiltCommand {
    @Parameters(paramLabel = "TOPIC")
    String topic;

    @Option(names = "--watch", description = "Repeat every --interval.")
    boolean watch;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s", converter = Durations.Converter.class,
            description = "Time between lines with --watch (default 2s).")
    Duration interval;

    @Option(names = "--count", paramLabel = "N", description = "With --watch, stop after N lines.")
    Long count;

    @Override
    int run() throws InterruptedException {
        try (SiltClient silt = options.connect()) {
            long limit = !watch ? 1 : count == null ? Long.MAX_VALUE : count;
            for (long i = 0; i < limit; i++) {
                if (i > 0) {
                    Thread.sleep(interval.toMillis());
                }
                out().println(line(silt.admin().describeTopic(topic)));
                out().flush();
            }
            return OK;
        }
    }

    static String line(TopicInfo t) {
        TopicInfo.Stats s = t.stats();
        return String.format("%s %s production %.1f records/s, consumption %.1f records/s, queue %d records, "
                        + "latency %s", Instant.now().truncatedTo(ChronoUnit.SECONDS), t.name(),
                s.produceRecordsPerSecond(), s.consumeRecordsPerSecond(), s.lagRecords(),
                s.endToEndLatencyMillis() < 0 ? "n/a" : s.endToEndLatencyMillis() + " ms");
    }
}
