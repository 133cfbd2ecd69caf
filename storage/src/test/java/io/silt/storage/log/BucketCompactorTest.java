package io.silt.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.storage.ByteRange;
import io.silt.storage.CreateResult;
import io.silt.storage.ForwardingObjectStore;
import io.silt.storage.InMemoryObjectStore;
import io.silt.storage.ListPage;
import io.silt.storage.ObjectData;
import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectStore;
import io.silt.storage.StoreUnavailableException;
import io.silt.storage.log.segment.Record;
import io.silt.storage.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Whole-bucket compaction runs under the lease, with a manual clock: nothing sleeps to make time pass. */
class BucketCompactorTest {
    private static final Duration GRACE = Duration.ofMinutes(30);
    private static final TopicConfig KEEP_ALL_1 = new TopicConfig(1, Optional.empty(), Optional.empty());

    private final ManualClock clock = new ManualClock();
    private final InMemoryObjectStore store = new InMemoryObjectStore(clock);
    private final LogConfig config = LogConfig.DEFAULTS.withGcGrace(GRACE).withInlineThreshold(1024);
    private final CompactionRunPolicy policy = CompactionRunPolicy.DEFAULTS.withGrace(GRACE);
    private final Topics topics = new Topics(store, clock, new SplittableRandom(7));
    private final List<ExecutorService> pools = new ArrayList<>();

    @AfterEach
    void stop() {
        pools.forEach(ExecutorService::shutdownNow);
    }

    private ExecutorService pool(int threads) {
        ExecutorService p = Executors.newFixedThreadPool(threads);
        pools.add(p);
        return p;
    }

    private BucketCompactor compactor(ObjectStore s, String owner, CompactionRunPolicy p) {
        return new BucketCompactor(s, config, p, owner, clock, clock::nanoTime, new SplittableRandom(owner.hashCode()),
                clock::advance);
    }

    private BucketCompactor compactor(ObjectStore s, String owner) {
        return compactor(s, owner, policy);
    }

    private PartitionWriter writer(TopicDescription d, int partition, LogConfig c) {
        return new PartitionWriter(store, d.partitionPrefix(partition), c, clock, clock::nanoTime,
                new SplittableRandom(partition), pool(2));
    }

    private List<Record> append(TopicDescription d, int partition, int batches, int perBatch, int size) {
        return append(d, partition, batches, perBatch, size, config);
    }

    private List<Record> append(TopicDescription d, int partition, int batches, int perBatch, int size,
                                LogConfig c) {
        PartitionWriter w = writer(d, partition, c);
        List<Record> all = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            List<Record> rs = PartitionLogContract.records("b" + b, perBatch, size, clock.millis());
            w.append(PartitionLogContract.batch(ProducerId.NONE, 0, rs)).join();
            all.addAll(rs);
        }
        return all;
    }

    private PartitionReader reader(TopicDescription d, int partition) {
        return new PartitionReader(store, d.partitionPrefix(partition), config, clock::nanoTime);
    }

    private List<Record> readAll(TopicDescription d, int partition, long from) {
        return PartitionLogContract.readAll(reader(d, partition), from).stream().map(LogRecord::record).toList();
    }

    private boolean hasCheckpoint(TopicDescription d, int partition) {
        return store.head(NumberedLog.key(d.partitionPrefix(partition) + "ckpt/", 1)).isPresent();
    }

    @Test
    void aRunCompactsEveryPartitionOfEveryTopicAndReleasesTheLease() {
        TopicDescription a = topics.create("alpha", TopicConfig.of(2));
        TopicDescription b = topics.create("beta", TopicConfig.of(1));
        Map<String, List<Record>> written = new HashMap<>();
        for (TopicDescription d : List.of(a, b)) {
            for (int p = 0; p < d.config().partitions(); p++) {
                written.put(d.name() + p, append(d, p, 10, 3, 30)); // small inline entries: merged
            }
        }
        BucketCompactionReport report = compactor(store, "one").runOnce();
        assertThat(report.status()).isEqualTo(BucketCompactionReport.Status.COMPLETED);
        assertThat(report.epoch()).isEqualTo(1);
        assertThat(report.partitionsVisited()).isEqualTo(3);
        assertThat(report.partitionsSkipped()).isZero();
        assertThat(report.checkpointsWritten()).isEqualTo(3);
        assertThat(report.entriesMerged()).isEqualTo(30);
        assertThat(report.requests().puts()).isPositive();
        assertThat(report.duration().isNegative()).isFalse();
        assertThat(report.summary()).contains("completed", "3 partitions visited", "3 checkpoints", "requests")
                .isEqualTo(report.toString());
        for (TopicDescription d : List.of(a, b)) {
            for (int p = 0; p < d.config().partitions(); p++) {
                assertThat(readAll(d, p, 0)).isEqualTo(written.get(d.name() + p));
            }
        }
        // Released: the next compactor runs at once (and finds nothing new to checkpoint).
        BucketCompactionReport next = compactor(store, "two").runOnce();
        assertThat(next.status()).isEqualTo(BucketCompactionReport.Status.COMPLETED);
        assertThat(next.checkpointsWritten()).isZero();
    }

    @Test
    void aRunStartedWhileALongRunHoldsTheLeaseIsBusyAndDoesNotFenceIt() {
        TopicDescription t = topics.create("long", TopicConfig.of(4));
        for (int p = 0; p < 4; p++) {
            append(t, p, 5, 3, 30);
        }
        BucketCompactor second = compactor(store, "second");
        List<BucketCompactionReport> secondReports = new ArrayList<>();
        AtomicInteger checkpoints = new AtomicInteger();
        // Each checkpoint takes 50 s: the run (about 200 s) outlasts the 2-minute lease and must renew it.
        Hooked slow = new Hooked(store, (op, key) -> {
            if (op.equals("putIfAbsent") && key.contains("/ckpt/")) {
                clock.advance(Duration.ofSeconds(50));
                if (checkpoints.incrementAndGet() == 2) {
                    secondReports.add(second.runOnce()); // the next scheduled run starts meanwhile
                }
            }
        });
        BucketCompactionReport first = compactor(slow, "first").runOnce();
        assertThat(secondReports).hasSize(1);
        assertThat(secondReports.get(0).busy()).isTrue();
        assertThat(secondReports.get(0).summary()).contains("busy", "first");
        assertThat(secondReports.get(0).partitionsVisited()).isZero();
        assertThat(first.status()).isEqualTo(BucketCompactionReport.Status.COMPLETED);
        assertThat(first.partitionsVisited()).isEqualTo(4);
        assertThat(first.checkpointsWritten()).isEqualTo(4);
        assertThat(first.duration()).isGreaterThan(policy.leaseDuration());

        BucketCompactionReport after = second.runOnce();
        assertThat(after.status()).isEqualTo(BucketCompactionReport.Status.COMPLETED);
        assertThat(after.epoch()).isGreaterThan(first.epoch());
    }

    @Test
    void aCompactorWhoseLeaseWasTakenOverStopsWithoutWritingOrDeletingAnything() {
        TopicDescription t = topics.create("fenced", new TopicConfig(3, Optional.empty(), Optional.empty()));
        List<String> orphans = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            append(t, p, 10, 3, 30); // inline entries: the run merges before it checkpoints
            String orphan = t.partitionPrefix(p) + "seg/0000000000000-orphan";
            store.put(orphan, new byte[10]);
            orphans.add(orphan);
        }
        clock.advance(GRACE.plusMinutes(1)); // the orphans could be collected now
        CompactorLease thief = new CompactorLease(store, "thief", policy.leaseDuration(), policy.safetyMargin(),
                clock, clock::nanoTime, new SplittableRandom(3));
        AtomicBoolean stolen = new AtomicBoolean();
        // While the first merged segment is written, the compactor stalls past its lease and another takes over.
        Hooked stalling = new Hooked(store, (op, key) -> {
            if (op.equals("put") && key.contains("/seg/") && stolen.compareAndSet(false, true)) {
                assertThat(thief.tryAcquire()).isInstanceOf(CompactorLease.Acquisition.Busy.class);
                clock.advance(policy.leaseDuration().plus(policy.safetyMargin()));
                assertThat(thief.tryAcquire()).isInstanceOf(CompactorLease.Acquisition.Acquired.class);
            }
        });
        BucketCompactionReport report = compactor(stalling, "victim").runOnce();
        assertThat(stolen).isTrue();
        assertThat(report.status()).isEqualTo(BucketCompactionReport.Status.FENCED);
        assertThat(report.checkpointsWritten()).isZero();
        assertThat(report.objectsDeleted()).isZero();
        assertThat(report.requests().deletes()).isZero();
        for (int p = 0; p < 3; p++) {
            assertThat(hasCheckpoint(t, p)).isFalse();
        }
        assertThat(orphans).allSatisfy(o -> assertThat(store.head(o)).isPresent());
        assertThat(thief.isHeld()).isTrue();
        assertThat(store.head(BucketCompactor.CURSOR_KEY)).isEmpty();
    }

    @Test
    void anUnknownOutcomeOfTheLeaseClaimMeansTheRunDoesNothing() {
        TopicDescription t = topics.create("unsure", TopicConfig.of(1));
        append(t, 0, 3, 3, 30);
        ObjectStore unsure = new ForwardingObjectStore(store) {
            @Override
            public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
                if (key.startsWith(CompactorLease.PREFIX)) {
                    return new CreateResult.Unknown(new StoreUnavailableException(
                            StoreUnavailableException.Reason.TIMEOUT, "timed out (test)"));
                }
                return super.putIfAbsent(key, data, metadata);
            }
        };
        BucketCompactionReport report = compactor(unsure, "unsure").runOnce();
        assertThat(report.status()).isEqualTo(BucketCompactionReport.Status.LEASE_UNKNOWN);
        assertThat(report.partitionsVisited()).isZero();
        assertThat(hasCheckpoint(t, 0)).isFalse();
    }

    @Test
    void retentionRemovesExactlyTheExpiredEntriesAndTheirSegmentsGoAfterTheGracePeriod() {
        TopicDescription t = topics.create("retained",
                new TopicConfig(1, Optional.of(Duration.ofHours(1)), Optional.empty()));
        LogConfig segments = config.withInlineThreshold(0);
        append(t, 0, 4, 10, 300, segments);                           // 4 segments at t0
        clock.advance(Duration.ofHours(2));
        List<Record> recent = append(t, 0, 2, 10, 300, segments);     // 2 segments at t0 + 2h
        PartitionView before = PartitionView.open(store, t.partitionPrefix(0), config, clock::nanoTime);
        List<String> expiredSegments = new ArrayList<>();
        List<String> keptSegments = new ArrayList<>();
        long expiredBytes = 0;
        for (PartitionView.Located l : before.entries().values()) {
            assertThat(l.entry().isInline()).isFalse();
            (l.baseOffset() < 40 ? expiredSegments : keptSegments).add(l.entry().segmentKey());
            expiredBytes += l.baseOffset() < 40 ? l.entry().dataBytes() : 0;
        }
        CompactionRunPolicy noMerge = policy.withPartitionPolicy(new CompactionPolicy(0, 1, 0, Duration.ofDays(7)));
        BucketCompactionReport first = compactor(store, "c", noMerge).runOnce();
        assertThat(first.recordsExpired()).isEqualTo(40);
        assertThat(first.bytesExpired()).isEqualTo(expiredBytes);
        PartitionReader r = reader(t, 0);
        assertThat(r.startOffset()).isEqualTo(40);
        assertThat(readAll(t, 0, 40)).isEqualTo(recent);
        assertThat(expiredSegments).allSatisfy(k -> assertThat(store.head(k)).as(k).isPresent()); // grace

        clock.advance(GRACE.plusMinutes(1));
        BucketCompactionReport second = compactor(store, "c", noMerge).runOnce();
        assertThat(second.objectsDeleted()).isGreaterThanOrEqualTo(expiredSegments.size());
        assertThat(second.bytesDeleted()).isGreaterThanOrEqualTo(expiredBytes);
        assertThat(expiredSegments).allSatisfy(k -> assertThat(store.head(k)).as(k).isEmpty());
        assertThat(keptSegments).allSatisfy(k -> assertThat(store.head(k)).as(k).isPresent());
        assertThat(readAll(t, 0, 40)).isEqualTo(recent);
    }

    @Test
    void orphansOlderThanTheGracePeriodAreDeletedAndYoungerOnesAreNot() {
        TopicDescription t = topics.create("orphans", KEEP_ALL_1);
        List<Record> written = append(t, 0, 2, 100, 300);
        String old = t.partitionPrefix(0) + "seg/0000000000000-orphan-old";
        String young = t.partitionPrefix(0) + "seg/0000000000000-orphan-young";
        store.put(old, new byte[10]);
        clock.advance(GRACE.plusMinutes(1));
        store.put(young, new byte[20]);
        BucketCompactionReport report = compactor(store, "c").runOnce();
        assertThat(report.objectsDeleted()).isEqualTo(1);
        assertThat(report.bytesDeleted()).isEqualTo(10);
        assertThat(store.head(old)).isEmpty();
        assertThat(store.head(young)).isPresent();
        assertThat(readAll(t, 0, 0)).isEqualTo(written);

        clock.advance(GRACE.plusMinutes(1));
        compactor(store, "c").runOnce();
        assertThat(store.head(young)).isEmpty();
        assertThat(readAll(t, 0, 0)).isEqualTo(written);
    }

    @Test
    void theBudgetStopsARunAndTheNextRunContinuesWhereItStopped() {
        TopicDescription t = topics.create("wide", new TopicConfig(8, Optional.empty(), Optional.empty()));
        for (int p = 0; p < 8; p++) {
            append(t, p, 2, 3, 30);
        }
        // Every partition takes a minute (its LIST of segments); the budget is 5 minutes with a 30 s reserve.
        Hooked slow = new Hooked(store, (op, key) -> {
            if (op.equals("list") && key.endsWith("/seg/")) {
                clock.advance(Duration.ofMinutes(1));
            }
        });
        CompactionRunPolicy fiveMinutes = policy.withBudget(Duration.ofMinutes(5));
        BucketCompactionReport first = compactor(slow, "c", fiveMinutes).runOnce();
        assertThat(first.status()).isEqualTo(BucketCompactionReport.Status.BUDGET_EXHAUSTED);
        assertThat(first.budgetExhausted()).isTrue();
        assertThat(first.partitionsVisited()).isEqualTo(4);
        assertThat(first.partitionsSkipped()).isEqualTo(4);
        assertThat(first.duration()).isLessThanOrEqualTo(fiveMinutes.budget());
        for (int p = 0; p < 8; p++) {
            assertThat(hasCheckpoint(t, p)).as("partition %d after the first run", p).isEqualTo(p < 4);
        }

        BucketCompactionReport second = compactor(slow, "c", fiveMinutes).runOnce();
        assertThat(second.partitionsVisited()).isEqualTo(4);
        assertThat(second.checkpointsWritten()).isEqualTo(4);
        for (int p = 0; p < 8; p++) {
            assertThat(hasCheckpoint(t, p)).as("partition %d after the second run", p).isTrue();
        }
        // The third run starts over at the first partition: round-robin.
        BucketCompactionReport third = compactor(slow, "c", fiveMinutes).runOnce();
        assertThat(third.partitionsVisited()).isEqualTo(4);
        assertThat(third.checkpointsWritten()).isZero();
    }

    @Test
    void theDataOfDeletedTopicsIsCollectedOnlyAfterTheGracePeriod() {
        TopicDescription gone = topics.create("gone", TopicConfig.of(2));
        append(gone, 0, 3, 10, 300);
        append(gone, 1, 3, 3, 30);
        TopicDescription firstAgain = topics.create("again", TopicConfig.of(1));
        append(firstAgain, 0, 3, 10, 300);
        assertThat(topics.delete("again")).isTrue();
        TopicDescription secondAgain = topics.create("again", TopicConfig.of(1));
        List<Record> kept = append(secondAgain, 0, 2, 10, 300);
        assertThat(topics.delete("gone")).isTrue();
        String goneData = "data/gone/" + gone.incarnation() + "/";
        String oldAgainData = "data/again/" + firstAgain.incarnation() + "/";
        int goneObjects = store.listAll(goneData).size();
        int oldAgainObjects = store.listAll(oldAgainData).size();

        BucketCompactionReport early = compactor(store, "c").runOnce();
        assertThat(early.deletedTopicObjects()).isZero();
        assertThat(store.listAll(goneData)).hasSize(goneObjects);
        assertThat(store.listAll(oldAgainData)).hasSize(oldAgainObjects);

        clock.advance(GRACE.plusMinutes(1));
        BucketCompactionReport late = compactor(store, "c").runOnce();
        assertThat(late.deletedTopicObjects()).isEqualTo(goneObjects + oldAgainObjects);
        assertThat(store.listAll(goneData)).isEmpty();
        assertThat(store.listAll(oldAgainData)).isEmpty();
        assertThat(readAll(secondAgain, 0, 0)).isEqualTo(kept);

        // After a further grace period with nothing left, the incarnations are marked done: no more LISTs for them.
        clock.advance(GRACE.plusMinutes(1));
        compactor(store, "c").runOnce();
        assertThat(store.head(BucketCompactor.COLLECTED_PREFIX + "gone/" + gone.incarnation())).isPresent();
        assertThat(store.head(BucketCompactor.COLLECTED_PREFIX + "again/" + firstAgain.incarnation())).isPresent();
        List<String> listed = Collections.synchronizedList(new ArrayList<>());
        compactor(new Hooked(store, (op, key) -> {
            if (op.equals("list")) {
                listed.add(key);
            }
        }), "c").runOnce();
        assertThat(listed).noneMatch(k -> k.startsWith("data/gone/") || k.startsWith(oldAgainData));
        assertThat(readAll(secondAgain, 0, 0)).isEqualTo(kept);
    }

    /**
     * Producers append to two partitions, a reader tails each partition from offset 0, and between compactor runs a
     * fresh reader reads each partition from its start offset; the compactor runs again and again, merging,
     * checkpointing and (after big jumps of the clock, while no append is in flight; see
     * {@link CompactionUnderLoadTest}) collecting. Nobody ever sees a gap, a duplicate or a missing record.
     */
    @Test
    void readersNeverMissDataWhileProducersAppendAndTheBucketIsCompacted() throws Exception {
        CompactionRunPolicy merging = policy.withPartitionPolicy(
                new CompactionPolicy(16 << 10, 64 << 10, 1 << 20, Duration.ofDays(7)));
        TopicDescription t = topics.create("busy", new TopicConfig(2, Optional.empty(), Optional.empty()));
        int until = 600;
        ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);
        Semaphore credits = new Semaphore(24);
        List<List<LogWorkload.Ack>> acks = List.of(Collections.synchronizedList(new ArrayList<>()),
                Collections.synchronizedList(new ArrayList<>()));
        List<Map<Long, Integer>> expected = List.of(new HashMap<>(), new HashMap<>());
        List<CompletableFuture<Void>> producers = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            PartitionWriter w = new PartitionWriter(store, t.partitionPrefix(p), config, clock, clock::nanoTime,
                    new SplittableRandom(p), pool(3));
            ProducerId pid = new ProducerId(500 + p, 1);
            expected.get(p).put(pid.id(), LogWorkload.endSeq(pid.id(), until));
            List<LogWorkload.Ack> mine = acks.get(p);
            producers.add(CompletableFuture.runAsync(() -> produce(w, pid, until, gate, credits, mine), pool(1)));
        }
        CompletableFuture<Void> allProduced = CompletableFuture.allOf(producers.toArray(CompletableFuture[]::new));
        List<TailingReader> tailers = new ArrayList<>();
        List<CompletableFuture<List<LogRecord>>> tailed = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            int partition = p;
            TailingReader tailer = new TailingReader(() -> reader(t, partition), false);
            tailers.add(tailer);
            tailed.add(CompletableFuture.supplyAsync(tailer::run, pool(1)));
        }

        BucketCompactor compactor = compactor(store, "under-load", merging);
        List<BucketCompactionReport> reports = new ArrayList<>();
        int runs = 0;
        while (!allProduced.isDone()) {
            runs++;
            reports.add(compactor.runOnce());
            for (int p = 0; p < 2; p++) { // a reader that starts at the start offset sees a contiguous log
                PartitionReader fromStart = reader(t, p);
                List<LogRecord> got = PartitionLogContract.readAll(fromStart, fromStart.startOffset());
                for (int i = 0; i < got.size(); i++) {
                    assertThat(got.get(i).offset()).isEqualTo(fromStart.startOffset() + i);
                }
            }
            credits.release(12);
            if (runs % 4 == 0) {
                gate.writeLock().lock();
                try {
                    clock.advance(GRACE.plusMinutes(1));
                    reports.add(compactor.runOnce());
                } finally {
                    gate.writeLock().unlock();
                }
            } else {
                clock.advance(GRACE.dividedBy(20));
            }
        }
        allProduced.get();
        tailers.forEach(TailingReader::finish);
        for (int i = 0; i < 2; i++) {
            clock.advance(GRACE.plusMinutes(1));
            reports.add(compactor.runOnce());
        }
        for (int p = 0; p < 2; p++) {
            List<LogRecord> log = PartitionLogContract.readAll(reader(t, p), 0);
            LogWorkload.verify(log, expected.get(p), acks.get(p));
            assertThat(tailed.get(p).get(60, TimeUnit.SECONDS)).as("tailer of partition %d", p).isEqualTo(log);
        }
        assertThat(reports).allSatisfy(r -> assertThat(r.status()).isEqualTo(BucketCompactionReport.Status.COMPLETED));
        // How many runs overlap the producers depends on scheduling; every partition got checkpoints either way.
        assertThat(reports.stream().mapToInt(BucketCompactionReport::checkpointsWritten).sum())
                .isGreaterThanOrEqualTo(2);
        assertThat(reports.stream().mapToInt(BucketCompactionReport::entriesMerged).sum()).isPositive();
        assertThat(reports.stream().mapToInt(BucketCompactionReport::objectsDeleted).sum()).isPositive();
        assertThat(reports.stream().mapToInt(BucketCompactionReport::partitionsFailed).sum()).isZero();
    }

    private static void produce(PartitionWriter writer, ProducerId pid, int until, ReentrantReadWriteLock gate,
                                Semaphore credits, List<LogWorkload.Ack> acks) {
        int seq = 0;
        while (seq < until) {
            PreparedBatch batch = LogWorkload.batch(pid, seq);
            credits.acquireUninterruptibly();
            gate.readLock().lock();
            try {
                AppendResult r = writer.append(batch).get(60, TimeUnit.SECONDS);
                acks.add(new LogWorkload.Ack(pid.id(), seq, r.recordCount(), r.baseOffset(), r.duplicate()));
            } catch (ExecutionException e) {
                throw new AssertionError("batch " + seq + " of producer " + pid.id() + " failed", e.getCause());
            } catch (Exception e) {
                throw new AssertionError(e);
            } finally {
                gate.readLock().unlock();
            }
            seq += batch.recordCount();
        }
    }

    /** Calls a hook with the operation and key (or prefix) before every request. */
    private static final class Hooked extends ForwardingObjectStore {
        private final BiConsumer<String, String> hook;

        Hooked(ObjectStore delegate, BiConsumer<String, String> hook) {
            super(delegate);
            this.hook = hook;
        }

        @Override
        public Optional<ObjectData> get(String key) {
            hook.accept("get", key);
            return super.get(key);
        }

        @Override
        public Optional<ObjectData> get(String key, ByteRange range) {
            hook.accept("get", key);
            return super.get(key, range);
        }

        @Override
        public Optional<ObjectInfo> head(String key) {
            hook.accept("head", key);
            return super.head(key);
        }

        @Override
        public ObjectInfo put(String key, byte[] data, Map<String, String> metadata) {
            hook.accept("put", key);
            return super.put(key, data, metadata);
        }

        @Override
        public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
            hook.accept("putIfAbsent", key);
            return super.putIfAbsent(key, data, metadata);
        }

        @Override
        public ListPage list(String prefix, String startAfter, int maxKeys) {
            hook.accept("list", prefix);
            return super.list(prefix, startAfter, maxKeys);
        }

        @Override
        public void delete(String key) {
            hook.accept("delete", key);
            super.delete(key);
        }

        @Override
        public void deleteAll(Collection<String> keys) {
            keys.forEach(k -> hook.accept("delete", k));
            super.deleteAll(keys);
        }
    }
}
