package io.silt.storage.log;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.silt.storage.ObjectData;
import io.silt.storage.ObjectStore;
import io.silt.storage.log.segment.CorruptSegmentException;
import io.silt.storage.log.segment.EncodedSegment;
import io.silt.storage.log.segment.Header;
import io.silt.storage.log.segment.Record;
import io.silt.storage.log.segment.SegmentConfig;
import io.silt.storage.log.segment.SegmentWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The partition log's guarantees, run against every store: acknowledged records are readable exactly once at the
 * offsets they were acknowledged with, every reader sees the same order, tailing sees new commits, corruption is
 * reported.
 */
public abstract class PartitionLogContract {
    protected static final String PREFIX = "data/orders/0123456789abcdef/00000/";
    protected ObjectStore store;
    protected ExecutorService pool;

    protected abstract ObjectStore newStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = newStore();
        pool = Executors.newFixedThreadPool(8);
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        store.close();
    }

    protected PartitionWriter writer(long seed) {
        return new PartitionWriter(store, PREFIX, LogConfig.DEFAULTS.withInlineThreshold(2048), Clock.systemUTC(),
                System::nanoTime, new SplittableRandom(seed), pool);
    }

    protected PartitionReader reader() {
        return new PartitionReader(store, PREFIX, LogConfig.DEFAULTS, System::nanoTime);
    }

    static Record record(String key, String value, long ts) {
        return new Record(key == null ? null : key.getBytes(UTF_8), value.getBytes(UTF_8),
                List.of(new Header("h", key == null ? null : "x".getBytes(UTF_8))), ts);
    }

    static PreparedBatch batch(ProducerId producer, int firstSeq, List<Record> records) {
        SegmentWriter w = new SegmentWriter(SegmentConfig.defaults().withBatchSizeBytes(4096));
        records.forEach(w::append);
        EncodedSegment seg = w.finish();
        return PreparedBatch.of(producer, firstSeq, seg);
    }

    static List<Record> records(String tag, int n, int valueSize, long ts) {
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String v = tag + "-" + i + "-";
            out.add(record("k" + (i % 7), v + "v".repeat(Math.max(0, valueSize - v.length())), ts + i));
        }
        return out;
    }

    @Test
    void acknowledgedRecordsAreReadAtTheirOffsetsByEveryReader() throws Exception {
        int writers = 3;
        int batches = 12;
        Map<Long, Record> acked = new HashMap<>();
        List<CompletableFuture<Void>> producers = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            PartitionWriter pw = writer(w);
            int wid = w;
            producers.add(CompletableFuture.runAsync(() -> {
                ProducerId pid = new ProducerId(500 + wid, 1);
                int seq = 0;
                for (int b = 0; b < batches; b++) {
                    // alternate small (inline) and large (segment) batches
                    List<Record> rs = records("w" + wid + "b" + b, b % 2 == 0 ? 3 : 40, b % 2 == 0 ? 50 : 300, 1000);
                    AppendResult r = pw.append(batch(pid, seq, rs)).join();
                    seq += rs.size();
                    synchronized (acked) {
                        for (int i = 0; i < rs.size(); i++) {
                            assertThat(acked.put(r.baseOffset() + i, rs.get(i))).isNull();
                        }
                    }
                }
            }));
        }
        CompletableFuture.allOf(producers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

        List<LogRecord> first = readAll(reader(), 0);
        List<LogRecord> second = readAll(reader(), 0);
        assertThat(first).hasSize(acked.size());
        for (LogRecord r : first) {
            assertThat(r.record()).as("offset %d", r.offset()).isEqualTo(acked.get(r.offset()));
        }
        assertThat(second).isEqualTo(first);
    }

    @Test
    void readsFromTheMiddleOfASegmentAndTailsNewCommits() {
        PartitionWriter w = writer(1);
        List<Record> big = records("big", 500, 200, 10_000); // ~100 KiB, several batches of 4 KiB
        w.append(batch(ProducerId.NONE, 0, big)).join();
        PartitionReader r = reader();
        List<LogRecord> mid = r.read(321, 5);
        assertThat(mid).extracting(LogRecord::offset).containsExactly(321L, 322L, 323L, 324L, 325L);
        assertThat(mid.get(0).record()).isEqualTo(big.get(321));

        assertThat(r.read(500, 10)).isEmpty(); // at the end: nothing new
        w.append(batch(ProducerId.NONE, 0, records("more", 2, 10, 20_000))).join();
        List<LogRecord> tail = r.read(500, 10);
        assertThat(tail).extracting(LogRecord::offset).containsExactly(500L, 501L);
        assertThat(r.endOffset()).isEqualTo(502);
        assertThatThrownBy(() -> r.read(900, 1)).isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessageContaining("holds offsets 0 to 501");
    }

    @Test
    void findsOffsetsByTimestamp() {
        PartitionWriter w = writer(2);
        w.append(batch(ProducerId.NONE, 0, records("a", 10, 10, 1_000))).join();   // ts 1000..1009
        w.append(batch(ProducerId.NONE, 0, records("b", 10, 3000, 5_000))).join(); // ts 5000..5009, a segment
        PartitionReader r = reader();
        assertThat(r.offsetForTimestamp(0)).isZero();
        assertThat(r.offsetForTimestamp(1_005)).isEqualTo(5);
        assertThat(r.offsetForTimestamp(2_000)).isEqualTo(10);
        assertThat(r.offsetForTimestamp(5_003)).isEqualTo(13);
        assertThat(r.offsetForTimestamp(9_999)).isEqualTo(20);
    }

    @Test
    void aCorruptSegmentIsReportedWithItsKeyNeverDelivered() {
        PartitionWriter w = writer(3);
        w.append(batch(ProducerId.NONE, 0, records("c", 2000, 200, 1))).join();
        String segKey = store.listAll(PREFIX + "seg/").get(0).key();
        byte[] bytes = store.get(segKey).map(ObjectData::bytes).orElseThrow().clone();
        bytes[100] ^= 0x40;
        store.put(segKey, bytes);
        assertThatThrownBy(() -> reader().read(0, 50))
                .isInstanceOf(CorruptSegmentException.class)
                .hasMessageContaining(segKey);
    }

    @Test
    void aCorruptCommitRecordIsReported() {
        PartitionWriter w = writer(4);
        w.append(batch(ProducerId.NONE, 0, records("d", 2, 10, 1))).join();
        String key = PREFIX + "log/00000000000000000001";
        byte[] bytes = store.get(key).map(ObjectData::bytes).orElseThrow().clone();
        bytes[bytes.length / 2] ^= 0x01;
        store.put(key, bytes);
        assertThatThrownBy(this::reader).isInstanceOf(CorruptObjectException.class).hasMessageContaining(key);
    }

    protected static List<LogRecord> readAll(PartitionReader r, long from) {
        List<LogRecord> out = new ArrayList<>();
        long next = from;
        while (true) {
            List<LogRecord> got = r.read(next, 1000);
            if (got.isEmpty()) {
                return out;
            }
            out.addAll(got);
            next = got.get(got.size() - 1).offset() + 1;
        }
    }
}
