package io.silt.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MockConsumerTest {
    @Test
    void returnsAddedRecordsAndSimulatesRebalances() {
        MockConsumer c = new MockConsumer();
        TopicPartition tp = new TopicPartition("t", 0);
        List<String> events = new ArrayList<>();
        c.subscribe(List.of("t"), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                events.add("revoked " + partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                events.add("assigned " + partitions);
            }
        });
        c.rebalance(List.of(tp));
        c.updateBeginningOffsets(Map.of(tp, 0L));
        c.addRecord(new ConsumerRecord("t", 0, 0, 1, null, "a".getBytes(), null));
        c.addRecord(new ConsumerRecord("t", 0, 1, 2, null, "b".getBytes(), null));
        assertThat(c.poll(Duration.ZERO)).extracting(ConsumerRecord::valueAsString).containsExactly("a", "b");
        assertThat(c.poll(Duration.ZERO)).isEmpty();
        c.commitSync();
        assertThat(c.committed(tp)).contains(2L);
        assertThat(c.endOffsets(List.of(tp))).containsEntry(tp, 2L);
        c.seekToBeginning(List.of(tp));
        assertThat(c.poll(Duration.ZERO)).hasSize(2);
        c.rebalance(List.of());
        assertThat(events).containsExactly("assigned [t-0]", "revoked [t-0]");
        c.close();
        assertThat(c.closed()).isTrue();
    }
}
