package io.silt.storage.log.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.silt.storage.ByteRange;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Corrupt, truncated and hostile inputs: the reader must report {@link CorruptSegmentException} and never return
 * wrong data or throw anything else.
 */
class SegmentCorruptionTest {
    private static final String KEY = "topics/orders/0/segments/0001";

    private static EncodedSegment small(Compression codec) {
        SegmentWriter w = new SegmentWriter(new SegmentConfig(600, 4096, codec));
        TestRecords.mixed(40, 11).forEach(w::append);
        EncodedSegment seg = w.finish();
        assertThat(seg.info().batchCount()).isGreaterThanOrEqualTo(3);
        return seg;
    }

    /** Runs a read: it must throw CorruptSegmentException, or (when allowed) return exactly the expected records. */
    private static CorruptSegmentException expectCorrupt(String what, Supplier<List<Record>> read) {
        try {
            List<Record> got = read.get();
            fail(what + ": returned " + got.size() + " records instead of reporting corruption");
            return null;
        } catch (CorruptSegmentException e) {
            return e;
        } catch (Throwable t) {
            throw new AssertionError(what + ": threw " + t + " instead of CorruptSegmentException", t);
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void everyFlippedByteOfAWholeObjectIsDetected(Compression codec) {
        EncodedSegment seg = small(codec);
        byte[] clean = seg.bytes();
        for (int mask : new int[] {0x01, 0x80, 0xFF}) {
            for (int pos = 0; pos < clean.length; pos++) {
                byte[] b = clean.clone();
                b[pos] ^= (byte) mask;
                CorruptSegmentException e = expectCorrupt("flip 0x" + Integer.toHexString(mask) + " at " + pos,
                        () -> SegmentReader.readObject(KEY, b).records());
                assertThat(e.objectKey()).isEqualTo(KEY);
                assertThat(e.getMessage()).contains(KEY).contains("at byte ");
                assertThat(e.position()).isBetween(0L, (long) clean.length);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void everyFlippedByteOnTheTrailerFirstPathIsDetected(Compression codec) {
        EncodedSegment seg = small(codec);
        byte[] clean = seg.bytes();
        List<Record> expected = SegmentReader.readObject(KEY, clean).records();
        for (int pos = 0; pos < clean.length; pos++) {
            byte[] b = clean.clone();
            b[pos] ^= 0x10;
            Supplier<List<Record>> read = () -> {
                byte[] tail = TestRecords.tail(b, SegmentTrailer.SUGGESTED_TAIL_BYTES);
                SegmentTrailer trailer = SegmentTrailer.parse(KEY, b.length, tail);
                SegmentInfo info = trailer.indexFromTail(KEY, tail).orElseThrow();
                ByteRange r = info.rangeFrom(0);
                return SegmentReader.readRange(KEY, info, r.start(), TestRecords.slice(b, r.start(), r.length()))
                        .records();
            };
            if (pos < SegmentFormat.OBJECT_HEADER_SIZE) {
                // This path never reads the object header: the flip cannot change what it returns.
                assertThat(read.get()).isEqualTo(expected);
            } else {
                expectCorrupt("flip at " + pos, read);
            }
        }
    }

    @Test
    void everyFlippedByteOfARangeIsDetected() {
        EncodedSegment seg = small(Compression.LZ4);
        SegmentInfo info = seg.info();
        int k = info.batches().get(1).firstRecord();
        ByteRange r = info.rangeFrom(k);
        byte[] clean = TestRecords.slice(seg.bytes(), r.start(), r.length());
        for (int pos = 0; pos < clean.length; pos++) {
            byte[] b = clean.clone();
            b[pos] ^= 0x04;
            expectCorrupt("flip at " + pos, () -> SegmentReader.readRange(KEY, info, r.start(), b).recordsFrom(k));
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void everyFlippedByteOfAStandaloneBatchIsDetected(Compression codec) {
        byte[] clean = SegmentWriter.encodeBatch(TestRecords.jsonLike(20, 100),
                SegmentConfig.defaults().withCompression(codec));
        for (int pos = 0; pos < clean.length; pos++) {
            byte[] b = clean.clone();
            b[pos] ^= 0x40;
            expectCorrupt("flip at " + pos, () -> SegmentReader.readInline("commit/1", b, 0, b.length).records());
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void everyTruncationIsDetected(Compression codec) {
        EncodedSegment seg = small(codec);
        byte[] clean = seg.bytes();
        SegmentInfo info = seg.info();
        for (int len = 0; len < clean.length; len++) {
            byte[] b = Arrays.copyOf(clean, len);
            expectCorrupt("object cut at " + len, () -> SegmentReader.readObject(KEY, b).records());
        }
        long batchesEnd = info.batchesEnd();
        for (long len = 1; len < batchesEnd - 8; len++) {
            byte[] b = TestRecords.slice(clean, 8, len);
            boolean boundary = info.batches().stream().anyMatch(e -> e.end() == 8 + b.length);
            if (boundary) {
                // A range that ends at a batch boundary is valid: it returns a prefix of the records, exactly.
                List<Record> got = SegmentReader.readRange(KEY, info, 8, b).records();
                assertThat(got).isEqualTo(SegmentReader.readObject(KEY, clean).records().subList(0, got.size()));
            } else {
                expectCorrupt("range cut at " + len, () -> SegmentReader.readRange(KEY, info, 8, b).records());
            }
        }
        byte[] batch = SegmentWriter.encodeBatch(TestRecords.mixed(30, 12), SegmentConfig.defaults()
                .withCompression(codec));
        for (int len = 0; len < batch.length; len++) {
            int n = len;
            CorruptSegmentException e = expectCorrupt("batch cut at " + len,
                    () -> SegmentReader.readInline("commit/2", batch, 0, n).records());
            if (n == 0) {
                assertThat(e.getMessage()).contains("no batch");
            }
        }
    }

    @Test
    void rangeThatRunsIntoTheIndexIsDetected() {
        EncodedSegment seg = small(Compression.NONE);
        SegmentInfo info = seg.info();
        byte[] tooMuch = TestRecords.slice(seg.bytes(), 8, seg.bytes().length - 8);
        assertThat(expectCorrupt("range to the end", () -> SegmentReader.readRange(KEY, info, 8, tooMuch).records())
                .getMessage()).contains("index");
        assertThatThrownBy(() -> SegmentReader.readRange(KEY, info, 9, tooMuch))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomGarbageIsRejected() {
        Random random = new Random(20240611);
        byte[] validPrefix = small(Compression.LZ4).bytes();
        for (int i = 0; i < 4000; i++) {
            int len = random.nextInt(i % 2 == 0 ? 64 : 600);
            byte[] b = TestRecords.randomBytes(random, len);
            // Half of the inputs start like a segment or a batch, so parsing gets further.
            if (i % 4 == 1 && len >= 13) {
                System.arraycopy(validPrefix, 0, b, 0, 13);
            } else if (i % 4 == 3 && len >= 9) {
                Bytes.putI32(b, 0, SegmentFormat.BATCH_MAGIC);
                b[4] = 1;
                Bytes.putI32(b, 5, Math.max(0, len - random.nextInt(3)));
            }
            expectCorrupt("object " + i, () -> SegmentReader.readObject(KEY, b).records());
            expectCorrupt("inline " + i, () -> SegmentReader.readInline("c", b, 0, b.length).records());
            expectCorrupt("index " + i, () -> {
                SegmentInfo.fromBytes("c", b);
                return List.of();
            });
            if (len > 0) {
                expectCorrupt("trailer " + i, () -> {
                    SegmentTrailer t = SegmentTrailer.parse(KEY, b.length, b);
                    return t.readIndex(KEY, TestRecords.slice(b, t.indexPosition(), t.indexLength())).batches()
                            .isEmpty() ? List.of() : List.of();
                });
            }
        }
    }

    /**
     * Mutations behind a recomputed CRC (as from a buggy or hostile writer) reach the record decoder: it must refuse
     * or decode, never throw something else.
     */
    @ParameterizedTest
    @EnumSource(Compression.class)
    void mutationsWithAValidCrcNeverEscapeAsOtherExceptions(Compression codec) {
        Random random = new Random(7);
        byte[] clean = SegmentWriter.encodeBatch(TestRecords.mixed(25, 13), SegmentConfig.defaults()
                .withCompression(codec));
        int corrupt = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] b = clean.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                int pos = SegmentFormat.B_HEADER_LENGTH + random.nextInt(b.length - SegmentFormat.B_HEADER_LENGTH);
                b[pos] = (byte) random.nextInt(256);
            }
            TestRecords.fixBatchCrc(b, 0);
            try {
                List<Record> got = SegmentReader.readInline("c", b, 0, b.length).records();
                assertThat(got).isNotNull();
            } catch (CorruptSegmentException e) {
                corrupt++;
            } catch (Throwable t) {
                throw new AssertionError("mutation " + i + " threw " + t, t);
            }
        }
        assertThat(corrupt).isGreaterThan(1000);
    }

    @Test
    void hugeLengthFieldsAreBoundedNotAllocated() {
        byte[] clean = SegmentWriter.encodeBatch(List.of(Record.of(new byte[] {1}, new byte[] {2, 3}, 9)),
                SegmentConfig.defaults().withCompression(Compression.NONE));
        int payload = SegmentFormat.BATCH_HEADER_SIZE;

        byte[] b = clean.clone();
        Bytes.putI32(b, SegmentFormat.B_LENGTH, Integer.MAX_VALUE);
        assertCorrupt(b, false, "batch length");

        b = clean.clone();
        Bytes.putI32(b, SegmentFormat.B_LENGTH, -5);
        assertCorrupt(b, false, "batch length");

        b = clean.clone();
        Bytes.putI32(b, SegmentFormat.B_UNCOMPRESSED_LENGTH, Integer.MAX_VALUE);
        assertCorrupt(b, true, "uncompressed");

        b = clean.clone();
        Bytes.putI32(b, SegmentFormat.B_RECORD_COUNT, Integer.MAX_VALUE);
        assertCorrupt(b, true, "records");

        b = clean.clone();
        Bytes.putI32(b, SegmentFormat.B_RECORD_COUNT, -1);
        assertCorrupt(b, true, "record range");

        b = clean.clone();
        Bytes.putU16(b, SegmentFormat.B_HEADER_LENGTH, 0xFFFF);
        assertCorrupt(b, true, "header length");

        // record body length: a 5-byte varint of 2^31-1
        b = withPayload(clean, payload, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07});
        assertCorrupt(b, true, "record 0 has length");

        // key length 2^30 (zigzag) inside a small record
        b = withPayload(clean, payload, new byte[] {6, 0, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08});
        assertCorrupt(b, true, "key length");

        // header count 2^21 in a record with null key and value
        b = withPayload(clean, payload, new byte[] {7, 0, 1, 1, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01});
        assertCorrupt(b, true, "headers");

        // negative value length -5
        b = withPayload(clean, payload, new byte[] {4, 0, 1, 9, 0});
        assertCorrupt(b, true, "negative value length");

        // an LZ4 batch whose stored bytes are not a valid block
        byte[] lz = SegmentWriter.encodeBatch(TestRecords.jsonLike(50, 200), SegmentConfig.defaults());
        assertThat(Bytes.u16(lz, SegmentFormat.B_ATTRIBUTES)).isEqualTo(1);
        Arrays.fill(lz, payload, lz.length, (byte) 0xF0);
        assertCorrupt(lz, true, "LZ4");
    }

    /** Replaces the record bytes of a one-record uncompressed batch (same length, zero padded) and fixes the CRC. */
    private static byte[] withPayload(byte[] batch, int at, byte[] records) {
        byte[] b = Arrays.copyOf(batch, Math.max(batch.length, at + records.length));
        Arrays.fill(b, at, b.length, (byte) 0);
        System.arraycopy(records, 0, b, at, records.length);
        Bytes.putI32(b, SegmentFormat.B_LENGTH, b.length);
        Bytes.putI32(b, SegmentFormat.B_UNCOMPRESSED_LENGTH, b.length - at);
        TestRecords.fixBatchCrc(b, 0);
        return b;
    }

    private static void assertCorrupt(byte[] b, boolean fixCrc, String expected) {
        if (fixCrc) {
            TestRecords.fixBatchCrc(b, 0);
        }
        CorruptSegmentException e = expectCorrupt(expected, () -> SegmentReader.readInline("commit/9", b, 0,
                b.length).records());
        assertThat(e.getMessage()).contains(expected).contains("commit/9");
        assertThat(e.isNewerFormat()).isFalse();
    }

    @Test
    void newerVersionsAskForAnUpgrade() {
        EncodedSegment seg = small(Compression.NONE);

        byte[] b = seg.bytes().clone();
        b[SegmentFormat.OH_VERSION] = 2;
        assertUpgrade(() -> SegmentReader.readObject(KEY, b).records());

        byte[] t = seg.bytes().clone();
        t[t.length - SegmentFormat.TRAILER_SIZE + SegmentFormat.T_VERSION] = 7;
        assertUpgrade(() -> SegmentReader.readObject(KEY, t).records());
        assertUpgrade(() -> {
            SegmentTrailer.parse(KEY, t.length, TestRecords.tail(t, 100));
            return List.of();
        });

        byte[] batch = SegmentWriter.encodeBatch(TestRecords.mixed(3, 1), SegmentConfig.defaults());
        batch[SegmentFormat.B_VERSION] = 2;
        assertUpgrade(() -> SegmentReader.readInline("commit/3", batch, 0, batch.length).records());

        byte[] codec = SegmentWriter.encodeBatch(TestRecords.mixed(3, 1), SegmentConfig.defaults());
        Bytes.putU16(codec, SegmentFormat.B_ATTRIBUTES, 2); // a codec this version does not know (say, zstd)
        TestRecords.fixBatchCrc(codec, 0);
        assertUpgrade(() -> SegmentReader.readInline("commit/3", codec, 0, codec.length).records());

        byte[] index = seg.info().toBytes();
        index[SegmentFormat.I_VERSION] = 2;
        assertUpgrade(() -> {
            SegmentInfo.fromBytes("commit/4", index);
            return List.of();
        });

        byte[] zero = seg.bytes().clone();
        zero[SegmentFormat.OH_VERSION] = 0;
        assertThat(expectCorrupt("version 0", () -> SegmentReader.readObject(KEY, zero).records()).isNewerFormat())
                .isFalse();
    }

    private static void assertUpgrade(Supplier<List<Record>> read) {
        CorruptSegmentException e = expectCorrupt("newer version", read);
        assertThat(e.isNewerFormat()).isTrue();
        assertThat(e.getMessage()).contains("newer Silt").contains("upgrade");
    }

    @Test
    void crcMismatchMessageNamesKeyPositionAndProblem() {
        EncodedSegment seg = small(Compression.NONE);
        byte[] b = seg.bytes().clone();
        BatchIndexEntry second = seg.info().batches().get(1);
        b[(int) second.position() + 50] ^= 1;
        CorruptSegmentException e = expectCorrupt("crc", () -> SegmentReader.readObject(KEY, b).records());
        assertThat(e.getMessage()).contains("'" + KEY + "'").contains("at byte " + (second.position() + 9))
                .contains("CRC32C mismatch");
        assertThat(e.position()).isEqualTo(second.position() + 9);
    }

    @Test
    void indexInconsistentWithItsCrcFixedIsDetected() {
        EncodedSegment seg = small(Compression.NONE);
        int indexPos = (int) seg.info().batchesEnd();
        // Claim batch 1 starts one record later: the CRC is right, the index no longer matches the batches.
        byte[] b = seg.bytes().clone();
        int entry1 = indexPos + SegmentFormat.INDEX_HEADER_SIZE + SegmentFormat.INDEX_ENTRY_SIZE;
        Bytes.putI32(b, entry1, Bytes.i32(b, entry1) + 1);
        TestRecords.fixIndexCrc(b);
        expectCorrupt("index vs batches", () -> SegmentReader.readObject(KEY, b).records());
    }
}
