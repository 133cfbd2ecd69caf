package io.silt.storage.log;

import io.silt.storage.ForwardingObjectStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.silt.storage.CreateResult;
import io.silt.storage.FaultInjectingObjectStore;
import io.silt.storage.FaultInjectingPolicy;
import io.silt.storage.FileSystemObjectStore;
import io.silt.storage.InMemoryObjectStore;
import io.silt.storage.ObjectStore;
import io.silt.storage.ObjectStoreException;
import io.silt.storage.RetryPolicy;
import io.silt.storage.RetryingObjectStore;
import io.silt.storage.StoreUnavailableException;
import io.silt.storage.StoreUnavailableException.Reason;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The partition log's guarantees with faults injected under the retrying store, as production stacks them
 * ({@code RetryingObjectStore.wrap(FaultInjectingObjectStore.wrap(store, seed))}): 5% of all requests fail before
 * they reach the store (503 SlowDown, 500, 409 ConditionalRequestConflict, connection reset, spread evenly) and 5%
 * of the writes happen but lose their response. Two writer instances with three idempotent producers each append
 * while a reader tails through faults of its own; producers retry every failed batch with the same sequence number.
 */
class PartitionLogFaultInjectionTest {
    private static final System.Logger LOG = System.getLogger(PartitionLogFaultInjectionTest.class.getName());
    private static final String PREFIX = PartitionLogContract.PREFIX;
    private static final int WRITERS = 2;
    private static final int PRODUCERS_PER_WRITER = 3;
    private static final int UNTIL = 1000;
    private static final FaultInjectingPolicy FIVE_PERCENT = FaultInjectingPolicy.NONE
            .withErrors(0.05, Reason.THROTTLED, Reason.SERVER_ERROR, Reason.CONFLICT, Reason.IO)
            .withLostResponses(0.05);
    /** Few, short retries: budgets run out now and then, so failures reach the log and the producers. */
    private static final RetryPolicy FAST = RetryPolicy.DEFAULT.withBaseDelay(Duration.ofMillis(1))
            .withMaxDelay(Duration.ofMillis(4)).withMaxAttempts(2);
    /** One repeat of a commit whose outcome stays unknown (the default is 5). */
    private static final LogConfig CONFIG = new LogConfig(4096, 1_000, 1, Duration.ofMinutes(30));

    @TempDir
    Path tmp;

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

    private ObjectStore baseStore(String kind) {
        return switch (kind) {
            case "memory" -> new InMemoryObjectStore();
            case "filesystem" -> new FileSystemObjectStore(tmp.resolve("bucket"));
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "filesystem"})
    void everyAcknowledgedRecordIsReadOnceAtItsOffsetDespiteFivePercentFaults(String kind) throws Exception {
        ObjectStore base = baseStore(kind);
        List<FaultInjectingObjectStore> faulty = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger seeds = new AtomicInteger(kind.hashCode());
        java.util.function.Supplier<ObjectStore> faultyStore = () -> {
            FaultInjectingObjectStore f = FaultInjectingObjectStore.wrap(base, seeds.incrementAndGet())
                    .setPolicy(FIVE_PERCENT);
            faulty.add(f);
            return RetryingObjectStore.wrap(f, FAST);
        };

        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        List<LogWorkload.Ack> acks = Collections.synchronizedList(new ArrayList<>());
        List<LogWorkload.Ack> retriedAfterUnknown = Collections.synchronizedList(new ArrayList<>());
        Map<Long, Integer> expected = new HashMap<>();
        List<CompletableFuture<Void>> producers = new ArrayList<>();
        SplittableRandom ids = new SplittableRandom(7);
        for (int w = 0; w < WRITERS; w++) {
            PartitionWriter writer = new PartitionWriter(faultyStore.get(), PREFIX, CONFIG, Clock.systemUTC(),
                    System::nanoTime, new SplittableRandom(w), pool(4));
            for (int p = 0; p < PRODUCERS_PER_WRITER; p++) {
                ProducerId pid = new ProducerId(ids.nextLong() | 1, 1);
                expected.put(pid.id(), LogWorkload.endSeq(pid.id(), UNTIL));
                producers.add(CompletableFuture.runAsync(
                        () -> produce(writer, pid, acks, retriedAfterUnknown, failures), pool(1)));
            }
        }
        TailingReader tailer = new TailingReader(
                () -> new PartitionReader(faultyStore.get(), PREFIX, CONFIG, System::nanoTime), true);
        CompletableFuture<List<LogRecord>> tailed = CompletableFuture.supplyAsync(tailer::run, pool(1));

        CompletableFuture.allOf(producers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        tailer.finish();

        List<LogRecord> log = PartitionLogContract.readAll(
                new PartitionReader(base, PREFIX, CONFIG, System::nanoTime), 0);
        LogWorkload.verify(log, expected, acks);
        assertThat(tailed.get(60, TimeUnit.SECONDS)).as("the reader that tailed through faults").isEqualTo(log);
        TailingReader again = new TailingReader(
                () -> new PartitionReader(faultyStore.get(), PREFIX, CONFIG, System::nanoTime), true);
        again.finish();
        assertThat(again.run()).as("a fresh reader through faults").isEqualTo(log);
        for (LogWorkload.Ack a : retriedAfterUnknown) {
            long copies = log.stream().map(LogWorkload::parse)
                    .filter(s -> s.producerId() == a.producerId() && s.seq() == a.firstSeq()).count();
            assertThat(copies).as("copies of %s, retried after an unknown outcome", a).isEqualTo(1);
        }

        Map<Reason, Long> errors = new EnumMap<>(Reason.class);
        long lost = 0;
        for (FaultInjectingObjectStore f : faulty) {
            f.injected().errors().forEach((r, n) -> errors.merge(r, n, Long::sum));
            lost += f.injected().lostResponses();
        }
        long faults = errors.values().stream().mapToLong(Long::longValue).sum() + lost;
        LOG.log(Level.INFO, "{0}: {1} records in {2} acknowledged batches through {3} injected faults (errors {4},"
                + " lost responses {5}); batch failures seen by producers {6}, {7} of them retried after an unknown"
                + " outcome; the tailing reader rode out {8} errors", base.describe(), log.size(), acks.size(),
                faults, errors, lost, failures, retriedAfterUnknown.size(), tailer.toleratedErrors());
        for (Reason r : List.of(Reason.THROTTLED, Reason.SERVER_ERROR, Reason.CONFLICT, Reason.IO)) {
            assertThat(errors.get(r)).as("injected %s errors", r).isPositive();
        }
        assertThat(lost).as("lost responses").isPositive();
        assertThat(errors.get(Reason.TIMEOUT)).as("timeouts (not configured)").isZero();
    }

    /** An idempotent producer: sends its batches one after another, retrying a failed one with the same sequence. */
    private static void produce(PartitionWriter writer, ProducerId pid, List<LogWorkload.Ack> acks,
                                List<LogWorkload.Ack> retriedAfterUnknown, Map<String, AtomicInteger> failures) {
        int seq = 0;
        while (seq < UNTIL) {
            PreparedBatch batch = LogWorkload.batch(pid, seq);
            boolean unknown = false;
            for (int tries = 1; ; tries++) {
                try {
                    AppendResult r = writer.append(batch).get(60, TimeUnit.SECONDS);
                    LogWorkload.Ack ack = new LogWorkload.Ack(pid.id(), seq, r.recordCount(), r.baseOffset(),
                            r.duplicate());
                    acks.add(ack);
                    if (unknown) {
                        retriedAfterUnknown.add(ack);
                    }
                    break;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    failures.computeIfAbsent(cause.getClass().getSimpleName(), k -> new AtomicInteger())
                            .incrementAndGet();
                    boolean retriable = cause instanceof LogException le ? le.isRetriable()
                            : cause instanceof ObjectStoreException se && se.isRetriable();
                    assertThat(retriable).as("failure of batch %d of producer %s: %s", seq,
                            LogWorkload.hex(pid.id()), cause).isTrue();
                    assertThat(tries).as("tries of batch %d of producer %s", seq, LogWorkload.hex(pid.id()))
                            .isLessThan(50);
                    unknown |= cause instanceof CommitUnknownException;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
            seq += batch.recordCount();
        }
    }

    /**
     * DESIGN rule 4 end to end: a commit whose PUT stays in flight (every attempt breaks the connection and the key
     * reads as missing) fails with {@link CommitUnknownException}; retried with the same producer sequence, the
     * batch appears exactly once, whether the original PUT lands late (the retry is then a duplicate, acknowledged
     * with the original offsets) or never (the retry commits it, at the same commit number, and a PUT landing
     * even later finds that number taken).
     */
    @Test
    void aCommitWhoseOutcomeStaysUnknownIsRetriedWithTheSameSequenceAndAppearsOnce() throws Exception {
        InMemoryObjectStore base = new InMemoryObjectStore();
        InFlightCommits inFlight = new InFlightCommits(base);
        PartitionWriter writer = new PartitionWriter(RetryingObjectStore.wrap(inFlight, FAST), PREFIX, CONFIG,
                Clock.systemUTC(), System::nanoTime, new SplittableRandom(1), pool(4));
        ProducerId pid = new ProducerId(42, 1);
        List<LogWorkload.Ack> acks = new ArrayList<>();

        PreparedBatch b0 = LogWorkload.batch(pid, 0);
        acks.add(ack(pid, 0, writer.append(b0).get(10, TimeUnit.SECONDS)));

        // 1. The PUT lands after the writer gave up on it.
        int s1 = b0.recordCount();
        PreparedBatch b1 = LogWorkload.batch(pid, s1);
        inFlight.holdNextCommit();
        assertThatThrownBy(() -> writer.append(b1).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(CommitUnknownException.class);
        assertThat(inFlight.attempts()).as("attempts at the held number").isGreaterThan(1);
        String heldKey = inFlight.heldKey();
        assertThat(inFlight.land()).isInstanceOf(CreateResult.Created.class);
        AppendResult r1 = writer.append(b1).get(10, TimeUnit.SECONDS);
        assertThat(r1.duplicate()).as("the retry found the landed commit").isTrue();
        assertThat(r1.baseOffset()).isEqualTo(s1);
        acks.add(ack(pid, s1, r1));

        // 2. The PUT never lands in time: the retry commits the batch at the same number.
        int s2 = s1 + b1.recordCount();
        PreparedBatch b2 = LogWorkload.batch(pid, s2);
        inFlight.holdNextCommit();
        assertThatThrownBy(() -> writer.append(b2).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(CommitUnknownException.class);
        String held2 = inFlight.heldKey();
        assertThat(held2).isNotEqualTo(heldKey);
        byte[] lateBytes = inFlight.heldBytes();
        inFlight.release();
        AppendResult r2 = writer.append(b2).get(10, TimeUnit.SECONDS);
        assertThat(r2.duplicate()).isFalse();
        assertThat(r2.baseOffset()).isEqualTo(s2);
        assertThat(NumberedLog.key(PREFIX + "log/", r2.commitSeq())).as("the retry's commit number")
                .isEqualTo(held2);
        acks.add(ack(pid, s2, r2));
        // ... and if the original PUT lands even later, the number is taken: create-only, it changes nothing.
        assertThat(base.putIfAbsent(held2, lateBytes)).isInstanceOf(CreateResult.AlreadyExists.class);

        List<LogRecord> log = PartitionLogContract.readAll(
                new PartitionReader(base, PREFIX, CONFIG, System::nanoTime), 0);
        LogWorkload.verify(log, Map.of(42L, s2 + b2.recordCount()), acks);
    }

    /**
     * A commit PUT that happened but lost its response, whose read-backs then fail too: the outcome is unknown, so
     * the failure must not surface as a plain store error (which tells a caller that nothing was written). The
     * log keeps retrying the same number with the same bytes, finds its own record and acknowledges the batch.
     */
    @Test
    void aCommitWhoseResponseWasLostAndWhoseReadBackFailedIsResolvedNotReportedAsAStoreError() throws Exception {
        InMemoryObjectStore base = new InMemoryObjectStore();
        FaultInjectingObjectStore faulty = FaultInjectingObjectStore.wrap(base, 5);
        LogConfig inlineAll = CONFIG.withInlineThreshold(64 << 10);
        PartitionWriter writer = new PartitionWriter(RetryingObjectStore.wrap(faulty, FAST), PREFIX, inlineAll,
                Clock.systemUTC(), System::nanoTime, new SplittableRandom(1), pool(4));
        ProducerId pid = new ProducerId(43, 1);
        PreparedBatch b0 = LogWorkload.batch(pid, 0);
        AppendResult r0 = writer.append(b0).get(10, TimeUnit.SECONDS);
        int s1 = b0.recordCount();
        PreparedBatch b1 = LogWorkload.batch(pid, s1);
        assertThat(b1.segment().length).as("an inline batch: no upload before the commit").isLessThan(64 << 10);

        // The commit record is written but its response is lost; the read-back (2 attempts) and the log's own
        // read-back (2 attempts) fail.
        faulty.loseNextResponses(FaultInjectingObjectStore.Op.PUT_IF_ABSENT, 1)
                .failNext(FaultInjectingObjectStore.Op.GET, 3, Reason.SERVER_ERROR);
        AppendResult r1 = writer.append(b1).get(10, TimeUnit.SECONDS);
        assertThat(r1.duplicate()).isFalse();
        assertThat(r1.baseOffset()).isEqualTo(s1);
        assertThat(r1.commitSeq()).isEqualTo(r0.commitSeq() + 1);
        assertThat(faulty.injected().faults()).isEqualTo(4);

        List<LogRecord> log = PartitionLogContract.readAll(
                new PartitionReader(base, PREFIX, CONFIG, System::nanoTime), 0);
        LogWorkload.verify(log, Map.of(43L, s1 + b1.recordCount()), List.of(ack(pid, 0, r0), ack(pid, s1, r1)));
    }

    private static LogWorkload.Ack ack(ProducerId pid, int seq, AppendResult r) {
        return new LogWorkload.Ack(pid.id(), seq, r.recordCount(), r.baseOffset(), r.duplicate());
    }

    /**
     * Holds the next create-only write of a commit record "in flight": it and every repeat of it break the
     * connection without writing (so the key reads as missing), until the test lands the original bytes or
     * releases the key.
     */
    static final class InFlightCommits extends ForwardingObjectStore {
        private boolean armed;
        private String heldKey;
        private byte[] heldBytes;
        private int attempts;

        InFlightCommits(ObjectStore delegate) {
            super(delegate);
        }

        synchronized void holdNextCommit() {
            armed = true;
            heldKey = null;
            heldBytes = null;
            attempts = 0;
        }

        synchronized String heldKey() {
            return heldKey;
        }

        synchronized byte[] heldBytes() {
            return heldBytes;
        }

        synchronized int attempts() {
            return attempts;
        }

        /** The held PUT arrives after all. */
        synchronized CreateResult land() {
            CreateResult r = delegate.putIfAbsent(heldKey, heldBytes);
            heldKey = null;
            return r;
        }

        /** Lets requests to the held key through again (the held PUT has not landed). */
        synchronized void release() {
            heldKey = null;
        }

        @Override
        public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
            synchronized (this) {
                if (armed && key.contains("/log/")) {
                    armed = false;
                    heldKey = key;
                    heldBytes = data.clone();
                }
                if (key.equals(heldKey)) {
                    attempts++;
                    throw new StoreUnavailableException(Reason.IO, "connection reset; the request to '" + key
                            + "' is still in flight");
                }
            }
            return delegate.putIfAbsent(key, data, metadata);
        }
    }
}
