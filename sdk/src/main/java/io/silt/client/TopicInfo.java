package io.silt.client;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A topic and the four figures of the brief.
 *
 * @param retentionTime empty = forever
 * @param retentionBytes per partition; empty = no limit
 * @param partitionInfo one per partition
 * @param stats production rate, consumption rate, queue length and latency, over the recent window
 */
public record TopicInfo(String name, int partitions, Optional<Duration> retentionTime, Optional<Long> retentionBytes,
                        List<PartitionInfo> partitionInfo, Stats stats) {

    /** A partition's retained range. */
    public record PartitionInfo(int partition, long startOffset, long endOffset, long bytes) {}

    /**
     * The brief's four figures.
     *
     * @param produceRecordsPerSecond production rate P (records/s over the window)
     * @param consumeRecordsPerSecond consumption rate C (records/s committed by groups over the window)
     * @param lagRecords queue length M: records not yet consumed, summed over groups' worst lag
     * @param lagBytes queue length in bytes (estimated)
     * @param endToEndLatencyMillis latency D: age of the newest committed record when its group committed it, or -1
     */
    public record Stats(double produceRecordsPerSecond, double consumeRecordsPerSecond, long lagRecords, long lagBytes,
                        long endToEndLatencyMillis) {}
}
