package io.silt.client;

/**
 * A connection to one Silt deployment: a bucket (direct) or a Silt service (http). Immutable, thread-safe,
 * closeable; make one per application and share it. Producers and consumers it creates share its connections and,
 * in direct mode, one committer per partition (group commit).
 */
public interface SiltClient extends AutoCloseable {

    Admin admin();

    Producer producer(ProducerConfig config);

    default Producer producer() {
        return producer(ProducerConfig.defaults());
    }

    Consumer consumer(ConsumerConfig config);

    /** A group consumer with the default settings. */
    default Consumer consumer(String groupId) {
        return consumer(ConsumerConfig.defaults().withGroupId(groupId));
    }

    QueueConsumer queueConsumer(String topic, QueueConfig config);

    default QueueConsumer queueConsumer(String topic) {
        return queueConsumer(topic, QueueConfig.defaults());
    }

    /** Where this client is connected, e.g. {@code file:/data} or {@code http://localhost:8080}; no secrets. */
    String target();

    /** Flushes producers and closes consumers made by this client, then releases connections and threads. */
    @Override
    void close();
}
