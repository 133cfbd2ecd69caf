package io.silt.client;

import java.time.Duration;

/**
 * Queue-style consumption settings.
 *
 * @param queueName the name of the queue's shared state (a topic may be read as several independent queues);
 *     default {@code "queue"}
 * @param visibilityTimeout how long a received message stays invisible to others (default 30 s, as SQS)
 * @param maxDeliveries after this many deliveries without an ack a message goes to the dead-letter topic (default 5)
 * @param deadLetterTopic where poison messages go; {@code null} = the topic's name + {@code ".dlq"}
 * @param leaseRecords how many consecutive offsets one claim leases (default 100)
 */
public record QueueConfig(String queueName, Duration visibilityTimeout, int maxDeliveries, String deadLetterTopic,
                          int leaseRecords) {
    public static QueueConfig defaults() {
        return new QueueConfig("queue", Duration.ofSeconds(30), 5, null, 100);
    }

    public QueueConfig {
        if (maxDeliveries < 1 || leaseRecords < 1 || visibilityTimeout.isNegative() || visibilityTimeout.isZero()) {
            throw new InvalidRequestException("invalid queue config: " + this);
        }
    }

    public QueueConfig withVisibilityTimeout(Duration d) {
        return new QueueConfig(queueName, d, maxDeliveries, deadLetterTopic, leaseRecords);
    }

    public QueueConfig withMaxDeliveries(int n) {
        return new QueueConfig(queueName, visibilityTimeout, n, deadLetterTopic, leaseRecords);
    }

    public QueueConfig withDeadLetterTopic(String t) {
        return new QueueConfig(queueName, visibilityTimeout, maxDeliveries, t, leaseRecords);
    }

    public QueueConfig withQueueName(String n) {
        return new QueueConfig(n, visibilityTimeout, maxDeliveries, deadLetterTopic, leaseRecords);
    }

    public QueueConfig withLeaseRecords(int n) {
        return new QueueConfig(queueName, visibilityTimeout, maxDeliveries, deadLetterTopic, n);
    }

    /** The dead-letter topic for {@code topic}. */
    public String deadLetterTopicFor(String topic) {
        return deadLetterTopic != null ? deadLetterTopic : topic + ".dlq";
    }
}
