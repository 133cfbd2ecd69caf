package io.silt.storage.log;

import io.silt.storage.ForwardingObjectStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.silt.storage.InMemoryObjectStore;
import io.silt.storage.ObjectData;
import io.silt.storage.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PartitionWriterTest {
    private static final String PREFIX = "data/t/abc/00000/";
    private final ObjectStore store = new InMemoryObjectStore();
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private PartitionWriter writer(long seed) {
        return new PartitionWriter(store, PREFIX, LogConfig.DEFAULTS.withInlineThreshold(100), Clock.systemUTC(),
                System::nanoTime, new SplittableRandom(seed), pool);
    }

    static PreparedBatch batch(ProducerId producer, int firstSeq, int count, int size) {
        byte[] body = new byte[size];
        byte[] tag = (producer.id() + ":" + firstSeq).getBytes(StandardCharsets.UTF_8);
        System.arraycopy(tag, 0, body, 0, Math.min(tag.length, size));
        return new PreparedBatch(producer, firstSeq, count, 1, 2, body, List.of());
    }

    private List<CommitRecord> readLog() {
        NumberedLog log = new NumberedLog(store, PREFIX + "log/", 0);
        List<CommitRecord> out = new ArrayList<>();
        for (long seq = 1; ; seq++) {
            Optional<ObjectData> d = log.read(seq);
            if (d.isEmpty()) {
                return out;
            }
            out.add(CommitRecord.decode(d.get().bytes(), d.get().key(), seq));
        }
    }

    @Test
    void appendsGetContiguousOffsetsAndSmallBatchesStayInline() throws Exception {
        PartitionWriter w = writer(1);
        AppendResult a = w.append(batch(ProducerId.NONE, 0, 3, 50)).get(10, TimeUnit.SECONDS);
        AppendResult b = w.append(batch(ProducerId.NONE, 0, 5, 500)).get(10, TimeUnit.SECONDS);
        assertThat(a.baseOffset()).isZero();
        assertThat(b.baseOffset()).isEqualTo(3);
        assertThat(w.knownEndOffset()).isEqualTo(8);

        List<CommitRecord> log = readLog();
        assertThat(log).hasSize(2);
        assertThat(log.get(0).entries().get(0).isInline()).isTrue();
        assertThat(log.get(1).entries().get(0).isInline()).isFalse();
        String segKey = log.get(1).entries().get(0).segmentKey();
        assertThat(segKey).startsWith(PREFIX + "seg/");
        assertThat(store.get(segKey).orElseThrow().bytes()).hasSize(500);
        assertThat(log.get(1).baseOffset()).isEqualTo(3);
    }

    @Test
    void concurrentWritersInSeveralInstancesGetDisjointContiguousOffsets() throws Exception {
        int writers = 4;
        int perWriter = 60;
        List<PartitionWriter> ws = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            ws.add(writer(100 + i));
        }
        Map<Long, List<CompletableFuture<AppendResult>>> byProducer = new HashMap<>();
        List<CompletableFuture<AppendResult>> all = new ArrayList<>();
        for (int n = 0; n < perWriter; n++) {
            for (int i = 0; i < writers; i++) {
                ProducerId pid = new ProducerId(1000 + i, 0);
                CompletableFuture<AppendResult> f = ws.get(i).append(batch(pid, n * 2, 2, n % 2 == 0 ? 60 : 300));
                byProducer.computeIfAbsent(pid.id(), k -> new ArrayList<>()).add(f);
                all.add(f);
                f.get(10, TimeUnit.SECONDS); // a producer waits for its batch before sending the next sequence
            }
        }
        boolean[] taken = new boolean[writers * perWriter * 2];
        for (CompletableFuture<AppendResult> f : all) {
            AppendResult r = f.get();
            for (int k = 0; k < r.recordCount(); k++) {
                assertThat(taken[(int) r.baseOffset() + k]).as("offset %d", r.baseOffset() + k).isFalse();
                taken[(int) r.baseOffset() + k] = true;
            }
        }
        for (boolean t : taken) {
            assertThat(t).isTrue();
        }
        // The log says the same as the acknowledgements.
        Map<String, Long> logged = new HashMap<>();
        long expectedBase = 0;
        for (CommitRecord r : readLog()) {
            assertThat(r.baseOffset()).isEqualTo(expectedBase);
            long o = r.baseOffset();
            for (CommitRecord.Entry e : r.entries()) {
                assertThat(logged.put(e.producer().id() + ":" + e.firstSequence(), o)).isNull();
                o += e.recordCount();
            }
            expectedBase = r.endOffset();
        }
        for (var e : byProducer.entrySet()) {
            for (int n = 0; n < perWriter; n++) {
                assertThat(logged.get(e.getKey() + ":" + n * 2)).isEqualTo(e.getValue().get(n).get().baseOffset());
            }
        }
    }

    @Test
    void concurrentSendsToOneWriterAreGroupCommitted() throws Exception {
        PartitionWriter w = writer(7);
        List<CompletableFuture<AppendResult>> fs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            fs.add(w.append(batch(ProducerId.NONE, 0, 1, 40)));
        }
        CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(readLog().stream().mapToLong(CommitRecord::recordCount).sum()).isEqualTo(200);
        assertThat(readLog().size()).as("commit records for 200 concurrent batches").isLessThan(200);
    }

    @Test
    void aRetriedBatchIsAcknowledgedOnceWithItsOriginalOffsetsEvenFromAnotherInstance() throws Exception {
        ProducerId pid = new ProducerId(42, 1);
        PartitionWriter first = writer(1);
        first.append(batch(ProducerId.NONE, 0, 4, 10)).get();
        AppendResult original = first.append(batch(pid, 0, 3, 10)).get();
        AppendResult again = first.append(batch(pid, 0, 3, 10)).get();
        assertThat(again.duplicate()).isTrue();
        assertThat(again.baseOffset()).isEqualTo(original.baseOffset()).isEqualTo(4);

        PartitionWriter other = writer(2); // another process, e.g. a Lambda retry
        AppendResult elsewhere = other.append(batch(pid, 0, 3, 10)).get();
        assertThat(elsewhere.duplicate()).isTrue();
        assertThat(elsewhere.baseOffset()).isEqualTo(4);
        assertThat(readLog().stream().mapToLong(CommitRecord::recordCount).sum()).isEqualTo(7);

        AppendResult next = other.append(batch(pid, 3, 2, 10)).get();
        assertThat(next.duplicate()).isFalse();
        assertThat(next.baseOffset()).isEqualTo(7);
    }

    @Test
    void anOlderEpochIsFencedAndAGapIsOutOfOrder() throws Exception {
        PartitionWriter w = writer(3);
        w.append(batch(new ProducerId(9, 2), 0, 1, 10)).get();
        assertThatThrownBy(() -> w.append(batch(new ProducerId(9, 1), 1, 1, 10)).get())
                .isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(ProducerFencedException.class).hasMessageContaining("zombie");
        assertThatThrownBy(() -> w.append(batch(new ProducerId(9, 2), 5, 1, 10)).get())
                .isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(OutOfOrderSequenceException.class).hasMessageContaining("last sequence committed is 0");
        assertThat(w.append(batch(new ProducerId(9, 2), 1, 1, 10)).get().baseOffset()).isEqualTo(1);
    }

    @Test
    void anIdempotentProducersBatchesCommitInTheOrderTheyWereAppendedWhateverOrderTheirUploadsFinish()
            throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ObjectStore slowSegments = new ForwardingObjectStore(store) {
            @Override
            public io.silt.storage.ObjectInfo put(String key, byte[] data, java.util.Map<String, String> metadata) {
                try {
                    release.await(10, TimeUnit.SECONDS); // the big batch's upload finishes last
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return delegate.put(key, data, metadata);
            }
        };
        PartitionWriter w = new PartitionWriter(slowSegments, PREFIX, LogConfig.DEFAULTS.withInlineThreshold(100),
                Clock.systemUTC(), System::nanoTime, new SplittableRandom(5), pool);
        ProducerId pid = new ProducerId(11, 1);
        CompletableFuture<AppendResult> big = w.append(batch(pid, 0, 4, 500));    // uploaded: slow
        CompletableFuture<AppendResult> small = w.append(batch(pid, 4, 2, 10));   // inline: ready at once
        Thread.sleep(50); // give the small batch every chance to overtake (it must not)
        assertThat(small).isNotDone();
        release.countDown();
        assertThat(big.get(10, TimeUnit.SECONDS).baseOffset()).isZero();
        assertThat(small.get(10, TimeUnit.SECONDS).baseOffset()).isEqualTo(4);
    }

    @Test
    void aSegmentCollectedWhileTheCommitStalledIsUploadedAgainBeforeTheAck() throws Exception {
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
        LogConfig config = LogConfig.DEFAULTS.withInlineThreshold(100);
        List<String> collected = new ArrayList<>();
        ObjectStore stallThenCollect = new ForwardingObjectStore(store) {
            @Override
            public io.silt.storage.CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
                if (key.startsWith(PREFIX + "log/") && collected.isEmpty()) {
                    // the writer stalls past the grace period before its commit PUT; orphan GC deletes the
                    // segment it uploaded, which no commit names yet
                    nanos.addAndGet(config.gcGrace().toNanos() + 1);
                    delegate.list(PREFIX + "seg/", null, 100).objects().forEach(o -> {
                        delegate.delete(o.key());
                        collected.add(o.key());
                    });
                }
                return delegate.putIfAbsent(key, data, metadata);
            }
        };
        PartitionWriter w = new PartitionWriter(stallThenCollect, PREFIX, config, Clock.systemUTC(), nanos::get,
                new SplittableRandom(3), pool);

        AppendResult acked = w.append(batch(new ProducerId(5, 1), 0, 4, 500)).get(10, TimeUnit.SECONDS);

        assertThat(collected).hasSize(1);
        String segKey = readLog().get(0).entries().get(0).segmentKey();
        assertThat(segKey).isEqualTo(collected.get(0));
        assertThat(store.get(segKey)).as("the acknowledged batch's segment exists again").isPresent();
        assertThat(store.get(segKey).orElseThrow().bytes()).isEqualTo(batch(new ProducerId(5, 1), 0, 4, 500)
                .segment());
        assertThat(acked.baseOffset()).isZero();
    }
}
