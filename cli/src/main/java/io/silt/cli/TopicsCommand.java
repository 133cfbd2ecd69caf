package io.silt.cli;

import io.silt.client.SiltClient;
import io.silt.client.TopicInfo;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silt topics ...}: create, list, describe, alter, purge and delete topics. */
@Command(name = "topics", mixinStandardHelpOptions = true, description = "Manage topics.",
        subcommands = {TopicsCommand.Create.class, TopicsCommand.List.class, TopicsCommand.Describe.class,
                TopicsCommand.Alter.class, TopicsCommand.Purge.class, TopicsCommand.Delete.class})
final class TopicsCommand implements StoreOptions.Holder {
    @picocli.CommandLine.Mixin
    StoreOptions storeOptions;

    @Override
    public StoreOptions storeOptions() {
        return storeOptions;
    }


    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a topic.")
    static final class Create extends SiltCommand {
        @Parameters(paramLabel = "NAME", description = "Topic name ([A-Za-z0-9._-], 1-200 characters).")
        String name;

        @Option(names = "--partitions", paramLabel = "N", defaultValue = "1", description = "Partitions (default 1).")
        int partitions;

        @Option(names = "--retention", paramLabel = "DURATION", defaultValue = "7d",
                description = "Retention time, e.g. 7d, 12h, or forever (default 7d).")
        String retention;

        @Option(names = "--retention-bytes", paramLabel = "BYTES", description = "Retention per partition in bytes.")
        Long retentionBytes;

        @Override
        int run() {
            try (SiltClient silt = options.connect()) {
                TopicInfo t = silt.admin().createTopic(name, partitions, Durations.parseRetention(retention),
                        Optional.ofNullable(retentionBytes));
                err().println("created topic " + t.name() + ": " + t.partitions() + " partitions, retention "
                        + retention(t));
                return OK;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List topics, one name per line.")
    static final class List extends SiltCommand {
        @Override
        int run() {
            try (SiltClient silt = options.connect()) {
                java.util.List<String> names = silt.admin().listTopics();
                names.forEach(out()::println);
                err().println(names.size() + " topics");
                return OK;
            }
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = {"Show a topic: retention, offsets and the four figures.",
                    "The four figures: production rate, consumption rate, queue length, latency."})
    static final class Describe extends SiltCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        int run() {
            try (SiltClient silt = options.connect()) {
                out().print(render(silt.admin().describeTopic(name)));
                return OK;
            }
        }
    }

    @Command(name = "alter", mixinStandardHelpOptions = true, description = "Change a topic's retention.")
    static final class Alter extends SiltCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--retention", paramLabel = "DURATION", required = true,
                description = "Retention time, e.g. 7d, 12h, or forever.")
        String retention;

        @Option(names = "--retention-bytes", paramLabel = "BYTES", description = "Retention per partition in bytes.")
        Long retentionBytes;

        @Override
        int run() {
            try (SiltClient silt = options.connect()) {
                TopicInfo t = silt.admin().alterRetention(name, Durations.parseRetention(retention),
                        Optional.ofNullable(retentionBytes));
                err().println("topic " + t.name() + ": retention " + retention(t));
                return OK;
            }
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true,
            description = "Drop every record currently in a topic (the topic stays).")
    static final class Purge extends SiltCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        int run() {
            try (SiltClient silt = options.connect()) {
                silt.admin().purgeTopic(name);
                err().println("purged topic " + name);
                return OK;
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a topic.")
    static final class Delete extends SiltCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        int run() {
            try (SiltClient silt = options.connect()) {
                if (!silt.admin().deleteTopic(name)) {
                    throw new CliException("no topic named " + name);
                }
                err().println("deleted topic " + name);
                return OK;
            }
        }
    }

    static String retention(TopicInfo t) {
        String time = t.retentionTime().map(Durations::format).orElse("forever");
        return t.retentionBytes().map(b -> time + " or " + b + " bytes per partition").orElse(time);
    }

    static String render(TopicInfo t) {
        StringBuilder s = new StringBuilder();
        s.append("topic:       ").append(t.name()).append('\n');
        s.append("partitions:  ").append(t.partitions()).append('\n');
        s.append("retention:   ").append(retention(t)).append('\n');
        TopicInfo.Stats st = t.stats();
        s.append(String.format("production:  %.1f records/s%n", st.produceRecordsPerSecond()));
        s.append(String.format("consumption: %.1f records/s%n", st.consumeRecordsPerSecond()));
        s.append("queue:       ").append(st.lagRecords()).append(" records (").append(st.lagBytes())
                .append(" bytes) not yet consumed\n");
        s.append("latency:     ").append(st.endToEndLatencyMillis() < 0 ? "n/a" : st.endToEndLatencyMillis() + " ms")
                .append('\n');
        s.append("partition  start        end          bytes\n");
        for (TopicInfo.PartitionInfo p : t.partitionInfo()) {
            s.append(String.format("%-10d %-12d %-12d %d%n", p.partition(), p.startOffset(), p.endOffset(),
                    p.bytes()));
        }
        return s.toString();
    }

}
