package io.silt.storage.log;

import io.silt.storage.ObjectData;
import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectStore;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * What one process knows of a partition: the newest checkpoint it found and the commit records after it, as a map
 * from offsets to entries, plus the producers' state. Opening costs O(1) requests however long the history: the
 * head hint, the newest checkpoint, a probe past it, and the commit records written since that checkpoint (RFC
 * 0004). Not thread-safe.
 */
public final class PartitionView {
    /** An entry of the log and where it sits. */
    public record Located(long baseOffset, CommitRecord.Entry entry, long commitSeq, long commitTimeMillis) {
        public long endOffset() {
            return baseOffset + entry.recordCount();
        }
    }

    private final ObjectStore store;
    private final String prefix;
    private final NumberedLog commits;
    private final NumberedLog checkpoints;
    private final LongSupplier nanoTime;
    private final long staleAfterNanos;
    private final boolean keepEntries;

    private final TreeMap<Long, Located> entries = new TreeMap<>();
    private Checkpoint checkpoint;
    private long checkpointNumber;
    private long head;
    private long startOffset;
    private long endOffset;
    private ProducerStates producers = new ProducerStates();
    private long validatedNanos;

    private PartitionView(ObjectStore store, String prefix, LogConfig config, LongSupplier nanoTime,
                          boolean keepEntries) {
        this.keepEntries = keepEntries;
        this.store = store;
        this.prefix = prefix;
        this.commits = commitLog(store, prefix, config);
        this.checkpoints = checkpointLog(store, prefix, config);
        this.nanoTime = nanoTime;
        this.staleAfterNanos = config.gcGrace().toNanos() / 2;
    }

    static NumberedLog commitLog(ObjectStore store, String prefix, LogConfig config) {
        return new NumberedLog(store, prefix + "log/", config.unknownRetries());
    }

    static NumberedLog checkpointLog(ObjectStore store, String prefix, LogConfig config) {
        return new NumberedLog(store, prefix + "ckpt/", config.unknownRetries());
    }

    /**
     * Opens a partition's log.
     *
     * @throws StaleLogViewException if garbage collection removed records while they were being read (try again)
     */
    public static PartitionView open(ObjectStore store, String prefix, LogConfig config, LongSupplier nanoTime) {
        PartitionView v = new PartitionView(store, prefix, config, nanoTime, true);
        v.load();
        return v;
    }

    /** Opens a view that tracks only the head, end offset and producers, not the entries: what a writer needs. */
    public static PartitionView openForWriting(ObjectStore store, String prefix, LogConfig config,
                                               LongSupplier nanoTime) {
        PartitionView v = new PartitionView(store, prefix, config, nanoTime, false);
        v.load();
        return v;
    }

    private void load() {
        long started = nanoTime.getAsLong();
        HeadHint hint = HeadHint.read(store, prefix);
        Checkpoint ck = newestCheckpoint(hint.checkpoint());
        entries.clear();
        producers = new ProducerStates();
        if (ck != null) {
            for (Checkpoint.PositionedEntry e : keepEntries ? ck.entries() : List.<Checkpoint.PositionedEntry>of()) {
                entries.put(e.baseOffset(), new Located(e.baseOffset(), e.entry(), -1, ck.writtenAtMillis()));
            }
            producers = ck.producers().copy();
            head = ck.coversSeq();
            startOffset = ck.startOffset();
            endOffset = ck.endOffset();
        } else {
            head = 0;
            startOffset = 0;
            endOffset = 0;
        }
        checkpoint = ck;
        long target = commits.findHead(Math.max(head, hint.commitSeq()));
        boolean trustedHint = hint.commitSeq() <= head;
        while (head < target) {
            Optional<CommitRecord> next = readCommit(head + 1);
            if (next.isEmpty()) {
                if (!trustedHint) {
                    // The hint named a number past the real head (hints are never trusted): probe from what we know.
                    trustedHint = true;
                    target = commits.findHead(head);
                    continue;
                }
                throw new StaleLogViewException("commit record " + commits.key(head + 1) + " disappeared while the "
                        + "partition was opened; garbage collection passed this view; open it again");
            }
            absorb(next.get());
        }
        validatedNanos = started;
    }

    /** The newest checkpoint at or after {@code hint}, or {@code null} if there is none. */
    private Checkpoint newestCheckpoint(long hint) {
        long n = checkpoints.findHead(hint);
        if (n == 0) {
            return null;
        }
        Optional<ObjectData> data = checkpoints.read(n);
        if (data.isEmpty()) {
            // The hint named a checkpoint that was collected, and nothing newer follows it: find the newest by
            // listing (rare; only after a very stale hint).
            n = 0;
            for (ObjectInfo o : store.listAll(checkpoints.prefix())) {
                n = Math.max(n, parseNumber(o.key().substring(checkpoints.prefix().length())));
            }
            if (n == 0) {
                return null;
            }
            n = checkpoints.findHead(n);
            data = checkpoints.read(n);
            if (data.isEmpty()) {
                throw new StaleLogViewException("checkpoint " + checkpoints.key(n) + " disappeared while read");
            }
        }
        checkpointNumber = n;
        return Checkpoint.decode(data.get().bytes(), data.get().key(), n);
    }

    private static long parseNumber(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private Optional<CommitRecord> readCommit(long seq) {
        return commits.read(seq).map(d -> CommitRecord.decode(d.bytes(), d.key(), seq));
    }

    /** Adds a commit record that follows the current head. */
    void absorb(CommitRecord r) {
        if (r.seq() != head + 1) {
            throw new IllegalStateException("commit " + r.seq() + " does not follow " + head);
        }
        if (r.baseOffset() != endOffset) {
            throw new CorruptObjectException("commit record " + commits.key(r.seq()) + " starts at offset "
                    + r.baseOffset() + " but the previous record ends at " + endOffset);
        }
        long o = r.baseOffset();
        for (CommitRecord.Entry e : keepEntries ? r.entries() : List.<CommitRecord.Entry>of()) {
            entries.put(o, new Located(o, e, r.seq(), r.commitTimeMillis()));
            o += e.recordCount();
        }
        producers.apply(r);
        head = r.seq();
        endOffset = r.endOffset();
    }

    /**
     * Reads the commit records written since this view was last brought up to date: one GET (a 404) when there is
     * nothing new. If nothing is new and the view is older than half the grace period, it also checks that no newer
     * checkpoint has passed it, and reloads if one has.
     *
     * @return whether anything new was found
     */
    public boolean refresh() {
        boolean found = false;
        while (true) {
            Optional<CommitRecord> next = readCommit(head + 1);
            if (next.isEmpty()) {
                break;
            }
            absorb(next.get());
            found = true;
        }
        if (!found && nanoTime.getAsLong() - validatedNanos > staleAfterNanos) {
            long before = head;
            reloadIfPassed();
            found = head > before;
        }
        return found;
    }

    /** Whether the view confirmed, less than half the grace period ago, that no newer checkpoint had passed it. */
    public boolean isFresh() {
        return nanoTime.getAsLong() - validatedNanos <= staleAfterNanos;
    }

    /** Reloads from the newest checkpoint if one covers more than this view has. */
    public void reloadIfPassed() {
        long started = nanoTime.getAsLong();
        HeadHint hint = HeadHint.read(store, prefix);
        long newest = checkpoints.findHead(Math.max(hint.checkpoint(), checkpointNumber));
        if (newest > checkpointNumber) {
            Optional<ObjectData> d = checkpoints.read(newest);
            if (d.isPresent() && Checkpoint.decode(d.get().bytes(), d.get().key(), newest).coversSeq() > head) {
                load();
                return;
            }
        }
        validatedNanos = started;
    }

    /** Reloads everything (after a 404 on a referenced object, or a stale view). */
    public void reload() {
        load();
    }

    /** The entry holding {@code offset}, if the view has it (start ≤ offset < end). */
    public Optional<Located> locate(long offset) {
        if (offset < startOffset || offset >= endOffset) {
            return Optional.empty();
        }
        Map.Entry<Long, Located> e = entries.floorEntry(offset);
        return e == null ? Optional.empty() : Optional.of(e.getValue());
    }

    /** The first entry whose records may have a timestamp at or after {@code timestamp}. */
    public Optional<Located> firstAtOrAfter(long timestamp) {
        for (Located l : entries.values()) {
            if (l.entry().maxTimestamp() >= timestamp) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    public NavigableMap<Long, Located> entries() {
        return java.util.Collections.unmodifiableNavigableMap(entries);
    }

    public long head() {
        return head;
    }

    public long startOffset() {
        return startOffset;
    }

    public long endOffset() {
        return endOffset;
    }

    public ProducerStates producers() {
        return producers;
    }

    /** The checkpoint the view was loaded from, if any. */
    public Optional<Checkpoint> checkpoint() {
        return Optional.ofNullable(checkpoint);
    }

    public long checkpointNumber() {
        return checkpointNumber;
    }

    /** When ({@code nanoTime}) this view last confirmed that no newer checkpoint had passed it. */
    public long validatedNanos() {
        return validatedNanos;
    }

    public String prefix() {
        return prefix;
    }
}
