package io.silt.client;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** A record read from a partition. */
public record ConsumerRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                             List<Header> headers) {
    public ConsumerRecord {
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    /** The value as UTF-8 text ({@code null} for a null value). */
    public String valueAsString() {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** The key as UTF-8 text ({@code null} for a null key). */
    public String keyAsString() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }
}
