package io.silt.examples;

import io.silt.client.QueueConsumer;
import io.silt.client.QueueMessage;
import io.silt.client.RecordMetadata;
import io.silt.client.Producer;
import io.silt.client.Silt;
import io.silt.client.SiltClient;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/**
 * The brief's RabbitMQ hello world on Silt: declare a queue "hello", publish "Hello World!", consume it with a
 * callback that prints it and acks. A queue is a topic read with a {@link QueueConsumer}.
 *
 * <pre>{@code java -cp ... io.silt.examples.HelloQueue [store-uri]}</pre>
 */
public final class HelloQueue {
    private HelloQueue() {}

    public static void main(String[] args) {
        Examples.quietLogging();
        run(Examples.store(args), System.out);
    }

    /** Publishes and consumes one message on {@code store}; returns what the callback received. */
    public static String run(String store, PrintStream out) {
        try (SiltClient silt = Silt.connect(store)) {
            silt.admin().createTopic("hello", 1);                        // channel.queue_declare(queue='hello')

            RecordMetadata sent;
            try (Producer producer = silt.producer()) {                   // channel.basic_publish(...)
                sent = producer.send("hello", null, "Hello World!").join();
            }
            out.println(" [x] Sent 'Hello World!'");

            out.println(" [*] Waiting for messages.");
            String[] received = new String[1];
            try (QueueConsumer queue = silt.queueConsumer("hello")) {
                consume(queue, m -> {                                     // the callback, auto_ack off: ack after
                    out.println(" [x] Received '" + m.valueAsString() + "'");
                    if (m.partition() == sent.partition() && m.offset() == sent.offset()) {
                        received[0] = m.valueAsString();
                    }
                }, () -> received[0] != null, Duration.ofSeconds(30));
            }
            return received[0];
        }
    }

    /** A message handler, like pika's on_message_callback. */
    interface Callback {
        void onMessage(QueueMessage message);
    }

    /**
     * Like {@code channel.basic_consume} + {@code start_consuming}: hands each message to {@code callback} and acks
     * it when the callback returns (a callback that throws leaves it for redelivery); stops once {@code done} says
     * so, or after {@code timeout}.
     */
    static void consume(QueueConsumer queue, Callback callback, java.util.function.BooleanSupplier done,
                        Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!done.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("no message within " + timeout);
            }
            for (QueueMessage m : queue.receive(10, Duration.ofSeconds(30), Duration.ofSeconds(1))) {
                callback.onMessage(m);
                queue.ack(m.receipt());
            }
        }
        queue.flush();
    }
}
