package io.silt.storage.log.segment;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Builds one batch at a time: records are encoded into a reusable buffer, then {@link #writeTo(ByteSink)} compresses
 * (if that makes the batch smaller), writes header and payload and computes the CRC32C. Not thread-safe.
 */
final class BatchEncoder {
    private final Compression compression;
    private final ByteSink payload;
    private final CRC32C crc = new CRC32C();
    private byte[] compressed = new byte[0];

    private int firstRecord;
    private int count;
    private long firstTimestamp;
    private long maxTimestamp;

    BatchEncoder(Compression compression, int initialCapacity) {
        this.compression = compression;
        this.payload = new ByteSink(initialCapacity);
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Uncompressed record bytes so far. */
    int payloadSize() {
        return payload.size();
    }

    long firstTimestamp() {
        return firstTimestamp;
    }

    void start(int firstRecordIndex) {
        payload.reset();
        firstRecord = firstRecordIndex;
        count = 0;
    }

    /**
     * The encoded size of {@code r} without its length prefix, in a batch whose first timestamp is {@code firstTs}.
     * May exceed {@code Integer.MAX_VALUE} for absurd inputs.
     */
    static long bodySize(Record r, long firstTs) {
        long body = Varints.sizeOf(Varints.zigzag(r.timestamp() - firstTs))
                + nullableSize(r.key()) + nullableSize(r.value());
        List<Header> headers = r.headers();
        body += Varints.sizeOf(headers.size());
        for (int i = 0; i < headers.size(); i++) {
            Header h = headers.get(i);
            int nameLength = Utf8.encodedLength(h.name());
            body += Varints.sizeOf(nameLength) + nameLength + nullableSize(h.value());
        }
        return body;
    }

    /** The encoded size of a record (length prefix included) whose body is {@code body} bytes. */
    static long totalSize(long body) {
        return body > Integer.MAX_VALUE ? body + Varints.MAX_INT_BYTES : Varints.sizeOf((int) body) + body;
    }

    private static long nullableSize(byte[] b) {
        return b == null ? 1 : Varints.sizeOf(Varints.zigzag(b.length)) + (long) b.length;
    }

    /**
     * Appends {@code r}, whose {@link #bodySize(Record, long)} in this batch is {@code body} (the caller checked that
     * it fits).
     */
    void add(Record r, int body) {
        if (count == 0) {
            firstTimestamp = r.timestamp();
            maxTimestamp = r.timestamp();
        } else {
            maxTimestamp = Math.max(maxTimestamp, r.timestamp());
        }
        payload.ensure((int) totalSize(body));
        payload.writeVarint(body);
        int start = payload.size();
        payload.writeVarlong(Varints.zigzag(r.timestamp() - firstTimestamp));
        writeNullable(r.key());
        writeNullable(r.value());
        List<Header> headers = r.headers();
        payload.writeVarint(headers.size());
        for (int i = 0; i < headers.size(); i++) {
            Header h = headers.get(i);
            byte[] name = h.name().getBytes(StandardCharsets.UTF_8);
            payload.writeVarint(name.length);
            payload.writeBytes(name, 0, name.length);
            writeNullable(h.value());
        }
        if (payload.size() - start != body) {
            throw new IllegalStateException("record encoded to " + (payload.size() - start) + " bytes, expected "
                    + body);
        }
        count++;
    }

    private void writeNullable(byte[] b) {
        if (b == null) {
            payload.writeVarint(Varints.zigzag(-1));
        } else {
            payload.writeVarint(Varints.zigzag(b.length));
            payload.writeBytes(b, 0, b.length);
        }
    }

    /** Writes the batch (header and payload) at the end of {@code out} and returns its index entry. */
    BatchIndexEntry writeTo(ByteSink out) {
        if (count == 0) {
            throw new IllegalStateException("empty batch");
        }
        int uncompressed = payload.size();
        byte[] stored = payload.array();
        int storedLength = uncompressed;
        Compression codec = Compression.NONE;
        if (compression == Compression.LZ4) {
            int max = Lz4.maxCompressedLength(uncompressed);
            if (compressed.length < max) {
                compressed = new byte[max];
            }
            int n = Lz4.COMPRESSOR.compress(payload.array(), 0, uncompressed, compressed, 0, max);
            if (n < uncompressed) {
                stored = compressed;
                storedLength = n;
                codec = Compression.LZ4;
            }
        }
        int length = SegmentFormat.BATCH_HEADER_SIZE + storedLength;
        int at = out.skip(length);
        byte[] b = out.array();
        Bytes.putI32(b, at + SegmentFormat.B_MAGIC, SegmentFormat.BATCH_MAGIC);
        b[at + SegmentFormat.B_VERSION] = (byte) SegmentFormat.VERSION;
        Bytes.putI32(b, at + SegmentFormat.B_LENGTH, length);
        Bytes.putU16(b, at + SegmentFormat.B_HEADER_LENGTH, SegmentFormat.BATCH_HEADER_SIZE);
        Bytes.putU16(b, at + SegmentFormat.B_ATTRIBUTES, codec.id());
        Bytes.putI32(b, at + SegmentFormat.B_FIRST_INDEX, firstRecord);
        Bytes.putI32(b, at + SegmentFormat.B_RECORD_COUNT, count);
        Bytes.putI64(b, at + SegmentFormat.B_FIRST_TIMESTAMP, firstTimestamp);
        Bytes.putI64(b, at + SegmentFormat.B_MAX_TIMESTAMP, maxTimestamp);
        Bytes.putI32(b, at + SegmentFormat.B_UNCOMPRESSED_LENGTH, uncompressed);
        System.arraycopy(stored, 0, b, at + SegmentFormat.BATCH_HEADER_SIZE, storedLength);
        crc.reset();
        crc.update(b, at + SegmentFormat.B_HEADER_LENGTH, length - SegmentFormat.B_HEADER_LENGTH);
        Bytes.putI32(b, at + SegmentFormat.B_CRC, (int) crc.getValue());
        return new BatchIndexEntry(firstRecord, at, length, maxTimestamp);
    }
}
