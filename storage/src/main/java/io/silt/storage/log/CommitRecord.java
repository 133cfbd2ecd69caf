package io.silt.storage.log;

import io.silt.storage.InvalidKeyException;
import io.silt.storage.ObjectKeys;
import io.silt.storage.log.internal.BinaryReader;
import io.silt.storage.log.internal.BinaryWriter;
import io.silt.storage.log.segment.BatchIndexEntry;
import io.silt.storage.log.segment.SegmentInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One numbered record of a partition's commit log: it appends its entries at {@code baseOffset}. Format in RFC 0002.
 *
 * @param seq the record's number in the log
 * @param token the write token that makes the record's bytes unique to its writer
 * @param baseOffset the offset of the first record of the first entry
 * @param commitTimeMillis the committer's clock when it built the record
 * @param entries the appended batches, in offset order
 */
public record CommitRecord(long seq, byte[] token, long baseOffset, long commitTimeMillis, List<Entry> entries) {
    static final byte[] MAGIC = "SLTC".getBytes(StandardCharsets.US_ASCII);
    public static final int FORMAT_VERSION = 1;
    private static final int KIND_SEGMENT = 1;
    private static final int KIND_INLINE = 2;
    private static final int MAX_ENTRIES = 1_000_000;
    private static final int MAX_INDEX = 100_000;

    public CommitRecord {
        Objects.requireNonNull(token, "token");
        entries = List.copyOf(entries);
    }

    /**
     * One producer batch.
     *
     * @param recordCount records in the batch
     * @param producer who appended it and at which sequence ({@link ProducerId#NONE} if not idempotent)
     * @param segmentKey the segment object holding the batch, or {@code null} if the batch is inline
     * @param segmentSize the segment's size in bytes (0 if inline)
     * @param index the segment's batch index (empty if inline)
     * @param inline the batch bytes if inline, else {@code null}
     */
    public record Entry(int recordCount, long minTimestamp, long maxTimestamp, ProducerId producer, int firstSequence,
                        String segmentKey, long segmentSize, List<BatchIndexEntry> index, byte[] inline) {
        public Entry {
            Objects.requireNonNull(producer, "producer");
            index = List.copyOf(index);
            if ((segmentKey == null) == (inline == null)) {
                throw new IllegalArgumentException("an entry names a segment or carries inline bytes, not both");
            }
        }

        public boolean isInline() {
            return inline != null;
        }

        /** The number of bytes of record data the entry stands for. */
        public long dataBytes() {
            return isInline() ? inline.length : segmentSize;
        }
    }

    /** The number of records the commit appends. */
    public long recordCount() {
        long n = 0;
        for (Entry e : entries) {
            n += e.recordCount();
        }
        return n;
    }

    /** The offset after the last record: the next commit's base offset. */
    public long endOffset() {
        return baseOffset + recordCount();
    }

    public byte[] encode() {
        BinaryWriter w = new BinaryWriter(256);
        w.bytes(MAGIC).u8(FORMAT_VERSION).bytes(token).i64(seq).i64(baseOffset).i64(commitTimeMillis);
        w.i32(entries.size());
        for (Entry e : entries) {
            writeEntry(w, e);
        }
        return w.finishWithCrc();
    }

    /**
     * @param key the object's key, for error messages and to check that the record is where it claims to be
     * @throws CorruptObjectException if the bytes are not a valid commit record numbered {@code expectedSeq}
     * @throws UnsupportedFormatException if a newer Silt wrote it
     */
    public static CommitRecord decode(byte[] bytes, String key, long expectedSeq) {
        BinaryReader r = BinaryReader.withCrc(bytes, key, "commit record");
        r.expectMagic(MAGIC, "commit record");
        int version = r.u8("format version");
        if (version > FORMAT_VERSION) {
            throw new UnsupportedFormatException("commit record", key, version, FORMAT_VERSION);
        }
        byte[] token = r.bytes(16, "write token");
        long seq = r.nonNegative("seq");
        if (seq != expectedSeq) {
            throw r.corrupt("record says it is number " + seq + " but is stored as number " + expectedSeq);
        }
        long base = r.nonNegative("base offset");
        long time = r.i64("commit time");
        int n = r.count("entry count", MAX_ENTRIES);
        List<Entry> entries = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            entries.add(readEntry(r));
        }
        r.expectEnd();
        return new CommitRecord(seq, token, base, time, entries);
    }

    static void writeEntry(BinaryWriter w, Entry e) {
        w.u8(e.isInline() ? KIND_INLINE : KIND_SEGMENT)
                .i32(e.recordCount()).i64(e.minTimestamp()).i64(e.maxTimestamp())
                .i64(e.producer().id()).i32(e.producer().epoch()).i32(e.firstSequence());
        if (e.isInline()) {
            w.blob(e.inline());
        } else {
            w.string(e.segmentKey()).i64(e.segmentSize()).i32(e.index().size());
            for (BatchIndexEntry b : e.index()) {
                w.i32(b.firstRecord()).i64(b.position()).i32(b.length()).i64(b.maxTimestamp());
            }
        }
    }

    static Entry readEntry(BinaryReader r) {
        int kind = r.u8("entry kind");
        int count = r.count("record count", Integer.MAX_VALUE);
        long minTs = r.i64("min timestamp");
        long maxTs = r.i64("max timestamp");
        ProducerId producer = new ProducerId(r.i64("producer id"), r.i32("producer epoch"));
        int firstSeq = r.i32("first sequence");
        if (kind == KIND_INLINE) {
            return new Entry(count, minTs, maxTs, producer, firstSeq, null, 0, List.of(), r.blob("inline batch"));
        }
        if (kind != KIND_SEGMENT) {
            throw r.corrupt("unknown entry kind " + kind);
        }
        String segKey = segmentKeyOfThisPartition(r, r.string("segment key"));
        long size = r.nonNegative("segment size");
        int m = r.count("index size", MAX_INDEX);
        List<BatchIndexEntry> index = new ArrayList<>(m);
        for (int j = 0; j < m; j++) {
            index.add(new BatchIndexEntry(r.count("batch first record", Integer.MAX_VALUE),
                    r.nonNegative("batch position"), r.count("batch length", Integer.MAX_VALUE),
                    r.i64("batch max timestamp")));
        }
        if (!index.isEmpty()) {
            try {
                new SegmentInfo(count, size, minTs, maxTs, index); // what a reader builds from it: checked now
            } catch (IllegalArgumentException e) {
                throw r.corrupt("segment index of " + segKey + " is inconsistent: " + e.getMessage());
            }
        }
        return new Entry(count, minTs, maxTs, producer, firstSeq, segKey, size, index, null);
    }

    /**
     * A segment named by a commit record or checkpoint ({@code <partition>/log/N} or {@code <partition>/ckpt/N})
     * must be a valid key directly under {@code <partition>/seg/}: a corrupt or hostile record may not make a reader
     * fetch another partition's objects.
     */
    private static String segmentKeyOfThisPartition(BinaryReader r, String segKey) {
        String owner = r.key();
        String segPrefix = owner.substring(0, owner.lastIndexOf('/', owner.lastIndexOf('/') - 1) + 1) + "seg/";
        boolean ok = segKey.length() > segPrefix.length() && segKey.startsWith(segPrefix)
                && segKey.indexOf('/', segPrefix.length()) < 0;
        try {
            ObjectKeys.validate(segKey);
        } catch (InvalidKeyException e) {
            ok = false;
        }
        if (!ok) {
            throw r.corrupt("segment key '" + segKey.replaceAll("\\p{Cntrl}", "?") + "' is not a segment of this"
                    + " partition (" + segPrefix + "...)");
        }
        return segKey;
    }
}
