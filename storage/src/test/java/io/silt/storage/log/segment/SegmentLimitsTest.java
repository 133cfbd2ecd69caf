package io.silt.storage.log.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentLimitsTest {

    @Test
    void recordOverTheDefaultLimitIsRefusedWithAHelpfulMessage() {
        SegmentWriter w = new SegmentWriter();
        w.append(Record.of(null, new byte[10], 1));
        Record big = Record.of(null, new byte[SegmentConfig.DEFAULT_MAX_RECORD_BYTES], 2);
        assertThatThrownBy(() -> w.append(big))
                .isInstanceOf(RecordTooLargeException.class)
                .hasMessageContaining("limit of " + SegmentConfig.DEFAULT_MAX_RECORD_BYTES)
                .hasMessageContaining(SegmentConfig.MAX_RECORD_BYTES_SETTING)
                .satisfies(e -> {
                    RecordTooLargeException r = (RecordTooLargeException) e;
                    assertThat(r.recordBytes()).isGreaterThan(r.limitBytes());
                    assertThat(r.getMessage()).contains("record of " + r.recordBytes() + " bytes");
                    assertThat(r.limitBytes()).isEqualTo(SegmentConfig.DEFAULT_MAX_RECORD_BYTES);
                });
        // The writer is unchanged by the refusal.
        assertThat(w.recordCount()).isEqualTo(1);
        assertThat(SegmentReader.readObject("k", w.finish().bytes()).records())
                .containsExactly(Record.of(null, new byte[10], 1));
    }

    @Test
    void headersCountTowardsTheLimit() {
        SegmentWriter w = new SegmentWriter(SegmentConfig.defaults().withMaxRecordBytes(100));
        w.append(Record.of(null, new byte[90], 0));
        Record withHeader = new Record(null, new byte[90], List.of(new Header("h", new byte[20])), 0);
        assertThatThrownBy(() -> w.append(withHeader)).isInstanceOf(RecordTooLargeException.class);
    }

    @Test
    void theLimitIsConfigurableUpToTheHardBatchCap() {
        SegmentConfig config = SegmentConfig.defaults().withMaxRecordBytes(SegmentConfig.MAX_BATCH_SIZE_BYTES);
        SegmentWriter w = new SegmentWriter(config);
        Record big = Record.of(new byte[] {1}, new byte[3 << 20], 5);
        w.append(big);
        w.append(Record.of(null, new byte[] {2}, 6));
        EncodedSegment seg = w.finish();
        assertThat(seg.info().batchCount()).isEqualTo(2); // the big record fills a batch of its own
        assertThat(SegmentReader.readObject("k", seg.bytes()).records()).hasSize(2).first().isEqualTo(big);

        Record tooBig = Record.of(null, new byte[SegmentConfig.MAX_BATCH_SIZE_BYTES], 0);
        assertThatThrownBy(() -> new SegmentWriter(config).append(tooBig)).isInstanceOf(RecordTooLargeException.class);
    }

    @Test
    void configIsBoundedByTheHardCap() {
        assertThatThrownBy(() -> SegmentConfig.defaults().withBatchSizeBytes(SegmentConfig.MAX_BATCH_SIZE_BYTES + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSizeBytes");
        assertThatThrownBy(() -> SegmentConfig.defaults().withMaxRecordBytes(SegmentConfig.MAX_BATCH_SIZE_BYTES + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max.record.bytes");
        assertThatThrownBy(() -> SegmentConfig.defaults().withBatchSizeBytes(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SegmentConfig.defaults().batchSizeBytes()).isEqualTo(1 << 20);
        assertThat(SegmentConfig.defaults().maxRecordBytes()).isEqualTo(1 << 20);
    }

    @Test
    void batchesCloseAtTheConfiguredSize() {
        int batchSize = 10_000;
        SegmentWriter w = new SegmentWriter(new SegmentConfig(batchSize, 4096, Compression.NONE));
        List<Record> records = TestRecords.mixed(2000, 9);
        records.forEach(w::append);
        EncodedSegment seg = w.finish();
        Iterator<RecordBatch> it = SegmentReader.readObject("k", seg.bytes()).batches();
        List<Record> back = new ArrayList<>();
        while (it.hasNext()) {
            RecordBatch b = it.next();
            // uncompressed: batch length minus the header is the record bytes
            assertThat(b.length() - SegmentFormat.BATCH_HEADER_SIZE).isLessThanOrEqualTo(batchSize);
            back.addAll(b.records());
        }
        assertThat(back).isEqualTo(records);
        // batches are reasonably full: no batch but the last is under half the size
        List<BatchIndexEntry> batches = seg.info().batches();
        for (int i = 0; i < batches.size() - 1; i++) {
            assertThat(batches.get(i).length()).isGreaterThan(batchSize / 2);
        }
    }

    @Test
    void defaultBatchesAreAboutOneMebibyte() {
        SegmentWriter w = new SegmentWriter(SegmentConfig.defaults().withCompression(Compression.NONE));
        for (Record r : TestRecords.randomValues(5000, 1024, 3)) {
            w.append(r);
        }
        SegmentInfo info = w.finish().info();
        assertThat(info.batchCount()).isEqualTo(5);
        assertThat(info.batches().get(0).length()).isBetween((1 << 20) - 1100, (1 << 20) + 45);
    }

    @Test
    void standaloneBatchesRespectTheHardCap() {
        List<Record> many = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            many.add(Record.of(null, new byte[(1 << 20) - 1], i));
        }
        SegmentConfig config = SegmentConfig.defaults().withMaxRecordBytes(2 << 20);
        assertThatThrownBy(() -> SegmentWriter.encodeBatch(many, config))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not fit in one batch");
        assertThatThrownBy(() -> SegmentWriter.encodeBatch(List.of(), config))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SegmentWriter.encodeBatch(List.of(Record.of(null, new byte[2 << 20], 0)),
                SegmentConfig.defaults())).isInstanceOf(RecordTooLargeException.class);
    }

    @Test
    void emptySegmentIsRefused() {
        assertThatThrownBy(() -> new SegmentWriter().finish()).isInstanceOf(IllegalStateException.class);
    }
}
