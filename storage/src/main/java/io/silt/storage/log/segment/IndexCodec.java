package io.silt.storage.log.segment;

import java.util.ArrayList;
import java.util.List;

/** Encodes and decodes the index section of a segment's footer ({@link SegmentInfo}). */
final class IndexCodec {
    private IndexCodec() {}

    static int encodedLength(int batchCount) {
        return SegmentFormat.INDEX_HEADER_SIZE + SegmentFormat.INDEX_ENTRY_SIZE * batchCount;
    }

    static byte[] encode(SegmentInfo info) {
        byte[] b = new byte[encodedLength(info.batchCount())];
        Bytes.putI32(b, 0, SegmentFormat.INDEX_MAGIC);
        b[SegmentFormat.I_VERSION] = (byte) SegmentFormat.VERSION;
        b[SegmentFormat.I_FLAGS] = 0;
        Bytes.putU16(b, SegmentFormat.I_HEADER_LENGTH, SegmentFormat.INDEX_HEADER_SIZE);
        Bytes.putU16(b, SegmentFormat.I_ENTRY_SIZE, SegmentFormat.INDEX_ENTRY_SIZE);
        Bytes.putI32(b, SegmentFormat.I_BATCH_COUNT, info.batchCount());
        Bytes.putI32(b, SegmentFormat.I_RECORD_COUNT, info.recordCount());
        Bytes.putI64(b, SegmentFormat.I_BYTE_SIZE, info.byteSize());
        Bytes.putI64(b, SegmentFormat.I_MIN_TIMESTAMP, info.minTimestamp());
        Bytes.putI64(b, SegmentFormat.I_MAX_TIMESTAMP, info.maxTimestamp());
        int at = SegmentFormat.INDEX_HEADER_SIZE;
        for (BatchIndexEntry e : info.batches()) {
            Bytes.putI32(b, at, e.firstRecord());
            Bytes.putI64(b, at + 4, e.position());
            Bytes.putI32(b, at + 12, e.length());
            Bytes.putI64(b, at + 16, e.maxTimestamp());
            at += SegmentFormat.INDEX_ENTRY_SIZE;
        }
        return b;
    }

    /**
     * Decodes the index in {@code b[off, off + len)}; {@code base} is the position of {@code b[off]} for messages.
     * Does not check a CRC: the trailer (or the commit record carrying the index) does.
     */
    static SegmentInfo decode(byte[] b, int off, int len, long base) {
        if (len >= 4 && Bytes.i32(b, off) != SegmentFormat.INDEX_MAGIC) {
            throw new Malformed(base, "bad index magic " + Bytes.describeMagic(Bytes.i32(b, off))
                    + " (expected \"SLTI\")");
        }
        if (len >= 5) {
            checkVersion(Bytes.u8(b, off + SegmentFormat.I_VERSION), base + SegmentFormat.I_VERSION, "index");
        }
        if (len < SegmentFormat.INDEX_HEADER_SIZE) {
            throw new Malformed(base, "truncated index: " + len + " bytes, the index header alone is "
                    + SegmentFormat.INDEX_HEADER_SIZE);
        }
        int flags = Bytes.u8(b, off + SegmentFormat.I_FLAGS);
        if (flags != 0) {
            throw new Malformed(base + SegmentFormat.I_FLAGS, "unknown index flags 0x" + Integer.toHexString(flags),
                    true);
        }
        int headerLength = Bytes.u16(b, off + SegmentFormat.I_HEADER_LENGTH);
        int entrySize = Bytes.u16(b, off + SegmentFormat.I_ENTRY_SIZE);
        int batchCount = Bytes.i32(b, off + SegmentFormat.I_BATCH_COUNT);
        if (headerLength < SegmentFormat.INDEX_HEADER_SIZE || entrySize < SegmentFormat.INDEX_ENTRY_SIZE
                || batchCount < 1) {
            throw new Malformed(base + SegmentFormat.I_HEADER_LENGTH, "bad index header: header length "
                    + headerLength + ", entry size " + entrySize + ", batch count " + batchCount);
        }
        long expected = headerLength + (long) entrySize * batchCount;
        if (expected != len) {
            throw new Malformed(base + SegmentFormat.I_BATCH_COUNT, "index of " + batchCount + " entries of "
                    + entrySize + " bytes after a " + headerLength + "-byte header needs " + expected
                    + " bytes, has " + len);
        }
        List<BatchIndexEntry> entries = new ArrayList<>(batchCount);
        int at = off + headerLength;
        for (int i = 0; i < batchCount; i++) {
            entries.add(new BatchIndexEntry(Bytes.i32(b, at), Bytes.i64(b, at + 4), Bytes.i32(b, at + 12),
                    Bytes.i64(b, at + 16)));
            at += entrySize;
        }
        try {
            return new SegmentInfo(Bytes.i32(b, off + SegmentFormat.I_RECORD_COUNT),
                    Bytes.i64(b, off + SegmentFormat.I_BYTE_SIZE), Bytes.i64(b, off + SegmentFormat.I_MIN_TIMESTAMP),
                    Bytes.i64(b, off + SegmentFormat.I_MAX_TIMESTAMP), entries);
        } catch (IllegalArgumentException e) {
            throw new Malformed(base, "inconsistent index: " + e.getMessage());
        }
    }

    /** Refuses version 0 as corrupt and newer versions as "written by a newer Silt". */
    static void checkVersion(int version, long position, String what) {
        if (version > SegmentFormat.VERSION) {
            throw new Malformed(position, what + " format version " + version, true);
        }
        if (version < 1) {
            throw new Malformed(position, "invalid " + what + " format version " + version);
        }
    }
}
