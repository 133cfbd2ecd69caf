package io.silt.storage.log;

import io.silt.storage.CountingObjectStore;
import io.silt.storage.ObjectData;
import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectStore;
import io.silt.storage.log.internal.EntryReader;
import io.silt.storage.log.segment.EncodedSegment;
import io.silt.storage.log.segment.Record;
import io.silt.storage.log.segment.SegmentConfig;
import io.silt.storage.log.segment.SegmentInfo;
import io.silt.storage.log.segment.SegmentWriter;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The compaction mechanism for one partition (the {@link CompactionPolicy} decides what to do): merges small
 * entries into segments, applies retention, writes a checkpoint that summarises the log, and collects garbage
 * behind a checkpoint that has been durable for the grace period (DESIGN rules 7 and 8, RFC 0004). Scheduling and
 * the compactor lease come from the caller.
 */
public final class PartitionCompactor {
    private static final System.Logger LOG = System.getLogger(PartitionCompactor.class.getName());

    private final ObjectStore store;
    private final LogConfig config;
    private final CompactionPolicy policy;
    private final SegmentConfig segmentConfig;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final RandomGenerator random;
    private final long epoch;

    /** @param epoch the lease epoch of this compactor, recorded in its checkpoints */
    public PartitionCompactor(ObjectStore store, LogConfig config, CompactionPolicy policy, Clock clock,
                              LongSupplier nanoTime, RandomGenerator random, long epoch) {
        this.store = store;
        this.config = config;
        this.policy = policy;
        this.segmentConfig = SegmentConfig.defaults();
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.random = random;
        this.epoch = epoch;
    }

    /** Runs compaction once on the partition under {@code prefix}. */
    public CompactionReport compact(String prefix, TopicConfig topic) {
        return compact(prefix, topic, () -> {});
    }

    /**
     * Runs compaction once on the partition under {@code prefix}, calling {@code fenceCheck} before every
     * destructive step: before writing the checkpoint and before each deletion. A leased compactor passes a check
     * that throws ({@link CompactorFencedException}) once its lease is gone; the exception propagates and the run
     * stops where it is, which leaves the partition valid (merged segments written so far become orphans, collected
     * after the grace period).
     */
    public CompactionReport compact(String prefix, TopicConfig topic, Runnable fenceCheck) {
        CountingObjectStore counted = CountingObjectStore.wrap(store);
        Run run = new Run(counted, prefix, fenceCheck);
        run.checkpoint(topic);
        if (run.outcome != CompactionReport.Outcome.UNKNOWN) {
            run.collect();
        }
        CompactionReport report = new CompactionReport(store.describe() + "/" + prefix, run.written, run.outcome,
                run.entriesMerged, run.segmentsWritten, run.bytesRewritten, run.recordsExpired, run.bytesExpired,
                run.commitsDeleted, run.segmentsDeleted, run.orphansDeleted, run.checkpointsDeleted,
                run.bytesDeleted, counted.counts());
        LOG.log(Level.INFO, report::summary);
        return report;
    }

    /** The state of one run. */
    private final class Run {
        final ObjectStore s;
        final String prefix;
        final Runnable fenceCheck;
        final NumberedLog checkpoints;
        final NumberedLog commits;
        PartitionView view;
        final List<String> written_segments = new ArrayList<>();
        long written;
        CompactionReport.Outcome outcome = CompactionReport.Outcome.UP_TO_DATE;
        int entriesMerged;
        int segmentsWritten;
        long bytesRewritten;
        long recordsExpired;
        long bytesExpired;
        long bytesDeleted;
        int commitsDeleted;
        int segmentsDeleted;
        int orphansDeleted;
        int checkpointsDeleted;

        Run(ObjectStore s, String prefix, Runnable fenceCheck) {
            this.s = s;
            this.prefix = prefix;
            this.fenceCheck = fenceCheck;
            this.checkpoints = PartitionView.checkpointLog(s, prefix, config);
            this.commits = PartitionView.commitLog(s, prefix, config);
        }

        void checkpoint(TopicConfig topic) {
            view = PartitionView.open(s, prefix, config, nanoTime);
            long now = clock.millis();
            List<PartitionView.Located> entries = new ArrayList<>(view.entries().values());
            CompactionPolicy.Plan plan = policy.plan(entries, topic, now, view.endOffset());
            long coveredBefore = view.checkpoint().map(Checkpoint::coversSeq).orElse(0L);
            if (view.head() == coveredBefore && plan.rewritesNothing() && view.checkpoint().isPresent()) {
                return; // nothing new since the newest checkpoint
            }
            if (view.head() == 0) {
                return; // an empty partition needs no checkpoint
            }
            List<String> dropped = new ArrayList<>();
            for (PartitionView.Located l : plan.expired()) {
                recordsExpired += l.entry().recordCount();
                bytesExpired += l.entry().dataBytes();
                if (!l.entry().isInline()) {
                    dropped.add(l.entry().segmentKey());
                }
            }
            List<Checkpoint.PositionedEntry> kept = new ArrayList<>();
            for (CompactionPolicy.Step step : plan.steps()) {
                if (!step.isMerge()) {
                    PartitionView.Located l = step.entries().get(0);
                    kept.add(new Checkpoint.PositionedEntry(l.baseOffset(), l.entry()));
                    continue;
                }
                kept.add(new Checkpoint.PositionedEntry(step.baseOffset(), merge(step)));
                for (PartitionView.Located l : step.entries()) {
                    if (!l.entry().isInline()) {
                        dropped.add(l.entry().segmentKey());
                    }
                }
            }
            ProducerStates producers = view.producers().copy();
            producers.expireBefore(now - policy.producerExpiry().toMillis());
            long number = view.checkpointNumber() + 1;
            byte[] token = new byte[16];
            random.nextBytes(token);
            Checkpoint ck = new Checkpoint(number, token, view.head(), plan.startOffset(), view.endOffset(), now,
                    epoch, kept, producers, dropped);
            NumberedLog.Appended result;
            fenceCheck.run();
            try {
                result = checkpoints.append(number, ck.encode());
            } catch (CommitUnknownException e) {
                outcome = CompactionReport.Outcome.UNKNOWN; // leave everything: the checkpoint may name our segments
                return;
            }
            if (result instanceof NumberedLog.Appended.Lost) {
                // Certain: nothing names the segments this run wrote.
                s.deleteAll(written_segments);
                outcome = CompactionReport.Outcome.LOST_RACE;
                return;
            }
            written = number;
            outcome = CompactionReport.Outcome.CHECKPOINTED;
            new HeadHint(number, view.head()).write(s, prefix);
        }

        private CommitRecord.Entry merge(CompactionPolicy.Step step) {
            SegmentWriter w = new SegmentWriter(segmentConfig);
            for (PartitionView.Located l : step.entries()) {
                String source = prefix + (l.commitSeq() < 0 ? "ckpt" : "log/" + l.commitSeq());
                for (Record r : EntryReader.read(s, l.entry(), source, 0, Integer.MAX_VALUE, Long.MAX_VALUE)) {
                    w.append(r);
                }
                bytesRewritten += l.entry().dataBytes();
                entriesMerged++;
            }
            EncodedSegment seg = w.finish();
            String key = prefix + "seg/" + String.format("%013x", clock.millis()) + "-m" + hex(9);
            s.put(key, seg.bytes());
            written_segments.add(key);
            segmentsWritten++;
            SegmentInfo info = seg.info();
            return new CommitRecord.Entry(info.recordCount(), info.minTimestamp(), info.maxTimestamp(),
                    ProducerId.NONE, 0, key, seg.bytes().length, info.batches(), null);
        }

        /**
         * Collects garbage behind the newest checkpoint that has been durable for the grace period (the basis):
         * segments dropped by it and older checkpoints, commit records it covers, older checkpoints, and orphan
         * segments older than the grace period that nothing names.
         */
        void collect() {
            long now = clock.millis();
            long graceMillis = config.gcGrace().toMillis();
            long newest = checkpoints.findHead(Math.max(written, view.checkpointNumber()));
            List<Checkpoint> young = new ArrayList<>();   // newer than the basis
            List<Checkpoint> old = new ArrayList<>();     // the basis and older ones still present
            Map<Long, Integer> checkpointSizes = new HashMap<>();
            for (long n = newest; n > 0; n--) {
                Optional<ObjectData> d = checkpoints.read(n);
                if (d.isEmpty()) {
                    break;
                }
                checkpointSizes.put(n, d.get().bytes().length);
                Checkpoint ck = Checkpoint.decode(d.get().bytes(), d.get().key(), n);
                if (old.isEmpty() && ck.writtenAtMillis() > now - graceMillis) {
                    young.add(ck);
                } else {
                    old.add(ck);
                }
            }
            Set<String> live = new HashSet<>(written_segments);
            for (Checkpoint ck : young) {
                ck.entries().forEach(e -> addSegment(live, e.entry()));
                live.addAll(ck.dropped());
            }
            view.entries().values().forEach(l -> addSegment(live, l.entry()));
            if (!old.isEmpty()) {
                Checkpoint basis = old.get(0);
                basis.entries().forEach(e -> addSegment(live, e.entry()));
            }
            List<ObjectInfo> segments = s.listAll(prefix + "seg/"); // sizes, and the candidates for orphans
            Map<String, Long> segmentSizes = new HashMap<>();
            segments.forEach(o -> segmentSizes.put(o.key(), o.size()));
            Set<String> droppedSegments = new LinkedHashSet<>();
            if (!old.isEmpty()) {
                Checkpoint basis = old.get(0);
                old.forEach(ck -> droppedSegments.addAll(ck.dropped()));
                droppedSegments.removeAll(live);
                if (!droppedSegments.isEmpty()) {
                    fenceCheck.run();
                    s.deleteAll(droppedSegments);
                    segmentsDeleted += droppedSegments.size();
                    droppedSegments.forEach(k -> bytesDeleted += segmentSizes.getOrDefault(k, 0L));
                }
                commitsDeleted += deleteCommitsUpTo(basis.coversSeq());
                List<String> oldCheckpoints = new ArrayList<>();
                for (Checkpoint ck : old.subList(1, old.size())) {
                    oldCheckpoints.add(checkpoints.key(ck.number()));
                    bytesDeleted += checkpointSizes.getOrDefault(ck.number(), 0);
                }
                if (!oldCheckpoints.isEmpty()) {
                    fenceCheck.run();
                    s.deleteAll(oldCheckpoints);
                    checkpointsDeleted += oldCheckpoints.size();
                }
            }
            List<String> orphans = new ArrayList<>();
            long orphanBytes = 0;
            for (ObjectInfo o : segments) {
                if (!live.contains(o.key()) && !droppedSegments.contains(o.key()) && o.lastModified().toEpochMilli() < now - graceMillis) {
                    orphans.add(o.key());
                    orphanBytes += o.size();
                }
            }
            if (!orphans.isEmpty()) {
                fenceCheck.run();
                s.deleteAll(orphans);
                orphansDeleted += orphans.size();
                bytesDeleted += orphanBytes;
            }
        }

        private int deleteCommitsUpTo(long seq) {
            String last = commits.key(seq);
            List<String> keys = new ArrayList<>();
            long bytes = 0;
            for (ObjectInfo o : s.listAll(commits.prefix())) {
                if (io.silt.storage.ObjectKeys.compareUtf8(o.key(), last) <= 0) {
                    keys.add(o.key());
                    bytes += o.size();
                }
            }
            if (!keys.isEmpty()) {
                fenceCheck.run();
                s.deleteAll(keys);
                bytesDeleted += bytes;
            }
            return keys.size();
        }
    }

    private static void addSegment(Set<String> live, CommitRecord.Entry e) {
        if (!e.isInline()) {
            live.add(e.segmentKey());
        }
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
