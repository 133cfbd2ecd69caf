package io.silt.storage.log.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.storage.ByteRange;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class SegmentRoundTripTest {
    private static final String KEY = "topics/t/p/0/segments/abc";

    private static EncodedSegment write(List<Record> records, SegmentConfig config) {
        SegmentWriter w = new SegmentWriter(config);
        records.forEach(w::append);
        assertThat(w.recordCount()).isEqualTo(records.size());
        return w.finish();
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void mixedRecordsRoundTrip(Compression codec) {
        List<Record> records = TestRecords.mixed(500, 1);
        EncodedSegment seg = write(records, SegmentConfig.defaults().withCompression(codec));
        SegmentReader reader = SegmentReader.readObject(KEY, seg.bytes());
        assertThat(reader.records()).isEqualTo(records);
        assertThat(reader.info()).contains(seg.info());
        SegmentInfo info = seg.info();
        assertThat(info.recordCount()).isEqualTo(500);
        assertThat(info.byteSize()).isEqualTo(seg.bytes().length);
        assertThat(info.minTimestamp()).isEqualTo(records.stream().mapToLong(Record::timestamp).min().orElseThrow());
        assertThat(info.maxTimestamp()).isEqualTo(records.stream().mapToLong(Record::timestamp).max().orElseThrow());
        assertThat(info.batchCount()).isEqualTo(1);
    }

    @Test
    void singleRecordSegments() {
        for (Record r : List.of(Record.of(null, null, 0), Record.of(new byte[0], new byte[0], Long.MAX_VALUE),
                new Record(null, null, List.of(new Header("🙂", null)), 42))) {
            EncodedSegment seg = write(List.of(r), SegmentConfig.defaults());
            assertThat(SegmentReader.readObject(KEY, seg.bytes()).records()).containsExactly(r);
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void manyBatchesWithIndex(Compression codec) {
        List<Record> records = TestRecords.mixed(3000, 2);
        SegmentConfig config = new SegmentConfig(4096, 4096, codec);
        EncodedSegment seg = write(records, config);
        SegmentInfo info = seg.info();
        assertThat(info.batchCount()).isGreaterThan(20);

        SegmentReader reader = SegmentReader.readObject(KEY, seg.bytes());
        List<Record> fromBatches = new ArrayList<>();
        Iterator<RecordBatch> it = reader.batches();
        int number = 0;
        while (it.hasNext()) {
            RecordBatch b = it.next();
            BatchIndexEntry e = info.batches().get(number);
            assertThat(b.firstRecord()).isEqualTo(e.firstRecord()).isEqualTo(fromBatches.size());
            assertThat(b.position()).isEqualTo(e.position());
            assertThat(b.length()).isEqualTo(e.length());
            assertThat(b.maxTimestamp()).isEqualTo(e.maxTimestamp());
            assertThat(b.recordCount()).isEqualTo(info.recordCountOf(number));
            fromBatches.addAll(b.records());
            number++;
        }
        assertThat(number).isEqualTo(info.batchCount());
        assertThat(fromBatches).isEqualTo(records);
        for (int k : new int[] {0, 1, 77, 1499, 2999, 3000, 5000}) {
            assertThat(reader.recordsFrom(k)).as("from %d", k)
                    .isEqualTo(records.subList(Math.min(k, records.size()), records.size()));
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void readsFromAMidSegmentBatchWithOnlyAByteRange(Compression codec) {
        List<Record> records = TestRecords.mixed(2000, 3);
        EncodedSegment seg = write(records, new SegmentConfig(2048, 4096, codec));
        SegmentInfo info = seg.info();
        for (int k = 0; k < records.size(); k += 37) {
            ByteRange range = info.rangeFrom(k);
            byte[] bytes = TestRecords.slice(seg.bytes(), range.start(), range.length());
            SegmentReader reader = SegmentReader.readRange(KEY, info, range.start(), bytes);
            assertThat(reader.recordsFrom(k)).isEqualTo(records.subList(k, records.size()));

            ByteRange limited = info.rangeFrom(k, 3000);
            byte[] some = TestRecords.slice(seg.bytes(), limited.start(), limited.length());
            List<Record> got = SegmentReader.readRange(KEY, info, limited.start(), some).recordsFrom(k);
            assertThat(got).isNotEmpty();
            assertThat(got).isEqualTo(records.subList(k, k + got.size()));
            assertThat(limited.start() + limited.length()).isLessThanOrEqualTo(info.batchesEnd());
        }
    }

    @Test
    void trailerFirstReadPath() {
        List<Record> records = TestRecords.mixed(1500, 4);
        EncodedSegment seg = write(records, new SegmentConfig(1024, 4096, Compression.LZ4));
        byte[] object = seg.bytes();
        long size = object.length;

        // One suffix GET that also covers the index.
        byte[] tail = TestRecords.tail(object, SegmentTrailer.SUGGESTED_TAIL_BYTES);
        SegmentTrailer trailer = SegmentTrailer.parse(KEY, size, tail);
        SegmentInfo fromTail = trailer.indexFromTail(KEY, tail).orElseThrow();
        assertThat(fromTail).isEqualTo(seg.info());

        // Three GETs: the bare trailer, then the index, then the data.
        byte[] bare = TestRecords.tail(object, SegmentTrailer.SIZE);
        SegmentTrailer t2 = SegmentTrailer.parse(KEY, size, bare);
        assertThat(t2).isEqualTo(trailer);
        assertThat(t2.indexFromTail(KEY, bare)).isEmpty();
        ByteRange indexRange = t2.indexRange();
        SegmentInfo info = t2.readIndex(KEY, TestRecords.slice(object, indexRange.start(), indexRange.length()));
        assertThat(info).isEqualTo(seg.info());

        int k = 1234;
        ByteRange data = info.rangeFrom(k);
        List<Record> got = SegmentReader.readRange(KEY, info, data.start(),
                TestRecords.slice(object, data.start(), data.length())).recordsFrom(k);
        assertThat(got).isEqualTo(records.subList(k, records.size()));
    }

    @Test
    void indexBytesRoundTrip() {
        EncodedSegment seg = write(TestRecords.mixed(800, 5), new SegmentConfig(2000, 4096, Compression.NONE));
        byte[] bytes = seg.info().toBytes();
        assertThat(bytes).hasSize(42 + 24 * seg.info().batchCount());
        assertThat(SegmentInfo.fromBytes("commit/7", bytes)).isEqualTo(seg.info());
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void standaloneBatchForInlining(Compression codec) {
        List<Record> records = TestRecords.mixed(100, 6);
        byte[] batch = SegmentWriter.encodeBatch(records, SegmentConfig.defaults().withCompression(codec));
        byte[] commit = new byte[batch.length + 20];
        System.arraycopy(batch, 0, commit, 13, batch.length);
        SegmentReader reader = SegmentReader.readInline("commit/00000000000000000042", commit, 13, batch.length);
        assertThat(reader.info()).isEmpty();
        assertThat(reader.records()).isEqualTo(records);
        assertThat(reader.recordsFrom(60)).isEqualTo(records.subList(60, 100));

        // Two standalone batches back to back are not one sequence: the second also starts at record 0.
        byte[] two = new byte[batch.length * 2];
        System.arraycopy(batch, 0, two, 0, batch.length);
        System.arraycopy(batch, 0, two, batch.length, batch.length);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SegmentReader.readInline("c", two, 0, two.length)
                .records()).isInstanceOf(CorruptSegmentException.class).hasMessageContaining("expected 100");
    }

    @Test
    void compressionShrinksCompressibleDataAndIsSkippedForRandomData() {
        List<Record> json = TestRecords.jsonLike(2000, 1024);
        EncodedSegment plain = write(json, SegmentConfig.defaults().withCompression(Compression.NONE));
        EncodedSegment lz4 = write(json, SegmentConfig.defaults());
        assertThat(lz4.bytes().length).isLessThan(plain.bytes().length / 3);
        assertThat(SegmentReader.readObject(KEY, lz4.bytes()).batches().next().compression())
                .isEqualTo(Compression.LZ4);
        assertThat(SegmentReader.readObject(KEY, lz4.bytes()).records()).isEqualTo(json);

        List<Record> random = TestRecords.randomValues(500, 1024, 7);
        EncodedSegment rnd = write(random, SegmentConfig.defaults());
        assertThat(SegmentReader.readObject(KEY, rnd.bytes()).batches().next().compression())
                .isEqualTo(Compression.NONE);
        assertThat(SegmentReader.readObject(KEY, rnd.bytes()).records()).isEqualTo(random);
    }

    @Test
    void writerIsReusableAfterFinish() {
        SegmentWriter w = new SegmentWriter(new SegmentConfig(512, 1024, Compression.LZ4));
        for (int round = 0; round < 3; round++) {
            List<Record> records = TestRecords.mixed(200 + round * 50, 10 + round);
            records.forEach(w::append);
            assertThat(w.uncompressedBytes()).isPositive();
            assertThat(w.bufferedBytes()).isPositive();
            EncodedSegment seg = w.finish();
            assertThat(w.isEmpty()).isTrue();
            assertThat(SegmentReader.readObject("s" + round, seg.bytes()).records()).isEqualTo(records);
        }
    }

    @Test
    void segmentInfoLookups() {
        List<Record> records = TestRecords.mixed(1000, 8);
        SegmentInfo info = write(records, new SegmentConfig(1500, 4096, Compression.NONE)).info();
        for (int k = 0; k < 1000; k++) {
            int b = info.batchNumberOf(k);
            BatchIndexEntry e = info.batches().get(b);
            assertThat(k).isBetween(e.firstRecord(), e.firstRecord() + info.recordCountOf(b) - 1);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> info.batchNumberOf(1000))
                .isInstanceOf(IndexOutOfBoundsException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> info.batchNumberOf(-1))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
