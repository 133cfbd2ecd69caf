package io.silt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.silt.client.internal.DirectClient;
import io.silt.client.internal.Transport;
import io.silt.storage.CountingObjectStore;
import io.silt.storage.InMemoryObjectStore;
import io.silt.storage.RequestCounts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The client end to end: {@code Silt.connect} on {@code mem:} and {@code file:}, produce, read back, close. */
@Timeout(60)
class SiltClientTest {
    @TempDir
    static Path dir;

    static Stream<Arguments> targets() {
        return Stream.of(Arguments.of("mem:"), Arguments.of("file:" + dir.resolve("data")));
    }

    @ParameterizedTest
    @MethodSource("targets")
    void producesToSeveralPartitionsAndReadsEveryAcknowledgedRecordBack(String target) {
        try (SiltClient silt = Silt.connect(target)) {
            silt.admin().createTopic("orders", 3);
            List<CompletableFuture<RecordMetadata>> fs = new ArrayList<>();
            try (Producer p = silt.producer(ProducerConfig.defaults().withLinger(Duration.ofMillis(5)))) {
                for (int i = 0; i < 200; i++) {
                    fs.add(p.send("orders", i % 2 == 0 ? "k" + i : null, "v" + i));
                }
            }
            Transport transport = ((DirectClient) silt).transport();
            Set<Integer> partitions = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                RecordMetadata m = fs.get(i).join();
                partitions.add(m.partition());
                Transport.FetchResult r = transport.fetch("orders", m.partition(), m.offset(), 1, 1 << 20,
                        Duration.ZERO);
                assertThat(r.records().get(0).offset()).isEqualTo(m.offset());
                assertThat(new String(r.records().get(0).record().value(), StandardCharsets.UTF_8))
                        .isEqualTo("v" + i);
            }
            assertThat(partitions).hasSize(3);
            assertThat(silt.admin().describeTopic("orders").partitionInfo().stream()
                    .mapToLong(TopicInfo.PartitionInfo::endOffset).sum()).isEqualTo(200);
        }
    }

    @Test
    void memIsAFreshEmptySiltEachTime() {
        try (SiltClient a = Silt.connect("mem:"); SiltClient b = Silt.connect("mem:")) {
            a.admin().createTopic("t", 1);
            assertThat(b.admin().listTopics()).isEmpty();
            assertThat(a.admin().listTopics()).containsExactly("t");
        }
    }

    @Test
    void closingTheClientFlushesItsProducers() {
        InMemoryObjectStore store = new InMemoryObjectStore();
        CompletableFuture<RecordMetadata> f;
        try (SiltClient silt = Silt.builder("mem:").store(store).build()) {
            silt.admin().createTopic("t", 1);
            Producer p = silt.producer(ProducerConfig.defaults().withLinger(Duration.ofHours(1)));
            f = p.send("t", "k", "v");
            assertThat(f).isNotDone();
        }
        assertThat(f.join().offset()).isZero();
        try (SiltClient again = Silt.builder("mem:").store(store).build()) {
            assertThat(again.admin().describeTopic("t").partitionInfo().get(0).endOffset()).isEqualTo(1);
        }
    }

    @Test
    void aProducerClosedBeforeItsClientLeavesNothingBehindAndAnIdleOneCostsNothing() {
        CountingObjectStore counting = CountingObjectStore.wrap(new InMemoryObjectStore());
        try (SiltClient silt = Silt.builder("mem:").store(counting).build()) {
            silt.admin().createTopic("t", 2);
            RequestCounts before = counting.counts();
            Producer idle = silt.producer();
            idle.close();
            assertThat(counting.counts().minus(before).total()).isZero();
        }
    }

    @Test
    void targetComesFromTheEnvironment() {
        assertThat(Silt.targetFromEnvironment(Map.of("SILT_URL", "mem:a", "SILT_STORE", "mem:b")::get))
                .isEqualTo("mem:a");
        assertThat(Silt.targetFromEnvironment(Map.of("SILT_STORE", "mem:b")::get)).isEqualTo("mem:b");
        assertThat(Silt.targetFromEnvironment(Map.<String, String>of()::get)).isEqualTo(Silt.DEFAULT_TARGET);
    }

    @Test
    void aBadTargetIsAnInvalidRequest() {
        assertThatThrownBy(() -> Silt.connect("ftp://nowhere")).isInstanceOf(InvalidRequestException.class);
    }
}
