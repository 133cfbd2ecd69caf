package io.silt.storage.log.segment;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Parses batch headers (checking bounds, version and CRC32C) and decodes their records. Every length is bounded by
 * the bytes that remain and by the format's limits before it is used, so no input makes it allocate more than the
 * batch could hold, read out of bounds or loop without progress. Reuses a CRC, a UTF-8 decoder and a decompression
 * buffer: not thread-safe.
 */
final class BatchDecoder {
    private final CRC32C crc = new CRC32C();
    private final CharsetDecoder utf8 = Utf8.newStrictDecoder();
    private byte[] scratch = new byte[0];

    /**
     * Parses the batch at {@code buf[at]}, which must end by {@code end}; {@code delta} maps an array index to a
     * position ({@code position = index + delta}).
     */
    BatchHeader readHeader(byte[] buf, int at, int end, long delta) {
        long pos = at + delta;
        int available = end - at;
        if (available >= 4 && Bytes.i32(buf, at) != SegmentFormat.BATCH_MAGIC) {
            int magic = Bytes.i32(buf, at);
            String hint = magic == SegmentFormat.INDEX_MAGIC
                    ? " (found the segment index: the bytes run past the last batch)" : "";
            throw new Malformed(pos, "bad batch magic " + Bytes.describeMagic(magic) + " (expected \"SLTB\")" + hint);
        }
        if (available > SegmentFormat.B_VERSION) {
            IndexCodec.checkVersion(Bytes.u8(buf, at + SegmentFormat.B_VERSION), pos + SegmentFormat.B_VERSION,
                    "batch");
        }
        if (available < SegmentFormat.BATCH_HEADER_SIZE) {
            throw new Malformed(pos, "truncated batch: " + available + " bytes left, a batch header is "
                    + SegmentFormat.BATCH_HEADER_SIZE);
        }
        int length = Bytes.i32(buf, at + SegmentFormat.B_LENGTH);
        if (length <= SegmentFormat.BATCH_HEADER_SIZE || length > SegmentFormat.MAX_BATCH_LENGTH) {
            throw new Malformed(pos + SegmentFormat.B_LENGTH, "batch length " + length + " out of bounds ["
                    + (SegmentFormat.BATCH_HEADER_SIZE + 1) + ", " + SegmentFormat.MAX_BATCH_LENGTH + "]");
        }
        if (length > available) {
            throw new Malformed(pos + SegmentFormat.B_LENGTH, "truncated batch: length " + length + " but only "
                    + available + " bytes left");
        }
        int stored = Bytes.i32(buf, at + SegmentFormat.B_CRC);
        crc.reset();
        crc.update(buf, at + SegmentFormat.B_HEADER_LENGTH, length - SegmentFormat.B_HEADER_LENGTH);
        int computed = (int) crc.getValue();
        if (stored != computed) {
            throw new Malformed(pos + SegmentFormat.B_CRC, String.format(
                    "batch CRC32C mismatch: stored 0x%08x, computed 0x%08x over bytes [%d, %d)", stored, computed,
                    pos + SegmentFormat.B_HEADER_LENGTH, pos + length));
        }
        return checkFields(buf, at, pos, length);
    }

    private static BatchHeader checkFields(byte[] buf, int at, long pos, int length) {
        int headerLength = Bytes.u16(buf, at + SegmentFormat.B_HEADER_LENGTH);
        if (headerLength < SegmentFormat.BATCH_HEADER_SIZE || headerLength >= length) {
            throw new Malformed(pos + SegmentFormat.B_HEADER_LENGTH, "batch header length " + headerLength
                    + " out of bounds for a batch of " + length + " bytes");
        }
        int attributes = Bytes.u16(buf, at + SegmentFormat.B_ATTRIBUTES);
        if ((attributes & ~SegmentFormat.ATTR_CODEC_MASK) != 0) {
            throw new Malformed(pos + SegmentFormat.B_ATTRIBUTES, "unknown batch attributes 0x"
                    + Integer.toHexString(attributes), true);
        }
        Compression codec = Compression.ofId(attributes & SegmentFormat.ATTR_CODEC_MASK);
        if (codec == null) {
            throw new Malformed(pos + SegmentFormat.B_ATTRIBUTES, "unknown compression codec "
                    + (attributes & SegmentFormat.ATTR_CODEC_MASK), true);
        }
        int firstRecord = Bytes.i32(buf, at + SegmentFormat.B_FIRST_INDEX);
        int count = Bytes.i32(buf, at + SegmentFormat.B_RECORD_COUNT);
        long firstTs = Bytes.i64(buf, at + SegmentFormat.B_FIRST_TIMESTAMP);
        long maxTs = Bytes.i64(buf, at + SegmentFormat.B_MAX_TIMESTAMP);
        int uncompressed = Bytes.i32(buf, at + SegmentFormat.B_UNCOMPRESSED_LENGTH);
        if (firstRecord < 0 || count < 1 || (long) firstRecord + count > Integer.MAX_VALUE) {
            throw new Malformed(pos + SegmentFormat.B_FIRST_INDEX, "bad batch record range: first " + firstRecord
                    + ", count " + count);
        }
        if (firstTs < 0 || maxTs < firstTs) {
            throw new Malformed(pos + SegmentFormat.B_FIRST_TIMESTAMP, "bad batch timestamps: first " + firstTs
                    + ", max " + maxTs);
        }
        if (uncompressed < SegmentFormat.MIN_RECORD_BYTES || uncompressed > SegmentFormat.HARD_MAX_BATCH_BYTES
                || count > uncompressed / SegmentFormat.MIN_RECORD_BYTES) {
            throw new Malformed(pos + SegmentFormat.B_UNCOMPRESSED_LENGTH, "batch of " + count + " records with "
                    + uncompressed + " uncompressed bytes is out of bounds (at most "
                    + SegmentFormat.HARD_MAX_BATCH_BYTES + " bytes, at least " + SegmentFormat.MIN_RECORD_BYTES
                    + " per record)");
        }
        int payloadLength = length - headerLength;
        boolean sizesFit = codec == Compression.NONE
                ? payloadLength == uncompressed
                : payloadLength <= Lz4.maxCompressedLength(uncompressed);
        if (!sizesFit) {
            throw new Malformed(pos + SegmentFormat.B_UNCOMPRESSED_LENGTH, "batch stores " + payloadLength
                    + " bytes with codec " + codec + " for " + uncompressed + " uncompressed bytes");
        }
        return new BatchHeader(at, pos, length, headerLength, codec, firstRecord, count, firstTs, maxTs,
                uncompressed);
    }

    /** Decompresses (if needed) and decodes the batch's records. */
    List<Record> decode(byte[] buf, BatchHeader h) {
        byte[] data = buf;
        int off = h.payloadIndex();
        String where = "records";
        if (h.codec() == Compression.LZ4) {
            data = decompress(buf, h);
            off = 0;
            where = "decompressed records";
        }
        try {
            return decodeRecords(data, off, h);
        } catch (Malformed m) {
            throw new Malformed(h.position(), "batch at byte " + h.position() + ", at byte " + m.position()
                    + " of its " + where + ": " + m.getMessage());
        }
    }

    private byte[] decompress(byte[] buf, BatchHeader h) {
        int n = h.uncompressedLength();
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, Math.min(scratch.length * 2, SegmentFormat.HARD_MAX_BATCH_BYTES))];
        }
        int got;
        try {
            got = Lz4.DECOMPRESSOR.decompress(buf, h.payloadIndex(), h.payloadLength(), scratch, 0, n);
        } catch (RuntimeException e) {
            throw new Malformed(h.position(), "LZ4 decompression failed: " + e.getMessage());
        }
        if (got != n) {
            throw new Malformed(h.position(), "LZ4 decompressed to " + got + " bytes, the header says " + n);
        }
        return scratch;
    }

    /** Positions in the {@link Malformed} thrown here are relative to the start of the records. */
    private List<Record> decodeRecords(byte[] data, int off, BatchHeader h) {
        ByteSource src = new ByteSource(data, off, off + h.uncompressedLength(), -off);
        int count = h.recordCount();
        Record[] records = new Record[count];
        long firstTs = h.firstTimestamp();
        long maxSeen = -1;
        for (int i = 0; i < count; i++) {
            if (src.remaining() == 0) {
                throw src.error("the records end after " + i + " of " + count + " records");
            }
            int body = src.readUnsignedVarint("record length");
            if (body < SegmentFormat.MIN_RECORD_BYTES - 1 || body > src.remaining()) {
                throw src.error("record " + i + " has length " + body + " but " + src.remaining()
                        + " bytes are left");
            }
            int bodyEnd = src.position() + body;
            int outerLimit = src.limit();
            src.limit(bodyEnd);
            long delta = src.readSignedVarlong("timestamp delta");
            if (delta < -firstTs || delta > h.maxTimestamp() - firstTs || (i == 0 && delta != 0)) {
                throw src.error("record " + i + " has timestamp delta " + delta + " outside the batch's range ["
                        + firstTs + ", " + h.maxTimestamp() + "]");
            }
            long ts = firstTs + delta;
            maxSeen = Math.max(maxSeen, ts);
            int keyLength = src.readNullableLength("key");
            byte[] key = keyLength < 0 ? null : src.readBytes(keyLength);
            int valueLength = src.readNullableLength("value");
            byte[] value = valueLength < 0 ? null : src.readBytes(valueLength);
            List<Header> headers = readHeaders(src, i);
            src.position(bodyEnd); // skips fields appended by a later revision of version 1
            src.limit(outerLimit);
            records[i] = new Record(key, value, headers, ts);
        }
        if (src.remaining() != 0) {
            throw src.error(src.remaining() + " bytes left after the last of " + count + " records");
        }
        if (maxSeen != h.maxTimestamp()) {
            throw src.error("the records' largest timestamp is " + maxSeen + ", the header says "
                    + h.maxTimestamp());
        }
        return Collections.unmodifiableList(Arrays.asList(records));
    }

    private List<Header> readHeaders(ByteSource src, int record) {
        int n = src.readUnsignedVarint("header count");
        if (n == 0) {
            return List.of();
        }
        if (n > src.remaining() / SegmentFormat.MIN_HEADER_BYTES) {
            throw src.error("record " + record + " claims " + n + " headers in " + src.remaining() + " bytes");
        }
        Header[] headers = new Header[n];
        for (int j = 0; j < n; j++) {
            int nameLength = src.readUnsignedVarint("header name length");
            if (nameLength > src.remaining()) {
                throw src.error("header name length " + nameLength + " exceeds the " + src.remaining()
                        + " bytes left in the record");
            }
            String name;
            try {
                name = Utf8.decode(utf8, src.array(), src.position(), nameLength);
            } catch (CharacterCodingException e) {
                throw src.error("header name is not valid UTF-8");
            }
            src.position(src.position() + nameLength);
            int valueLength = src.readNullableLength("header value");
            byte[] value = valueLength < 0 ? null : src.readBytes(valueLength);
            headers[j] = new Header(name, value);
        }
        return List.of(headers);
    }
}
