package io.silt.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's SDK example, as written there (on mem: instead of file:), so the README stays true. */
class ReadmeExampleTest {
    @Test
    void theReadmeExampleRuns() {
        List<String> seen = new ArrayList<>();
        int acked = 0;
        try (SiltClient silt = Silt.connect("mem:")) {
            silt.admin().createTopic("orders", 3);

            try (Producer producer = silt.producer()) {
                RecordMetadata m = producer.send("orders", "customer-42", "hello").join();
                assertThat(m.offset()).isZero();
            }

            try (Consumer consumer = silt.consumer(ConsumerConfig.defaults().withGroupId("billing")
                    .withAutoOffsetReset(ConsumerConfig.OffsetReset.EARLIEST))) {
                consumer.subscribe(List.of("orders"));
                for (int i = 0; i < 20 && seen.isEmpty(); i++) {
                    for (ConsumerRecord r : consumer.poll(Duration.ofMillis(200))) {
                        seen.add(r.offset() + ": " + r.valueAsString());
                    }
                }
                consumer.commitSync();
            }

            try (QueueConsumer queue = silt.queueConsumer("orders")) {
                for (QueueMessage m : queue.receive(10, Duration.ofSeconds(30), Duration.ofSeconds(1))) {
                    queue.ack(m.receipt());
                    acked++;
                }
            }
        }
        assertThat(seen).containsExactly("0: hello");
        assertThat(acked).isEqualTo(1);
    }
}
