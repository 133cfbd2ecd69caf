package io.silt.client;

/** Where an acknowledged record landed. */
public record RecordMetadata(String topic, int partition, long offset, long timestamp) {
    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }
}
