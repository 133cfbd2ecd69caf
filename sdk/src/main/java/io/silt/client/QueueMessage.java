package io.silt.client;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A message received from a queue. Acknowledge it with its {@link #receipt()} before its visibility timeout
 * passes, or it is delivered again.
 *
 * @param receipt the handle that acks, nacks or extends this delivery (like SQS's receipt handle)
 * @param deliveryCount how many times the message has been delivered, this time included
 */
public record QueueMessage(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                           List<Header> headers, String receipt, int deliveryCount) {
    public QueueMessage {
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    public String valueAsString() {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }
}
