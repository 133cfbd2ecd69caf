package io.silt.examples;

import io.silt.client.Consumer;
import io.silt.client.ConsumerConfig;
import io.silt.client.ConsumerRecord;
import io.silt.client.Producer;
import io.silt.client.RecordMetadata;
import io.silt.client.Silt;
import io.silt.client.SiltClient;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The brief's Kafka hello world on Silt: send "Hello World!" to topic "hello", then iterate a consumer from the
 * earliest offset and print each record, until the one just sent has come back.
 *
 * <pre>{@code java -cp ... io.silt.examples.HelloTopic [store-uri]}</pre>
 */
public final class HelloTopic {
    private HelloTopic() {}

    public static void main(String[] args) {
        Examples.quietLogging();
        run(Examples.store(args), System.out);
    }

    /** Sends and reads back one record on {@code store}; returns the record read. */
    public static ConsumerRecord run(String store, PrintStream out) {
        try (SiltClient silt = Silt.connect(store)) {
            silt.admin().createTopic("hello", 1);                        // Kafka auto-creates it; Silt asks

            RecordMetadata sent;
            try (Producer producer = silt.producer()) {                   // KafkaProducer.send(...).get()
                sent = producer.send("hello", null, "Hello World!").join();
            }
            out.println("Sent 'Hello World!' to " + sent.topicPartition() + " at offset " + sent.offset());

            try (Consumer consumer = silt.consumer(ConsumerConfig.defaults()   // KafkaConsumer('hello', ...)
                    .withGroupId("hello-group")
                    .withAutoOffsetReset(ConsumerConfig.OffsetReset.EARLIEST))) {
                consumer.subscribe(List.of("hello"));
                Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
                while (Instant.now().isBefore(deadline)) {                // for msg in consumer: print(msg)
                    for (ConsumerRecord r : consumer.poll(Duration.ofSeconds(1))) {
                        out.println("ConsumerRecord(topic='" + r.topic() + "', partition=" + r.partition()
                                + ", offset=" + r.offset() + ", value='" + r.valueAsString() + "')");
                        if (r.partition() == sent.partition() && r.offset() == sent.offset()) {
                            consumer.commitSync();
                            return r;
                        }
                    }
                }
                throw new IllegalStateException("the record sent did not come back within 30 s");
            }
        }
    }
}
