package io.silt.cli;

import io.silt.storage.ObjectData;
import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectStore;
import io.silt.storage.log.Checkpoint;
import io.silt.storage.log.CommitRecord;
import io.silt.storage.log.CorruptObjectException;
import io.silt.storage.log.NumberedLog;
import io.silt.storage.log.TopicDescription;
import io.silt.storage.log.Topics;
import io.silt.storage.log.UnsupportedFormatException;
import io.silt.storage.log.segment.SegmentReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code silt fsck [TOPIC]}: a read-only check of the stored logs (RFC 0002, 0004). For every partition it reads the
 * newest checkpoint and the commit records after it, checks that their numbers have no gaps and their offsets are
 * contiguous, and reads every segment they reference in full, so each batch passes its CRC32C. It counts, without
 * calling them problems, the orphan segments (referenced by neither) and the objects awaiting garbage collection
 * (older commit records and checkpoints, and the segments the newest checkpoint dropped). It only reads and lists:
 * GET, HEAD and LIST, never a write or a delete. One line per partition on standard output, a summary on standard
 * error; exit 1 if any partition has a problem.
 */
@Command(name = "fsck", mixinStandardHelpOptions = true,
        description = {"Check the stored logs of all topics (or of one topic), without changing anything.",
                "Per partition: every object the newest checkpoint and the later commit records reference exists "
                        + "and passes its CRC, commit numbers have no gaps, offsets are contiguous. Counts orphan "
                        + "segments and objects awaiting garbage collection. Exit 1 if a problem was found."})
final class FsckCommand extends SiltCommand {
    @Parameters(paramLabel = "TOPIC", arity = "0..1", description = "The topic (default: all topics).")
    String topic;

    @Override
    int run() {
        try (ObjectStore store = options.openStore()) {
            Topics topics = new Topics(store, Clock.systemUTC(), new SplittableRandom());
            List<TopicDescription> checked = new ArrayList<>();
            if (topic != null) {
                checked.add(topics.require(topic));
            } else {
                for (String name : topics.list()) {
                    topics.describe(name).ifPresent(checked::add); // deleted since the listing: nothing to check
                }
            }
            int partitions = 0;
            int failed = 0;
            int problems = 0;
            for (TopicDescription d : checked) {
                for (int p = 0; p < d.config().partitions(); p++) {
                    String name = d.name() + "-" + p;
                    PartitionCheck check = new PartitionCheck(store, d.partitionPrefix(p));
                    check.run();
                    partitions++;
                    if (check.problems.isEmpty()) {
                        out().println(name + ": OK, " + check.summary());
                    } else {
                        failed++;
                        problems += check.problems.size();
                        for (String problem : check.problems) {
                            out().println(name + ": PROBLEM: " + problem);
                        }
                    }
                }
            }
            err().println("fsck: " + partitions + " partitions of " + checked.size() + " topics checked, "
                    + (failed == 0 ? "no problems" : failed + " with problems (" + problems + " problems)"));
            return failed == 0 ? OK : FAILED;
        }
    }

    /** The check of one partition: what it found and counted. */
    private static final class PartitionCheck {
        private final ObjectStore store;
        private final String prefix;
        private final NumberedLog commits;
        private final NumberedLog checkpoints;
        final List<String> problems = new ArrayList<>();

        private long checkpointNumber;
        private long coversSeq;
        private long startOffset;
        private long endOffset;
        private long head;
        private final Set<String> referenced = new HashSet<>();
        private final Set<String> checkedSegments = new HashSet<>();
        private int orphans;
        private int awaitingGc;

        PartitionCheck(ObjectStore store, String prefix) {
            this.store = store;
            this.prefix = prefix;
            this.commits = new NumberedLog(store, prefix + "log/", 0);
            this.checkpoints = new NumberedLog(store, prefix + "ckpt/", 0);
        }

        void run() {
            TreeSet<Long> listedCommits = numbers(commits.prefix());
            TreeSet<Long> listedCheckpoints = numbers(checkpoints.prefix());
            List<ObjectInfo> segments = store.listAll(prefix + "seg/");
            Checkpoint ck = newestCheckpoint(listedCheckpoints);
            if (ck == null && !problems.isEmpty()) {
                return; // the newest checkpoint is unreadable: nothing after it can be placed
            }
            List<String> dropped = List.of();
            if (ck != null) {
                coversSeq = ck.coversSeq();
                startOffset = ck.startOffset();
                endOffset = ck.endOffset();
                dropped = ck.dropped();
                for (Checkpoint.PositionedEntry e : ck.entries()) {
                    checkEntry(e.entry(), e.baseOffset(), "checkpoint " + checkpoints.key(checkpointNumber));
                }
            }
            head = coversSeq;
            Long beyond = readCommitsAfterCheckpoint() ? listedCommits.higher(head) : null;
            if (beyond != null) {
                problems.add("commit record " + commits.key(head + 1) + " is missing but " + commits.key(beyond)
                        + " exists: a gap in the commit numbers");
            }
            awaitingGc = listedCommits.headSet(coversSeq, true).size()
                    + listedCheckpoints.headSet(checkpointNumber, false).size();
            Set<String> droppedSet = new HashSet<>(dropped);
            for (ObjectInfo o : segments) {
                if (droppedSet.contains(o.key())) {
                    awaitingGc++;
                } else if (!referenced.contains(o.key())) {
                    orphans++;
                }
            }
        }

        /** The newest checkpoint: the highest listed number, then probed forward in case one was written since. */
        private Checkpoint newestCheckpoint(TreeSet<Long> listed) {
            long n = listed.isEmpty() ? 0 : listed.last();
            while (checkpoints.exists(n + 1)) {
                n++;
            }
            if (n == 0) {
                return null;
            }
            Optional<ObjectData> data = checkpoints.read(n);
            if (data.isEmpty()) {
                problems.add("checkpoint " + checkpoints.key(n) + " is listed but cannot be read");
                return null;
            }
            checkpointNumber = n;
            try {
                return Checkpoint.decode(data.get().bytes(), data.get().key(), n);
            } catch (CorruptObjectException | UnsupportedFormatException e) {
                problems.add(describe(e));
                return null;
            }
        }

        /**
         * Reads the commit records after the checkpoint with GETs until the first 404, checking each.
         *
         * @return whether it reached the 404 (false: it stopped at a record it could not follow)
         */
        private boolean readCommitsAfterCheckpoint() {
            while (true) {
                long seq = head + 1;
                Optional<ObjectData> data = commits.read(seq);
                if (data.isEmpty()) {
                    return true;
                }
                CommitRecord r;
                try {
                    r = CommitRecord.decode(data.get().bytes(), data.get().key(), seq);
                } catch (CorruptObjectException | UnsupportedFormatException e) {
                    problems.add(describe(e));
                    return false;
                }
                if (r.baseOffset() != endOffset) {
                    problems.add("commit record " + commits.key(seq) + " starts at offset " + r.baseOffset()
                            + " but the records before it end at " + endOffset + ": offsets are not contiguous");
                    return false;
                }
                long offset = r.baseOffset();
                for (CommitRecord.Entry e : r.entries()) {
                    checkEntry(e, offset, "commit record " + commits.key(seq));
                    offset += e.recordCount();
                }
                endOffset = r.endOffset();
                head = seq;
            }
        }

        /** Reads an entry's records in full: every batch is checked against its CRC32C and the count compared. */
        private void checkEntry(CommitRecord.Entry e, long baseOffset, String source) {
            String at = " (offsets " + baseOffset + ".." + (baseOffset + e.recordCount()) + ", referenced by "
                    + source + ")";
            if (e.isInline()) {
                try {
                    int n = SegmentReader.readInline(source, e.inline(), 0, e.inline().length).records().size();
                    if (n != e.recordCount()) {
                        problems.add("inline batch holds " + n + " records, not " + e.recordCount() + at);
                    }
                } catch (CorruptObjectException ex) {
                    problems.add(describe(ex) + at);
                }
                return;
            }
            String key = e.segmentKey();
            referenced.add(key);
            if (!checkedSegments.add(key)) {
                return;
            }
            Optional<ObjectData> data = store.get(key);
            if (data.isEmpty()) {
                problems.add("segment '" + key + "' is missing" + at);
                return;
            }
            try {
                int n = SegmentReader.readObject(key, data.get().bytes()).records().size();
                if (n != e.recordCount()) {
                    problems.add("segment '" + key + "' holds " + n + " records, not " + e.recordCount() + at);
                } else if (data.get().bytes().length != e.segmentSize()) {
                    problems.add("segment '" + key + "' is " + data.get().bytes().length + " bytes, not "
                            + e.segmentSize() + at);
                }
            } catch (CorruptObjectException ex) {
                problems.add(describe(ex) + at);
            }
        }

        /** The numbers of the records listed under a numbered log's prefix. */
        private TreeSet<Long> numbers(String logPrefix) {
            TreeSet<Long> out = new TreeSet<>();
            for (ObjectInfo o : store.listAll(logPrefix)) {
                try {
                    out.add(Long.parseLong(o.key().substring(logPrefix.length())));
                } catch (NumberFormatException ignored) {
                    // not a numbered record: not part of the log
                }
            }
            return out;
        }

        String summary() {
            long after = head - coversSeq;
            String commitsPart = checkpointNumber == 0
                    ? after + " commits, no checkpoint"
                    : after + " commits after checkpoint " + checkpointNumber;
            return "offsets " + startOffset + ".." + endOffset + ", " + commitsPart + ", " + checkedSegments.size()
                    + " segments, " + orphans + " orphans, " + awaitingGc + " awaiting GC";
        }
    }
}
