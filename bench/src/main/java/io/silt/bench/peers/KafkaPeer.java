package io.silt.bench.peers;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka's own Java client against a {@link KafkaBroker}: {@code acks=all} (idempotent, the default), the same
 * {@code batch.size}, {@code linger.ms} and buffer memory as Silt's producer, no compression; a consumer with no
 * group, assigned partition 0 from the beginning, default fetch settings ({@code max.poll.records=500}, as Silt's).
 */
final class KafkaPeer implements PeerClient {
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String name;
    private final SendFailures failures;
    private final KafkaBroker broker;
    private final Properties producerProperties = new Properties();

    KafkaPeer(String name, KafkaBroker broker, int batchBytes, Duration linger, long bufferBytes) {
        this.name = name;
        this.failures = new SendFailures(name);
        this.broker = broker;
        String bootstrap = broker.bootstrap();
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        producerProperties.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(batchBytes),
                ProducerConfig.LINGER_MS_CONFIG, Long.toString(linger.toMillis()),
                ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(bufferBytes),
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "none",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                Integer.toString(KafkaBroker.maxMessageBytes(batchBytes))));
        this.producer = new KafkaProducer<>(producerProperties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String settings() {
        return broker.describe() + "; acks=all enable.idempotence=true batch.size="
                + producerProperties.get(ProducerConfig.BATCH_SIZE_CONFIG) + " linger.ms="
                + producerProperties.get(ProducerConfig.LINGER_MS_CONFIG) + " buffer.memory="
                + (Long.parseLong((String) producerProperties.get(ProducerConfig.BUFFER_MEMORY_CONFIG)) >> 20)
                + " MiB compression=none max.in.flight=5; consumer no group, max.poll.records=500";
    }

    @Override
    public void create(String destination) {
        try {
            admin.createTopics(List.of(new NewTopic(destination, 1, (short) 1))).all().get(2, TimeUnit.MINUTES);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create Kafka topic " + destination, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void send(String destination, byte[] value, Runnable onAck) {
        producer.send(new ProducerRecord<>(destination, 0, null, value),
                (metadata, e) -> failures.completed(e, onAck));
    }

    @Override
    public void flush() {
        producer.flush();
        failures.check();
    }

    @Override
    public Reader reader(String destination) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        TopicPartition partition = new TopicPartition(destination, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        return new Reader() {
            @Override
            public int poll(java.util.function.Consumer<byte[]> each) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    each.accept(r.value());
                }
                return records.count();
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
        admin.close();
    }
}
