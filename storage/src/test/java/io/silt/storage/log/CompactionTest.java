package io.silt.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.silt.storage.CountingObjectStore;
import io.silt.storage.InMemoryObjectStore;
import io.silt.storage.RequestCounts;
import io.silt.storage.log.segment.Record;
import io.silt.storage.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Checkpoints, merging, retention and garbage collection, with an injected clock (no sleeps). */
class CompactionTest {
    private static final String PREFIX = PartitionLogContract.PREFIX;
    private static final Duration GRACE = Duration.ofMinutes(30);
    private final ManualClock clock = new ManualClock();
    private final InMemoryObjectStore store = new InMemoryObjectStore(clock);
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final LogConfig config = LogConfig.DEFAULTS.withGcGrace(GRACE).withInlineThreshold(1024);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private PartitionWriter writer() {
        return new PartitionWriter(store, PREFIX, config, clock, clock::nanoTime, new SplittableRandom(1), pool);
    }

    private PartitionCompactor compactor(long seed) {
        return new PartitionCompactor(store, config, CompactionPolicy.DEFAULTS, clock, clock::nanoTime,
                new SplittableRandom(seed), 1);
    }

    private List<Record> append(PartitionWriter w, int batches, int perBatch, int size) {
        List<Record> all = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            List<Record> rs = PartitionLogContract.records("b" + b, perBatch, size, clock.millis());
            w.append(PartitionLogContract.batch(ProducerId.NONE, 0, rs)).join();
            all.addAll(rs);
        }
        return all;
    }

    private List<Record> readAll(long from) {
        PartitionReader r = new PartitionReader(store, PREFIX, config, clock::nanoTime);
        return PartitionLogContract.readAll(r, from).stream().map(LogRecord::record).toList();
    }

    @Test
    void openingAPartitionWithALongHistoryCostsAFewRequestsAfterACheckpoint() {
        PartitionWriter w = writer();
        List<Record> written = append(w, 2_000, 1, 20);
        CompactionReport report = compactor(1).compact(PREFIX, TopicConfig.of(1));
        assertThat(report.outcome()).isEqualTo(CompactionReport.Outcome.CHECKPOINTED);
        assertThat(report.entriesMerged()).isEqualTo(2_000);

        CountingObjectStore counted = CountingObjectStore.wrap(store);
        PartitionView view = PartitionView.open(counted, PREFIX, config, clock::nanoTime);
        RequestCounts cost = counted.counts();
        assertThat(view.head()).isEqualTo(2_000);
        assertThat(view.endOffset()).isEqualTo(2_000);
        assertThat(cost.total()).as("requests to open: %s", cost).isLessThanOrEqualTo(5);
        assertThat(readAll(0)).isEqualTo(written);
    }

    @Test
    void mergingKeepsEveryRecordAtItsOffset() {
        PartitionWriter w = writer();
        List<Record> written = new ArrayList<>();
        written.addAll(append(w, 30, 3, 40));      // inline entries
        written.addAll(append(w, 5, 200, 300));    // segments
        CompactionReport report = compactor(1).compact(PREFIX, TopicConfig.of(1));
        assertThat(report.segmentsWritten()).isGreaterThanOrEqualTo(1);
        Checkpoint ck = PartitionView.open(store, PREFIX, config, clock::nanoTime).checkpoint().orElseThrow();
        assertThat(ck.entries().size()).isLessThan(35);
        assertThat(ck.entries()).noneMatch(e -> e.entry().isInline());
        assertThat(readAll(0)).isEqualTo(written);
        assertThat(readAll(95)).isEqualTo(written.subList(95, written.size()));

        written.addAll(append(w, 3, 2, 10)); // commits after the checkpoint are read as well
        assertThat(readAll(0)).isEqualTo(written);
    }

    @Test
    void retentionByTimeRemovesOldRecordsAndMovesTheStart() {
        PartitionWriter w = writer();
        append(w, 4, 10, 50);                       // written at t0
        clock.advance(Duration.ofHours(2));
        List<Record> recent = append(w, 2, 10, 50); // written at t0 + 2h
        TopicConfig oneHour = TopicConfig.of(1).withRetention(Optional.of(Duration.ofHours(1)), Optional.empty());
        CompactionReport report = compactor(1).compact(PREFIX, oneHour);
        assertThat(report.recordsExpired()).isEqualTo(40);
        PartitionReader r = new PartitionReader(store, PREFIX, config, clock::nanoTime);
        assertThat(r.startOffset()).isEqualTo(40);
        assertThatThrownBy(() -> r.read(0, 10)).isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessageContaining("removed by retention");
        assertThat(readAll(40)).isEqualTo(recent);
    }

    @Test
    void retentionByBytesKeepsTheNewestData() {
        PartitionWriter w = writer();
        for (int i = 0; i < 10; i++) {
            append(w, 1, 100, 300); // each a segment of some KiB
        }
        long total = PartitionView.open(store, PREFIX, config, clock::nanoTime).entries().values().stream()
                .mapToLong(l -> l.entry().dataBytes()).sum();
        TopicConfig limited = TopicConfig.of(1).withRetention(Optional.empty(), Optional.of(total / 3));
        CompactionPolicy noMerge = new CompactionPolicy(0, 1, 0, Duration.ofDays(7));
        new PartitionCompactor(store, config, noMerge, clock, clock::nanoTime, new SplittableRandom(1), 1)
                .compact(PREFIX, limited);
        PartitionView v = PartitionView.open(store, PREFIX, config, clock::nanoTime);
        long kept = v.entries().values().stream().mapToLong(l -> l.entry().dataBytes()).sum();
        assertThat(kept).isLessThanOrEqualTo(total / 3 + total / 10).isGreaterThan(0);
        assertThat(v.startOffset()).isGreaterThan(0);
        assertThat(v.endOffset()).isEqualTo(1000);
    }

    @Test
    void garbageIsCollectedOnlyAfterTheGracePeriodAndReadersNeverMissData() {
        PartitionWriter w = writer();
        List<Record> written = append(w, 20, 5, 100);
        compactor(1).compact(PREFIX, TopicConfig.of(1));
        int commitsBefore = store.listAll(PREFIX + "log/").size();
        int segmentsBefore = store.listAll(PREFIX + "seg/").size();

        // Within the grace period: nothing is deleted, even on a second run.
        clock.advance(GRACE.minusMinutes(1));
        written.addAll(append(w, 2, 5, 100));
        CompactionReport early = compactor(2).compact(PREFIX, TopicConfig.of(1));
        assertThat(early.commitRecordsDeleted()).isZero();
        assertThat(early.segmentsDeleted()).isZero();
        assertThat(store.listAll(PREFIX + "log/")).hasSize(commitsBefore + 2);

        // Past the grace period of the first checkpoint: what it covers goes.
        clock.advance(Duration.ofMinutes(2));
        CompactionReport late = compactor(3).compact(PREFIX, TopicConfig.of(1));
        assertThat(late.commitRecordsDeleted()).isEqualTo(20);
        assertThat(store.listAll(PREFIX + "log/")).hasSize(2);
        assertThat(segmentsBefore).isGreaterThan(0);
        assertThat(readAll(0)).isEqualTo(written);

        // A writer opened now starts from the checkpoint and continues the numbering.
        PartitionWriter fresh = writer();
        written.addAll(append(fresh, 1, 1, 10));
        assertThat(fresh.knownHead()).isEqualTo(23);
        assertThat(readAll(0)).isEqualTo(written);
    }

    @Test
    void orphansAreDeletedOnlyWhenOlderThanTheGracePeriod() {
        PartitionWriter w = writer();
        List<Record> written = append(w, 2, 100, 300);
        store.put(PREFIX + "seg/0000000000000-orphan-old", new byte[10]);
        clock.advance(GRACE.plusMinutes(1));
        store.put(PREFIX + "seg/0000000000000-orphan-young", new byte[10]);
        CompactionReport report = compactor(1).compact(PREFIX, TopicConfig.of(1));
        assertThat(report.orphansDeleted()).isEqualTo(1);
        assertThat(store.head(PREFIX + "seg/0000000000000-orphan-old")).isEmpty();
        assertThat(store.head(PREFIX + "seg/0000000000000-orphan-young")).isPresent();
        assertThat(readAll(0)).isEqualTo(written);
    }

    @Test
    void twoCompactorsRacingForOneCheckpointLeaveOneAndCleanUpTheLoser() {
        PartitionWriter w = writer();
        List<Record> written = append(w, 10, 3, 30);
        // Both plan from the same view; the second finds the number taken.
        PartitionView before = PartitionView.open(store, PREFIX, config, clock::nanoTime);
        CompactionReport first = compactor(1).compact(PREFIX, TopicConfig.of(1));
        assertThat(first.outcome()).isEqualTo(CompactionReport.Outcome.CHECKPOINTED);
        // A second compactor that read the log before the first one's checkpoint tries the same number.
        byte[] token = new byte[16];
        Checkpoint stale = new Checkpoint(1, token, before.head(), 0, before.endOffset(), clock.millis(), 2,
                before.entries().values().stream()
                        .map(l -> new Checkpoint.PositionedEntry(l.baseOffset(), l.entry())).toList(),
                before.producers(), List.of());
        assertThat(new NumberedLog(store, PREFIX + "ckpt/", 0).append(1, stale.encode()))
                .isInstanceOf(NumberedLog.Appended.Lost.class);
        assertThat(compactor(2).compact(PREFIX, TopicConfig.of(1)).outcome())
                .isEqualTo(CompactionReport.Outcome.UP_TO_DATE);
        assertThat(readAll(0)).isEqualTo(written);
    }

    @Test
    void idempotenceSurvivesCheckpointsAndCollection() {
        PartitionWriter w = writer();
        ProducerId pid = new ProducerId(77, 1);
        List<Record> rs = PartitionLogContract.records("p", 3, 10, clock.millis());
        AppendResult original = w.append(PartitionLogContract.batch(pid, 0, rs)).join();
        append(w, 3, 2, 10);
        compactor(1).compact(PREFIX, TopicConfig.of(1));
        clock.advance(GRACE.plusMinutes(1));
        compactor(2).compact(PREFIX, TopicConfig.of(1));
        assertThat(store.listAll(PREFIX + "log/")).isEmpty();

        AppendResult retried = writer().append(PartitionLogContract.batch(pid, 0, rs)).join();
        assertThat(retried.duplicate()).isTrue();
        assertThat(retried.baseOffset()).isEqualTo(original.baseOffset());
    }

    @Test
    void aWriterWhoseViewIsOlderThanHalfTheGracePeriodRechecksBeforeCommitting() {
        PartitionWriter stalled = writer();
        append(stalled, 1, 1, 10);             // commit 1; its view is fresh now
        PartitionWriter other = writer();
        append(other, 4, 1, 10);               // commits 2..5
        compactor(1).compact(PREFIX, TopicConfig.of(1));
        clock.advance(GRACE.plusMinutes(1));
        compactor(2).compact(PREFIX, TopicConfig.of(1)); // commits 1..5 collected
        assertThat(store.listAll(PREFIX + "log/")).isEmpty();

        // The stalled writer believes the head is 1; number 2 was collected and could be created again.
        AppendResult r = stalled.append(PartitionLogContract.batch(ProducerId.NONE, 0,
                PartitionLogContract.records("late", 1, 10, clock.millis()))).join();
        assertThat(r.commitSeq()).isEqualTo(6);
        assertThat(r.baseOffset()).isEqualTo(5);
    }
}
