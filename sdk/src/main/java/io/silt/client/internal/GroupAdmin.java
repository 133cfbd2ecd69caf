package io.silt.client.internal;

import io.silt.client.Admin;
import io.silt.client.GroupInfo;
import io.silt.client.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Consumer-group administration, for the admin client to delegate to ({@link Admin#listGroups},
 * {@link Admin#describeGroup}, {@link Admin#resetOffsets}, and the consumption figures of
 * {@link Admin#describeTopic}: pass {@code new DirectGroupAdmin(transport)} as {@link AdminImpl.Groups}) and for
 * {@code silt groups} / {@code silt stats}.
 */
public interface GroupAdmin extends AdminImpl.Groups {

    /** The groups that have a log in the bucket, sorted. One LIST per 1000 group objects: an admin operation. */
    List<String> listGroups();

    /**
     * The group's generation, members and, per partition it reads or has committed, the committed offset, end
     * offset, lag in records and (estimated) bytes, and owner.
     *
     * @throws io.silt.client.InvalidRequestException if the group has no log
     */
    GroupInfo describeGroup(String group);

    /**
     * Sets the group's committed offsets for every partition of {@code topic}.
     *
     * @throws io.silt.client.InvalidRequestException if the group has live members (stop them first)
     */
    Map<TopicPartition, Long> resetOffsets(String group, String topic, Admin.OffsetSpec to);

    /** The figures to watch, per topic the group reads: consumption rate, lag and end-to-end latency. */
    List<TopicStats> stats(String group);

    /**
     * @param consumedPerSecond records per second between the two latest commits of each partition (summed)
     * @param lagRecords records produced and not yet committed as consumed
     * @param lagBytes an estimate of those records' size (average record size in the partitions' known batches)
     * @param endToEndLatencyMillis at the latest commit, its time minus the newest consumed record's timestamp
     *     (the largest over the partitions); empty before any commit with records
     * @param lastCommitMillis the time of the latest commit (the committer's clock); empty if none
     */
    record TopicStats(String group, String topic, double consumedPerSecond, long lagRecords, long lagBytes,
                      OptionalLong endToEndLatencyMillis, OptionalLong lastCommitMillis) {}
}
