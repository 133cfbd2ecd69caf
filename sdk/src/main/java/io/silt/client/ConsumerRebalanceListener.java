package io.silt.client;

import java.util.Collection;

/** Told when a group consumer's partitions change, as Kafka's listener of the same name. */
public interface ConsumerRebalanceListener {
    /** Called before partitions are taken away; commit offsets here if you commit manually. */
    void onPartitionsRevoked(Collection<TopicPartition> partitions);

    /** Called after new partitions are assigned, before records from them are returned. */
    void onPartitionsAssigned(Collection<TopicPartition> partitions);

    ConsumerRebalanceListener NONE = new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
    };
}
