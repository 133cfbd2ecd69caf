package io.silt.storage.log.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Builds segment objects: append records, then {@link #finish()}. Batches close at
 * {@link SegmentConfig#batchSizeBytes()} of uncompressed record bytes. After {@code finish()} the writer is empty
 * again and can build the next segment, reusing its buffers. Not thread-safe.
 *
 * <h2>Segment format, version 1</h2>
 * All integers are big-endian; "varint" is an unsigned LEB128 varint, "zigzag" a zigzag-encoded signed varint
 * (Protocol Buffers style). A segment object is:
 * <pre>
 * object header (8 bytes)
 *   0  4  magic "SLTS" (0x534C5453)
 *   4  1  format version = 1
 *   5  1  flags = 0 (a reader refuses unknown flags as "written by a newer Silt")
 *   6  2  reserved = 0
 * batch 0, batch 1, ... (at least one; contiguous, starting at byte 8)
 * index (42 + 24 * batchCount bytes), at indexPosition = end of the last batch
 * trailer (24 bytes), at the end of the object
 * </pre>
 * A batch ({@code L} bytes, payload at {@code H}):
 * <pre>
 *   0  4  magic "SLTB" (0x534C5442)
 *   4  1  batch format version = 1
 *   5  4  batch length L (int32, whole batch, header included; 46 .. 65535 + 8 MiB)
 *   9  4  CRC32C (Castagnoli) of bytes [13, L)
 *  13  2  header length H = 45 (uint16; payload starts at H, a later revision may append header fields)
 *  15  2  attributes: bits 0-2 compression codec (0 none, 1 LZ4 block); other bits 0
 *  17  4  first record: relative index of the batch's first record in the segment (int32 >= 0)
 *  21  4  record count (int32 >= 1)
 *  25  8  first timestamp (epoch millis of the first record, >= 0)
 *  33  8  max timestamp (largest record timestamp)
 *  41  4  uncompressed length U of the records (int32, <= 8 MiB)
 *   H  L-H  records: U bytes as they are (codec 0) or one LZ4 block that decompresses to exactly U bytes
 * </pre>
 * Each record, one after the other (at least 5 bytes):
 * <pre>
 *   varint  body length (bytes after this varint; a later revision may append fields, readers skip them)
 *   zigzag  timestamp delta (timestamp - first timestamp)
 *   zigzag  key length (-1 = null), then key bytes
 *   zigzag  value length (-1 = null), then value bytes
 *   varint  header count, then per header:
 *           varint name length, UTF-8 name bytes, zigzag value length (-1 = null), value bytes
 * </pre>
 * The index (also {@link SegmentInfo#toBytes()}):
 * <pre>
 *   0  4  magic "SLTI" (0x534C5449)
 *   4  1  version = 1
 *   5  1  flags = 0
 *   6  2  header length = 42
 *   8  2  entry size = 24
 *  10  4  batch count
 *  14  4  record count
 *  18  8  object size in bytes
 *  26  8  min timestamp
 *  34  8  max timestamp
 *  42     per batch: first record (int32), position (int64), length (int32), max timestamp (int64)
 * </pre>
 * The trailer (last 24 bytes of the object):
 * <pre>
 *   0  8  index position
 *   8  4  index length
 *  12  4  CRC32C of the index
 *  16  1  version = 1
 *  17  1  flags = 0
 *  18  2  reserved = 0
 *  20  4  magic "SLTF" (0x534C5446)
 * </pre>
 * Every byte is checked on reading: the batch CRC covers each batch from its header length on, the fields before it
 * (magic, version, length, the CRC itself) are checked by value or change what the CRC covers; the trailer's index
 * CRC covers the index, and the trailer's fields must place the index exactly between the last batch and the
 * trailer.
 */
public final class SegmentWriter {
    private final SegmentConfig config;
    private final BatchEncoder batch;
    private final ByteSink out;
    private final List<BatchIndexEntry> entries = new ArrayList<>();
    private final CRC32C crc = new CRC32C();
    private int recordCount;
    private long minTimestamp;
    private long maxTimestamp;
    private long uncompressedBytes;

    /** A writer with {@link SegmentConfig#defaults()}. */
    public SegmentWriter() {
        this(SegmentConfig.defaults());
    }

    public SegmentWriter(SegmentConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.batch = new BatchEncoder(config.compression(), Math.min(config.batchSizeBytes(), 1 << 16));
        this.out = new ByteSink(1 << 16);
        reset();
    }

    public SegmentConfig config() {
        return config;
    }

    /**
     * Appends a record as the segment's next one (relative index {@link #recordCount()} before the call).
     *
     * @throws RecordTooLargeException if its encoded size exceeds {@link SegmentConfig#maxRecordBytes()}; the
     *     writer is unchanged
     */
    public void append(Record record) {
        Objects.requireNonNull(record, "record");
        int ownSize = checkSize(record, config.maxRecordBytes());
        if (batch.isEmpty()) {
            batch.add(record, (int) BatchEncoder.bodySize(record, record.timestamp()));
        } else {
            long body = BatchEncoder.bodySize(record, batch.firstTimestamp());
            if (batch.payloadSize() + BatchEncoder.totalSize(body) > config.batchSizeBytes()) {
                closeBatch();
                body = BatchEncoder.bodySize(record, record.timestamp());
            }
            batch.add(record, (int) body);
        }
        recordCount++;
        uncompressedBytes += ownSize;
        minTimestamp = Math.min(minTimestamp, record.timestamp());
        maxTimestamp = Math.max(maxTimestamp, record.timestamp());
    }

    /** Checks a record against the limit; returns its encoded size as the first record of a batch. */
    private static int checkSize(Record record, int maxRecordBytes) {
        long size = BatchEncoder.totalSize(BatchEncoder.bodySize(record, record.timestamp()));
        if (size > maxRecordBytes) {
            throw new RecordTooLargeException(size, maxRecordBytes);
        }
        return (int) size;
    }

    /** Records appended since the last {@link #finish()}. */
    public int recordCount() {
        return recordCount;
    }

    public boolean isEmpty() {
        return recordCount == 0;
    }

    /** The encoded, uncompressed size of the records appended since the last {@link #finish()}. */
    public long uncompressedBytes() {
        return uncompressedBytes;
    }

    /** The bytes buffered so far: closed batches (compressed) plus the open batch (uncompressed). */
    public long bufferedBytes() {
        return out.size() + batch.payloadSize();
    }

    /**
     * Closes the open batch, writes the index and trailer and returns the segment; the writer is then empty.
     *
     * @throws IllegalStateException if no record was appended
     */
    public EncodedSegment finish() {
        if (recordCount == 0) {
            throw new IllegalStateException("a segment holds at least one record; nothing was appended");
        }
        closeBatch();
        long indexPosition = out.size();
        int indexLength = IndexCodec.encodedLength(entries.size());
        long byteSize = indexPosition + indexLength + SegmentFormat.TRAILER_SIZE;
        SegmentInfo info = new SegmentInfo(recordCount, byteSize, minTimestamp, maxTimestamp, entries);
        byte[] index = IndexCodec.encode(info);
        out.writeBytes(index, 0, index.length);
        crc.reset();
        crc.update(index, 0, index.length);
        out.writeI64(indexPosition);
        out.writeI32(indexLength);
        out.writeI32((int) crc.getValue());
        out.writeByte(SegmentFormat.VERSION);
        out.writeByte(0);
        out.writeU16(0);
        out.writeI32(SegmentFormat.TRAILER_MAGIC);
        EncodedSegment segment = new EncodedSegment(out.toByteArray(), info);
        reset();
        return segment;
    }

    /**
     * Encodes records as one standalone batch (first record 0), for a commit record to carry inline; read it back
     * with {@link SegmentReader#readInline(String, byte[], int, int)}. {@link SegmentConfig#batchSizeBytes()} does
     * not apply: the records must fit the hard cap of {@link SegmentConfig#MAX_BATCH_SIZE_BYTES}.
     *
     * @throws RecordTooLargeException if a record exceeds {@link SegmentConfig#maxRecordBytes()}
     * @throws IllegalArgumentException if there are no records or they exceed the hard cap together
     */
    public static byte[] encodeBatch(List<Record> records, SegmentConfig config) {
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(config, "config");
        if (records.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one record");
        }
        long firstTs = Objects.requireNonNull(records.get(0), "record").timestamp();
        long total = 0;
        for (Record r : records) {
            checkSize(Objects.requireNonNull(r, "record"), config.maxRecordBytes());
            total += BatchEncoder.totalSize(BatchEncoder.bodySize(r, firstTs));
        }
        if (total > SegmentConfig.MAX_BATCH_SIZE_BYTES) {
            throw new IllegalArgumentException(records.size() + " records of " + total
                    + " bytes do not fit in one batch (at most " + SegmentConfig.MAX_BATCH_SIZE_BYTES
                    + " bytes); write a segment instead");
        }
        BatchEncoder encoder = new BatchEncoder(config.compression(), (int) total);
        encoder.start(0);
        for (Record r : records) {
            encoder.add(r, (int) BatchEncoder.bodySize(r, firstTs));
        }
        ByteSink sink = new ByteSink(SegmentFormat.BATCH_HEADER_SIZE + (int) total);
        encoder.writeTo(sink);
        return sink.toByteArray();
    }

    private void closeBatch() {
        if (!batch.isEmpty()) {
            entries.add(batch.writeTo(out));
            batch.start(recordCount);
        }
    }

    private void reset() {
        out.reset();
        out.writeI32(SegmentFormat.OBJECT_MAGIC);
        out.writeByte(SegmentFormat.VERSION);
        out.writeByte(0);
        out.writeU16(0);
        entries.clear();
        batch.start(0);
        recordCount = 0;
        minTimestamp = Long.MAX_VALUE;
        maxTimestamp = -1;
        uncompressedBytes = 0;
    }
}
