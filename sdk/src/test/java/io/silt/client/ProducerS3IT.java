package io.silt.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.client.internal.DirectClient;
import io.silt.client.internal.Transport;
import io.silt.storage.testing.S3ProxyServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The producer and admin against a real S3-compatible server (S3Proxy), one fresh bucket per test. */
@Timeout(120)
class ProducerS3IT {
    static S3ProxyServer server;

    @BeforeAll
    static void startServer() {
        server = S3ProxyServer.shared();
    }

    private SiltClient connect() {
        return Silt.builder("s3://test").store(server.storeFor(server.newBucket(), "silt")).build();
    }

    @Test
    void everyAcknowledgedRecordIsAtItsOffset() {
        try (SiltClient silt = connect()) {
            silt.admin().createTopic("orders", 3);
            List<CompletableFuture<RecordMetadata>> fs = new ArrayList<>();
            try (Producer p = silt.producer(ProducerConfig.defaults().withLinger(Duration.ofMillis(20)))) {
                for (int i = 0; i < 300; i++) {
                    fs.add(p.send("orders", i % 3 == 0 ? null : "key-" + (i % 11), "value-" + i));
                }
            }
            Transport transport = ((DirectClient) silt).transport();
            Set<Integer> partitions = new HashSet<>();
            for (int i = 0; i < 300; i++) {
                RecordMetadata m = fs.get(i).join();
                partitions.add(m.partition());
                Transport.Fetched f = transport.fetch("orders", m.partition(), m.offset(), 1, 1 << 20,
                        Duration.ZERO).records().get(0);
                assertThat(f.offset()).isEqualTo(m.offset());
                assertThat(new String(f.record().value(), StandardCharsets.UTF_8)).isEqualTo("value-" + i);
            }
            assertThat(partitions).hasSize(3);
            TopicInfo info = silt.admin().describeTopic("orders");
            assertThat(info.partitionInfo().stream().mapToLong(TopicInfo.PartitionInfo::endOffset).sum())
                    .isEqualTo(300);
            assertThat(info.stats().produceRecordsPerSecond()).isEqualTo(300 / 60.0);
        }
    }

    @Test
    void largeBatchesTravelAsSegmentsAndPurgeEmptiesTheTopic() {
        try (SiltClient silt = connect()) {
            silt.admin().createTopic("big", 1);
            List<CompletableFuture<RecordMetadata>> fs = new ArrayList<>();
            try (Producer p = silt.producer(ProducerConfig.defaults().withCompression(false))) {
                for (int i = 0; i < 40; i++) {
                    fs.add(p.send("big", "k", "x".repeat(10_000) + i));
                }
            }
            assertThat(fs.get(39).join().offset()).isEqualTo(39);
            assertThat(silt.admin().describeTopic("big").partitionInfo().get(0).bytes()).isGreaterThan(400_000);
            silt.admin().purgeTopic("big");
            assertThat(silt.admin().describeTopic("big").partitionInfo().get(0))
                    .isEqualTo(new TopicInfo.PartitionInfo(0, 40, 40, 0));
            assertThat(silt.admin().listTopics()).containsExactly("big");
        }
    }
}
