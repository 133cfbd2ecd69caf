package io.silt.bench.peers;

import io.silt.client.Consumer;
import io.silt.client.ConsumerConfig;
import io.silt.client.ConsumerRecord;
import io.silt.client.Producer;
import io.silt.client.ProducerConfig;
import io.silt.client.ProducerRecord;
import io.silt.client.Silt;
import io.silt.client.SiltClient;
import io.silt.client.TopicPartition;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Silt through the SDK's direct transport on a store URI ({@code file:DIR}, fsync on, or S3Proxy's {@code s3://}):
 * producer defaults except batch size, linger and compression (off, as for Kafka); a consumer with no group,
 * assigned partition 0 from the earliest offset, default settings.
 */
final class SiltPeer implements PeerClient {
    private final String name;
    private final SendFailures failures;
    private final SiltClient client;
    private final Producer producer;
    private final ProducerConfig config;

    SiltPeer(String name, String storeUri, Map<String, String> environment, int batchBytes, Duration linger) {
        this.name = name;
        this.failures = new SendFailures(name);
        this.client = Silt.builder(storeUri).environment(environment).build();
        this.config = ProducerConfig.defaults().withBatchBytes(batchBytes).withLinger(linger).withCompression(false);
        this.producer = client.producer(config);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String settings() {
        return String.format(Locale.ROOT, "%s; batch.size=%d linger.ms=%d compression=none idempotent=%s "
                        + "buffer.memory=%d MiB; 1 batch in flight per partition; consumer max.poll.records=%d",
                client.target(), config.batchBytes(), config.linger().toMillis(), config.idempotent(),
                config.bufferBytes() >> 20, ConsumerConfig.defaults().maxPollRecords());
    }

    @Override
    public void create(String destination) {
        client.admin().createTopic(destination, 1);
    }

    @Override
    public void send(String destination, byte[] value, Runnable onAck) {
        producer.send(ProducerRecord.of(destination, null, value))
                .whenComplete((m, e) -> failures.completed(e, onAck));
    }

    @Override
    public void flush() {
        producer.flush();
        failures.check();
    }

    @Override
    public Reader reader(String destination) {
        Consumer consumer = client.consumer(ConsumerConfig.defaults()
                .withAutoOffsetReset(ConsumerConfig.OffsetReset.EARLIEST));
        consumer.assign(List.of(new TopicPartition(destination, 0)));
        return new Reader() {
            @Override
            public int poll(java.util.function.Consumer<byte[]> each) {
                List<ConsumerRecord> records = consumer.poll(Duration.ofMillis(100));
                records.forEach(r -> each.accept(r.value()));
                return records.size();
            }

            @Override
            public void close() {
                consumer.close();
            }
        };
    }

    @Override
    public void close() {
        producer.close();
        client.close();
    }
}
