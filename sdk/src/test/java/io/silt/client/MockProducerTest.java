package io.silt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.silt.client.internal.Partitioners;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class MockProducerTest {
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC);

    @Test
    void autoCompletesAndRecordsTheHistory() {
        MockProducer p = new MockProducer(true, 1, clock);
        RecordMetadata a = p.send("orders", "k", "1").join();
        RecordMetadata b = p.send("orders", "k", "2").join();
        assertThat(a).isEqualTo(new RecordMetadata("orders", 0, 0, 1_000));
        assertThat(b.offset()).isEqualTo(1);
        assertThat(p.history()).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("1", "2");
    }

    @Test
    void completesAndFailsOnDemandInOrder() {
        MockProducer p = new MockProducer(false, 4, clock);
        CompletableFuture<RecordMetadata> first = p.send("t", "a", "1");
        CompletableFuture<RecordMetadata> second = p.send("t", "a", "2");
        CompletableFuture<RecordMetadata> third = p.send("t", "b", "3");
        assertThat(first).isNotDone();
        assertThat(p.pendingCount()).isEqualTo(3);
        assertThat(p.completeNext()).isTrue();
        assertThat(first.join().partition()).isEqualTo(Partitioners.forKey("a".getBytes(StandardCharsets.UTF_8), 4));
        assertThat(p.errorNext(new StoreUnavailableException("down"))).isTrue();
        assertThatThrownBy(second::join).hasCauseInstanceOf(StoreUnavailableException.class);
        p.flush();
        assertThat(third).isCompletedWithValueMatching(m -> m.offset() == 0 || m.offset() == 1);
        assertThat(p.completeNext()).isFalse();
        assertThat(p.flushCount()).isEqualTo(1);
    }

    @Test
    void sendErrorsAndClosing() {
        MockProducer p = new MockProducer();
        p.sendError(new UnknownTopicException("no such topic"));
        assertThatThrownBy(() -> p.send("t", "k", "v").join()).hasCauseInstanceOf(UnknownTopicException.class);
        p.sendError(null);
        p.send("t", "k", "v").join();
        p.close();
        assertThat(p.closed()).isTrue();
        assertThatThrownBy(() -> p.send("t", "k", "v").join()).hasMessageContaining("closed");
        assertThat(p.history()).hasSize(1);
    }
}
