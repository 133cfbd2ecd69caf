package io.silt.storage.log;

import io.silt.storage.ObjectData;
import io.silt.storage.ObjectStore;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The one committer of a partition in this process (group commit, DESIGN rule 3). Batches upload as their own
 * segments at once and in parallel (small ones stay inline); every batch whose upload has finished is folded into
 * the next commit record, created with {@code If-None-Match: *} at {@code head + 1}. A lost race reads the
 * winner's record and tries the next number with the same segments. Idle, it makes no requests. See RFC 0002.
 *
 * <p>Thread-safe. Commits run on the given executor, one at a time.
 */
public final class PartitionWriter {
    private static final System.Logger LOG = System.getLogger(PartitionWriter.class.getName());

    private final ObjectStore store;
    private final String prefix;
    private final String name;
    private final NumberedLog log;
    private final LogConfig config;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final RandomGenerator random;
    private final Executor executor;

    private final Object lock = new Object();
    private final List<Pending> ready = new ArrayList<>();
    private final Map<Long, ArrayDeque<Slot>> inFlight = new HashMap<>();
    private boolean committing;

    // Owned by the committing task (one at a time; handed over under the lock).
    private PartitionView view;
    private volatile long knownHead;
    private volatile long knownEndOffset;

    private record Pending(PreparedBatch batch, String segmentKey, long uploadedNanos,
                           CompletableFuture<AppendResult> result) {}

    /** A batch from append until it is ready to commit; guarded by {@code lock}. */
    private static final class Slot {
        final PreparedBatch batch;
        final CompletableFuture<AppendResult> result;
        Pending pending;
        boolean done;

        Slot(PreparedBatch batch, CompletableFuture<AppendResult> result) {
            this.batch = batch;
            this.result = result;
        }
    }

    /**
     * @param prefix the partition's key prefix ({@link TopicDescription#partitionPrefix(int)})
     * @param executor runs uploads and commits; use a pool with a few threads per busy partition
     */
    public PartitionWriter(ObjectStore store, String prefix, LogConfig config, Clock clock, LongSupplier nanoTime,
                           RandomGenerator random, Executor executor) {
        this.store = store;
        this.prefix = prefix;
        this.name = store.describe() + "/" + prefix;
        this.log = new NumberedLog(store, prefix + "log/", config.unknownRetries());
        this.config = config;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.random = random;
        this.executor = executor;
    }

    /**
     * Appends a batch. The future completes once the commit record naming it is durable, with its offsets; or
     * exceptionally with {@link ProducerFencedException}, {@link OutOfOrderSequenceException},
     * {@link CommitUnknownException} (outcome unknown: retry with the same producer sequence to learn it) or a
     * store error.
     */
    public CompletableFuture<AppendResult> append(PreparedBatch batch) {
        CompletableFuture<AppendResult> result = new CompletableFuture<>();
        Slot slot = new Slot(batch, result);
        if (batch.producer().isIdempotent()) {
            synchronized (lock) {
                inFlight.computeIfAbsent(batch.producer().id(), id -> new ArrayDeque<>()).addLast(slot);
            }
        }
        if (batch.segment().length <= config.inlineThreshold()) {
            uploaded(slot, new Pending(batch, null, nanoTime.getAsLong(), result));
        } else {
            executor.execute(() -> upload(slot));
        }
        return result;
    }

    /** The number of the newest commit record this writer knows of. */
    public long knownHead() {
        return knownHead;
    }

    /** The offset the next appended record will get, as far as this writer knows. */
    public long knownEndOffset() {
        return knownEndOffset;
    }

    private void upload(Slot slot) {
        try {
            String key = newSegmentKey();
            store.put(key, slot.batch.segment());
            uploaded(slot, new Pending(slot.batch, key, nanoTime.getAsLong(), slot.result));
        } catch (RuntimeException e) {
            slot.result.completeExceptionally(e);
            uploaded(slot, null);
        }
    }

    /** The generator need not be thread-safe: uploads and commits draw from it on several threads. */
    private void randomBytes(byte[] out) {
        synchronized (random) {
            random.nextBytes(out);
        }
    }

    private String newSegmentKey() {
        byte[] id = new byte[10];
        randomBytes(id);
        return prefix + "seg/" + String.format("%013x", clock.millis()) + "-" + HexFormat.of().formatHex(id);
    }

    /**
     * Makes a batch ready to commit ({@code p} is {@code null} if its upload failed). An idempotent producer's
     * batches become ready in the order they were appended, whatever order their uploads finish in, so that its
     * sequence numbers reach the log in order.
     */
    private void uploaded(Slot slot, Pending p) {
        synchronized (lock) {
            slot.pending = p;
            slot.done = true;
            if (!slot.batch.producer().isIdempotent()) {
                if (p != null) {
                    ready.add(p);
                }
            } else {
                long id = slot.batch.producer().id();
                ArrayDeque<Slot> queue = inFlight.get(id);
                while (!queue.isEmpty() && queue.peekFirst().done) {
                    Slot next = queue.pollFirst();
                    if (next.pending != null) {
                        ready.add(next.pending);
                    }
                }
                if (queue.isEmpty()) {
                    inFlight.remove(id);
                }
            }
            if (committing || ready.isEmpty()) {
                return; // a running commit picks it up when it finishes
            }
            committing = true;
        }
        executor.execute(this::commitLoop);
    }

    private void commitLoop() {
        while (true) {
            List<Pending> group;
            synchronized (lock) {
                if (ready.isEmpty()) {
                    committing = false;
                    return;
                }
                group = new ArrayList<>(ready);
                ready.clear();
            }
            try {
                commit(group);
            } catch (RuntimeException | Error e) {
                boolean retriable = (e instanceof LogException le && le.isRetriable())
                        || (e instanceof io.silt.storage.ObjectStoreException se && se.isRetriable());
                LOG.log(retriable ? Level.DEBUG : Level.WARNING, "commit to " + name + " failed", e);
                for (Pending p : group) {
                    p.result().completeExceptionally(e);
                }
                view = null;
            }
        }
    }

    private void commit(List<Pending> group) {
        if (view == null) {
            view = PartitionView.openForWriting(store, prefix, config, nanoTime);
        } else if (!view.isFresh()) {
            view.reloadIfPassed(); // keeps the GC-trap argument of RFC 0002 valid for the next win
        }
        List<Pending> todo = refreshStaleSegments(group);
        int lost = 0;
        while (!todo.isEmpty()) {
            ProducerStates tentative = view.producers().copy();
            List<CommitRecord.Entry> entries = new ArrayList<>();
            List<Pending> included = new ArrayList<>();
            List<Long> offsets = new ArrayList<>();
            long offset = view.endOffset();
            for (Pending p : todo) {
                PreparedBatch b = p.batch();
                try {
                    ProducerStates.Verdict v = tentative.check(b.producer(), b.firstSequence(), b.recordCount(), name);
                    if (v instanceof ProducerStates.Verdict.Duplicate d) {
                        p.result().complete(new AppendResult(d.baseOffset(), b.recordCount(), -1, true));
                        continue;
                    }
                } catch (LogException e) {
                    p.result().completeExceptionally(e);
                    continue;
                }
                tentative.apply(b.producer(), b.firstSequence(), b.recordCount(), offset, clock.millis());
                entries.add(entry(p));
                included.add(p);
                offsets.add(offset);
                offset += b.recordCount();
            }
            if (included.isEmpty()) {
                return;
            }
            long seq = view.head() + 1;
            byte[] token = new byte[16];
            randomBytes(token);
            CommitRecord record = new CommitRecord(seq, token, view.endOffset(), clock.millis(), entries);
            NumberedLog.Appended outcome;
            try {
                outcome = log.append(seq, record.encode());
            } catch (StaleLogViewException e) {
                view = PartitionView.openForWriting(store, prefix, config, nanoTime);
                todo = included;
                continue;
            }
            if (outcome instanceof NumberedLog.Appended.Won) {
                checkNotCollected(seq);
                restoreCollectedSegments(seq, included);
                view.absorb(record);
                publish();
                for (int i = 0; i < included.size(); i++) {
                    Pending p = included.get(i);
                    p.result().complete(new AppendResult(offsets.get(i), p.batch().recordCount(), seq, false));
                }
                return;
            }
            ObjectData winner = ((NumberedLog.Appended.Lost) outcome).winner();
            view.absorb(CommitRecord.decode(winner.bytes(), winner.key(), seq));
            // Catch up with GETs before the next try: under contention more numbers were usually taken meanwhile,
            // and walking them one lost create-only PUT (plus a GET of its winner) at a time costs 12.5x a GET each
            // and is slower than the log grows with many writers (a committer could then never catch up).
            view.refresh();
            publish();
            if (++lost >= config.maxLostRaces()) {
                LogException e = new CommitContentionException("gave up committing to " + name + " after losing "
                        + lost + " races in a row; nothing of these batches was committed; try again");
                included.forEach(p -> p.result().completeExceptionally(e));
                return;
            }
            todo = included;
        }
    }

    /**
     * The GC trap (DESIGN rule 8): a number behind the GC boundary can be created again by a stalled writer. A win
     * is genuine if it arrived within half the grace period of the view's last check that no checkpoint had passed
     * it. Otherwise check now; if a checkpoint covers the number, the outcome cannot be told apart: say so.
     */
    private void checkNotCollected(long seq) {
        if (view.isFresh()) {
            return;
        }
        try {
            view.reloadIfPassed();
        } catch (RuntimeException e) {
            view = null;
            throw new CommitUnknownException("commit " + seq + " to " + name + " was written, but checking that no "
                    + "checkpoint had passed it failed; whether the batch counts cannot be told. Retry with the "
                    + "same producer sequence to find out", e);
        }
        if (view.head() >= seq) {
            view = null;
            throw new CommitUnknownException("commit " + seq + " to " + name + " took longer than half the GC "
                    + "grace period and a checkpoint now covers that number; whether the batch is in the log "
                    + "cannot be told. Retry with the same producer sequence to find out", null);
        }
    }

    /**
     * The orphan trap (DESIGN rule 8): a segment that was young when the commit started may be old by the time the
     * commit landed, if this writer stalled in between (a paused process, a long GC pause), and orphan collection may
     * have deleted it meanwhile: the won commit would name a missing object. After such a slow win, check the segments
     * that passed half the grace period, and upload any that are gone again under the same key, before anything is
     * acknowledged. From the commit on they are referenced, so collection keeps them. A fast win costs nothing.
     */
    private void restoreCollectedSegments(long seq, List<Pending> included) {
        long limit = config.gcGrace().toNanos() / 2;
        long now = nanoTime.getAsLong();
        for (Pending p : included) {
            if (p.segmentKey() != null && now - p.uploadedNanos() > limit && store.head(p.segmentKey()).isEmpty()) {
                store.put(p.segmentKey(), p.batch().segment());
                LOG.log(Level.WARNING, () -> "commit " + seq + " to " + name + " landed more than half the GC grace "
                        + "period after its segment " + p.segmentKey() + " was uploaded, and orphan collection had "
                        + "deleted the segment; uploaded it again under the same key");
            }
        }
    }

    private void publish() {
        knownHead = view.head();
        knownEndOffset = view.endOffset();
    }

    private CommitRecord.Entry entry(Pending p) {
        PreparedBatch b = p.batch();
        return p.segmentKey() == null
                ? new CommitRecord.Entry(b.recordCount(), b.minTimestamp(), b.maxTimestamp(), b.producer(),
                        b.firstSequence(), null, 0, List.of(), b.batchesOnly())
                : new CommitRecord.Entry(b.recordCount(), b.minTimestamp(), b.maxTimestamp(), b.producer(),
                        b.firstSequence(), p.segmentKey(), b.segment().length, b.index(), null);
    }

    /**
     * Uploads again, under new keys, the segments that waited longer than half the GC grace period: orphan
     * collection may delete a segment that old (DESIGN rule 8).
     */
    private List<Pending> refreshStaleSegments(List<Pending> group) {
        long limit = config.gcGrace().toNanos() / 2;
        long now = nanoTime.getAsLong();
        List<Pending> out = new ArrayList<>(group.size());
        for (Pending p : group) {
            if (p.segmentKey() != null && now - p.uploadedNanos() > limit) {
                String key = newSegmentKey();
                store.put(key, p.batch().segment());
                LOG.log(Level.DEBUG, () -> "segment " + p.segmentKey() + " waited past half the grace period; "
                        + "uploaded again as " + key);
                out.add(new Pending(p.batch(), key, nanoTime.getAsLong(), p.result()));
            } else {
                out.add(p);
            }
        }
        return out;
    }

}
