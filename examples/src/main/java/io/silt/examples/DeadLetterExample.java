package io.silt.examples;

import io.silt.client.Consumer;
import io.silt.client.ConsumerConfig;
import io.silt.client.ConsumerRecord;
import io.silt.client.Producer;
import io.silt.client.QueueConfig;
import io.silt.client.QueueConsumer;
import io.silt.client.QueueMessage;
import io.silt.client.RecordMetadata;
import io.silt.client.Silt;
import io.silt.client.SiltClient;
import io.silt.client.TopicPartition;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A poison message: the worker fails on it (nacks) every time, so after {@link #MAX_DELIVERIES} deliveries it goes
 * to the dead-letter topic {@code hello.dlq}. It is read from there, then redriven to {@code hello} once the bug is
 * "fixed", and this time processed and acked.
 *
 * <pre>{@code java -cp ... io.silt.examples.DeadLetterExample [store-uri]}</pre>
 */
public final class DeadLetterExample {
    static final String TOPIC = "hello";
    static final int MAX_DELIVERIES = 3;

    private DeadLetterExample() {}

    public static void main(String[] args) {
        Examples.quietLogging();
        run(Examples.store(args), System.out);
    }

    /** Runs the example on {@code store}; returns how many messages the redrive moved back. */
    public static long run(String store, PrintStream out) {
        QueueConfig config = QueueConfig.defaults().withMaxDeliveries(MAX_DELIVERIES);
        String dlq = config.deadLetterTopicFor(TOPIC);                     // hello.dlq
        String poison = "poison pill " + Instant.now();
        try (SiltClient silt = Silt.connect(store)) {
            silt.admin().createTopic(TOPIC, 1);
            try (Producer producer = silt.producer()) {
                RecordMetadata m = producer.send(TOPIC, null, poison).join();
                out.println("Sent '" + poison + "' to " + m.topicPartition() + "@" + m.offset());
            }

            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            try (QueueConsumer queue = silt.queueConsumer(TOPIC, config)) {
                // The worker fails on the poison message and gives it back; other messages it processes.
                boolean deadLettered = false;
                int failures = 0;
                while (!deadLettered) {
                    check(deadline, "the message did not reach " + dlq);
                    List<QueueMessage> batch = queue.receive(10, Duration.ofSeconds(30), Duration.ofMillis(500));
                    for (QueueMessage m : batch) {
                        if (m.valueAsString().equals(poison)) {
                            failures++;
                            out.println("Delivery " + m.deliveryCount() + " of '" + m.valueAsString()
                                    + "' failed: nack");
                            queue.nack(m.receipt());
                        } else {
                            queue.ack(m.receipt());                       // left over from other examples
                        }
                    }
                    // After the last allowed delivery, the next receive moves it to the dead-letter topic.
                    deadLettered = batch.isEmpty() && failures >= MAX_DELIVERIES;
                }

                // Read the dead-letter topic as a plain log (a queue consumer would take the message from redrive).
                ConsumerRecord dead = findIn(silt, dlq, poison, deadline);
                out.println("In " + dlq + ": '" + dead.valueAsString() + "' at " + dead.topicPartition() + "@"
                        + dead.offset() + ", headers " + dead.headers().stream()
                        .map(h -> h.name() + "=" + (h.value() == null ? null
                                : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8)))
                        .toList());

                long moved = silt.admin().redrive(dlq, TOPIC);
                out.println("Redrove " + moved + " message(s) from " + dlq + " to " + TOPIC);

                // The bug is fixed: this time the worker processes the message and acks it.
                boolean done = false;
                while (!done) {
                    check(deadline, "the redriven message did not come back");
                    for (QueueMessage m : queue.receive(10, Duration.ofSeconds(30), Duration.ofMillis(500))) {
                        queue.ack(m.receipt());
                        if (m.valueAsString().equals(poison)) {
                            out.println("Processed '" + m.valueAsString() + "' after redrive: ack");
                            done = true;
                        }
                    }
                }
                queue.flush();
                return moved;
            }
        }
    }

    /** Reads {@code topic} from the beginning until a record with {@code value} turns up. */
    private static ConsumerRecord findIn(SiltClient silt, String topic, String value, Instant deadline) {
        int partitions = silt.admin().describeTopic(topic).partitions();
        try (Consumer consumer = silt.consumer(ConsumerConfig.defaults())) {
            List<TopicPartition> parts = IntStream.range(0, partitions)
                    .mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (true) {
                check(deadline, "the message was not found in " + topic);
                for (ConsumerRecord r : consumer.poll(Duration.ofMillis(500))) {
                    if (value.equals(r.valueAsString())) {
                        return r;
                    }
                }
            }
        }
    }

    private static void check(Instant deadline, String what) {
        if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException(what + " within 30 s");
        }
    }
}
