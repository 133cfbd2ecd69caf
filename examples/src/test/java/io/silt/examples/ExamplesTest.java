package io.silt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.client.ConsumerRecord;
import io.silt.client.TopicPartition;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs each example program on a fresh store and checks what it prints. */
@Timeout(120)
class ExamplesTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void helloQueuePublishesAndConsumesWithACallback() {
        String received = HelloQueue.run("mem:", out);

        assertThat(received).isEqualTo("Hello World!");
        assertThat(lines()).containsExactly(
                " [x] Sent 'Hello World!'",
                " [*] Waiting for messages.",
                " [x] Received 'Hello World!'");
    }

    @Test
    void helloQueueOnAFileStoreTwiceAcksEachMessageOnce(@TempDir Path dir) {
        String store = "file:" + dir;
        HelloQueue.run(store, out);
        bytes.reset();

        HelloQueue.run(store, out);

        assertThat(lines()).filteredOn(l -> l.startsWith(" [x] Received")).containsExactly(
                " [x] Received 'Hello World!'");
    }

    @Test
    void helloTopicSendsAndReadsFromTheEarliestOffset() {
        ConsumerRecord r = HelloTopic.run("mem:", out);

        assertThat(r.valueAsString()).isEqualTo("Hello World!");
        assertThat(lines()).containsExactly(
                "Sent 'Hello World!' to hello-0 at offset 0",
                "ConsumerRecord(topic='hello', partition=0, offset=0, value='Hello World!')");
    }

    @Test
    void helloTopicRerunReadsOnlyTheNewRecord(@TempDir Path dir) {
        String store = "file:" + dir;
        HelloTopic.run(store, out);
        bytes.reset();

        ConsumerRecord r = HelloTopic.run(store, out);

        assertThat(r.offset()).isEqualTo(1);
        assertThat(lines()).containsExactly(
                "Sent 'Hello World!' to hello-0 at offset 1",
                "ConsumerRecord(topic='hello', partition=0, offset=1, value='Hello World!')");
    }

    @Test
    void consumerGroupMembersSharePartitions(@TempDir Path dir) {
        Map<String, List<TopicPartition>> assignments = ConsumerGroupExample.run("file:" + dir, out);

        List<TopicPartition> all = new ArrayList<>();
        assignments.values().forEach(all::addAll);
        assertThat(assignments.keySet()).containsExactly("consumer-1", "consumer-2");
        assertThat(assignments.values()).allSatisfy(parts -> assertThat(parts).isNotEmpty());
        assertThat(all).containsExactlyInAnyOrder(new TopicPartition("orders", 0), new TopicPartition("orders", 1),
                new TopicPartition("orders", 2), new TopicPartition("orders", 3));

        List<String> lines = lines();
        assertThat(lines).contains("consumer-1 got partitions " + assignments.get("consumer-1"),
                "consumer-2 got partitions " + assignments.get("consumer-2"));
        List<String> reads = lines.stream().filter(l -> l.contains(" read ")).toList();
        assertThat(reads).hasSize(ConsumerGroupExample.RECORDS);
        assertThat(reads).extracting(l -> l.substring(l.indexOf(" -> ") + 4))
                .containsExactlyInAnyOrder("order 1", "order 2", "order 3", "order 4", "order 5", "order 6",
                        "order 7", "order 8");
        // Each consumer read only from its own partitions.
        for (String line : reads) {
            String name = line.substring(0, line.indexOf(' '));
            String partition = line.substring(line.indexOf(" read ") + 6, line.indexOf('@'));
            assertThat(assignments.get(name)).extracting(TopicPartition::toString).contains(partition);
        }
    }

    @Test
    void deadLetterExampleDeadLettersThenRedrives() {
        long moved = DeadLetterExample.run("mem:", out);

        assertThat(moved).isEqualTo(1);
        List<String> lines = lines();
        assertThat(lines).filteredOn(l -> l.startsWith("Delivery ")).hasSize(DeadLetterExample.MAX_DELIVERIES)
                .allSatisfy(l -> assertThat(l).endsWith("failed: nack"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("In hello.dlq: 'poison pill ")
                .contains("silt-dlq-topic=hello"));
        assertThat(lines).contains("Redrove 1 message(s) from hello.dlq to hello");
        assertThat(lines.get(lines.size() - 1)).startsWith("Processed 'poison pill ").endsWith("after redrive: ack");
    }
}
