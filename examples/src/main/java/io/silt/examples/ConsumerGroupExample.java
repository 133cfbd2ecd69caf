package io.silt.examples;

import io.silt.client.Consumer;
import io.silt.client.ConsumerConfig;
import io.silt.client.ConsumerRecord;
import io.silt.client.Producer;
import io.silt.client.RecordMetadata;
import io.silt.client.Silt;
import io.silt.client.SiltClient;
import io.silt.client.TopicPartition;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Two consumers of one group share a topic's four partitions: each prints the partitions it got and the records it
 * read from them. Both are polled from this one thread in turn (a consumer is used from one thread, as Kafka's).
 *
 * <pre>{@code java -cp ... io.silt.examples.ConsumerGroupExample [store-uri]}</pre>
 */
public final class ConsumerGroupExample {
    static final String TOPIC = "orders";
    static final int PARTITIONS = 4;
    static final int RECORDS = 8;

    private ConsumerGroupExample() {}

    public static void main(String[] args) {
        Examples.quietLogging();
        run(Examples.store(args), System.out);
    }

    /** Runs the example on {@code store}; returns each consumer's partitions, by consumer name. */
    public static Map<String, List<TopicPartition>> run(String store, PrintStream out) {
        try (SiltClient silt = Silt.connect(store)) {
            silt.admin().createTopic(TOPIC, PARTITIONS);
            ConsumerConfig config = ConsumerConfig.defaults().withGroupId("billing")
                    .withAutoOffsetReset(ConsumerConfig.OffsetReset.EARLIEST)
                    .withHeartbeat(Duration.ofMillis(600), Duration.ofSeconds(2));   // quicker rebalances than 3 s / 8 s
            try (Consumer c1 = silt.consumer(config); Consumer c2 = silt.consumer(config)) {
                Map<String, Consumer> consumers = new TreeMap<>(Map.of("consumer-1", c1, "consumer-2", c2));
                consumers.values().forEach(c -> c.subscribe(List.of(TOPIC)));

                // Poll both until the group has settled: each has some partitions and together they have all.
                Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
                List<ConsumerRecord> early = new ArrayList<>();
                while (!(settled(c1.assignment(), c2.assignment()))) {
                    check(deadline, "the group did not settle");
                    early.addAll(c1.poll(Duration.ofMillis(200)));
                    early.addAll(c2.poll(Duration.ofMillis(200)));
                }
                Map<String, List<TopicPartition>> assignments = new TreeMap<>();
                consumers.forEach((name, c) -> {
                    List<TopicPartition> parts = sorted(c.assignment());
                    assignments.put(name, parts);
                    out.println(name + " got partitions " + parts);
                });

                Set<String> sent = new HashSet<>();
                try (Producer producer = silt.producer()) {
                    List<java.util.concurrent.CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
                    for (int i = 1; i <= RECORDS; i++) {
                        acks.add(producer.send(TOPIC, "customer-" + i, "order " + i));
                    }
                    for (var f : acks) {
                        RecordMetadata m = f.join();
                        sent.add(m.partition() + "@" + m.offset());
                    }
                }
                out.println("Sent " + RECORDS + " orders keyed by customer");

                while (!sent.isEmpty()) {
                    check(deadline, "not every order was read");
                    for (Map.Entry<String, Consumer> e : consumers.entrySet()) {
                        for (ConsumerRecord r : e.getValue().poll(Duration.ofMillis(200))) {
                            out.println(e.getKey() + " read " + r.topicPartition() + "@" + r.offset() + ": "
                                    + r.keyAsString() + " -> " + r.valueAsString());
                            sent.remove(r.partition() + "@" + r.offset());
                        }
                        e.getValue().commitSync();
                    }
                }
                return assignments;
            }
        }
    }

    private static boolean settled(Set<TopicPartition> a, Set<TopicPartition> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return false;
        }
        Set<TopicPartition> all = new HashSet<>(a);
        all.addAll(b);
        return all.size() == PARTITIONS && all.size() == a.size() + b.size();
    }

    private static List<TopicPartition> sorted(Set<TopicPartition> parts) {
        return parts.stream().sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
    }

    private static void check(Instant deadline, String what) {
        if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException(what + " within 60 s");
        }
    }
}
