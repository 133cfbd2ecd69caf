package io.silt.cli;

import io.silt.client.Consumer;
import io.silt.client.ConsumerConfig;
import io.silt.client.ConsumerRecord;
import io.silt.client.SiltClient;
import io.silt.client.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silt consume TOPIC}: one record per output line. */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = {"Print a topic's records, one per line.",
                "Stops after --max records, or when --timeout passes without a new record; with --group, commits "
                        + "the group's offsets before it exits."})
final class ConsumeCommand extends SiltCommand {
    enum Format { value, json }

    @Parameters(paramLabel = "TOPIC")
    String topic;

    @Option(names = "--group", paramLabel = "G", description = "Consumer group (default: none, no offsets kept).")
    String group;

    @Option(names = "--from-beginning",
            description = "Start at the earliest record (for a group: when it has no committed offset).")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
    Long max;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = Durations.Converter.class,
            description = "Stop when no new record came for this long (default 10s).")
    Duration timeout;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "value",
            description = "value (the record's value) or json (topic, partition, offset, timestamp, key, value).")
    Format format;

    @Override
    int run() {
        try (SiltClient silt = options.connect()) {
            int partitions = silt.admin().describeTopic(topic).partitions();
            ConsumerConfig config = ConsumerConfig.defaults().withGroupId(group).withAutoCommit(false)
                    .withAutoOffsetReset(fromBeginning ? ConsumerConfig.OffsetReset.EARLIEST
                            : ConsumerConfig.OffsetReset.LATEST);
            try (Consumer consumer = silt.consumer(config)) {
                start(consumer, partitions);
                Map<TopicPartition, Long> next = new HashMap<>();
                long printed = consume(consumer, next);
                if (group != null && !next.isEmpty()) {
                    consumer.commitSync(next);
                }
                err().println("consumed " + printed + " records from " + topic
                        + (group != null ? " (group " + group + ", offsets committed)" : ""));
            }
            return OK;
        }
    }

    private void start(Consumer consumer, int partitions) {
        if (group != null) {
            consumer.subscribe(List.of(topic));
            return;
        }
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(topic, p));
        }
        consumer.assign(all);
        if (fromBeginning) {
            consumer.seekToBeginning(all);
        } else {
            consumer.seekToEnd(all);
        }
    }

    private long consume(Consumer consumer, Map<TopicPartition, Long> next) {
        long printed = 0;
        long limit = max == null ? Long.MAX_VALUE : max;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (printed < limit && System.nanoTime() < deadline) {
            List<ConsumerRecord> records = consumer.poll(Duration.ofMillis(200));
            for (ConsumerRecord r : records) {
                if (printed == limit) {
                    break;
                }
                out().println(format == Format.json ? json(r) : r.valueAsString());
                next.put(r.topicPartition(), r.offset() + 1);
                printed++;
            }
            if (!records.isEmpty()) {
                deadline = System.nanoTime() + timeout.toNanos();
            }
        }
        return printed;
    }

    static String json(ConsumerRecord r) {
        return "{\"topic\":" + Json.string(r.topic()) + ",\"partition\":" + r.partition() + ",\"offset\":"
                + r.offset() + ",\"timestamp\":" + r.timestamp() + ",\"key\":" + Json.string(r.keyAsString())
                + ",\"value\":" + Json.string(r.valueAsString()) + "}";
    }
}
