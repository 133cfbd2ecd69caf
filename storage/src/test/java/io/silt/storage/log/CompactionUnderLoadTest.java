package io.silt.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.storage.InMemoryObjectStore;
import io.silt.storage.testing.ManualClock;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
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
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Compaction while the partition is busy: two writer instances append (four idempotent producers), a compactor runs
 * again and again (merging, checkpointing, and, once the clock has passed the grace period, collecting commit
 * records and merged-away segments), a reader tails the log and another lags far behind. Time is a
 * {@link ManualClock}; nothing sleeps to make time pass.
 *
 * <p>The producers are paced: together they may send {@value #BATCHES_PER_RUN} batches per compactor run, so the
 * compactor runs many times while they write (they still write while it runs). Between runs the clock moves in small steps ({@value #SMALL_STEP_DIVISOR}th of the grace period) while the
 * writers are busy, and every {@value #BIG_JUMP_EVERY}th run it jumps past the whole grace period while the
 * producers are held between batches. A jump past half the grace period in the middle of a commit would model a
 * writer stalled longer than its retry window between its segment-age check and its commit PUT, which DESIGN rule 8
 * excludes by construction (the grace period must exceed every writer's retry window), so the big jumps happen only
 * while no append is in flight; readers are not held, since they must cope with any delay.
 */
class CompactionUnderLoadTest {
    private static final System.Logger LOG = System.getLogger(CompactionUnderLoadTest.class.getName());
    private static final String PREFIX = PartitionLogContract.PREFIX;
    private static final Duration GRACE = Duration.ofMinutes(30);
    private static final int SMALL_STEP_DIVISOR = 20;
    private static final int BIG_JUMP_EVERY = 5;
    private static final int UNTIL = 1200;
    /** Merges entries below 16 KiB into segments of up to 64 KiB, so a run does not rewrite the whole log. */
    private static final CompactionPolicy POLICY = new CompactionPolicy(16 << 10, 64 << 10, 1 << 20,
            Duration.ofDays(7));
    /** Batches the producers may send per compactor run (all four together), so that many runs overlap writes. */
    private static final int BATCHES_PER_RUN = 12;
    private static final TopicConfig KEEP_ALL = TopicConfig.of(1).withRetention(Optional.empty(), Optional.empty());

    private final ManualClock clock = new ManualClock();
    private final InMemoryObjectStore store = new InMemoryObjectStore(clock);
    private final LogConfig config = LogConfig.DEFAULTS.withGcGrace(GRACE).withInlineThreshold(2048);
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

    private PartitionReader reader() {
        return new PartitionReader(store, PREFIX, config, clock::nanoTime);
    }

    @Test
    void readersNeverSeeAGapOrADuplicateWhileTheCompactorMergesAndCollects() throws Exception {
        ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);
        Semaphore credits = new Semaphore(3 * BATCHES_PER_RUN);
        List<LogWorkload.Ack> acks = Collections.synchronizedList(new ArrayList<>());
        Map<Long, Integer> expected = new HashMap<>();
        List<CompletableFuture<Void>> producers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            PartitionWriter writer = new PartitionWriter(store, PREFIX, config, clock, clock::nanoTime,
                    new SplittableRandom(w), pool(3));
            for (int p = 0; p < 2; p++) {
                ProducerId pid = new ProducerId(1000 + 10L * w + p, 1);
                expected.put(pid.id(), LogWorkload.endSeq(pid.id(), UNTIL));
                producers.add(CompletableFuture.runAsync(() -> produce(writer, pid, gate, credits, acks), pool(1)));
            }
        }
        CompletableFuture<Void> allProduced = CompletableFuture.allOf(producers.toArray(CompletableFuture[]::new));

        TailingReader tailer = new TailingReader(this::reader, false);
        CompletableFuture<List<LogRecord>> tailed = CompletableFuture.supplyAsync(tailer::run, pool(1));

        // The laggard reads 150 records per compactor run, far slower than the writers: GC passes it.
        Semaphore laggardSteps = new Semaphore(0);
        PartitionReader laggard = reader();
        CompletableFuture<List<LogRecord>> lagged = CompletableFuture.supplyAsync(() -> {
            List<LogRecord> out = new ArrayList<>();
            try {
                while (!allProduced.isDone() || !laggardSteps.tryAcquire()) {
                    if (!laggardSteps.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    List<LogRecord> got = laggard.read(out.size(), 150);
                    for (LogRecord r : got) {
                        assertThat(r.offset()).as("laggard offset").isEqualTo(out.size());
                        out.add(r);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return out;
        }, pool(1));

        PartitionCompactor compactor = new PartitionCompactor(store, config, POLICY, clock,
                clock::nanoTime, new SplittableRandom(99), 1);
        List<CompactionReport> reports = new ArrayList<>();
        int runs = 0;
        while (!allProduced.isDone()) {
            runs++;
            reports.add(compactor.compact(PREFIX, KEEP_ALL));
            laggardSteps.release();
            credits.release(BATCHES_PER_RUN);
            if (runs % BIG_JUMP_EVERY == 0) {
                gate.writeLock().lock();
                try {
                    clock.advance(GRACE.plusMinutes(1));
                    reports.add(compactor.compact(PREFIX, KEEP_ALL));
                } finally {
                    gate.writeLock().unlock();
                }
            } else {
                clock.advance(GRACE.dividedBy(SMALL_STEP_DIVISOR));
            }
        }
        allProduced.get(); // rethrows a producer's failure
        tailer.finish();
        List<LogRecord> tail = tailed.get(60, TimeUnit.SECONDS);
        laggardSteps.release(Integer.MAX_VALUE / 2); // let it catch up
        List<LogRecord> lag = lagged.get(60, TimeUnit.SECONDS);
        for (int i = 0; i < 2; i++) { // after the writes: merge the rest, then collect behind it
            clock.advance(GRACE.plusMinutes(1));
            reports.add(compactor.compact(PREFIX, KEEP_ALL));
        }

        List<LogRecord> log = PartitionLogContract.readAll(reader(), 0);
        LogWorkload.verify(log, expected, acks);
        assertThat(tail).as("the tailing reader").isEqualTo(log);
        assertThat(lag.size()).as("records the laggard read").isLessThanOrEqualTo(log.size());
        assertThat(lag).as("what the laggard read").isEqualTo(log.subList(0, lag.size()));
        assertThat(PartitionLogContract.readAll(laggard, lag.size())).as("the laggard catching up")
                .isEqualTo(log.subList(lag.size(), log.size()));
        assertThat(laggard.view().checkpointNumber()).as("checkpoint the laggard reloaded from").isPositive();

        long checkpoints = reports.stream().filter(r -> r.outcome() == CompactionReport.Outcome.CHECKPOINTED)
                .count();
        int merged = reports.stream().mapToInt(CompactionReport::entriesMerged).sum();
        int commitsDeleted = reports.stream().mapToInt(CompactionReport::commitRecordsDeleted).sum();
        int segmentsDeleted = reports.stream().mapToInt(CompactionReport::segmentsDeleted).sum();
        LOG.log(Level.INFO, "{0} records by 4 producers; {1} compactor runs during the writes, {2} checkpoints,"
                + " {3} entries merged, {4} commit records and {5} segments collected; the laggard read {6} records"
                + " before the writes ended", log.size(), runs, checkpoints, merged, commitsDeleted,
                segmentsDeleted, lag.size());
        assertThat(runs).as("compactor runs while the writers wrote").isGreaterThanOrEqualTo(2 * BIG_JUMP_EVERY);
        assertThat(checkpoints).isGreaterThan(2);
        assertThat(merged).isPositive();
        assertThat(commitsDeleted).as("commit records collected").isPositive();
        assertThat(segmentsDeleted).as("merged-away segments collected").isPositive();
        assertThat(store.listAll(PREFIX + "log/")).as("commit records left at the end").isEmpty();
    }

    private static void produce(PartitionWriter writer, ProducerId pid, ReentrantReadWriteLock gate,
                                Semaphore credits, List<LogWorkload.Ack> acks) {
        int seq = 0;
        while (seq < UNTIL) {
            PreparedBatch batch = LogWorkload.batch(pid, seq);
            credits.acquireUninterruptibly();
            gate.readLock().lock();
            try {
                AppendResult r = writer.append(batch).get(60, TimeUnit.SECONDS);
                acks.add(new LogWorkload.Ack(pid.id(), seq, r.recordCount(), r.baseOffset(), r.duplicate()));
            } catch (ExecutionException e) {
                throw new AssertionError("batch " + batch.firstSequence() + " of producer " + pid.id() + " failed",
                        e.getCause());
            } catch (Exception e) {
                throw new AssertionError(e);
            } finally {
                gate.readLock().unlock();
            }
            seq += batch.recordCount();
        }
    }
}
