package io.silt.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.client.internal.DirectClient;
import io.silt.storage.InMemoryObjectStore;
import io.silt.storage.ObjectStore;
import io.silt.storage.log.segment.Record;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QueueInMemoryTest extends QueueContract {
    @Override
    protected ObjectStore newStore() {
        return new InMemoryObjectStore();
    }

    /** The one test on the real clock: a long poll returns when a message arrives, and not before. */
    @Test
    void receiveWaitsForMessages() throws Exception {
        try (SiltClient client = Silt.builder("mem:").build()) {
            var transport = ((DirectClient) client).transport();
            transport.createTopic("events", 2, Optional.empty(), Optional.empty());
            try (QueueConsumer q = client.queueConsumer("events")) {
                long start = System.nanoTime();
                assertThat(q.receive(10, null, Duration.ofMillis(150))).isEmpty();
                assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));

                CompletableFuture<List<QueueMessage>> got = CompletableFuture.supplyAsync(
                        () -> q.receive(10, null, Duration.ofSeconds(10)));
                transport.append("events", 1, 0, 0, 0, List.of(Record.of(null, QueueFixture.bytes("hi"), 1L)))
                        .join();
                List<QueueMessage> messages = got.get(10, TimeUnit.SECONDS);
                assertThat(messages).extracting(QueueMessage::valueAsString).containsExactly("hi");
                q.ack(messages.get(0).receipt());
            }
        }
    }
}
