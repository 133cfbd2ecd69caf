package io.silt.cli;

import io.silt.client.Admin;
import io.silt.client.GroupInfo;
import io.silt.client.SiltClient;
import io.silt.client.TopicPartition;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silt groups ...}: consumer groups, their lag, and resetting their offsets. */
@Command(name = "groups", mixinStandardHelpOptions = true, description = "Inspect consumer groups and reset offsets.",
        subcommands = {GroupsCommand.List.class, GroupsCommand.Describe.class, GroupsCommand.ResetOffsets.class})
final class GroupsCommand implements StoreOptions.Holder {
    @picocli.CommandLine.Mixin
    StoreOptions storeOptions;

    @Override
    public StoreOptions storeOptions() {
        return storeOptions;
    }


    @Command(name = "list", mixinStandardHelpOptions = true, description = "List consumer groups, one per line.")
    static final class List extends SiltCommand {
        @Override
        int run() {
            try (SiltClient silt = options.connect()) {
                java.util.List<String> groups = silt.admin().listGroups();
                groups.forEach(out()::println);
                err().println(groups.size() + " groups");
                return OK;
            }
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "Show a group's members and, per partition, committed offset, end offset, lag and owner.")
    static final class Describe extends SiltCommand {
        @Parameters(paramLabel = "GROUP")
        String group;

        @Override
        int run() {
            try (SiltClient silt = options.connect()) {
                GroupInfo g = silt.admin().describeGroup(group);
                out().println("group:      " + g.group());
                out().println("generation: " + g.generation());
                out().println("members:    " + (g.members().isEmpty() ? "none" : String.join(", ", g.members())));
                out().println("lag:        " + g.totalLag() + " records");
                out().println("partition            committed    end          lag          owner");
                for (GroupInfo.PartitionLag p : g.partitions()) {
                    out().printf("%-20s %-12d %-12d %-12d %s%n", p.partition().topic() + "-" + p.partition().partition(),
                            p.committedOffset(), p.endOffset(), p.lagRecords(), p.owner() == null || p.owner().isBlank() ? "-" : p.owner());
                }
                return OK;
            }
        }
    }

    @Command(name = "reset-offsets", mixinStandardHelpOptions = true,
            description = "Set a group's committed offsets on a topic (best with the group stopped).")
    static final class ResetOffsets extends SiltCommand {
        @Parameters(paramLabel = "GROUP")
        String group;

        @Option(names = "--topic", paramLabel = "T", required = true)
        String topic;

        @Option(names = "--to", paramLabel = "WHERE", required = true,
                description = "earliest, latest, an offset, or a time (ISO-8601, e.g. 2026-01-31T12:00:00Z).")
        String to;

        @Override
        int run() {
            try (SiltClient silt = options.connect()) {
                Map<TopicPartition, Long> offsets = silt.admin().resetOffsets(group, topic, spec(to));
                offsets.forEach((tp, o) -> err().println("  " + tp.topic() + "-" + tp.partition() + ": " + o));
                err().println("reset group " + group + " on " + topic + " to " + to);
                return OK;
            }
        }

        static Admin.OffsetSpec spec(String to) {
            if (to.equalsIgnoreCase("earliest")) {
                return new Admin.OffsetSpec.Earliest();
            }
            if (to.equalsIgnoreCase("latest")) {
                return new Admin.OffsetSpec.Latest();
            }
            if (to.matches("\\d+")) {
                return new Admin.OffsetSpec.AtOffset(Long.parseLong(to));
            }
            try {
                return new Admin.OffsetSpec.AtTimestamp(Instant.parse(to).toEpochMilli());
            } catch (DateTimeParseException e) {
                throw new CliException("--to " + to + ": expected earliest, latest, an offset or an ISO-8601 time "
                        + "such as 2026-01-31T12:00:00Z");
            }
        }
    }
}
