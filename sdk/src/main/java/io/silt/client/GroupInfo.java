package io.silt.client;

import java.util.List;

/** A consumer group: its generation, members, and per-partition committed offsets and lag. */
public record GroupInfo(String group, long generation, List<String> members, List<PartitionLag> partitions) {
    /** A partition's committed offset and lag for the group. */
    public record PartitionLag(TopicPartition partition, long committedOffset, long endOffset, long lagRecords,
                               long lagBytes, String owner) {}

    public long totalLag() {
        return partitions.stream().mapToLong(PartitionLag::lagRecords).sum();
    }
}
