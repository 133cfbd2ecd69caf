package io.silt.storage.log.segment;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads segment bytes: a whole object, a byte range of whole batches located with the index, or standalone batches
 * carried inline by a commit record. Batches are checked (bounds, version, CRC32C) as iteration reaches them and
 * decoded when their records are asked for. Anything that does not parse raises {@link CorruptSegmentException}
 * naming the object, the byte position and the problem; no other exception escapes for any input, and corrupt data
 * is never returned. Not thread-safe; cheap to create (one per object or range read).
 *
 * <p>Reading from relative record {@code k} of a segment whose {@link SegmentInfo} is known (from the commit record
 * or the footer, see {@link SegmentTrailer}): GET {@code info.rangeFrom(k)}, then
 * {@code readRange(key, info, range.start(), bytes).recordsFrom(k)}.
 */
public final class SegmentReader {
    private final String key;
    private final byte[] buf;
    private final int start;
    private final int end;
    private final long delta;         // position = array index + delta
    private final SegmentInfo info;   // null for inline batches
    private final int firstBatchNumber;
    private final int firstRecord;
    private final BatchDecoder decoder = new BatchDecoder();

    private SegmentReader(String key, byte[] buf, int start, int end, long delta, SegmentInfo info,
                          int firstBatchNumber, int firstRecord) {
        this.key = key;
        this.buf = buf;
        this.start = start;
        this.end = end;
        this.delta = delta;
        this.info = info;
        this.firstBatchNumber = firstBatchNumber;
        this.firstRecord = firstRecord;
        if (start >= end) {
            throw CorruptSegmentException.corrupt(key, start + delta, "no batch: the bytes are empty");
        }
    }

    /**
     * Reads a whole segment object. Checks the header, the trailer and the index now, the batches as they are read.
     *
     * @param objectKey names the object in errors
     * @throws CorruptSegmentException if the header, trailer or index is not valid
     */
    public static SegmentReader readObject(String objectKey, byte[] object) {
        Objects.requireNonNull(object, "object");
        try {
            checkObjectHeader(object);
            SegmentTrailer trailer = SegmentTrailer.parse(object, Math.max(0, object.length - SegmentTrailer.SIZE),
                    object.length);
            SegmentInfo info = trailer.readIndex(object, (int) trailer.indexPosition(), trailer.indexLength());
            return new SegmentReader(objectKey, object, SegmentFormat.OBJECT_HEADER_SIZE,
                    (int) info.batchesEnd(), 0, info, 0, 0);
        } catch (Malformed m) {
            throw m.toException(objectKey);
        }
    }

    private static void checkObjectHeader(byte[] b) {
        if (b.length >= 4 && Bytes.i32(b, 0) != SegmentFormat.OBJECT_MAGIC) {
            throw new Malformed(0, "bad segment magic " + Bytes.describeMagic(Bytes.i32(b, 0))
                    + " (expected \"SLTS\"): not a segment object");
        }
        if (b.length > SegmentFormat.OH_VERSION) {
            IndexCodec.checkVersion(Bytes.u8(b, SegmentFormat.OH_VERSION), SegmentFormat.OH_VERSION, "segment");
        }
        if (b.length < SegmentFormat.MIN_OBJECT_SIZE) {
            throw new Malformed(0, "object of " + b.length + " bytes is too short to be a segment (at least "
                    + SegmentFormat.MIN_OBJECT_SIZE + ")");
        }
        int flags = Bytes.u8(b, SegmentFormat.OH_FLAGS);
        if (flags != 0) {
            throw new Malformed(SegmentFormat.OH_FLAGS, "unknown segment flags 0x" + Integer.toHexString(flags), true);
        }
        if (Bytes.u16(b, SegmentFormat.OH_RESERVED) != 0) {
            throw new Malformed(SegmentFormat.OH_RESERVED, "reserved header bytes are not zero");
        }
    }

    /**
     * Reads a byte range of a segment object that holds whole batches, as located with the segment's index, e.g.
     * {@link SegmentInfo#rangeFrom(int)}. Each batch is checked against its index entry.
     *
     * @param objectKey names the object in errors
     * @param info the segment's index
     * @param rangeStart the position of {@code bytes[0]} in the object: the start of a batch
     * @param bytes the range's bytes; they must end at a batch boundary
     * @throws IllegalArgumentException if {@code rangeStart} is not the start of a batch of {@code info}
     */
    public static SegmentReader readRange(String objectKey, SegmentInfo info, long rangeStart, byte[] bytes) {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(bytes, "bytes");
        int batchNumber = -1;
        if (rangeStart >= SegmentFormat.OBJECT_HEADER_SIZE && rangeStart < info.batchesEnd()) {
            int lo = 0;
            int hi = info.batchCount() - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (info.batches().get(mid).position() <= rangeStart) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            batchNumber = info.batches().get(lo).position() == rangeStart ? lo : -1;
        }
        if (batchNumber < 0) {
            throw new IllegalArgumentException("byte " + rangeStart + " is not the start of a batch of segment '"
                    + objectKey + "'");
        }
        return new SegmentReader(objectKey, bytes, 0, bytes.length, rangeStart, info, batchNumber,
                info.batches().get(batchNumber).firstRecord());
    }

    /**
     * Reads standalone batches (from {@link SegmentWriter#encodeBatch}) carried inline, e.g. by a commit record:
     * one or more batches whose records are numbered from 0. Positions in errors count from {@code offset}.
     *
     * @param source names the commit record in errors
     */
    public static SegmentReader readInline(String source, byte[] buf, int offset, int length) {
        Objects.requireNonNull(buf, "buf");
        Objects.checkFromIndexSize(offset, length, buf.length);
        return new SegmentReader(source, buf, offset, offset + length, -offset, null, 0, 0);
    }

    /** The segment's index: present for whole objects and ranges, empty for inline batches. */
    public Optional<SegmentInfo> info() {
        return Optional.ofNullable(info);
    }

    /** The batches, in order; each is checked when {@code next()} reaches it. */
    public Iterator<RecordBatch> batches() {
        return new Batches(start, firstBatchNumber, firstRecord);
    }

    /** All records, in order. */
    public List<Record> records() {
        return collect(batches(), firstRecord);
    }

    /**
     * The records from relative index {@code fromRecord} on (empty if it is past the end). With a whole object the
     * batches before it are skipped through the index, unread.
     *
     * @throws IllegalArgumentException if {@code fromRecord} is before the first record of the bytes read
     */
    public List<Record> recordsFrom(int fromRecord) {
        if (fromRecord < firstRecord) {
            throw new IllegalArgumentException("record " + fromRecord + " is before the first record read ("
                    + firstRecord + ")");
        }
        if (info != null && firstBatchNumber == 0 && fromRecord < info.recordCount()) {
            int number = info.batchNumberOf(fromRecord);
            BatchIndexEntry e = info.batches().get(number);
            return collect(new Batches((int) (e.position() - delta), number, e.firstRecord()), fromRecord);
        }
        return collect(batches(), fromRecord);
    }

    private static List<Record> collect(Iterator<RecordBatch> it, int fromRecord) {
        List<Record> out = new ArrayList<>();
        while (it.hasNext()) {
            RecordBatch b = it.next();
            int skip = fromRecord - b.firstRecord();
            if (skip >= b.recordCount()) {
                continue;
            }
            List<Record> records = b.records();
            out.addAll(skip > 0 ? records.subList(skip, records.size()) : records);
        }
        return out;
    }

    List<Record> decode(BatchHeader header) {
        try {
            return decoder.decode(buf, header);
        } catch (Malformed m) {
            throw m.toException(key);
        }
    }

    /** Walks the batches from an array index, checking each against the index (if any) and the record numbering. */
    private final class Batches implements Iterator<RecordBatch> {
        private int at;
        private int batchNumber;
        private int nextRecord;

        Batches(int at, int batchNumber, int nextRecord) {
            this.at = at;
            this.batchNumber = batchNumber;
            this.nextRecord = nextRecord;
        }

        @Override
        public boolean hasNext() {
            return at < end;
        }

        @Override
        public RecordBatch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            BatchHeader h;
            try {
                h = decoder.readHeader(buf, at, end, delta);
                check(h);
            } catch (Malformed m) {
                at = end; // a broken batch ends the iteration
                throw m.toException(key);
            }
            at += h.length();
            batchNumber++;
            nextRecord += h.recordCount();
            return new RecordBatch(SegmentReader.this, h);
        }

        private void check(BatchHeader h) {
            if (h.firstRecord() != nextRecord) {
                throw new Malformed(h.position(), "batch starts at record " + h.firstRecord() + ", expected "
                        + nextRecord);
            }
            if (info == null) {
                return;
            }
            if (batchNumber >= info.batchCount()) {
                throw new Malformed(h.position(), "batch past the last batch of the index (" + info.batchCount()
                        + " batches ending at byte " + info.batchesEnd() + ")");
            }
            BatchIndexEntry e = info.batches().get(batchNumber);
            if (e.position() != h.position() || e.length() != h.length() || e.maxTimestamp() != h.maxTimestamp()
                    || info.recordCountOf(batchNumber) != h.recordCount()) {
                throw new Malformed(h.position(), "batch (records " + h.firstRecord() + " +" + h.recordCount()
                        + ", " + h.length() + " bytes, max timestamp " + h.maxTimestamp()
                        + ") does not match index entry " + batchNumber + " " + e);
            }
        }
    }
}
