package io.silt.client;

import java.util.List;
import java.util.Objects;

/**
 * A record to send.
 *
 * @param topic the topic
 * @param partition the partition, or {@code null} to choose by key hash (or round-robin / sticky for a null key)
 * @param key the key, may be {@code null}
 * @param value the value, may be {@code null}
 * @param headers headers, may be empty
 * @param timestamp epoch millis, or {@code null} for the producer's clock
 */
public record ProducerRecord(String topic, Integer partition, byte[] key, byte[] value, List<Header> headers,
                             Long timestamp) {
    public ProducerRecord {
        Objects.requireNonNull(topic, "topic");
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    public static ProducerRecord of(String topic, byte[] key, byte[] value) {
        return new ProducerRecord(topic, null, key, value, List.of(), null);
    }
}
