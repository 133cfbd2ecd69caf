package io.silt.storage.log;

import io.silt.storage.RequestCounts;

/**
 * What one compaction run of one partition did.
 *
 * @param checkpoint the checkpoint written (0 if none was needed or another compactor won)
 * @param outcome how the run ended
 * @param entriesMerged log entries rewritten into merged segments
 * @param segmentsWritten merged segments written
 * @param bytesRewritten data bytes read and written again by merging
 * @param recordsExpired records removed by retention
 * @param bytesExpired data bytes of the entries removed by retention (deleted once the checkpoint that drops them
 *     is older than the grace period)
 * @param commitRecordsDeleted commit records collected behind the GC boundary
 * @param segmentsDeleted segments collected after being dropped by a checkpoint older than the grace period
 * @param orphansDeleted unreferenced segments older than the grace period collected
 * @param checkpointsDeleted old checkpoints collected
 * @param bytesDeleted bytes of all the objects this run deleted (segments, orphans, commit records, checkpoints)
 * @param requests the S3 requests the run made
 */
public record CompactionReport(String partition, long checkpoint, Outcome outcome, int entriesMerged,
                               int segmentsWritten, long bytesRewritten, long recordsExpired,
                               long bytesExpired, int commitRecordsDeleted, int segmentsDeleted,
                               int orphansDeleted, int checkpointsDeleted, long bytesDeleted,
                               RequestCounts requests) {
    /** The number of objects this run deleted. */
    public int objectsDeleted() {
        return commitRecordsDeleted + segmentsDeleted + orphansDeleted + checkpointsDeleted;
    }

    /** How a run ended. */
    public enum Outcome {
        /** A new checkpoint was written. */
        CHECKPOINTED,
        /** Nothing had changed since the newest checkpoint; only garbage collection ran. */
        UP_TO_DATE,
        /** Another compactor wrote the same checkpoint number first; this run's merged segments were removed. */
        LOST_RACE,
        /** Whether the checkpoint was written is unknown; nothing was cleaned up. */
        UNKNOWN
    }

    /** A one-line summary for logs and the CLI. */
    public String summary() {
        return partition + ": " + outcome.name().toLowerCase() + (checkpoint > 0 ? " checkpoint " + checkpoint : "")
                + ", merged " + entriesMerged + " entries into " + segmentsWritten + " segments (" + bytesRewritten
                + " bytes), expired " + recordsExpired + " records, deleted " + commitRecordsDeleted
                + " commit records, " + segmentsDeleted + " segments, " + orphansDeleted + " orphans, "
                + checkpointsDeleted + " checkpoints (" + bytesDeleted + " bytes); " + requests.total() + " requests";
    }
}
