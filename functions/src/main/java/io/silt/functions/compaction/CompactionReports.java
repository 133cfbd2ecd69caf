package io.silt.functions.compaction;

import io.silt.storage.RequestCounts;
import io.silt.storage.log.BucketCompactionReport;
import java.util.LinkedHashMap;
import java.util.Map;

/** A {@link BucketCompactionReport} as JSON-ready maps, the same for the REST API and the Lambda handler. */
final class CompactionReports {
    private CompactionReports() {}

    /**
     * The report: {@code status} (COMPLETED, BUDGET_EXHAUSTED, BUSY, LEASE_UNKNOWN, FENCED), owner, epoch,
     * leaseHolder (null unless busy), the counts, {@code requests} by kind, {@code durationMs} and the one-line
     * {@code summary}.
     */
    static Map<String, Object> toMap(BucketCompactionReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", r.status().name());
        m.put("store", r.store());
        m.put("owner", r.owner());
        m.put("epoch", r.epoch());
        m.put("leaseHolder", r.leaseHolder().isEmpty() ? null : r.leaseHolder());
        m.put("partitionsVisited", r.partitionsVisited());
        m.put("partitionsFailed", r.partitionsFailed());
        m.put("partitionsSkipped", r.partitionsSkipped());
        m.put("checkpointsWritten", r.checkpointsWritten());
        m.put("entriesMerged", r.entriesMerged());
        m.put("segmentsWritten", r.segmentsWritten());
        m.put("bytesRewritten", r.bytesRewritten());
        m.put("recordsExpired", r.recordsExpired());
        m.put("bytesExpired", r.bytesExpired());
        m.put("objectsDeleted", r.objectsDeleted());
        m.put("bytesDeleted", r.bytesDeleted());
        m.put("deletedTopicObjects", r.deletedTopicObjects());
        m.put("requests", requests(r.requests()));
        m.put("durationMs", r.duration().toMillis());
        m.put("summary", r.summary());
        return m;
    }

    /** Requests by the kinds S3 bills, and their total. */
    static Map<String, Object> requests(RequestCounts c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("put", c.puts());
        m.put("get", c.gets());
        m.put("head", c.heads());
        m.put("list", c.lists());
        m.put("delete", c.deletes());
        m.put("total", c.total());
        return m;
    }
}
