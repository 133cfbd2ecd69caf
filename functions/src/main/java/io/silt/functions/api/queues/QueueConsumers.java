package io.silt.functions.api.queues;

import io.quarkus.runtime.ShutdownEvent;
import io.silt.client.QueueConfig;
import io.silt.client.QueueConsumer;
import io.silt.client.UnknownTopicException;
import io.silt.functions.SiltRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * One SDK {@link QueueConsumer} per (topic, queue) in this service instance, made on first use and shared by every
 * REST caller of that queue: the callers are the queue's competing consumers, and this instance's consumer claims
 * lease ranges on their behalf (RFC 0007). Receipts are portable: any consumer of the same queue, in this instance or
 * another, can ack them. All consumers are closed, flushing their acks, when the service stops.
 */
@ApplicationScoped
public class QueueConsumers {
    private static final Logger LOG = Logger.getLogger(QueueConsumers.class);

    private record Key(String topic, String queue) {}

    private final SiltRuntime runtime;
    private final int maxDeliveries;
    private final Map<Key, QueueConsumer> consumers = new ConcurrentHashMap<>();

    public QueueConsumers(SiltRuntime runtime,
                          @ConfigProperty(name = "silt.rest.queue.max-deliveries", defaultValue = "5")
                          int maxDeliveries) {
        this.runtime = runtime;
        this.maxDeliveries = maxDeliveries;
    }

    /** The settings every queue of this service uses: the SDK's defaults, with the configured max deliveries. */
    QueueConfig config(String queue) {
        return QueueConfig.defaults().withQueueName(queue).withMaxDeliveries(maxDeliveries);
    }

    /**
     * Runs {@code call} on the consumer of {@code queue} on {@code topic}, making it first if needed. A consumer
     * whose topic turns out to be gone is closed and forgotten, so a topic created again gets a fresh one.
     *
     * @throws UnknownTopicException if the topic does not exist
     * @throws io.silt.client.InvalidRequestException if the queue name is not valid
     */
    <T> T with(String topic, String queue, Function<QueueConsumer, T> call) {
        Key key = new Key(topic, queue);
        QueueConsumer consumer = consumers.computeIfAbsent(key,
                k -> runtime.client().queueConsumer(k.topic(), config(k.queue())));
        try {
            return call.apply(consumer);
        } catch (UnknownTopicException e) {
            if (consumers.remove(key, consumer)) {
                close(key, consumer);
            }
            throw e;
        }
    }

    /** Every queue consumer flushes its acks and closes before the service stops. */
    void onStop(@Observes ShutdownEvent event) {
        for (Map.Entry<Key, QueueConsumer> e : new ArrayList<>(consumers.entrySet())) {
            if (consumers.remove(e.getKey(), e.getValue())) {
                close(e.getKey(), e.getValue());
            }
        }
    }

    private static void close(Key key, QueueConsumer consumer) {
        try {
            consumer.close();
        } catch (RuntimeException e) {
            LOG.warnf("queue '%s' of topic '%s': pending acks could not be written (%s); those messages are "
                    + "delivered again after their visibility timeout", key.queue(), key.topic(), e.getMessage());
        }
    }
}
