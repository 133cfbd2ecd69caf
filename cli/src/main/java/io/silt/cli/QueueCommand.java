package io.silt.cli;

import io.silt.client.QueueConsumer;
import io.silt.client.QueueMessage;
import io.silt.client.SiltClient;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silt queue ...}: a topic read as a queue (receive, ack, redrive). */
@Command(name = "queue", mixinStandardHelpOptions = true, description = "Read a topic as a queue.",
        subcommands = {QueueCommand.Receive.class, QueueCommand.Ack.class, QueueCommand.Redrive.class})
final class QueueCommand implements StoreOptions.Holder {
    @picocli.CommandLine.Mixin
    StoreOptions storeOptions;

    @Override
    public StoreOptions storeOptions() {
        return storeOptions;
    }


    @Command(name = "receive", mixinStandardHelpOptions = true,
            description = {"Receive messages: values on standard output, receipts on standard error.",
                    "With --format json, one JSON object per message with its receipt. Unacknowledged messages come "
                            + "back after the visibility timeout."})
    static final class Receive extends SiltCommand {
        @Parameters(paramLabel = "TOPIC")
        String topic;

        @Option(names = "--max", paramLabel = "N", defaultValue = "10", description = "Most messages (default 10).")
        int max;

        @Option(names = "--visibility", paramLabel = "DURATION", defaultValue = "30s",
                converter = Durations.Converter.class, description = "Visibility timeout (default 30s).")
        Duration visibility;

        @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "1s", converter = Durations.Converter.class,
                description = "How long to wait for messages (default 1s).")
        Duration wait;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "value",
                description = "value or json (with the receipt).")
        ConsumeCommand.Format format;

        @Override
        int run() {
            try (SiltClient silt = options.connect(); QueueConsumer queue = silt.queueConsumer(topic)) {
                List<QueueMessage> messages = queue.receive(max, visibility, wait);
                for (QueueMessage m : messages) {
                    if (format == ConsumeCommand.Format.json) {
                        out().println("{\"topic\":" + Json.string(m.topic()) + ",\"partition\":" + m.partition()
                                + ",\"offset\":" + m.offset() + ",\"deliveryCount\":" + m.deliveryCount()
                                + ",\"receipt\":" + Json.string(m.receipt()) + ",\"value\":"
                                + Json.string(m.valueAsString()) + "}");
                    } else {
                        out().println(m.valueAsString());
                        err().println("receipt " + m.receipt());
                    }
                }
                err().println("received " + messages.size() + " messages");
                return OK;
            }
        }
    }

    @Command(name = "ack", mixinStandardHelpOptions = true, description = "Acknowledge messages by receipt.")
    static final class Ack extends SiltCommand {
        @Parameters(index = "0", paramLabel = "TOPIC")
        String topic;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "RECEIPT")
        List<String> receipts;

        @Override
        int run() {
            try (SiltClient silt = options.connect(); QueueConsumer queue = silt.queueConsumer(topic)) {
                queue.ack(receipts);
                queue.flush();
                err().println("acknowledged " + receipts.size() + " messages");
                return OK;
            }
        }
    }

    @Command(name = "redrive", mixinStandardHelpOptions = true,
            description = "Move the messages of a dead-letter topic back to a topic.")
    static final class Redrive extends SiltCommand {
        @Parameters(index = "0", paramLabel = "DLQ")
        String deadLetters;

        @Parameters(index = "1", paramLabel = "TARGET")
        String target;

        @Override
        int run() {
            try (SiltClient silt = options.connect()) {
                long n = silt.admin().redrive(deadLetters, target);
                err().println("redrove " + n + " messages from " + deadLetters + " to " + target);
                return OK;
            }
        }
    }
}
