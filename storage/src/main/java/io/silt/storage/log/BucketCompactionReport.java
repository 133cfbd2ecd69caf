package io.silt.storage.log;

import io.silt.storage.RequestCounts;
import java.time.Duration;

/**
 * What one {@link BucketCompactor} run did, summed over the partitions it visited. {@link #summary()} (also
 * {@link #toString()}) is one line for a log or the CLI.
 *
 * @param store the store's description
 * @param status how the run ended
 * @param owner the compactor's owner id
 * @param epoch the lease epoch the run held (0 if it did not get the lease)
 * @param leaseHolder who holds the lease if the run found it {@linkplain Status#BUSY busy}, else empty
 * @param partitionsVisited partitions compacted (including those whose compaction failed)
 * @param partitionsFailed partitions whose compaction failed with an error (tried again next run)
 * @param partitionsSkipped work items (partitions, deleted topics) not reached because the budget ran out or the
 *     run was fenced; the next run starts with them
 * @param checkpointsWritten new checkpoints
 * @param entriesMerged log entries rewritten into merged segments
 * @param segmentsWritten merged segments written
 * @param bytesRewritten data bytes rewritten by merging
 * @param recordsExpired records removed by retention
 * @param bytesExpired data bytes removed by retention (deleted once their checkpoint is older than the grace period)
 * @param objectsDeleted objects deleted: commit records, dropped and orphan segments, checkpoints, and the objects of
 *     deleted topics
 * @param bytesDeleted the bytes those objects held
 * @param deletedTopicObjects how many of {@code objectsDeleted} belonged to deleted topics
 * @param requests the requests the run sent, by kind, lease included
 * @param duration how long the run took on the monotonic clock
 */
public record BucketCompactionReport(String store, Status status, String owner, long epoch, String leaseHolder,
                                     int partitionsVisited, int partitionsFailed, int partitionsSkipped,
                                     int checkpointsWritten, int entriesMerged, int segmentsWritten,
                                     long bytesRewritten, long recordsExpired, long bytesExpired, int objectsDeleted,
                                     long bytesDeleted, int deletedTopicObjects, RequestCounts requests,
                                     Duration duration) {
    /** How a run ended. */
    public enum Status {
        /** Every partition and deleted topic was visited. */
        COMPLETED,
        /** The time budget ran out; the next run continues where this one stopped. */
        BUDGET_EXHAUSTED,
        /** Another compactor holds the lease; nothing was done. */
        BUSY,
        /** Whether this run claimed the lease could not be learned; nothing was done. */
        LEASE_UNKNOWN,
        /** A newer compactor fenced this one mid-run; it stopped without writing or deleting anything more. */
        FENCED
    }

    /** Whether the time budget stopped the run before it visited everything. */
    public boolean budgetExhausted() {
        return status == Status.BUDGET_EXHAUSTED;
    }

    /** Whether another compactor held the lease, so this run did nothing. */
    public boolean busy() {
        return status == Status.BUSY;
    }

    /** A one-line summary for logs and the CLI. */
    public String summary() {
        String head = "compaction of " + store + " by " + owner + (epoch > 0 ? " (epoch " + epoch + ")" : "") + ": "
                + status.name().toLowerCase().replace('_', ' ');
        if (status == Status.BUSY) {
            return head + ", lease held by " + leaseHolder + "; " + requests.total() + " requests in "
                    + duration.toMillis() + " ms";
        }
        return head + "; " + partitionsVisited + " partitions visited, " + partitionsFailed + " failed, "
                + partitionsSkipped + " left for the next run; " + checkpointsWritten + " checkpoints, merged "
                + entriesMerged + " entries into " + segmentsWritten + " segments (" + bytesRewritten + " bytes), "
                + "expired " + recordsExpired + " records (" + bytesExpired + " bytes), deleted " + objectsDeleted
                + " objects (" + bytesDeleted + " bytes; " + deletedTopicObjects + " of deleted topics); "
                + requests.total() + " requests (" + requests.puts() + " PUT, " + requests.gets() + " GET, "
                + requests.heads() + " HEAD, " + requests.lists() + " LIST, " + requests.deletes() + " DELETE) in "
                + duration.toMillis() + " ms";
    }

    @Override
    public String toString() {
        return summary();
    }
}
